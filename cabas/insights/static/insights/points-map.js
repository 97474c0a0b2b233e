/* The dashboard's map (static/js/points-map.js): each pickup point a circle whose area
   follows its orders over the period; the table of the points gives the numbers. */
(function () {
  "use strict";
  if (typeof window.cabasPointsMap === "undefined") {
    return;
  }
  window.cabasPointsMap("points-map", "points-map-data", function (L, map, point, points) {
    var most = Math.max.apply(null, points.map(function (p) { return p.orders; })) || 1;
    var label = document.createElement("div");
    label.textContent = point.name + " : " + point.orders;
    L.circleMarker([point.lat, point.lng], {
      radius: 6 + 24 * Math.sqrt(point.orders / most),
      color: "#1f6b3d", fillColor: "#2e7d4f", fillOpacity: 0.45, weight: 1
    }).addTo(map).bindPopup(label);
  });
})();
