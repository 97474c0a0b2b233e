"""Reads of the catalog, scoped by organisation."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import CharField, FilteredRelation, Prefetch, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cabas.core.money import format_quantity
from cabas.core.search import search_words

from . import categories
from .models import DEFAULT_VAT_RATES, Producer, ProducerLink, Product, VatRate


def vat_rates(*, organisation) -> list[Decimal]:
    """The organisation's VAT rates, or the French defaults when it has not set any."""
    rates = list(VatRate.objects.filter(organisation=organisation).values_list("rate", flat=True))
    return sorted(rates) if rates else list(DEFAULT_VAT_RATES)


FOOD_VAT_RATE = Decimal("5.50")


def default_vat_rate(rates: list[Decimal]) -> Decimal:
    """The rate a product gets when its file gives none (an Open Food Network line with an
    empty tax category): the French food rate, 5.5 %, when the organisation uses it, else
    its lowest rate. ``rates`` are the organisation's (``vat_rates``)."""
    return FOOD_VAT_RATE if FOOD_VAT_RATE in rates else min(rates)


def producer_links(*, organisation) -> QuerySet[ProducerLink]:
    return ProducerLink.objects.filter(organisation=organisation).select_related("producer")


def producers_of(*, organisation) -> QuerySet[Producer]:
    return Producer.objects.filter(links__organisation=organisation).order_by("name")


def product_list(
    *,
    organisation,
    producer: Producer | None = None,
    search: str = "",
    category: str = "",
    active: bool | None = None,
) -> QuerySet[Product]:
    """Products of an organisation (of one producer when given), filtered, producer loaded."""
    products = Product.objects.filter(organisation=organisation).select_related("producer")
    if producer is not None:
        products = products.filter(producer=producer)
    if search:
        products = products.filter(product_search_q(search) | Q(reference__icontains=search))
    if category and categories.is_valid(category):
        products = products.filter(category__in=categories.codes_in_family(category))
    if active is not None:
        products = products.filter(is_active=active)
    return products.order_by("producer__name", "name", "pk")


def product_search_q(query: str, *, prefix: str = "") -> Q:
    """Products whose name, description or producer has every word of ``query`` at the start
    of one of its words, whatever the accents, the case and the plural ("chevre" finds
    "Chèvre", "oeufs" finds "Œufs", "pomme de terre" finds "Pommes de terre"); the same SQL
    on SQLite and PostgreSQL (core.search). ``prefix`` reaches the product through a relation
    ("product__")."""
    condition = Q()
    for word in dict.fromkeys(search_words(query)):
        condition &= Q(**{f"{prefix}search_text__contains": f" {word}"})
    return condition


def stock_label(product: Product) -> str:
    """What a member reads about the shop stock: "3 left", "sold out", or nothing."""
    return stock_label_of(product.stock_mode, product.stock_quantity, product.unit_kind)


def stock_label_of(stock_mode: str, stock_quantity: Decimal | None, unit_kind: str) -> str:
    """``stock_label`` from plain values (the shop page reads rows of values)."""
    if stock_mode != Product.StockMode.SHOP or stock_quantity is None:
        return ""
    if stock_quantity <= 0:
        return _("sold out")
    return left_label_of(unit_kind, stock_quantity)


# What a quantity by weight or volume counts, after the number ("9,5 kg left").
_UNIT_OF_KIND = {Product.UnitKind.WEIGHT: "kg", Product.UnitKind.VOLUME: "L"}


def left_label(product: Product, left: Decimal) -> str:
    """ "3 left", "9,5 kg left": a positive quantity left, localised, with its kg or L."""
    return left_label_of(product.unit_kind, left)


def left_label_of(unit_kind: str, left: Decimal) -> str:
    """``left_label`` from the product's unit kind."""
    left = left.normalize()
    count = int(left) if left == left.to_integral_value() else 2
    unit = _UNIT_OF_KIND.get(unit_kind)
    shown = f"{format_quantity(left)}\u00a0{unit}" if unit else format_quantity(left)
    return ngettext("%(left)s left", "%(left)s left", count) % {"left": shown}


def public_producers(*, organisation, day) -> list[Producer]:
    """Producers supplying the organisation on ``day``, each with ``public_products`` (its
    active products, by name): two queries whatever their number."""
    active_products = Product.objects.filter(organisation=organisation, is_active=True).order_by(
        "category", "name"
    )
    return list(
        Producer.objects.filter(
            links__in=ProducerLink.objects.for_organisation(organisation).supplying_on(day)
        )
        .prefetch_related(Prefetch("products", active_products, to_attr="public_products"))
        .order_by("name")
    )


PUBLIC_PRODUCER_VALUES = ("pk", "updated_at", "name", "is_organic", "labels", "description")
PUBLIC_PRODUCT_VALUES = (
    "pk", "updated_at", "name", "category", "is_organic", "price", "price_per_kg", "unit_kind",
    "unit_label", "content_quantity", "content_unit", "content_count", "variable_weight",
    "estimated_weight_kg",
)  # fmt: skip


def public_producer_values(*, organisation, day) -> list[tuple]:
    """What ``public_producers`` shows, as plain values in one query whatever the number of
    products (a producer without an active product is one row of ``None`` after its own):
    the key of the public page's cached list (``updated_at`` read as text, only to tell a
    change)."""
    products = FilteredRelation(
        "products", condition=Q(products__organisation=organisation, products__is_active=True)
    )
    columns = [
        *(Cast(name, CharField()) if name == "updated_at" else name
          for name in PUBLIC_PRODUCER_VALUES),
        *(Cast(f"shown__{name}", CharField()) if name == "updated_at" else f"shown__{name}"
          for name in PUBLIC_PRODUCT_VALUES),
    ]  # fmt: skip
    return list(
        Producer.objects.filter(
            links__in=ProducerLink.objects.for_organisation(organisation).supplying_on(day)
        )
        .annotate(shown=products)
        .order_by("name", "pk", "shown__category", "shown__name", "shown__pk")
        .values_list(*columns)
    )
