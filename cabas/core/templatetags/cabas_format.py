"""The template side of ``cabas.core.money``: the one way a template shows an amount or a
quantity to a person (localised), writes a number a machine reads (plain), or offers a decimal
field a person types into.

    {{ order.total|money }}        → "12,50 €" in French, "€12.50" in English
    {{ line.quantity|quantity }}   → "0,5", "1,25", "2" (no trailing zeros)
    {{ line.quantity|quantity:line.unit }} → "4 × 250 g", "3 bottes", "1,2 kg" (with its unit)
    {{ product.vat_rate|percent }} → "5,5 %"
    {{ sale.day|date:"j F Y" }}    → "1er juin 2026" (Django's filter, with French's first day)
    {{ week.orders|count }}        → "1 439" (a count of things, thousands grouped)
    data-step="{{ step|plain }}"   → "0.5" in every language (attributes, URLs, JSON)
    placeholder="{{ weight|typed }}" → "1,6": a decimal field's hint, as the person types it
    {% decimal_input "quantity" line.quantity id="q-1" %}
                                   → a text field, value="0,5" in French, that takes "0,5" or "0.5"

This library is registered as a template builtin (``TEMPLATES[0]["OPTIONS"]["builtins"]`` in
``config/settings.py``), so templates use it without ``{% load cabas_format %}`` (the load tag
still works). Never use ``money``/``quantity``/``percent``/``count`` inside an HTML attribute,
a URL or JSON: numbers a machine reads stay locale-independent (``plain``)."""

from decimal import Decimal

from django import template

from cabas.core.dates import date_text
from cabas.core.forms import DecimalInput
from cabas.core.money import (
    format_count,
    format_money,
    format_percent,
    format_quantity,
    plain_quantity,
    typed_number,
)

register = template.Library()


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    """Django's ``date`` filter, written by ``cabas.core.dates.date_text``: « 1er juin 2026 »
    in French. It replaces Django's in every template (this library is a builtin loaded after
    Django's own)."""
    if value in (None, ""):
        return ""
    try:
        return date_text(value, arg)
    except AttributeError:
        return ""


@register.filter(is_safe=True)
def money(value) -> str:
    return format_money(value)


@register.filter(is_safe=True)
def money_unsigned(value) -> str:
    """An amount without its sign, where the words say which way it goes (« À payer :
    3,60 € », « dû : 12,00 € »): the money formatter writes a minus sign, not a hyphen."""
    return format_money(abs(value) if isinstance(value, int | float | Decimal) else value)


@register.filter(is_safe=True)
def unit_price(value) -> str:
    """A purchase price per unit: ``money`` with up to four decimals where it has them
    (8,35 € the 12 → "0,6958 €"; 2.4 → "2,40 €")."""
    return format_money(value, places=4)


@register.filter(is_safe=True)
def quantity(value, unit=None) -> str:
    return format_quantity(value, unit)


@register.filter(is_safe=True)
def percent(value) -> str:
    return format_percent(value)


@register.filter(is_safe=True)
def count(value) -> str:
    return format_count(value)


@register.filter(is_safe=True)
def plain(value) -> str:
    return plain_quantity(value)


@register.filter(is_safe=True)
def typed(value) -> str:
    """A number in a decimal field a person edits (its placeholder), as they type it."""
    return typed_number(value)


@register.simple_tag
def decimal_input(name, value, places=None, **attrs):
    """The field of core.forms.DecimalInput written by hand in a template: the attributes are
    the keyword arguments (``id="w-3" size=6 form="quick-3"``); ``places=2`` for amounts."""
    return DecimalInput(attrs=attrs, places=places).html(name, value)
