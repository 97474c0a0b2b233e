/* Behaviour shared by every page, kept out of the HTML so that the Content-Security-Policy
   allows no inline script: a button marked data-print prints the page; on a phone, the menu
   folds behind its "Menu" button (without script the menu is simply always shown). */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      window.print();
    }
  });

  function foldMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var nav = toggle ? toggle.closest(".main-nav") : null;
    if (!nav) {
      return;
    }
    function set(open) {
      nav.classList.toggle("open", open);
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    }
    nav.classList.add("folds");
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      set(!nav.classList.contains("open"));
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && nav.classList.contains("open")) {
        set(false);
        toggle.focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (nav.classList.contains("open") && !nav.contains(event.target)) {
        set(false);
      }
    });
  }

  /* A table wider than the screen scrolls inside its frame: the frame takes the keyboard focus
     so that it can be scrolled with the arrow keys too. */
  function scrollableTables() {
    document.querySelectorAll(".table-wrap").forEach(function (frame) {
      if (frame.scrollWidth > frame.clientWidth && !frame.hasAttribute("tabindex")) {
        frame.setAttribute("tabindex", "0");
      }
    });
  }

  function start() {
    foldMenu();
    scrollableTables();
    document.body.addEventListener("htmx:afterSettle", scrollableTables);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* A refused change (422) carries its message in the fragment to swap: htmx 2 swaps only
   2xx responses unless told, so the shop and the basket show why a quantity was refused. */
document.addEventListener("htmx:beforeSwap", function (event) {
  if (event.detail.xhr && event.detail.xhr.status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

/* A quantity the browser itself refuses (not a number, an empty field) is never sent, so the
   message the server wrote for an earlier try would stay on screen and mislead. The messages
   of the part the form updates (the form, or the whole basket) give way to what is wrong now:
   the field's own hint, kept in the form for screen readers and after the browser's bubble. */
document.addEventListener("invalid", function (event) {
  var field = event.target;
  var form = field.form;
  if (!form || !form.classList.contains("quantity-form")) {
    return;
  }
  var target = form.getAttribute("hx-target");
  var region = target && target !== "this" ? document.querySelector(target) || form : form;
  region.querySelectorAll(".errorlist[role=alert]").forEach(function (old) {
    old.remove();
  });
  var message = document.createElement("p");
  message.className = "errorlist";
  message.setAttribute("role", "alert");
  message.textContent = field.title || field.validationMessage;
  form.appendChild(message);
}, true);
