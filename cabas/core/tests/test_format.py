"""The one money and the one quantity formatter (Python functions and template filters):
localised for people, plain for machines."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from cabas.core.money import format_money, format_quantity, plain_quantity

D = Decimal
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "french", "english"),
    [
        (D("12.5"), f"12,50{NBSP}€", "€12.50"),
        (D("0"), f"0,00{NBSP}€", "€0.00"),
        (D("0.005"), f"0,01{NBSP}€", "€0.01"),  # rounded half up, like a till
        (D("-3"), f"-3,00{NBSP}€", "-€3.00"),
        (7, f"7,00{NBSP}€", "€7.00"),
        ("4.2", f"4,20{NBSP}€", "€4.20"),
    ],
)
def test_money_in_french_and_english(amount, french, english):
    with translation.override("fr"):
        assert format_money(amount) == french
    with translation.override("en"):
        assert format_money(amount) == english


@pytest.mark.parametrize(
    ("quantity", "french", "english", "plain"),
    [
        (D("0.500"), "0,5", "0.5", "0.5"),
        (D("1.250"), "1,25", "1.25", "1.25"),
        (D("2.000"), "2", "2", "2"),
        (D("40.000"), "40", "40", "40"),  # never "4E+1", never "40.000" (forty thousand)
        (D("1500"), "1500", "1500", "1500"),
        (3, "3", "3", "3"),
    ],
)
def test_quantity_without_trailing_zeros(quantity, french, english, plain):
    with translation.override("fr"):
        assert format_quantity(quantity) == french
        assert plain_quantity(quantity) == plain  # machines always read a point
    with translation.override("en"):
        assert format_quantity(quantity) == english


@pytest.mark.parametrize("nothing", [None, "", "abc", D("NaN")])
def test_no_number_shows_nothing(nothing):
    assert format_money(nothing) == format_quantity(nothing) == plain_quantity(nothing) == ""


def test_the_filters_need_no_load_tag():
    template = Template("{{ total|money }} · {{ weight|quantity }} kg")
    with translation.override("fr"):
        shown = template.render(Context({"total": D("12.5"), "weight": D("1.500")}))
    assert shown == f"12,50{NBSP}€ · 1,5 kg"
    loaded = Template("{% load cabas_format %}{{ total|money }}")
    with translation.override("en"):
        assert loaded.render(Context({"total": D("12.5")})) == "€12.50"
