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


class CorrectionNeedsNote(DomainError):
    code = "counter_correction_note"
    default_message = _("Say why the counter is corrected.")


class ShiftStatusBlocked(DomainError):
    code = "shift_status_blocked"
    default_message = _("Your shifts are not up to date (%(status)s): take a shift to order again.")


class TaskTypeMissing(DomainError):
    code = "shift_task_missing"
    default_message = _("Choose a task, or write the name of a new one.")
