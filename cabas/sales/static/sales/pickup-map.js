/* Map of the pickup points (static/js/points-map.js): a marker per point, its popup linking
   to the point in the list under the map (the real content). */
(function () {
  "use strict";
  if (typeof window.cabasPointsMap === "undefined") {
    return;
  }
  window.cabasPointsMap("pickup-map", "pickup-map-data", function (L, map, point) {
    var box = document.createElement("div");
    var name = document.createElement("a");
    name.href = "#point-" + point.id;
    name.textContent = point.name;
    var address = document.createElement("div");
    address.textContent = point.address;
    box.appendChild(name);
    box.appendChild(address);
    L.marker([point.lat, point.lng], { title: point.name, alt: point.name }).addTo(map).bindPopup(box);
  });
})();
