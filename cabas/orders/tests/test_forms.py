"""The basket's form reads a quantity through the one rule (``rules.parse_quantity``): both
separators, and the rule's own words when it refuses."""

from decimal import Decimal

import pytest
from django.utils import translation

from cabas.orders.forms import BasketLineForm

D = Decimal


@pytest.mark.parametrize(
    ("typed", "read"),
    [("0,5", D("0.5")), ("0.5", D("0.5")), (" 1,25 ", D("1.25")), ("2", D("2")), ("0", D("0"))],
)
def test_a_quantity_is_read_with_a_comma_or_a_point(typed, read):
    form = BasketLineForm({"product": "7", "quantity": typed})

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"product": 7, "quantity": read}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"product": "7", "quantity": "abc"}, "« abc » n’est pas une quantité."),
        ({"product": "7", "quantity": "1" * 40}, f"« {'1' * 20} » n’est pas une quantité."),
        ({"product": "7", "quantity": "-1"}, "« -1 » n’est pas une quantité."),
        ({"product": "7", "quantity": "  "}, "Indiquez une quantité."),
        ({"product": "7"}, "Indiquez une quantité."),
        ({"product": "abc", "quantity": "abc"}, "Ce produit n’est pas proposé dans cette vente."),
        ({"product": "9" * 30, "quantity": "1"}, "Ce produit n’est pas proposé dans cette vente."),
        ({"quantity": "1"}, "Ce produit n’est pas proposé dans cette vente."),
    ],
)
def test_a_refusal_is_said_once_in_french(data, message):
    with translation.override("fr"):
        form = BasketLineForm(data)
        assert not form.is_valid()
        assert form.refusal() == message


def test_a_number_finer_than_any_step_is_left_to_the_products_rule():
    """A number like "0,0001": the product's rule names its smallest quantity (test_views)."""
    form = BasketLineForm({"product": "7", "quantity": "0,0001"})

    assert form.is_valid()
    assert form.cleaned_data["quantity"] == D("0.0001")
