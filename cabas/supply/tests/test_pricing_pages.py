"""The pricing pages: the supply settings, the coefficients, and the price changes the
supply team accepts or dismisses in bulk."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cabas.supply import services
from cabas.supply.models import PriceCoefficient, PriceProposal, SupplySettings
from cabas.supply.tests.factories import ShopProductFactory, SupplierFactory, SupplierItemFactory
from cabas.supply.tests.pages import supply_url

D = Decimal

pytestmark = pytest.mark.django_db


_url = supply_url


SETTINGS = {
    "default_coefficient": "1,30",
    "rounding_step": "0,10",
    "sales_period_days": "21",
    "target_cover_days": "10",
    "delivery_address": "12 rue des Halles, Rodez",
    "delivery_hours": "mar.–ven. 8 h–11 h",
    "alert_weekday": "5",
}


def _settings(world):
    return list(
        SupplySettings.objects.filter(organisation=world.org_a).values_list(
            "default_coefficient",
            "rounding_step",
            "sales_period_days",
            "target_cover_days",
            "delivery_address",
            "delivery_hours",
            "alert_weekday",
        )
    )


def test_the_settings_are_saved(supply, world):
    page = supply.get(_url("settings", world)).content.decode()
    assert "vendredi" in page

    response = supply.post(_url("settings", world), SETTINGS)

    assert response.url == _url("settings", world)
    assert _settings(world) == [
        (D("1.30"), D("0.10"), 21, 10, "12 rue des Halles, Rodez", "mar.–ven. 8 h–11 h", 5)
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("default_coefficient", "0", "supérieure ou égale à 0.001"),
        ("default_coefficient", "abc", "Saisissez un nombre, par exemple 2 ou 0,5."),
        ("rounding_step", "-0,05", "supérieure ou égale à 0.01"),
        ("sales_period_days", "0", "supérieure ou égale à 1"),
        ("target_cover_days", "400", "inférieure ou égale à 365"),
        ("alert_weekday", "9", "Sélectionnez un choix valide"),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(supply, world, field, value, message):
    services.supply_settings_update(organisation=world.org_a, default_coefficient=D("1.2"))
    before = _settings(world)

    response = supply.post(_url("settings", world), {**SETTINGS, field: value})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert _settings(world) == before


def _coefficients(world):
    return sorted(
        PriceCoefficient.objects.filter(organisation=world.org_a).values_list(
            "category", "product__name", "coefficient"
        ),
        key=str,
    )


def test_coefficients_by_category_and_by_product(supply, world):
    flour = ShopProductFactory(organisation=world.org_a, name="Farine T65")
    oil = ShopProductFactory(organisation=world.org_a, name="Huile d’olive")
    services.price_coefficient_set(organisation=world.org_a, category="dairy", coefficient=D("1.4"))
    services.price_coefficient_set(organisation=world.org_a, product=oil, coefficient=D("1.1"))

    services.supply_settings_update(organisation=world.org_a, default_coefficient=D("1.2"))
    page = supply.get(_url("coefficients", world)).content.decode()
    assert "Épicerie" in page and "Farines, céréales et légumineuses" in page
    # What an empty field means: a dairy subcategory takes the family's 1,4, others 1,2.
    dairy, cheese, grocery = (
        page.split(f'id="id_category_{code}"')[1].split("</tr>")[0]
        for code in ("dairy", "dairy-cheese", "grocery")
    )
    assert ("vide : 1,2" in dairy, "vide : 1,4" in cheese, "vide : 1,2" in grocery) == (
        True,
        True,
        True,
    )
    assert f'name="product_{oil.pk}" value="1,1"' in page

    response = supply.post(
        _url("coefficients", world),
        {
            "category_grocery": "1,25",
            "category_grocery-flour": "1.3",
            "category_dairy": "",  # removed
            f"product_{oil.pk}": "1,15",
            "new_product": flour.pk,
            "new_coefficient": "1,5",
        },
    )

    assert response.url == _url("coefficients", world)
    assert _coefficients(world) == sorted(
        [
            ("grocery", None, D("1.250")),
            ("grocery-flour", None, D("1.300")),
            ("", "Huile d’olive", D("1.150")),
            ("", "Farine T65", D("1.500")),
        ],
        key=str,
    )
    # An emptied product field removes its coefficient.
    flour_field = f"product_{flour.pk}"
    supply.post(
        _url("coefficients", world),
        {"category_grocery": "1.25", "category_grocery-flour": "1.3", flour_field: "1.5"},
    )
    assert [row[1] for row in _coefficients(world) if row[1]] == ["Farine T65"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"category_grocery": "0"}, "Un coefficient est un nombre supérieur à 0"),
        ({"category_grocery": "-1,2"}, "Un coefficient est un nombre supérieur à 0"),
        ({"category_grocery": "abc"}, "Saisissez un nombre, par exemple 2 ou 0,5."),
        ({"category_grocery": "1,2345"}, "3 chiffres après la virgule"),
        ({"new_coefficient": "1,2"}, "Choisissez le produit de ce coefficient."),
        ({"new_product": "PRODUCT"}, "Saisissez le coefficient du produit."),
        ({"new_product": "999999", "new_coefficient": "1,2"}, "Sélectionnez un choix valide"),
    ],
)
def test_bad_coefficients_are_refused_and_none_changes(supply, world, data, message):
    product = ShopProductFactory(organisation=world.org_a)
    services.price_coefficient_set(organisation=world.org_a, category="dairy", coefficient=D("1.4"))
    before = _coefficients(world)
    data = {
        "category_dairy": "1,6",  # a good change, in the same form: not saved either
        **{k: (str(product.pk) if v == "PRODUCT" else v) for k, v in data.items()},
    }

    response = supply.post(_url("coefficients", world), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert _coefficients(world) == before


def _proposals(world, count: int) -> list[PriceProposal]:
    """``count`` pending price changes: products at 3,00 whose main supplier's price with the
    default 1,30 calls for another price."""
    services.supply_settings_update(organisation=world.org_a, default_coefficient=D("1.30"))
    supplier = SupplierFactory(organisation=world.org_a, name="Biocoop")
    for number in range(count):
        product = ShopProductFactory(
            organisation=world.org_a, name=f"Produit {number:02d}", price=D("3.00")
        )
        services.supplier_item_save(supplier=supplier, product=product, purchase_price=D("2"))
    return list(PriceProposal.objects.filter(status="pending").order_by("product__name"))


def test_the_proposals_page_shows_each_change_with_its_margin(supply, world):
    proposal = _proposals(world, 1)[0]

    page = supply.get(_url("price_proposals", world)).content.decode()

    # 2 × 1,30 × 1,055 = 2,743 → 2,75; margin at 2,75: 23,3 %.
    assert proposal.proposed_price == D("2.75")
    assert "Produit 00" in page and "Biocoop" in page
    assert "3,00\xa0€ → <strong>2,75\xa0€</strong>" in page
    assert "× 1,3" in page and "23,3\xa0%" in page
    # The link on the other supply pages says there is something to decide.
    assert "1 changement de prix à décider" in supply.get(_url("suppliers", world)).content.decode()


def test_accepting_the_ticked_proposals_changes_those_prices_only(supply, world):
    first, second, third = _proposals(world, 3)

    response = supply.post(
        _url("price_proposals", world),
        {"decision": "accept", "proposal": [first.pk, third.pk], "shown": [first.pk, second.pk]},
    )

    assert response.url == _url("price_proposals", world)
    prices = {p.product.name: p.product.price for p in (first, second, third)}
    for proposal in (first, second, third):
        proposal.product.refresh_from_db()
        proposal.refresh_from_db()
    assert [(p.status, p.product.price) for p in (first, second, third)] == [
        ("accepted", D("2.75")),
        ("pending", prices["Produit 01"]),
        ("accepted", D("2.75")),
    ]
    assert first.decided_by == world.users["supply"]
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["2 prix modifiés."]


def test_select_all_dismisses_every_change_shown(supply, world):
    proposals = _proposals(world, 3)
    shown = [p.pk for p in proposals[:2]]  # the third came after the page was opened

    response = supply.post(
        _url("price_proposals", world), {"decision": "dismiss", "all": "1", "shown": shown}
    )

    statuses = list(
        PriceProposal.objects.order_by("product__name").values_list("status", flat=True)
    )
    assert statuses == ["dismissed", "dismissed", "pending"]
    assert [p.product.price for p in proposals] == [D("3.00")] * 3
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == ["2 changements de prix écartés : les prix restent les mêmes."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "accept"}, "Cochez au moins un changement de prix."),
        ({"decision": "accept", "proposal": ["abc"]}, "Ce choix n’a pas pu être lu"),
        ({"decision": "explode", "proposal": ["PK"]}, "Ce choix n’a pas pu être lu"),
    ],
)
def test_a_bad_decision_changes_nothing(supply, world, data, message):
    proposal = _proposals(world, 1)[0]
    data = {
        k: [str(proposal.pk) if x == "PK" else x for x in v] if isinstance(v, list) else v
        for k, v in data.items()
    }

    response = supply.post(_url("price_proposals", world), data)

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "pending"
    assert [str(m) for m in response.wsgi_request._messages][0].startswith(message)


def test_another_organisations_proposal_is_left_alone(supply, world):
    theirs = SupplierItemFactory(supplier__organisation=world.org_b, purchase_price=D("2"))
    services.supply_settings_update(organisation=world.org_b, default_coefficient=D("1.3"))
    proposal = PriceProposal.objects.get(product=theirs.product)

    supply.post(_url("price_proposals", world), {"decision": "accept", "proposal": [proposal.pk]})

    proposal.refresh_from_db()
    assert proposal.status == "pending"


def _queries(client, url) -> int:
    client.get(url)  # warm: the first page of a visit writes the organisation into the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pricing_pages_cost_the_same_queries_for_2_and_20_proposals(supply, world):
    _proposals(world, 2)
    urls = [_url(name, world) for name in ("price_proposals", "coefficients", "settings")]
    few = [_queries(supply, url) for url in urls]

    supplier = SupplierFactory(organisation=world.org_a)
    for number in range(18):
        product = ShopProductFactory(organisation=world.org_a, price=D("3.00"))
        services.supplier_item_save(supplier=supplier, product=product, purchase_price=D("2"))
        services.price_coefficient_set(
            organisation=world.org_a, product=product, coefficient=D("1.2") + number
        )
    assert PriceProposal.objects.filter(status="pending").count() == 20

    assert [_queries(supply, url) for url in urls] == few
