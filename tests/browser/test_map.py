"""The pickup points' map works under the Content-Security-Policy: Leaflet runs, its markers
and popups show, and the tiles are asked from the one tile server the policy allows (the
browser refuses a source the policy does not list before any request leaves, so a tile
answered here was allowed). Tiles are answered locally: the tests need no Internet."""

import base64
from decimal import Decimal

import pytest

from cabas.orgs.tests.factories import OrganisationFactory
from cabas.sales.tests.factories import PickupPointFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 1×1 transparent PNG.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


def test_the_pickup_map_shows_its_tiles_and_markers_under_the_policy(page):
    organisation = OrganisationFactory()
    for name, latitude, longitude in (
        ("Salle des fêtes de Mirandol", "44.1420", "2.1710"),
        ("Ferme du Cérou", "44.1600", "2.1200"),
    ):
        PickupPointFactory(
            organisation=organisation,
            name=name,
            latitude=Decimal(latitude),
            longitude=Decimal(longitude),
        )
    tiles = []

    def tile(route):
        tiles.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=TILE)

    page.route("https://tile.openstreetmap.org/**", tile)
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))

    response = page.goto(f"/o/{organisation.slug}/pickup-points/")

    policy = response.headers["content-security-policy"]
    assert "img-src 'self' data: https://tile.openstreetmap.org;" in policy + ";"
    page.wait_for_selector("#pickup-map img.leaflet-tile-loaded")
    assert tiles and all(url.endswith(".png") for url in tiles)
    markers = page.locator("#pickup-map .leaflet-marker-icon")
    assert markers.count() == 2
    markers.first.click()
    page.wait_for_selector(".leaflet-popup-content a")
    assert errors == []
