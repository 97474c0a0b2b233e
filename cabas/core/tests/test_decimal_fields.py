"""A decimal field a person edits (core.forms.DecimalField / DecimalInput): its value is shown
as they type it in their language ("0,5" in French), either separator is read back, and a form
submitted unchanged keeps its number."""

from decimal import Decimal

import pytest
from django import forms
from django.utils import translation

from cabas.core import forms as core_forms
from cabas.core.money import parse_decimal, typed_number

D = Decimal


class WeighingForm(forms.Form):
    quantity = core_forms.DecimalField(max_digits=8, decimal_places=3)
    price = core_forms.DecimalField(max_digits=10, decimal_places=2)


@pytest.mark.parametrize(
    ("value", "places", "french", "english"),
    [
        (D("0.500"), None, "0,5", "0.5"),
        (D("0.45"), None, "0,45", "0.45"),
        (D("23.7"), 2, "23,70", "23.70"),
        (D("40.000"), None, "40", "40"),
        (D("12000.5"), 2, "12000,50", "12000.50"),  # never grouped: one number to edit
        (D("-2.5"), None, "-2,5", "-2.5"),
        (None, None, "", ""),
    ],
)
def test_a_field_shows_its_number_as_typed_in_the_language(value, places, french, english):
    with translation.override("fr"):
        assert typed_number(value, places) == french
    with translation.override("en"):
        assert typed_number(value, places) == english
    if value is not None:
        assert parse_decimal(french) == parse_decimal(english) == value


@pytest.mark.parametrize("typed", ["0,5", "0.5", " 0,5 ", "0,500"])
def test_both_separators_are_read(typed):
    form = WeighingForm({"quantity": typed, "price": "3,10"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"quantity": D("0.5"), "price": D("3.10")}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_form_submitted_unchanged_keeps_its_numbers(language):
    initial = {"quantity": D("0.450"), "price": D("23.70")}
    with translation.override(language):
        shown = WeighingForm(initial=initial)
        html = str(shown["quantity"]) + str(shown["price"])
        values = {name: shown[name].value() for name in initial}
        data = {name: shown.fields[name].widget.format_value(v) for name, v in values.items()}
        submitted = WeighingForm(data, initial=initial)

        assert submitted.is_valid(), submitted.errors
        assert submitted.cleaned_data == initial
        assert not submitted.has_changed()
    separator = "," if language == "fr" else "."
    assert f'value="0{separator}45" inputmode="decimal"' in html
    assert f'value="23{separator}70" inputmode="decimal"' in html
