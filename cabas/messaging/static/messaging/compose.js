// The message form: show only the choices the chosen audience needs, and in the pickup and
// slot lists only those of the chosen sale and pickup (without JavaScript everything stays in
// the page, each choice saying what it is for, and the server checks they fit together).
(function () {
  "use strict";
  const form = document.querySelector(".message-form");
  if (!form) return;
  const sale = form.querySelector('select[name="sale"]');
  const pickup = form.querySelector('select[name="pickup"]');
  const slot = form.querySelector('select[name="slot"]');

  function showAudience() {
    const chosen = form.querySelector('input[name="audience"]:checked');
    const value = chosen ? chosen.value : "";
    form.querySelectorAll(".audience-choice").forEach(function (block) {
      block.hidden = block.dataset.for.split(" ").indexOf(value) === -1;
    });
  }

  // Hide the options whose data-<key> is not the wanted value (all when nothing is wanted);
  // a hidden option that was selected is unselected.
  function narrow(select, key, wanted) {
    if (!select) return;
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) return;
      const fits = !wanted || option.dataset[key] === wanted;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) select.value = "";
    });
  }

  function narrowAll() {
    const saleId = sale ? sale.value : "";
    narrow(pickup, "sale", saleId);
    narrow(slot, "sale", saleId);
    if (pickup && pickup.value) narrow(slot, "pickup", pickup.value);
  }

  form.querySelectorAll('input[name="audience"]').forEach(function (radio) {
    radio.addEventListener("change", showAudience);
  });
  if (sale) sale.addEventListener("change", narrowAll);
  if (pickup) pickup.addEventListener("change", narrowAll);
  showAudience();
  narrowAll();
})();
