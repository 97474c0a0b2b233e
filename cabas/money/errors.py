from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError


class NotAMemberHere(DomainError):
    code = "not_a_member"
    default_message = _("This person is not a member of the organisation.")


class AmountInvalid(DomainError):
    code = "amount_invalid"
    default_message = _("Enter an amount above zero (e.g. 12.50).")


class MethodInvalid(DomainError):
    code = "method_invalid"
    default_message = _("Choose how it was paid: cash, cheque, card or bank transfer.")


class RefundNeedsReason(DomainError):
    code = "refund_needs_reason"
    default_message = _("A refund needs its reason.")


class RefundAboveCredit(DomainError):
    code = "refund_above_credit"
    default_message = _("Only the member's credit can be refunded (%(credit)s).")


class OrderOfAnotherMember(DomainError):
    code = "order_of_another_member"
    default_message = _("This order is not this member's.")


class SharesInvalid(DomainError):
    code = "shares_invalid"
    default_message = _("Enter a number of shares above zero.")


class SharesNotSold(DomainError):
    code = "shares_not_sold"
    default_message = _("This organisation does not sell shares (set the price of a share).")


class SharesNotHeld(DomainError):
    code = "shares_not_held"
    default_message = _("This member holds only %(held)s shares.")


class SharesBelowMinimum(DomainError):
    code = "shares_below_minimum"
    default_message = _("Members hold at least %(minimum)s shares.")


class UnresolvedPayments(DomainError):
    code = "unresolved_payments"
    default_message = _(
        "%(count)s payments have no method yet (cash, cheque, card or transfer): settle them "
        "before closing the pickup."
    )


class NothingToResolve(DomainError):
    code = "nothing_to_resolve"
    default_message = _("This payment's method is already known.")
