"""The texts of Leaflet's controls in the page's language: Leaflet writes English ("Zoom in",
"Marker") unless told. ``{% map_texts %}`` writes them as JSON (``json_script``, escaped for a
script element); ``static/js/map-texts.js`` gives them to Leaflet before any map is drawn."""

from django import template
from django.utils.html import json_script
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag
def map_texts():
    texts = {
        "zoomIn": _("Zoom in"),
        "zoomOut": _("Zoom out"),
        "marker": _("Pickup point on the map"),
    }
    return json_script(texts, "map-texts")
