"""Every write of the work app, by its name (``services.signup_create``…)."""

from .calendar import calendar_feed_get_or_create, calendar_feed_renew
from .compensation import pickup_compensations_credit
from .counters import (
    attendance_points,
    counter_correct,
    counter_entry_add,
    cycles_close,
    exemption_add,
    shift_member_set,
)
from .generation import duties_generate, duties_generate_for_pickup, shift_dates, shifts_generate
from .reminders import gap_alerts_record, reminders_record
from .signups import (
    signup_ask_replacement,
    signup_attendance_record,
    signup_create,
    signup_take_over,
    signup_withdraw,
    withdraw_deadline,
)
from .tick import WorkTickReport, work_tick

__all__ = [
    "WorkTickReport",
    "calendar_feed_get_or_create",
    "calendar_feed_renew",
    "gap_alerts_record",
    "reminders_record",
    "work_tick",
    "attendance_points",
    "counter_correct",
    "counter_entry_add",
    "cycles_close",
    "duties_generate",
    "duties_generate_for_pickup",
    "exemption_add",
    "pickup_compensations_credit",
    "shift_dates",
    "shift_member_set",
    "shifts_generate",
    "signup_ask_replacement",
    "signup_attendance_record",
    "signup_create",
    "signup_take_over",
    "signup_withdraw",
    "withdraw_deadline",
]

from .shifts import exemption_delete, shift_take_over, shift_template_save  # noqa: E402

__all__ += ["exemption_delete", "shift_take_over", "shift_template_save"]
