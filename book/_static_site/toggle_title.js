// Solutions open from every part of their title.
//
// sphinx-togglebutton (0.4.5) makes a dropdown's whole title clickable, but finds its button only when the click
// lands on the title itself, the button or its icon. A click on a link or text inside the title (the
// "Exercise 12 (...)" link in the title of every solution) throws "ReferenceError: button is not defined", leaves
// the solution closed and follows the link, so the page jumps. This listener sees such clicks first (capture
// phase) and presses the title's own button instead: the solution opens or closes, the page stays where it is.
document.addEventListener(
  "click",
  (event) => {
    const title = event.target.closest(".toggle > .admonition-title");
    if (!title || event.target === title || event.target.closest(".toggle-button")) return;
    const button = title.querySelector(".toggle-button");
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    button.click(); // bubbles to the title, where sphinx-togglebutton handles it as a click on its button
  },
  true,
);
