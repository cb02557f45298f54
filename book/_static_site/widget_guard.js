// Rapid presses on a website slider: no TypeError in the console.
//
// Every slider on the website switches a Stack of pictures drawn in advance. At each change ipywidgets 8.1's
// StackView disposes the view of the picture shown and builds one for the next. When presses come faster than the
// views are built (arrow keys held or pressed quickly), Lumino still delivers a queued message (a resize, an update)
// to the wrapper of a view already disposed, whose `_view` is then null, and the console logs
// "TypeError: Cannot read properties of null (reading 'processLuminoMessage')". The message is for a view that is
// gone, so the wrappers now drop it instead; what the reader sees does not change.
(() => {
  if (typeof require !== "function") return; // a page with no widgets loads no require.js, and needs no guard
  require(["@jupyter-widgets/base"], (base) => {
    for (const Wrapper of [base.JupyterLuminoWidget, base.JupyterLuminoPanelWidget]) {
      const deliver = Wrapper.prototype.processMessage;
      Wrapper.prototype.processMessage = function (msg) {
        if (this._view) deliver.call(this, msg);
      };
    }
  });
})();
