/* The pickup points on a map (Leaflet from static/vendor/, tiles from OpenStreetMap, as on
   the public page), each a circle whose area follows its orders over the period. The table
   of the points is the real content: without script, library or tiles the map stays hidden. */
(function () {
  "use strict";
  var container = document.getElementById("points-map");
  var source = document.getElementById("points-map-data");
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
  var most = Math.max.apply(null, points.map(function (point) { return point.orders; })) || 1;
  var bounds = [];
  points.forEach(function (point) {
    var label = document.createElement("div");
    label.textContent = point.name + " : " + point.orders;
    window.L.circleMarker([point.lat, point.lng], {
      radius: 6 + 24 * Math.sqrt(point.orders / most),
      color: "#1f6b3d", fillColor: "#2e7d4f", fillOpacity: 0.45, weight: 1
    }).addTo(map).bindPopup(label);
    bounds.push([point.lat, point.lng]);
  });
  if (bounds.length === 1) {
    map.setView(bounds[0], 12);
  } else {
    map.fitBounds(bounds, { padding: [24, 24] });
  }
})();
