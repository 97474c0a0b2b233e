"""The one money and the one quantity formatter (Python functions and template filters):
localised for people, plain for machines."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from cabas.core.money import (
    format_count,
    format_money,
    format_percent,
    format_quantity,
    parse_decimal,
    plain_number,
    plain_quantity,
)

D = Decimal
NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "french", "english"),
    [
        (D("12.5"), f"12,50{NBSP}€", "€12.50"),
        (D("0"), f"0,00{NBSP}€", "€0.00"),
        (D("0.005"), f"0,01{NBSP}€", "€0.01"),  # rounded half up, like a till
        (D("-3"), f"\u22123,00{NBSP}€", "\u2212€3.00"),
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
        (D("1500"), "1500", "1500", "1500"),  # four digits: not grouped
        (D("12000.5"), f"12{NBSP}000,5", "12,000.5", "12000.5"),
        (D("9999999.999"), f"9{NBSP}999{NBSP}999,999", "9,999,999.999", "9999999.999"),
        (3, "3", "3", "3"),
        # A shift counter owing one, a stock taken out: the minus sign, as amounts.
        (D("-1"), "\u22121", "\u22121", "-1"),
        (D("-2.500"), "\u22122,5", "\u22122.5", "-2.5"),
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


@pytest.mark.parametrize(
    ("amount", "french", "english"),
    [
        (D("1001.16"), f"1{NBSP}001,16{NBSP}€", "€1,001.16"),
        (D("-12345.5"), f"\u221212{NBSP}345,50{NBSP}€", "\u2212€12,345.50"),
        (D("999.99"), f"999,99{NBSP}€", "€999.99"),
    ],
)
def test_money_groups_thousands(amount, french, english):
    with translation.override("fr"):
        assert format_money(amount) == french
    with translation.override("en"):
        assert format_money(amount) == english


def test_rates_read_as_percentages():
    with translation.override("fr"):
        assert [format_percent(rate) for rate in (D("5.50"), D("20.00"), D("2.10"))] == [
            f"5,5{NBSP}%",
            f"20{NBSP}%",
            f"2,1{NBSP}%",
        ]
    assert format_percent(None) == ""


def test_a_rounded_zero_has_no_sign():
    with translation.override("fr"):
        assert format_percent(D("-0")) == f"0{NBSP}%"  # a trend of -0.3 % rounded
        assert format_quantity(D("-0.000")) == "0"


def test_counts_always_group_thousands():
    with translation.override("fr"):
        assert [format_count(n) for n in (7, 1439, 12000, None)] == [
            "7",
            f"1{NBSP}439",
            f"12{NBSP}000",
            "",
        ]
        shown = Template("{{ orders|count }} commandes").render(Context({"orders": 1439}))
        assert shown == f"1{NBSP}439 commandes"
    with translation.override("en"):
        assert format_count(1439) == "1,439"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("0,5", D("0.5")),
        ("0.5", D("0.5")),
        ("1,5", D("1.5")),
        ("2", D("2")),
        (" 1,25 ", D("1.25")),
        (",5", D("0.5")),
        ("1 000,50", D("1000.50")),
        (f"1{NBSP}001,16", D("1001.16")),
        ("-3,5", D("-3.5")),
        (D("4.2"), D("4.2")),
        (3, D("3")),
    ],
)
def test_numbers_are_read_with_a_comma_or_a_point(text, number):
    assert parse_decimal(text) == number


@pytest.mark.parametrize(
    "text", ["", " ", "abc", "1,2,3", "1.000,5", "1e5", "1E400", "NaN", "Infinity", "1,", "--1",
             "0x10", "½", "1" * 41, None, True],
)  # fmt: skip
def test_anything_else_is_no_number(text):
    assert parse_decimal(text) is None


def test_numbers_for_fields_are_plain_and_amounts_keep_their_cents():
    assert [plain_number(D(v)) for v in ("0.500", "40.000", "1.200", "3.10")] == [
        "0.5",
        "40",
        "1.2",
        "3.1",
    ]
    assert [plain_number(D(v), 2) for v in ("3.10", "3.00", "12.5", "1001.16")] == [
        "3.10",
        "3",
        "12.50",
        "1001.16",
    ]
    assert plain_number(None) == plain_number("", 2) == ""


def test_the_plain_filter_and_the_decimal_field_tag():
    template = Template(
        '<meter value="{{ left|plain }}">{{ left|quantity }}</meter>'
        '{% decimal_input "weighed_kg" weight id="w-1" size=6 %}'
        '{% decimal_input "price" price places=2 %}'
    )
    with translation.override("fr"):
        shown = template.render(Context({"left": D("9.500"), "weight": D("1.200"), "price": 3.1}))
    assert shown.startswith('<meter value="9.5">9,5</meter>')
    assert 'name="weighed_kg" value="1,2" inputmode="decimal"' in shown
    assert 'id="w-1" size="6"' in shown
    assert 'name="price" value="3,10"' in shown
    assert 'type="number"' not in shown


def test_a_refusal_shows_its_numbers_in_french():
    from cabas.core.errors import Amount, DomainError

    error = DomainError("%(left)s left, %(amount)s, %(count)s", left=D("9.500"),
                        amount=Amount("12.50"), count=3)  # fmt: skip
    with translation.override("fr"):
        assert str(error) == f"9,5 left, 12,50{NBSP}€, 3"
    assert error.params["left"] == D("9.500")  # the API keeps the plain value
    assert str(error.params["amount"]) == "12.50"
    # Large numbers by the same formatters: thousands grouped, the amount with its sign.
    large = DomainError("%(left)s, %(amount)s", left=D("25000.000"), amount=Amount("99999999.99"))
    with translation.override("fr"):
        assert str(large) == f"25{NBSP}000, 99{NBSP}999{NBSP}999,99{NBSP}€"
    with translation.override("en"):
        assert str(large) == "25,000, €99,999,999.99"


def test_a_refusal_never_writes_a_quantity_as_money():
    """Only a value marked Amount where the error is raised is money: a quantity typed with
    two decimals ("2,50 kg", "0,25 kg") stays a quantity."""
    from cabas.core.errors import Amount, DomainError

    error = DomainError("%(weight)s kg, %(left)s, %(amount)s", weight=D("0.25"),
                        left=D("2.50"), amount=Amount("3"))  # fmt: skip
    with translation.override("fr"):
        assert str(error) == f"0,25 kg, 2,5, 3,00{NBSP}€"


@pytest.mark.parametrize(
    ("amount", "french", "english"),
    [
        (D("0.6958"), f"0,6958{NBSP}€", "€0.6958"),  # 8,35 € the 12
        (D("0.695"), f"0,695{NBSP}€", "€0.695"),
        (D("1.2000"), f"1,20{NBSP}€", "€1.20"),  # no decimals it does not have
        (D("1234.56789"), f"1{NBSP}234,5679{NBSP}€", "€1,234.5679"),
        (None, "", ""),
    ],
)
def test_a_unit_price_keeps_up_to_four_decimals(amount, french, english):
    template = Template("{{ amount|unit_price }}")
    with translation.override("fr"):
        assert format_money(amount, places=4) == french
        assert template.render(Context({"amount": amount})) == french
    with translation.override("en"):
        assert format_money(amount, places=4) == english


def test_money_unsigned_leaves_the_direction_to_the_words():
    from cabas.core.templatetags.cabas_format import money_unsigned

    with translation.override("fr"):
        assert money_unsigned(D("-3.6")) == f"3,60{NBSP}€"
        assert money_unsigned(D("3.6")) == f"3,60{NBSP}€"
        assert money_unsigned(None) == format_money(None)
