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
from .gaps import duty_gap_appeal
from .generation import duties_generate, duties_generate_for_pickup, shift_dates, shifts_generate
from .manage import (
    duties_generate_for_pickups,
    duty_add,
    duty_cancel,
    duty_set_places,
    duty_template_save,
    duty_template_set_active,
    task_type_delete,
    task_type_save,
    work_settings_save,
)
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
    "duties_generate_for_pickups",
    "duty_add",
    "duty_cancel",
    "duty_gap_appeal",
    "duty_set_places",
    "duty_template_save",
    "duty_template_set_active",
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
    "task_type_delete",
    "task_type_save",
    "withdraw_deadline",
    "work_settings_save",
]

from .shifts import exemption_delete, shift_take_over, shift_template_save  # noqa: E402

__all__ += ["exemption_delete", "shift_take_over", "shift_template_save"]
