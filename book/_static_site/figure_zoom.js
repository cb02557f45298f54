// A figure shown smaller than it was drawn opens at full size: one tap, click, Enter or Space.
//
// On a phone the column is ~360 CSS px and every figure shrinks with it, its text to 5-6 px. Each figure of the
// book is drawn for a 1280 px screen (its text at least 10 CSS px there). Here a figure shown narrower than that
// becomes a button (Sphinx already wraps a scaled figure in a link to its PNG, which is then the button: the dialog
// opens instead of leaving the page); pressing it opens a dialog with the same picture at its full size, which
// scrolls sideways and can be pinch-zoomed. A tap, a click, Escape or the Close button closes it, and the focus goes back to the figure.
// The pictures of a slider (drawn in by the widget manager, and replaced as the slider moves) are found as they come.
(() => {
  const FULL = "data-lstm-full-width"; // the CSS width the figure was drawn for
  let dialog = null;

  const fullWidth = (img) => {
    if (img.hasAttribute("data-smallest-text-px")) return img.naturalWidth; // the animation's frames: drawn at 1x
    const styled = parseFloat(img.style.width); // a slider's pictures: width:NNNpx (lstm_book.sliders.png_html)
    const attribute = parseFloat(img.getAttribute("width"));
    return styled || attribute || img.naturalWidth / 2; // the book's figures are drawn at 2x
  };

  const open = (img) => {
    if (!dialog) {
      dialog = document.createElement("dialog");
      dialog.className = "lstm-zoom";
      dialog.setAttribute("aria-label", "The figure at full size");
      dialog.innerHTML =
        '<button type="button" class="lstm-zoom-close">Close</button>' +
        '<p class="lstm-zoom-hint">Drag to see the rest of it; a tap closes it.</p>' +
        '<div class="lstm-zoom-frame"><img alt=""></div>';
      dialog.addEventListener("click", () => dialog.close()); // a tap anywhere closes it
      document.body.appendChild(dialog);
    }
    const copy = dialog.querySelector("img");
    copy.src = img.currentSrc || img.src;
    copy.alt = img.alt;
    copy.style.width = `${img.getAttribute(FULL)}px`;
    dialog.showModal();
    dialog.querySelector(".lstm-zoom-close").focus();
  };

  const mark = (img) => {
    if (!img.complete || !img.naturalWidth || img.closest("dialog, button")) return;
    const link = img.closest("a");
    if (link && !link.classList.contains("image-reference")) return; // a link elsewhere: leave it be
    const full = fullWidth(img);
    const small = img.getBoundingClientRect().width + 1 < full;
    const button = link || img; // what the keyboard reaches: Sphinx's link, or the image itself
    if (small && !img.hasAttribute(FULL)) {
      img.setAttribute(FULL, String(full));
      img.classList.add("lstm-zoomable");
      if (!link) {
        img.setAttribute("role", "button");
        img.setAttribute("tabindex", "0");
      }
      button.setAttribute("aria-label", `${img.alt} (opens the figure at full size)`);
    } else if (!small && img.hasAttribute(FULL)) {
      img.removeAttribute(FULL);
      img.classList.remove("lstm-zoomable");
      for (const name of ["role", "tabindex"]) if (!link) img.removeAttribute(name);
      button.removeAttribute("aria-label");
    }
  };

  let queued = false;
  const markAll = () => { // at most once a frame, however many changes the widgets make
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      document.querySelectorAll("article img").forEach(mark);
    });
  };
  // the zoomable image an event is for: the image itself, or Sphinx's link around it
  const zoomable = (target) => {
    if (!target || !target.closest) return null;
    const img = target.closest("img.lstm-zoomable");
    if (img) return img;
    const link = target.closest("a.image-reference");
    return link && link.querySelector("img.lstm-zoomable");
  };
  document.addEventListener("click", (event) => {
    const img = zoomable(event.target);
    if (!img) return;
    event.preventDefault(); // Sphinx's link would leave the page for the PNG
    open(img);
  });
  document.addEventListener("keydown", (event) => {
    const img = event.key === " " || (event.key === "Enter" && event.target.tagName === "IMG") ? zoomable(event.target) : null;
    if (!img) return; // Enter on Sphinx's link clicks it, which the listener above takes
    event.preventDefault();
    open(img);
  });
  document.addEventListener("load", (event) => { if (event.target.tagName === "IMG") mark(event.target); }, true);
  window.addEventListener("resize", markAll);
  window.addEventListener("load", markAll);
  new MutationObserver(markAll).observe(document.documentElement, { childList: true, subtree: true });
})();
