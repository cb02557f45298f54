// The widget manager (html-manager 1.x) typesets widget labels with the MathJax 2 call
// MathJax.Hub.Queue(["Typeset", MathJax.Hub, element]). MathJax 3 has no Hub, so every page with
// maths and widgets would log "Cannot read properties of undefined (reading 'Queue')".
// This gives whatever object window.MathJax holds (the config object first, then MathJax 3 itself,
// which replaces it when it loads) a Hub.Queue that calls MathJax 3's typesetPromise.
(function () {
  var hub = {
    Queue: function () {
      for (var i = 0; i < arguments.length; i++) {
        var job = arguments[i];
        if (Array.isArray(job) && job[0] === "Typeset" && job[2]) typeset(job[2]);
      }
    },
  };
  function typeset(element) {
    dollarsToParens(element);
    var mj = window.MathJax;
    if (!mj || typeof mj.typesetPromise !== "function") return; // MathJax typesets the page when it starts
    var ready = mj.startup && mj.startup.promise ? mj.startup.promise : Promise.resolve();
    ready.then(function () { return mj.typesetPromise([element]); }).catch(function (err) {
      console.warn("MathJax could not typeset a widget label:", err);
    });
  }
  // Widget labels write inline maths as $...$ (as in Jupyter); the site's MathJax reads \(...\).
  function dollarsToParens(element) {
    var walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    var node;
    while ((node = walker.nextNode())) {
      if (node.nodeValue.indexOf("$") !== -1) {
        node.nodeValue = node.nodeValue.replace(/\$([^$]+)\$/g, "\\($1\\)");
      }
    }
  }
  function withHub(value) {
    if (value && typeof value === "object" && !value.Hub) {
      // Not enumerable, so that MathJax 3 does not read it as a configuration option.
      try { Object.defineProperty(value, "Hub", { value: hub, configurable: true }); } catch (err) { /* frozen */ }
    }
    return value;
  }
  var current = withHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = withHub(value); },
  });
})();
