/* Map of the pickup points (Leaflet from static/vendor/, tiles from OpenStreetMap).
   The list under the map is the real content: without script, library or tiles the page
   still works, and the map stays hidden. */
(function () {
  "use strict";
  var container = document.getElementById("pickup-map");
  var source = document.getElementById("pickup-map-data");
  if (!container || !source || typeof window.L === "undefined") {
    return;
  }
  var points = JSON.parse(source.textContent);
  if (!points.length) {
    return;
  }
  container.hidden = false;
  var map = window.L.map(container, { scrollWheelZoom: false });
  window.L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
  }).addTo(map);
  var bounds = [];
  points.forEach(function (point) {
    var box = document.createElement("div");
    var name = document.createElement("a");
    name.href = "#point-" + point.id;
    name.textContent = point.name;
    var address = document.createElement("div");
    address.textContent = point.address;
    box.appendChild(name);
    box.appendChild(address);
    window.L.marker([point.lat, point.lng], { title: point.name }).addTo(map).bindPopup(box);
    bounds.push([point.lat, point.lng]);
  });
  if (bounds.length === 1) {
    map.setView(bounds[0], 14);
  } else {
    map.fitBounds(bounds, { padding: [24, 24] });
  }
})();
