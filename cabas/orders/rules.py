"""The rules a quantity and a member must meet, shared by the basket and the order."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.catalog.models import Product
from cabas.core.money import format_quantity, parse_decimal
from cabas.money import selectors as money_selectors
from cabas.orgs.models import Organisation
from cabas.work import selectors_shifts

from . import errors

# The most one order line holds: a household's weekly order, not a wholesale one, so a slip
# of the thumb on a phone ("99,999" kg for "0,999") is refused before it reaches the producer.
# A product whose own minimum is higher can always be ordered at that minimum.
LINE_MAXIMUM = {
    Product.UnitKind.PIECE: Decimal("100"),
    Product.UnitKind.WEIGHT: Decimal("50"),
    Product.UnitKind.VOLUME: Decimal("50"),
}


def line_maximum(product: Product) -> Decimal:
    """The most of ``product`` one order holds (``LINE_MAXIMUM`` by its unit, pieces for a
    variable weight, which is counted in pieces; at least the product's own minimum)."""
    kind = Product.UnitKind.PIECE if product.variable_weight else product.unit_kind
    most = LINE_MAXIMUM.get(kind, LINE_MAXIMUM[Product.UnitKind.PIECE])
    return max(most, product.min_quantity or most)


def quantity_check(product: Product, quantity: Decimal) -> None:
    """Pieces are whole numbers; by weight or volume, multiples of the product's step; never
    below its minimum nor above ``line_maximum`` (every way a line quantity enters: the
    basket, checkout, an order's change, the API, a coordinator's added line)."""
    name = product.name
    if quantity <= 0:
        raise errors.QuantityInvalid(product=name, reason=_("enter a quantity above zero."))
    most = line_maximum(product)
    if quantity > most:
        raise errors.QuantityInvalid(product=name, reason=_maximum_reason(product, most))
    if product.unit_kind == Product.UnitKind.PIECE or product.variable_weight:
        if quantity != quantity.to_integral_value():
            raise errors.QuantityInvalid(
                product=name, reason=_("sold per piece, in whole numbers.")
            )
    if quantity < product.min_quantity:
        smallest = _in_its_unit(product, product.min_quantity, counted=True)
        raise errors.QuantityInvalid(
            product=name, reason=_("the smallest quantity is %(min)s.") % {"min": smallest}
        )
    if product.quantity_step and quantity % product.quantity_step != 0:
        step = _in_its_unit(product, product.quantity_step)
        raise errors.QuantityInvalid(
            product=name, reason=_("in steps of %(step)s.") % {"step": step}
        )


def _in_its_unit(product: Product, quantity: Decimal, *, counted: bool = False) -> str:
    """A quantity in the unit its field counts: "0,5 kg", "0,5 L" (never "500 g": the field
    beside says kg); pieces ``counted`` with their unit ("2 pièces", "2 × 75 cl"), else bare."""
    if product.unit_kind == Product.UnitKind.WEIGHT and not product.variable_weight:
        return f"{format_quantity(quantity)}\u00a0kg"
    if product.unit_kind == Product.UnitKind.VOLUME:
        return f"{format_quantity(quantity)}\u00a0L"
    return format_quantity(quantity, product.unit) if counted else format_quantity(quantity)


def _maximum_reason(product: Product, most: Decimal) -> str:
    shown = format_quantity(most)
    if product.unit_kind == Product.UnitKind.WEIGHT and not product.variable_weight:
        return _("at most %(max)s kg per order.") % {"max": shown}
    if product.unit_kind == Product.UnitKind.VOLUME:
        return _("at most %(max)s L per order.") % {"max": shown}
    return _("at most %(max)s per order.") % {"max": shown}


# A quantity a client sends as text in the API: at most 7 digits before the decimal point (a
# dot or a comma) and 3 after (the API's schema states it). A person may type more decimals
# ("0,0001" kg): it is a number, and ``quantity_check`` says the product's smallest quantity
# and step (every step has at most 3 decimals, so such a number is always refused there).
QUANTITY_TEXT = re.compile(r"^[0-9]{1,7}([.,][0-9]{1,3})?$")
QUANTITY_MAX = Decimal("10000000")


def parse_quantity(text) -> Decimal:
    """A quantity typed by a person or sent by a client, read by core's one parser ("0,5" and
    "0.5" are 0.5); a negative, more than 7 digits, or no number at all ("1e400", "abc") is
    refused with the same message. Its decimals are the product's rule (``quantity_check``)."""
    quantity = parse_decimal(text)
    if quantity is None or quantity < 0 or quantity >= QUANTITY_MAX:
        shown = str(text).strip()[:20]
        raise errors.InvalidOrder(_("“%(text)s” is not a quantity.") % {"text": shown})
    return quantity


def member_check(*, user, organisation: Organisation, now=None) -> None:
    """Members-only organisations take orders from active members only, whose membership
    fee, when there is one, is paid for the current year. Where the organisation asks for it
    (``WorkSettings.shift_status_required``), a member suspended from the shifts may not order
    either (the statuses that block: ``selectors_shifts.ORDERING_BLOCKED``)."""
    if organisation.members_only:
        status = money_selectors.member_status(organisation=organisation, user=user)
        if status is None:
            raise errors.NotAMember()
        if status != money_selectors.MEMBERSHIP_ACTIVE:
            raise errors.MembershipNotPaid()
    blocked = selectors_shifts.ordering_blocked_status(
        organisation=organisation, user=user, now=now or timezone.now()
    )
    if blocked is not None:
        raise errors.ShiftStatusBlocked(status=selectors_shifts.STATUS_WORDS[blocked])
