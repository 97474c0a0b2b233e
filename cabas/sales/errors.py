"""What a person can get wrong about sales, pickups and slots, in words they understand."""

from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError


class SaleDatesInvalid(DomainError):
    code = "sale_closes_before_opening"
    default_message = _("The sale must close after it opens.")


class SaleDatesLocked(DomainError):
    code = "sale_dates_locked"
    default_message = _("This sale is closed: its dates can no longer be changed.")


class SaleAlreadyOpen(DomainError):
    code = "sale_already_open"
    default_message = _("This sale is already open: its opening date can no longer be changed.")


class CutoffInPast(DomainError):
    code = "cutoff_in_past"
    default_message = _(
        "The cutoff is in the past. To stop orders now, use the button “Close orders now”."
    )


class SaleStatusInvalid(DomainError):
    code = "sale_status_invalid"
    default_message = _("This sale is %(status)s: this change is not possible.")


class SaleHasNoPickup(DomainError):
    code = "sale_has_no_pickup"
    default_message = _("Add at least one pickup before scheduling the sale.")


class SaleHasBookings(DomainError):
    code = "sale_has_bookings"
    default_message = _("Orders were placed in this sale: it cannot be deleted.")


class GeneratedSaleWouldReturn(DomainError):
    code = "generated_sale_would_return"
    default_message = _(
        "This sale was prepared by a schedule or the drive, which would prepare it again. To "
        "skip it, first add its days to the closing days, then delete it."
    )


class PickupBeforeCutoff(DomainError):
    code = "pickup_before_cutoff"
    default_message = _(
        "The pickup starts before the sale's cutoff (%(closes_at)s): members could not order "
        "in time."
    )


class PickupHoursInvalid(DomainError):
    code = "pickup_hours_invalid"
    default_message = _("The pickup must end after it starts.")


class PickupOverlap(DomainError):
    code = "pickup_overlap"
    default_message = _("%(point)s already has a pickup from %(starts_at)s to %(ends_at)s.")


class PickupPointUnavailable(DomainError):
    code = "pickup_point_unavailable"
    default_message = _("This pickup point is not active.")


class PickupHasBookings(DomainError):
    code = "pickup_has_bookings"
    default_message = _("Orders are booked at this pickup: move or cancel them first.")


class PickupHasOrderHistory(DomainError):
    code = "pickup_has_order_history"
    default_message = _(
        "Cancelled orders keep this pickup in their history, so it cannot be deleted."
    )


class PickupOfAnotherSale(DomainError):
    code = "pickup_of_another_sale"
    default_message = _("An order can only move to a pickup of the same sale.")


class SlotSettingsMissing(DomainError):
    code = "slot_settings_missing"
    default_message = _("Time slots need a slot length and a number of orders per slot.")


class SlotLengthMismatch(DomainError):
    code = "slot_length_mismatch"
    default_message = _(
        "Slots of %(minutes)s minutes do not fit exactly in %(starts)s–%(ends)s "
        "(%(total)s minutes). Choose a length that divides the opening hours, or change them."
    )


class CapacityNotPositive(DomainError):
    code = "capacity_not_positive"
    default_message = _("The capacity must be at least 1 order.")


class CapacityBelowBooked(DomainError):
    code = "capacity_below_booked"
    default_message = _("The capacity cannot be lower than the orders already booked.")


class SlotOutsidePickup(DomainError):
    code = "slot_outside_pickup"
    default_message = _("The slot must be within the pickup's hours (%(starts)s–%(ends)s).")


class SlotOverlap(DomainError):
    code = "slot_overlap"
    default_message = _("This slot overlaps the slot starting at %(starts)s.")


class PickupWithoutSlots(DomainError):
    code = "pickup_without_slots"
    default_message = _("This pickup has no time slots.")


class PickupHasSlots(DomainError):
    code = "pickup_has_slots"
    default_message = _("This pickup has time slots: choose one of them.")


class SlotFull(DomainError):
    code = "slot_full"
    default_message = _("This slot is full. Please choose another one.")


class PickupFull(DomainError):
    code = "pickup_full"
    default_message = _("This pickup is full. Please choose another one.")


class SlotClosed(DomainError):
    code = "slot_closed"
    default_message = _("This slot is closed. Please choose another one.")


class NothingBooked(DomainError):
    code = "nothing_booked"
    default_message = _("There is no booking to release here.")


class QuantityInvalid(DomainError):
    code = "quantity_invalid"
    default_message = _("The quantity must be a positive number.")


class AmountNegative(DomainError):
    code = "amount_negative"
    default_message = _("The amount cannot be negative.")


class QuantityBelowOrdered(DomainError):
    code = "quantity_below_ordered"
    default_message = _(
        "%(ordered)s have already been ordered: the quantity available cannot be lower."
    )


class SoldOut(DomainError):
    code = "sold_out"
    default_message = _("Not enough of %(product)s is left for this quantity.")


class ProductNotOffered(DomainError):
    code = "product_not_offered"
    default_message = _("This product is not offered in this sale.")


class ScheduleInvalid(DomainError):
    code = "schedule_invalid"
    default_message = _("This schedule is not valid.")


class ScheduleHasNoPickup(DomainError):
    code = "schedule_has_no_pickup"
    default_message = _("A schedule needs at least one pickup.")


class DriveHoursOverlap(DomainError):
    code = "drive_hours_overlap"
    default_message = _("On %(day)s, the opening hours %(first)s and %(second)s overlap.")


class DriveHoursUnreadable(DomainError):
    code = "drive_hours_unreadable"
    default_message = _(
        "“%(text)s” could not be read. Write the hours like 15:45-18:15, 18:30-21:00."
    )


class DriveNotConfigured(DomainError):
    code = "drive_not_configured"
    default_message = _("The drive is not set up yet: choose its pickup point first.")


class ClosingPeriodInvalid(DomainError):
    code = "closing_period_invalid"
    default_message = _("The last closing day cannot be before the first one.")


class OtherOrganisation(DomainError):
    code = "other_organisation"
    default_message = _("This belongs to another organisation.")
