"""Purchase prices as a person reads them: a wholesaler's unit price keeps its four decimals
when it has them (8,35 € the 12 → "0,6958 €"), and reads as any amount otherwise ("2,40 €")."""

from decimal import Decimal

from django import template

from cabas.core.money import CURRENCY_PATTERNS, format_money

register = template.Library()
FOUR_PLACES = Decimal("0.0001")


def format_unit_price(value) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(value).quantize(FOUR_PLACES)
    if number == number.quantize(Decimal("0.01")):
        return format_money(number)
    from django.utils.formats import number_format
    from django.utils.translation import get_language

    places = 3 if number == number.quantize(Decimal("0.001")) else 4
    language = (get_language() or "fr").split("-")[0]
    pattern = CURRENCY_PATTERNS.get(language, CURRENCY_PATTERNS["fr"])
    shown = pattern.format(amount=number_format(abs(number), places, use_l10n=True))
    return f"-{shown}" if number < 0 else shown


@register.filter(is_safe=True)
def unit_price(value) -> str:
    return format_unit_price(value)
