/* Placing a pickup point: a tap (or click) on the map puts the pin there and fills the
   latitude and longitude fields; the pin can be dragged; typing in the fields moves the pin.
   The fields stay the real input: without script, library or tiles, the map stays hidden and
   the coordinates are typed. Numbers are written with a dot and six decimals (never localised),
   as the form reads them. */
(function () {
  "use strict";
  var picker = document.getElementById("pin-picker");
  var container = document.getElementById("pin-map");
  var latitude = document.getElementById("id_latitude");
  var longitude = document.getElementById("id_longitude");
  if (!picker || !container || !latitude || !longitude || typeof window.L === "undefined") {
    return;
  }
  var L = window.L;

  function read(input) {
    var value = parseFloat(String(input.value).trim().replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function typed() {
    var lat = read(latitude);
    var lng = read(longitude);
    if (lat === null || lng === null || Math.abs(lat) > 90 || Math.abs(lng) > 180) {
      return null;
    }
    return L.latLng(lat, lng);
  }

  function others() {
    var source = document.getElementById("pin-map-data");
    var points = source ? JSON.parse(source.textContent) : [];
    return points.map(function (point) { return [point.lat, point.lng]; });
  }

  picker.hidden = false;
  var map = L.map(container, { scrollWheelZoom: false });
  L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 19,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
  }).addTo(map);
  var pin = null;

  function fill(latlng) {
    latitude.value = latlng.lat.toFixed(6);
    longitude.value = latlng.lng.toFixed(6);
    [latitude, longitude].forEach(function (input) {
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function place(latlng) {
    if (pin === null) {
      var title = container.dataset.pinTitle || "";
      pin = L.marker(latlng, { draggable: true, title: title, alt: title });
      pin.on("dragend", function () { fill(pin.getLatLng()); });
      pin.addTo(map);
    } else {
      pin.setLatLng(latlng);
    }
  }

  var start = typed();
  var bounds = others();
  if (start !== null) {
    place(start);
    map.setView(start, 16);
  } else if (bounds.length === 1) {
    map.setView(bounds[0], 13);
  } else if (bounds.length > 1) {
    map.fitBounds(bounds, { padding: [24, 24] });
  } else {
    map.setView([46.6, 2.4], 5);  // France, the first users' country
  }

  map.on("click", function (event) {
    place(event.latlng);
    fill(event.latlng);
  });
  [latitude, longitude].forEach(function (input) {
    input.addEventListener("input", function () {
      var latlng = typed();
      if (latlng !== null) {
        place(latlng);
        map.panTo(latlng);
      }
    });
  });
})();
