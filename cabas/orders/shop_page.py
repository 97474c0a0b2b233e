"""The shop page's product list, rendered once per content and shared by every member and
every server process (the "default" cache), with each member's part filled in per request.

What is cached is the HTML of the category navigation and the products (photo, name,
producer, price...), cut at two places per product: its availability ("3 left", "sold out")
and its quantity form. The cache key is a digest of everything the list shows, read by one
query of plain values on every request (``selectors.shop_item_values``): a changed price,
name, photo, a product hidden or added, another language, another template, and the next
page is built anew; nothing is ever invalidated by hand, so nothing can be forgotten. The
counters (quantities ordered, shop stock) change with every order and are not in the key: the
availability and whether the form shows are written per request from the same query's live
values, as is each form (the member's quantity, the CSRF token, the page to come back to).
The order is checked again when placed anyway.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.cache import caches
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cabas.core import fragments
from cabas.core.forms import DecimalInput
from cabas.core.money import format_quantity
from cabas.core.quantities import field_unit_text
from cabas.sales.models import Sale

from . import selectors
from .pricing import remaining_quantity

LIST_TEMPLATE = "orders/includes/shop_list.html"
FILTERS_TEMPLATE = "orders/includes/shop_filters.html"
FORMAT = 1  # of the cached entry's structure
# Where the per-request parts go: written by the list's template around each product; the
# template escapes everything written by people, so their text can never contain "<!--".
SLOT = re.compile(r"<!--cabas:(stock|form):(\d+)-->")
SHOWN = len(selectors.SHOWN_VALUES)
UNIT_KIND = selectors.SHOWN_VALUES.index("product__unit_kind")


@dataclass
class ShopList:
    """The list cut at its slots: ``parts[0]``, slot 0, ``parts[1]``, slot 1, ..."""

    parts: list[str]
    slots: list[tuple[str, int]]
    forms: dict[int, tuple[str, str]] = field(default_factory=dict)  # item pk → not in basket


def quantity_form(
    product, *, action: str, hidden: str, in_basket: Decimal | None = None,
    basket_page: bool = False, error: str = "",
) -> str:  # fmt: skip
    """A product's quantity form (the shop, the product page, the basket), written in Python:
    the shop shows 150. ``hidden``: the CSRF and "next" fields, per request."""
    head, tail = quantity_form_parts(
        product, action=action, in_basket=in_basket, basket_page=basket_page, error=error
    )
    return mark_safe(head + hidden + tail)  # noqa: S308 (parts escaped by format_html)


def quantity_form_parts(
    product, *, action: str, in_basket: Decimal | None = None, basket_page: bool = False,
    error: str = "",
) -> tuple[str, str]:  # fmt: skip
    """The form before and after its per-request hidden fields."""
    pk = product.pk
    head = format_html(
        '<form id="qty-{}" class="quantity-form inline" method="post" action="{}" hx-post="{}"'
        ' hx-target="{}" hx-swap="outerHTML">',
        pk, action, action, "#basket-lines" if basket_page else "this",
    )  # fmt: skip
    attrs = {"id": f"q-{pk}", "size": 4}
    whole = product.unit_kind == "piece" or product.variable_weight
    if whole:
        attrs["inputmode"] = "numeric"
    shown = in_basket or product.min_quantity
    field = DecimalInput(attrs=attrs, whole=whole).html("quantity", shown)
    unit = product.unit
    tail = [
        format_html('<input type="hidden" name="product" value="{}">', pk),
        '<input type="hidden" name="context" value="basket">' if basket_page else "",
        format_html(
            '<label for="q-{}" class="visually-hidden">{}</label>',
            pk,
            _("Quantity of %(name)s") % {"name": product.name},
        ),  # fmt: skip
        field,
        f' <span class="field-unit">{escape(field_unit_text(unit, shown))}</span> ',  # a label
        format_html(
            '<button type="submit" class="button{}">{}</button>',
            "" if in_basket else " primary",
            _("Update") if in_basket else _("Add"),
        ),  # fmt: skip
    ]
    if in_basket and not basket_page:
        text = _("%(q)s in the basket") % {"q": format_quantity(in_basket, unit)}
        tail.append(format_html(' <span class="muted">{}</span>', text))
    if error:
        tail.append(format_html('<p class="errorlist" role="alert">{}</p>', error))
    return head, "".join(tail) + "</form>"


def hidden_fields(request) -> str:
    """The CSRF token and the page to come back to (without script), once per request."""
    return format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
        '<input type="hidden" name="next" value="{}">',
        get_token(request), request.get_full_path(),
    )  # fmt: skip


def _digest(template: str, *shown) -> str:
    """The key of what a template shows (``core.fragments.digest``), with this module's
    source: the forms are written here."""
    return fragments.digest(template, *shown, code=__file__)


def _key(request, sale: Sale, rows: list[tuple]) -> str:
    organisation = request.organisation
    digest = _digest(
        LIST_TEMPLATE, organisation.pk, organisation.slug, organisation.updated_at,
        settings.MEDIA_URL, [row[:SHOWN] for row in rows],
    )  # fmt: skip
    return f"orders:shop-list:{sale.pk}:{digest}"


def filter_form(request, *, form, producers: list, filtered: bool) -> str:
    """The search box and filters; as first shown (nothing searched yet), rendered once per
    language and list of producers, shared like the product list."""
    context = {"form": form, "filtered": filtered}
    if form.is_bound:
        return render_to_string(FILTERS_TEMPLATE, context, request=request)
    names = [(producer.pk, producer.name) for producer in producers]
    key = f"orders:shop-filters:{request.organisation.pk}:{_digest(FILTERS_TEMPLATE, names)}"
    return fragments.fragment(
        key, lambda: render_to_string(FILTERS_TEMPLATE, context, request=request)
    )


def _build(request, sale: Sale, items: list, rows: list[tuple]) -> ShopList:
    """Renders the list of ``items`` (model objects), cut at its slots."""
    html = render_to_string(
        LIST_TEMPLATE,
        {"sale": sale, "sections": selectors.shop_sections(items, selectors.BasketView(None)),
         "current_organisation": request.organisation},
    )  # fmt: skip
    pieces = SLOT.split(html)
    action = reverse("orders:basket_set", args=[request.organisation.slug, sale.pk])
    forms = {
        item.pk: quantity_form_parts(item.product, action=action)
        for item in items
    }  # fmt: skip
    return ShopList(
        parts=pieces[0::3],
        slots=[(kind, int(pk)) for kind, pk in zip(pieces[1::3], pieces[2::3], strict=True)],
        forms=forms,
    )


def shop_list(request, *, sale: Sale, filters: dict, basket: selectors.BasketView) -> tuple:
    """The list's HTML for this member, and how many products it shows. Built from the
    cache when nothing is filtered (searches are many and short: built each time)."""
    rows = selectors.shop_item_values(sale=sale, **filters)
    cached = None
    key = None
    if not any(filters.values()):
        key = _key(request, sale, rows)
        cached = _unpacked(caches["default"].get(key))
    if cached is None:
        items = list(selectors.shop_items(sale=sale, **filters))
        cached = _build(request, sale, items, rows)
        if key:  # plain types: a later version of this module reads them or rebuilds
            packed = (FORMAT, cached.parts, cached.slots, cached.forms)
            caches["default"].set(key, packed, fragments.SECONDS)
    return _fill(request, sale, cached, rows, basket), len(rows)


def _unpacked(packed) -> ShopList | None:
    if not (isinstance(packed, tuple) and len(packed) == 4 and packed[0] == FORMAT):
        return None
    return ShopList(parts=packed[1], slots=packed[2], forms=packed[3])


def _fill(request, sale, cached: ShopList, rows, basket: selectors.BasketView) -> SafeString:
    live = {row[0]: row[SHOWN:] + (row[UNIT_KIND],) for row in rows}
    in_basket = {row.item.pk: row for row in basket.rows}
    hidden = hidden_fields(request)
    action = reverse("orders:basket_set", args=[request.organisation.slug, sale.pk])
    out = [cached.parts[0]]
    for (kind, pk), after in zip(cached.slots, cached.parts[1:], strict=True):
        values = live.get(pk)
        if values is not None:
            available, ordered, stock_mode, stock_quantity, unit_kind = values
            if kind == "stock":
                label = selectors.stock_label_of_values(
                    quantity_available=available, quantity_ordered=ordered,
                    stock_mode=stock_mode, stock_quantity=stock_quantity, unit_kind=unit_kind,
                )  # fmt: skip
                if label:
                    out.append(f" · <strong>{conditional_escape(label)}</strong>")
            elif not _sold_out(values):
                row = in_basket.get(pk)
                if row is not None:
                    out.append(
                        quantity_form(
                            row.item.product, action=action, hidden=hidden, in_basket=row.quantity
                        )  # fmt: skip
                    )
                else:
                    head, tail = cached.forms[pk]
                    out.append(head + hidden + tail)
        out.append(after)
    return mark_safe("".join(out))  # noqa: S308 (rendered by templates, forms escaped)


def _sold_out(values: tuple) -> bool:
    available, ordered, stock_mode, stock_quantity, _unit_kind = values
    remaining = remaining_quantity(
        quantity_available=available, quantity_ordered=ordered,
        stock_mode=stock_mode, stock_quantity=stock_quantity,
    )  # fmt: skip
    return remaining is not None and remaining <= 0
