"""Every write of the work app, by its name (``services.signup_create``…)."""

from .counters import (
    attendance_points,
    counter_correct,
    counter_entry_add,
    cycles_close,
    exemption_add,
    shift_member_set,
)
from .generation import duties_generate, duties_generate_for_pickup, shift_dates, shifts_generate
from .signups import (
    signup_ask_replacement,
    signup_attendance_record,
    signup_create,
    signup_take_over,
    signup_withdraw,
    withdraw_deadline,
)

__all__ = [
    "attendance_points",
    "counter_correct",
    "counter_entry_add",
    "cycles_close",
    "duties_generate",
    "duties_generate_for_pickup",
    "exemption_add",
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
