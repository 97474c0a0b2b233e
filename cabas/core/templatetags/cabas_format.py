"""The ``money`` and ``quantity`` template filters: the one way a template shows an amount or a
quantity to a person, localised (see ``cabas.core.money``).

    {{ order.total|money }}        → "12,50 €" in French, "€12.50" in English
    {{ line.quantity|quantity }}   → "0,5", "1,25", "2" (no trailing zeros)
    {{ line.quantity|quantity:line.unit }} → "4 × 250 g", "3 bottes", "1,2 kg" (with its unit)

This library is registered as a template builtin (``TEMPLATES[0]["OPTIONS"]["builtins"]`` in
``config/settings.py``), so templates use the filters without ``{% load cabas_format %}`` (the
load tag still works). Never use them inside an HTML attribute, a URL or JSON: numbers a machine
reads stay locale-independent (``|floatformat:"-3u"``, ``|unlocalize``, ``|stringformat``)."""

from django import template

from cabas.core.money import format_money, format_quantity

register = template.Library()


@register.filter(is_safe=True)
def money(value) -> str:
    return format_money(value)


@register.filter(is_safe=True)
def quantity(value, unit=None) -> str:
    return format_quantity(value, unit)
