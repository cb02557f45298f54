// The sliders of the website for screen readers and keyboards.
//
// Every slider on the website is a static twin: an ipywidgets SelectionSlider whose index the browser links to
// a stack of pictures drawn in advance. ipywidgets 8 draws it with noUiSlider, whose handle (role="slider") has no
// accessible name (axe: aria-input-field-name) and announces the index of the choice ("3") instead of the choice
// ("0.900"). Its readout is editable, but a SelectionSlider never reads what is typed there: typing "0.99" blanked
// the readout while the picture stayed put. So, for every slider the widget manager draws:
//   - the handle is named by the slider's description ("forget gate f"),
//   - the handle's aria-valuetext is the readout's text, the value the reader sees,
//   - the readout is read-only (it shows the value; the handle, by mouse, touch or arrow keys, changes it).
(() => {
  const fix = (slider) => {
    const handle = slider.querySelector('.noUi-handle[role="slider"]');
    if (!handle) return;
    const label = slider.querySelector(".widget-label");
    const name = label && label.textContent.trim();
    if (name && handle.getAttribute("aria-label") !== name) handle.setAttribute("aria-label", name);
    const readout = slider.querySelector(".widget-readout");
    if (!readout) return;
    const text = readout.textContent.trim();
    if (text && handle.getAttribute("aria-valuetext") !== text) handle.setAttribute("aria-valuetext", text);
    if (readout.isContentEditable) readout.contentEditable = "false";
  };
  const fixAll = () => document.querySelectorAll(".widget-slider").forEach(fix);
  // The widget manager draws the sliders after the page has loaded, and rewrites the readout on every move.
  new MutationObserver(fixAll).observe(document.documentElement, {
    subtree: true, childList: true, characterData: true, attributes: true,
    attributeFilter: ["aria-valuetext", "contenteditable"],
  });
  document.addEventListener("DOMContentLoaded", fixAll);
})();
