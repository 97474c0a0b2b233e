"""What a person can get wrong with duties and shifts, in words they understand."""

from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError


class PeriodFull(DomainError):
    code = "duty_full"
    default_message = _("Every place is already taken.")


class AlreadySignedUp(DomainError):
    code = "duty_already_signed_up"
    default_message = _("You are already signed up.")


class PeriodStarted(DomainError):
    code = "duty_started"
    default_message = _("This has already started: sign-ups and changes are closed.")


class PeriodCancelled(DomainError):
    code = "duty_cancelled"
    default_message = _("This has been cancelled.")


class NotAllowedToSignUp(DomainError):
    code = "duty_not_allowed"
    default_message = _("Only volunteers can sign up for the duties of this organisation.")


class NotOnShifts(DomainError):
    code = "shift_not_registered"
    default_message = _("You are not registered for the shifts yet: ask a coordinator.")


class ShiftAlreadyThisCycle(DomainError):
    code = "shift_already_this_cycle"
    default_message = _(
        "You already have a shift in this cycle. You can take another one when you have a "
        "make-up to do."
    )


class TooLateToWithdraw(DomainError):
    code = "duty_too_late_to_withdraw"
    default_message = _(
        "It is too late to withdraw (less than %(hours)s hours before): ask for a replacement "
        "instead."
    )


class SignupNotHolding(DomainError):
    code = "signup_not_active"
    default_message = _("This sign-up is no longer active.")


class NoReplacementWanted(DomainError):
    code = "no_replacement_wanted"
    default_message = _("This place is not offered for replacement (any more).")


class CannotReplaceYourself(DomainError):
    code = "replacement_is_yourself"
    default_message = _("You cannot take your own place.")


class SubstituteMissing(DomainError):
    code = "attendance_substitute_missing"
    default_message = _("Say who came instead.")


class SubstituteInvalid(DomainError):
    code = "attendance_substitute_invalid"
    default_message = _("The replacement must be another member of the organisation.")


class SubstituteUnavailable(DomainError):
    code = "attendance_substitute_unavailable"
    default_message = _("The replacement must be an active member not already signed up for it.")


class CorrectionNeedsNote(DomainError):
    code = "counter_correction_note"
    default_message = _("Say why the counter is corrected.")


class ShiftStatusBlocked(DomainError):
    code = "shift_status_blocked"
    default_message = _("Your shifts are not up to date (%(status)s): take a shift to order again.")


class TaskTypeMissing(DomainError):
    code = "shift_task_missing"
    default_message = _("Choose a task, or write the name of a new one.")


# A coordinator's set-up of the duties (services/manage.py, services/gaps.py).


class TaskTypeNameMissing(DomainError):
    code = "task_type_name_missing"
    default_message = _("Give the task a name.")


class TaskTypeNameTaken(DomainError):
    code = "task_type_name_taken"
    default_message = _("A task with this name already exists.")


class TaskTypeInUse(DomainError):
    code = "task_type_in_use"
    default_message = _(
        "“%(name)s” is used by duties or shifts, so it cannot be deleted. Deactivate the "
        "duties that use it instead."
    )


class DutyHoursMissing(DomainError):
    code = "duty_hours_missing"
    default_message = _("Give the hours of the duty, or choose the pickup's.")


class DutyEndsBeforeStart(DomainError):
    code = "duty_ends_before_start"
    default_message = _("A duty must end after it starts.")


class DutyPlacesOutOfRange(DomainError):
    code = "duty_places_out_of_range"
    default_message = _("A duty needs from 1 to 50 people.")


class PlacesBelowTaken(DomainError):
    code = "duty_places_below_taken"
    default_message = _(
        "%(taken)s people are already on this duty: the places cannot be fewer. Withdraw "
        "someone first."
    )


class PickupOver(DomainError):
    code = "pickup_over"
    default_message = _("This pickup is over.")


class DutyNoGap(DomainError):
    code = "duty_no_gap"
    default_message = _("This duty has all the people it needs.")


class AppealFormExpired(DomainError):
    code = "duty_appeal_form"
    default_message = _("The page was out of date: nothing was sent. Try again.")


class CycleStartNotMonday(DomainError):
    code = "work_cycle_start_not_monday"
    default_message = _("Choose a Monday: the weeks of the cycle start on Mondays.")
