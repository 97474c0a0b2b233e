"""Purchase prices as people read them: like ``money`` (“0,70 €”), with the four decimals a
wholesaler's carton price needs when it has them (“0,6958 €”)."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from cabas.core.money import CURRENCY_PATTERNS, format_money

register = template.Library()

CENT = Decimal("0.01")


@register.filter(is_safe=True)
def unit_price(value) -> str:
    if value is None or value == "":
        return ""
    number = Decimal(str(value))
    if number == number.quantize(CENT):
        return format_money(number)
    places = -number.normalize().as_tuple().exponent
    digits = number_format(abs(number), places, use_l10n=True, force_grouping=True)
    language = (get_language() or "fr").split("-")[0]
    shown = CURRENCY_PATTERNS.get(language, CURRENCY_PATTERNS["fr"]).format(amount=digits)
    return f"-{shown}" if number < 0 else shown
