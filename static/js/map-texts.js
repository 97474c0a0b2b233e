/* Leaflet's controls in the page's language (cabas_map's {% map_texts %}): the zoom buttons'
   titles and a marker's default alternative text. Loaded after Leaflet, before any map. */
(function () {
  "use strict";
  var source = document.getElementById("map-texts");
  if (!source || typeof window.L === "undefined") {
    return;
  }
  var texts = JSON.parse(source.textContent);
  window.L.Control.Zoom.mergeOptions({ zoomInTitle: texts.zoomIn, zoomOutTitle: texts.zoomOut });
  window.L.Marker.mergeOptions({ alt: texts.marker });
})();
