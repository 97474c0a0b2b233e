/* Live occupancy of a pickup's slots: refreshes "booked / capacity" every 15 seconds while
   the page is visible. Without script the numbers are those of the page load. */
(function () {
  "use strict";
  var root = document.querySelector("[data-occupancy-url]");
  if (!root || !window.fetch) {
    return;
  }
  var url = root.getAttribute("data-occupancy-url");
  function setText(selector, value) {
    var element = document.querySelector(selector);
    if (element) {
      element.textContent = value;
    }
  }
  function refresh() {
    if (document.hidden) {
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) {
          return;
        }
        setText("[data-pickup-booked]", data.booked);
        data.slots.forEach(function (slot) {
          setText('[data-slot-booked="' + slot.id + '"]', slot.booked);
          setText('[data-slot-capacity="' + slot.id + '"]', slot.capacity);
          var meter = document.querySelector('[data-slot-meter="' + slot.id + '"]');
          if (meter) {
            meter.max = slot.capacity;
            meter.value = slot.booked;
          }
        });
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ });
  }
  window.setInterval(refresh, 15000);
})();
