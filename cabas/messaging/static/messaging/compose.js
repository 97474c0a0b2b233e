// The message form: show only the choices the chosen audience needs (all stay in the page
// without JavaScript, each saying what it is for).
(function () {
  "use strict";
  const form = document.querySelector(".message-form");
  if (!form) return;
  const radios = form.querySelectorAll('input[name="audience"]');
  function update() {
    const chosen = form.querySelector('input[name="audience"]:checked');
    const value = chosen ? chosen.value : "";
    form.querySelectorAll(".audience-choice").forEach(function (block) {
      block.hidden = block.dataset.for.split(" ").indexOf(value) === -1;
    });
  }
  radios.forEach(function (radio) { radio.addEventListener("change", update); });
  update();
})();
