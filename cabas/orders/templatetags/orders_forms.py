"""``{% quantity_form product in_basket %}``: a product's quantity form (orders.shop_page
writes it, the same for the shop, the product page and the basket)."""

from django import template
from django.urls import reverse

from cabas.orders.shop_page import hidden_fields
from cabas.orders.shop_page import quantity_form as build

register = template.Library()


@register.simple_tag(takes_context=True)
def quantity_form(context, product, in_basket=None, basket_page=False, error=""):
    request = context["request"]
    action = reverse(
        "orders:basket_set", args=[context["current_organisation"].slug, context["sale"].pk]
    )
    return build(
        product, action=action, hidden=hidden_fields(request), in_basket=in_basket,
        basket_page=basket_page, error=error or "",
    )  # fmt: skip
