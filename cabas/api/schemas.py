"""What the API reads and writes. Amounts and quantities are decimal strings ("4.20")."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from ninja import Field, Path, Schema
from pydantic import BeforeValidator

from cabas.core.params import ID_MAX
from cabas.orders.services import QUANTITY_TEXT


def _quantity(value):
    """A number, or a string with a dot or a comma ("1,5")."""
    if isinstance(value, str):
        return value.strip().replace(",", ".")
    return value


def _quantity_schema(schema: dict) -> None:
    """What the server takes, in standard JSON Schema words: above zero, at most 7 digits
    before the decimal point and 3 after (a number, or a string with a dot or a comma)."""
    schema.clear()
    schema.update(
        anyOf=[
            {"type": "number", "exclusiveMinimum": 0, "maximum": 9999999.999},
            {"type": "string", "pattern": QUANTITY_TEXT.pattern},
        ],
        description="Above zero; at most 7 digits before the decimal point and 3 after.",
        examples=["1.5"],
    )


Quantity = Annotated[
    Decimal,
    BeforeValidator(_quantity),
    Field(
        gt=0,
        max_digits=10,
        decimal_places=3,
        allow_inf_nan=False,
        json_schema_extra=_quantity_schema,
    ),
]

# A database id: what the server can look up (a larger number is refused, not searched).
Id = Annotated[int, Field(ge=1, le=ID_MAX)]
PathId = Annotated[int, Path(ge=1, le=ID_MAX)]

# --- Errors -----------------------------------------------------------------------------------


class ErrorBody(Schema):
    code: str = Field(examples=["out_of_stock"])
    message: str
    fields: dict[str, str] = Field(default_factory=dict)
    detail: dict[str, str] = Field(
        default_factory=dict, description="The values named in the message, e.g. product, left."
    )


class Error(Schema):
    error: ErrorBody


# --- Tokens ------------------------------------------------------------------------------------


class TokenIn(Schema):
    email: str = Field(max_length=254)
    password: str = Field(max_length=4096)
    name: str = Field("", max_length=100, description="To recognise the token in the profile.")


class TokenOut(Schema):
    token: str = Field(description="The secret, shown only this once.")
    token_id: int


# --- Sales, catalog, slots ---------------------------------------------------------------------


class PickupOut(Schema):
    id: int
    name: str
    address: str
    town: str
    starts_at: datetime
    ends_at: datetime
    has_slots: bool


class SaleOut(Schema):
    id: int
    title: str
    opens_at: datetime
    closes_at: datetime
    note_to_members: str
    pickups: list[PickupOut]


class CatalogItemOut(Schema):
    product_id: int
    name: str
    producer: str
    category: str
    unit_kind: str
    unit_label: str
    content_quantity: str | None = Field(
        description="Net content of one piece (e.g. 75), null when none."
    )
    content_unit: str = Field(description="Unit of the content: g, kg, ml, cl or l.")
    content_count: int = Field(description="Items per pack (6 for 6 × 33 cl), else 1.")
    price: str = Field(description="Price of one unit incl. VAT (estimated for variable weight).")
    reference_price: str | None = Field(
        description="Price per kg or per litre incl. VAT (computed from the content)."
    )
    reference_unit: str = Field(description='"kg" or "L" (empty without a reference price).')
    price_per_kg: str | None
    variable_weight: bool
    vat_rate: str
    quantity_remaining: str | None = Field(description="null when unlimited.")
    sold_out: bool
    min_quantity: str
    quantity_step: str | None
    is_organic: bool


class SlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime
    capacity: int
    places_left: int
    bookable: bool


class PickupSlotsOut(PickupOut):
    places_left: int | None = Field(description="For a pickup without slots; null: unlimited.")
    bookable: bool
    slots: list[SlotOut]


# --- Orders ------------------------------------------------------------------------------------


class LineIn(Schema):
    product_id: Id
    quantity: Quantity


class OrderChangeIn(Schema):
    pickup_id: Id
    slot_id: Id | None = None
    lines: list[LineIn] = Field(min_length=1, max_length=500)
    note: str | None = Field(None, max_length=2000)


class OrderIn(OrderChangeIn):
    sale_id: Id


class OrderSlotOut(Schema):
    id: int
    starts_at: datetime
    ends_at: datetime


class OrderLineOut(Schema):
    product_id: int
    name: str
    quantity: str
    unit_price: str
    vat_rate: str
    amount: str


class OrderOut(Schema):
    id: uuid.UUID = Field(description="The order's code.")
    number: int | None
    sale_id: int
    status: str
    total: str
    note: str
    pickup: PickupOut
    slot: OrderSlotOut | None
    lines: list[OrderLineOut]
    created_at: datetime
    cancelled_at: datetime | None
