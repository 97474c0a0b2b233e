/* The one way Cabas draws pickup points on a map (Leaflet from static/vendor/, tiles from
   OpenStreetMap): the public page's markers and the dashboard's circles both come here.
   ``cabasPointsMap(containerId, dataId, addPoint)`` shows the hidden container when the
   library and points are there, calls ``addPoint(L, map, point)`` for each (it returns the
   layer it added) and fits the view. Without script, library or tiles the page's list or
   table is the content, and the map stays hidden. */
(function () {
  "use strict";
  window.cabasPointsMap = function (containerId, dataId, addPoint) {
    var container = document.getElementById(containerId);
    var source = document.getElementById(dataId);
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
    var bounds = points.map(function (point) {
      addPoint(window.L, map, point, points);
      return [point.lat, point.lng];
    });
    if (bounds.length === 1) {
      map.setView(bounds[0], 14);
    } else {
      map.fitBounds(bounds, { padding: [24, 24] });
    }
  };
})();
