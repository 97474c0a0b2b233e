"""The people who make distributions happen: duties at pickups and coop work shifts.

Why one model for both (``WorkPeriod``, "a time someone works"): a collective's duty
("préparation des paniers" at a pickup, 14:00–16:00, 3 places) and a coop's shift (Tuesday
of week B, 9:00–12:00, "réception", 4 places) are the same thing to the people doing them:
a task, a time, a number of places, people signed up, then present or absent. Sign-up,
withdrawal, "replacement wanted", swaps, attendance, reminders, the calendar feed and the
reports are written once. What differs is where a period comes from (``kind``: a
``DutyTemplate`` applied to a pickup, or a ``ShiftTemplate`` of the cycle) and what
attendance does afterwards (a shift moves the member's counter; a duty may earn a producer
a défraiement when its pickup closes).

Places are a counter on the period (``taken``), changed by conditional UPDATEs with a
CheckConstraint as a backstop, like the slots' places: a duty with 2 places never gets 3
people, whatever the concurrency.
"""

# The migrations name these defaults by their path in ``cabas.work.models``.
from .people import (
    CalendarFeed,
    CounterEntry,
    DutyCompensation,
    Exemption,
    ShiftMember,
    _calendar_token,
)
from .periods import (
    DutyTemplate,
    ShiftTemplate,
    Signup,
    SignupQuerySet,
    TaskType,
    WorkPeriod,
    WorkPeriodQuerySet,
)
from .rules import (
    Compensation,
    CompensationFor,
    DutyAudience,
    WorkSettings,
    _cycle_start_default,
    week_letter,
)

__all__ = [
    "_calendar_token",
    "_cycle_start_default",
    "CalendarFeed",
    "Compensation",
    "CompensationFor",
    "CounterEntry",
    "DutyAudience",
    "DutyCompensation",
    "DutyTemplate",
    "Exemption",
    "ShiftMember",
    "ShiftTemplate",
    "Signup",
    "SignupQuerySet",
    "TaskType",
    "WorkPeriod",
    "WorkPeriodQuerySet",
    "WorkSettings",
    "week_letter",
]
