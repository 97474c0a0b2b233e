// The message form: show only the choices the chosen audience needs. The page lists the
// pickups of one sale and the slots of one pickup (a sale has a hundred pickups); choosing
// another sale or pickup fetches the page again for them and swaps in its lists. Without
// JavaScript the button "Show this sale's pickups…" does the same by sending the form back.
(function () {
  "use strict";
  const form = document.querySelector(".message-form");
  if (!form) return;
  const choices = form.querySelector(".sale-choices");
  const button = form.querySelector(".choose-button");
  if (button) button.remove(); // else Enter in a text field would press it

  function showAudience() {
    const chosen = form.querySelector('input[name="audience"]:checked');
    const value = chosen ? chosen.value : "";
    form.querySelectorAll(".audience-choice").forEach(function (block) {
      block.hidden = block.dataset.for.split(" ").indexOf(value) === -1;
    });
  }

  function value(name) {
    const field = form.querySelector('select[name="' + name + '"]');
    return field ? field.value : "";
  }

  function refreshChoices(changed) {
    if (!choices) return;
    const query = new URLSearchParams({ sale: value("sale") });
    if (changed === "pickup") query.set("pickup", value("pickup"));
    fetch(window.location.pathname + "?" + query.toString(), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(); })
      .then(function (html) {
        const page = new DOMParser().parseFromString(html, "text/html");
        const fresh = page.querySelector(".sale-choices");
        if (!fresh) return;
        const chooseAgain = fresh.querySelector(".choose-button");
        if (chooseAgain) chooseAgain.remove();
        choices.innerHTML = fresh.innerHTML;
      })
      .catch(function () { /* the lists stay as they were; the server checks the choice */ });
  }

  form.addEventListener("change", function (event) {
    const name = event.target.name;
    if (name === "audience") showAudience();
    if (name === "sale" || name === "pickup") refreshChoices(name);
  });
  showAudience();
})();
