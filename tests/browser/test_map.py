"""The pickup points' map works under the Content-Security-Policy: Leaflet runs, its markers
and popups show, and the tiles are asked from the one tile server the policy allows (the
browser refuses a source the policy does not list before any request leaves, so a tile
answered here was allowed). Tiles are answered locally: the tests need no Internet."""

import base64
import re
from decimal import Decimal

import pytest

from cabas.accounts.tests.factories import UserFactory
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales.models import PickupPoint
from cabas.sales.tests.factories import PickupPointFactory
from tests.browser.conftest import log_in

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


def _log_in_as_coordinator(page, organisation) -> None:
    MembershipFactory(
        organisation=organisation, is_coordinator=True, user=UserFactory(email="c@example.org")
    )
    log_in(page, "c@example.org")
    page.wait_for_url(f"**/o/{organisation.slug}/home/")


def test_a_tap_on_the_map_places_the_pin_and_fills_the_coordinates(page):
    organisation = OrganisationFactory()
    PickupPointFactory(
        organisation=organisation,
        name="Salle des fêtes de Mirandol",
        latitude=Decimal("44.142000"),
        longitude=Decimal("2.171000"),
    )
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    _log_in_as_coordinator(page, organisation)

    page.goto(f"/o/{organisation.slug}/manage/pickup-points/new/")
    page.fill("#id_name", "Ferme du Cérou")
    page.fill("#id_address", "Le Cérou")
    # The map opens on the organisation's other point; a tap at its centre places the pin there.
    page.locator("#pin-map").scroll_into_view_if_needed()
    box = page.locator("#pin-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    assert page.locator("#pin-map .leaflet-marker-icon").count() == 1
    latitude, longitude = page.input_value("#id_latitude"), page.input_value("#id_longitude")
    assert re.fullmatch(r"44\.14\d{4}", latitude), latitude  # a dot, never "44,142"
    assert re.fullmatch(r"2\.17\d{4}", longitude), longitude
    # Typed coordinates still work and move the pin (here, a few hundred metres north).
    page.fill("#id_latitude", "44.1450")
    page.fill("#id_longitude", "2.1710")
    page.locator("main form button[type=submit]").click()

    page.wait_for_url(f"**/o/{organisation.slug}/manage/pickup-points/")
    point = PickupPoint.objects.get(name="Ferme du Cérou")
    assert (point.latitude, point.longitude) == (Decimal("44.145000"), Decimal("2.171000"))
    assert errors == []


def test_the_pin_of_a_point_can_be_dragged_elsewhere(page):
    organisation = OrganisationFactory()
    point = PickupPointFactory(
        organisation=organisation, latitude=Decimal("44.142000"), longitude=Decimal("2.171000")
    )
    page.route(
        "https://tile.openstreetmap.org/**",
        lambda route: route.fulfill(status=200, content_type="image/png", body=TILE),
    )
    _log_in_as_coordinator(page, organisation)

    page.goto(f"/o/{organisation.slug}/manage/pickup-points/{point.pk}/")
    page.locator("#pin-map").scroll_into_view_if_needed()
    pin = page.locator("#pin-map .leaflet-marker-icon").bounding_box()
    x, y = pin["x"] + pin["width"] / 2, pin["y"] + pin["height"] - 2
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y - 40, steps=5)
    page.mouse.up()

    latitude, longitude = page.input_value("#id_latitude"), page.input_value("#id_longitude")
    assert float(latitude) > 44.142 and float(longitude) > 2.171  # north-east of where it was
    assert re.fullmatch(r"-?\d+\.\d{6}", latitude) and re.fullmatch(r"-?\d+\.\d{6}", longitude)
