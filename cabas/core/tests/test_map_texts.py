"""Leaflet's controls are told in the page's language (cabas_map's ``map_texts``)."""

import json
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import translation


def test_the_map_texts_are_french_json_for_leaflet():
    with translation.override("fr"):
        html = Template("{% load cabas_map %}{% map_texts %}").render(Context())

    found = re.fullmatch(r'<script id="map-texts" type="application/json">(.*)</script>', html)
    assert json.loads(found[1]) == {
        "zoomIn": "Zoomer",
        "zoomOut": "Dézoomer",
        "marker": "Point de retrait sur la carte",
    }


def test_every_page_with_leaflet_gives_it_the_texts_first():
    templates = Path(settings.BASE_DIR) / "cabas"
    for path in templates.rglob("*.html"):
        text = path.read_text()
        if "vendor/leaflet/leaflet.js" not in text:
            continue
        assert "{% map_texts %}" in text, path
        assert text.index("leaflet.js") < text.index("js/map-texts.js"), path
