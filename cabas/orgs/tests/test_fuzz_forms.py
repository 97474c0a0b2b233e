"""Every form of the permission matrix, posted with odd values, is refused or taken, never a
server error: each field of the form's valid data is replaced in turn by numbers no column can
hold (1e400, forty digits), then every field at once by other odd text. (GET pages and their
query parameters: test_fuzz_urls.py; the API: cabas/api/tests.)"""

import pytest
from django.urls import reverse

from cabas.orgs.tests.test_permission_matrix import MATRIX

ODD_IN_ONE_FIELD = ["1e400", "9" * 40, "-9" * 20]
ODD_IN_EVERY_FIELD = ["-1", "NaN", "Infinity", "²", "", " ", "0,0001", "1E+3"]
POST_FORMS = sorted(name for name, row in MATRIX.items() if row.method == "post")


def test_the_matrix_has_forms_to_post():
    assert len(POST_FORMS) >= 20


@pytest.mark.parametrize("name", POST_FORMS)
@pytest.mark.parametrize("persona", ["coordinator", "member"])
def test_a_form_never_fails_on_odd_values(world, client, name, persona):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(world))
    client.force_login(world.users[persona])
    data = row.data(world)

    for field in data:
        for value in ODD_IN_ONE_FIELD:
            response = client.post(url, {**data, field: value})
            assert response.status_code < 500, (field, value)
    for value in ODD_IN_EVERY_FIELD:
        response = client.post(url, dict.fromkeys(data, value))
        assert response.status_code < 500, value


@pytest.mark.django_db
def test_a_basket_quantity_or_product_no_column_holds_is_refused_and_changes_nothing(client):
    from cabas.orders.models import Basket, BasketLine
    from cabas.orders.tests.factories import open_shop

    shop = open_shop()
    member = shop.member()
    client.force_login(member)
    url = reverse("orders:basket_set", args=[shop.organisation.slug, shop.sale.pk])
    bread = shop.products["bread"].pk

    for data in (
        {"product": bread, "quantity": "1e400"},
        {"product": bread, "quantity": "1" * 40},
        {"product": bread, "quantity": "-1"},
        {"product": "9" * 30, "quantity": "1"},
    ):
        response = client.post(url, data, headers={"HX-Request": "true"})
        assert response.status_code == 422, data
    assert not BasketLine.objects.exists()
    assert not Basket.objects.filter(lines__isnull=False).exists()

    response = client.post(url, {"product": bread, "quantity": "2"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert BasketLine.objects.get().quantity == 2
