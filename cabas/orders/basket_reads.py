"""The basket as the shop, the basket page and the checkout show it: its lines with their
product, today's prices (an order being changed keeps its frozen ones) and the total."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache, cached_property

from django.db import connection

from cabas.core import rows
from cabas.core.money import ZERO
from cabas.sales.models import SaleItem

from .models import Basket, BasketLine, OrderLine
from .pricing import line_amount, unit_price


@dataclass
class BasketRow:
    item: SaleItem
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    estimated: bool


@dataclass
class BasketView:
    basket: Basket | None
    rows: list[BasketRow] = field(default_factory=list)
    total: Decimal = ZERO

    @property
    def has_estimates(self) -> bool:
        return any(row.estimated for row in self.rows)

    @property
    def count(self) -> int:
        return len(self.rows)

    @cached_property
    def _quantities(self) -> dict[int, Decimal]:
        # Read once basket_view has returned, with every row in: one lookup per shop item.
        return {row.item.pk: row.quantity for row in self.rows}

    def quantity_of(self, item_id: int) -> Decimal | None:
        return self._quantities.get(item_id)

    def quantity_of_product(self, product_id: int | None) -> Decimal | None:
        row = self.row_of_product(product_id)
        return None if row is None else row.quantity

    def row_of_product(self, product_id: int | None) -> BasketRow | None:
        return next((row for row in self.rows if row.item.product_id == product_id), None)


def basket_view(basket: Basket | None) -> BasketView:
    """The basket's lines with today's prices (an order being changed keeps its frozen
    prices) and the running total; two queries."""
    if basket is None:
        return BasketView(None)
    frozen = {}
    if basket.order_id:
        frozen = dict(
            OrderLine.objects.filter(order_id=basket.order_id).values_list(
                "sale_item_id", "unit_price"
            )
        )
    view = BasketView(basket)
    for line, item, product in _basket_rows(basket.pk):
        price = frozen.get(line.sale_item_id) or unit_price(product)
        amount = line_amount(price, line.quantity)
        view.rows.append(BasketRow(item, line.quantity, price, amount,
                                   product.variable_weight))  # fmt: skip
        view.total += amount
    return view


def _basket_rows(basket_id: int) -> list[tuple]:
    """(line, sale item, product) of the basket's lines by product name, the product's
    producer cached on it: what ``select_related("sale_item__product__producer")`` gives, in
    a plain statement (read on every shop page, basket change and checkout)."""
    with connection.cursor() as cursor:
        cursor.execute(_basket_rows_statement(), [basket_id])
        found = cursor.fetchall()
    models = _basket_rows_models()
    result = []
    for row in found:
        line, item, product, producer = rows.instances(row, models)
        product.producer = producer
        item.product = product
        line.sale_item = item
        result.append((line, item, product))
    return result


@cache
def _basket_rows_models() -> tuple:
    product = SaleItem._meta.get_field("product").related_model
    return (BasketLine, SaleItem, product, product._meta.get_field("producer").related_model)


@cache
def _basket_rows_statement() -> str:
    models = _basket_rows_models()
    lines, items, products, producers = (
        connection.ops.quote_name(model._meta.db_table) for model in models
    )
    selected = ", ".join(
        rows.columns(model, alias) for model, alias in zip(models, "lipr", strict=True)
    )
    return (
        f"SELECT {selected} FROM {lines} l"  # noqa: S608
        f" JOIN {items} i ON i.id = l.sale_item_id"
        f" JOIN {products} p ON p.id = i.product_id"
        f" JOIN {producers} r ON r.id = p.producer_id"
        " WHERE l.basket_id = %s ORDER BY p.name, l.id"
    )


def basket_lines(basket: Basket | None) -> list[tuple[int, Decimal]]:
    """What the basket holds, as an order's lines: (product id, quantity), by product name;
    one light query (no model objects)."""
    if basket is None:
        return []
    return list(
        BasketLine.objects.filter(basket=basket)
        .order_by("sale_item__product__name", "pk")
        .values_list("sale_item__product_id", "quantity")
    )
