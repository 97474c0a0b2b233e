/* Behaviour shared by every page, kept out of the HTML so that the Content-Security-Policy
   allows no inline script: a button marked data-print prints the page. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      window.print();
    }
  });
})();

/* A refused change (422) carries its message in the fragment to swap: htmx 2 swaps only
   2xx responses unless told, so the shop and the basket show why a quantity was refused. */
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr && event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
