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
