/* "All" in a table's heading ticks or unticks every box of its column; unticking one box
   unticks "All" (without script, ticking "All" alone still chooses every row shown). */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    var form = box.form;
    if (!form) {
      return;
    }
    var name = box.getAttribute("data-select-all");
    if (name) {
      form.querySelectorAll('input[type=checkbox][name="' + name + '"]').forEach(function (row) {
        row.checked = box.checked;
      });
      return;
    }
    if (!box.checked) {
      form.querySelectorAll('[data-select-all="' + box.name + '"]').forEach(function (all) {
        all.checked = false;
      });
    }
  });
})();
