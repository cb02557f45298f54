// Point require.js at the vendored widget manager (vendor/ next to this file), so that the icon
// fonts its CSS asks for load from this site (vendor/@jupyter-widgets/) and never from a CDN.
(function () {
  var here = document.currentScript.src;
  require.config({ baseUrl: here.slice(0, here.lastIndexOf("/") + 1) + "vendor/" });
})();
