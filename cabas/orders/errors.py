"""What can refuse an order, with the codes the web pages and the API share."""

from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError


class SaleClosed(DomainError):
    code = "sale_closed"
    default_message = _("This sale is closed: orders can no longer be placed or changed.")


class OutOfStock(DomainError):
    code = "out_of_stock"
    default_message = _("Not enough “%(product)s” left: %(left)s available.")


class SlotFull(DomainError):
    code = "slot_full"
    default_message = _("This time slot is full; choose another one.")


class SlotTooLate(DomainError):
    code = "slot_full"
    default_message = _("This time slot can no longer be booked; choose a later one.")


class BelowMinimum(DomainError):
    code = "below_minimum"
    default_message = _("The minimum order is %(minimum)s; your basket is %(total)s.")


class NotAMember(DomainError):
    code = "not_a_member"
    default_message = _(
        "Only members with an active membership can order here. Ask to join, or renew your "
        "membership, from the organisation's page."
    )


class MembershipNotPaid(DomainError):
    code = "not_a_member"
    default_message = _(
        "Your membership has expired or this year's fee is not paid yet: renew it (at the "
        "next pickup, or ask a coordinator) to order again."
    )


class ShiftStatusBlocked(NotAMember):
    """A coop member suspended from the shifts, where only members up to date may order (a
    kind of "not a member": the shop's pages show it where they show the membership's
    refusals, with the shifts the person can take)."""

    code = "shift_status_blocked"
    default_message = _(
        "Your shifts are not up to date (%(status)s): take a make-up shift in “My shifts” to "
        "order again."
    )


class AlreadyOrdered(DomainError):
    code = "already_ordered"
    default_message = _("You already have an order in this sale: change it instead.")


class InvalidOrder(DomainError):
    """Bad input: an unknown product, a quantity a product does not take, a slot of another
    pickup… The message names what is wrong."""

    code = "validation_error"


class EmptyOrder(InvalidOrder):
    default_message = _("The basket is empty.")


class QuantityInvalid(InvalidOrder):
    default_message = _("“%(product)s”: %(reason)s")


class ProductNotInSale(InvalidOrder):
    default_message = _("This product is not offered in this sale.")


class ProductUnavailable(InvalidOrder):
    default_message = _("“%(product)s” is no longer offered in this sale.")


class PickupInvalid(InvalidOrder):
    default_message = _("Choose a pickup of this sale.")


class SlotRequired(InvalidOrder):
    default_message = _("Choose a time slot.")


class SlotInvalid(InvalidOrder):
    default_message = _("This time slot is not one of the chosen pickup.")


class OrderNotFound(DomainError):
    code = "not_found"
    default_message = _("This order does not exist.")


class OrderNotEditable(DomainError):
    code = "order_not_editable"
    default_message = _("This order can no longer be changed (cancelled, or being prepared).")


class OrderConflict(DomainError):
    """Another change of the same sale, slot or order was written at the same moment: the
    database refused this one (nothing was written); doing it again usually works."""

    code = "order_conflict"
    default_message = _(
        "Another change was saved at the same moment; nothing was changed: please try again."
    )


class ItemSoldOut(OutOfStock):
    """The sale's count of a product refused the quantity (its name is not at hand)."""

    default_message = _(
        "A product of your basket is no longer available in this quantity: check your basket."
    )


class PlaceFull(SlotFull):
    default_message = _("This pickup or time slot has just become full; choose another one.")


class LinesInvalid(InvalidOrder):
    default_message = _("The quantities or amounts of this order are not valid.")


class SomethingRemoved(InvalidOrder):
    default_message = _(
        "A product, pickup or time slot of this order has just been removed: check your order."
    )


# --- Distribution day (fulfilment) ---------------------------------------------------------


class PickupClosed(DomainError):
    code = "pickup_closed"
    default_message = _("This pickup is closed: its orders can no longer be changed.")


class PickupNotOver(DomainError):
    code = "pickup_not_over"
    default_message = _("No-shows can be marked once the pickup has ended.")


class StatusChangeInvalid(DomainError):
    code = "status_change_invalid"
    default_message = _("An order “%(current)s” cannot become “%(wanted)s”.")


class NotWeighable(DomainError):
    code = "not_weighable"
    default_message = _("Only variable-weight products are weighed.")


class WeightInvalid(DomainError):
    code = "weight_invalid"
    default_message = _("Enter a weight above zero, in kg (e.g. 1.35).")


class WeightTooHigh(WeightInvalid):
    default_message = _("Enter a weight below %(maximum)s kg (e.g. 1.35).")


class WeightTooPrecise(WeightInvalid):
    default_message = _("Enter a weight to the gram: the smallest step is %(step)s kg.")


class WeightNeedsConfirmation(DomainError):
    code = "weight_needs_confirmation"
    default_message = _(
        "%(weight)s kg is more than 100 times the estimate (%(estimate)s kg): check it, then "
        "confirm."
    )


class OrderNotActive(DomainError):
    code = "order_not_active"
    default_message = _("This order is cancelled.")


class ReasonRequired(DomainError):
    code = "reason_required"
    default_message = _("Say why (it is kept in the order's history).")


class PriceInvalid(DomainError):
    code = "price_invalid"
    default_message = _("Enter a price above zero.")


class PriceTooHigh(PriceInvalid):
    default_message = _("Enter a price of at most %(maximum)s, in euros and cents.")


class NotArrivedYet(DomainError):
    code = "arrival_not_possible"
    default_message = _("This order cannot be marked as arrived (collected, cancelled or closed).")


class ArrivalNotOffered(NotArrivedYet):
    default_message = _("This pickup point does not offer pickup from the car.")


class ArrivalTooEarly(NotArrivedYet):
    default_message = _("You can say you have arrived on %(day)s from %(time)s.")


class ArrivalTooLate(NotArrivedYet):
    default_message = _("The pickup is over: you can no longer say you have arrived.")


class MoveToSamePlace(InvalidOrder):
    default_message = _("The order is already there: choose another pickup or slot.")
