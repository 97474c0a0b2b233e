"""What the DFC API refuses, each with a stable code and its HTTP status (``status``)."""

from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError


class DfcError(DomainError):
    status = 400


class Unauthenticated(DfcError):
    code = "unauthorized"
    status = 401
    default_message = _(
        "Authentication required: send a DFC token or an access token as 'Authorization: Bearer …'."
    )


class BadToken(Unauthenticated):
    default_message = _("This token is not valid, expired or revoked.")


class Forbidden(DfcError):
    code = "forbidden"
    status = 403
    default_message = _("This token does not allow this action in this organisation.")


class UnknownScope(DfcError):
    code = "validation_error"
    default_message = _("Choose what the token may do among the scopes your role allows.")


class TokenNotFound(DfcError):
    code = "not_found"
    status = 404
    default_message = _("This token does not exist.")


class NameRequired(DfcError):
    code = "validation_error"
    default_message = _("Give the token a name, e.g. the platform it is for.")


# --- Received documents (docs/interop.md "Receiving orders"): each names the node and the
# property at fault in its params, which the problem body repeats as "node" and "property".


class DocumentTooLarge(DfcError):
    code = "too_large"
    status = 413
    default_message = _("The document is larger than %(limit)s kB.")


class NotJson(DfcError):
    code = "malformed_json"
    default_message = _("The body is not JSON: send a JSON-LD document in UTF-8.")


class NotAnObject(NotJson):
    default_message = _("The body must be a JSON object: a JSON-LD document with its @context.")


class NotJsonLd(NotJson):
    default_message = _("The body is not valid JSON-LD: %(reason)s")


class DocumentInvalid(DfcError):
    """The document is JSON-LD, but not what Cabas reads: the message names the node."""

    code = "validation_error"
    status = 422


class ContextMissing(DocumentInvalid):
    default_message = _("The document has no @context: name the DFC context (%(known)s).")


class ContextUnknown(DocumentInvalid):
    code = "unknown_context"
    default_message = _(
        "The context “%(url)s” is not one Cabas knows (it is never fetched): use %(known)s."
    )


class OrderNodeExpected(DocumentInvalid):
    default_message = _("The document must hold exactly one dfc-b:Order (found %(count)s).")


class WrongType(DocumentInvalid):
    default_message = _("%(node)s: a %(expected)s is expected here.")


class IdTooLong(DocumentInvalid):
    default_message = _("%(node)s: an @id of at most 500 characters is expected.")


class PropertyMissing(DocumentInvalid):
    default_message = _("%(node)s: %(property)s is missing.")


class OneValueExpected(DocumentInvalid):
    default_message = _("%(node)s: %(property)s takes one value.")


class ReferenceExpected(DocumentInvalid):
    default_message = _("%(node)s: %(property)s must be a node or the @id of one.")


class NotInDocument(DocumentInvalid):
    default_message = _("%(node)s: %(property)s names “%(value)s”, which is not in the document.")


class NumberExpected(DocumentInvalid):
    default_message = _("%(node)s: %(property)s must be a number, not “%(value)s”.")


class QuantityInvalid(DocumentInvalid):
    default_message = _(
        "%(node)s: %(property)s must be above zero, below 10,000,000, with at most 3 decimals "
        "(“%(value)s”)."
    )


class StatusUnknown(DocumentInvalid):
    default_message = _(
        "%(node)s: %(property)s “%(value)s” is not an order status Cabas reads (dfc-v:Held, "
        "dfc-v:Complete, dfc-v:Cancelled)."
    )


class NotOurs(DocumentInvalid):
    default_message = _(
        "%(node)s: %(property)s names “%(value)s”, which this organisation does not publish "
        "(or not in this sale)."
    )


class SalesDisagree(DocumentInvalid):
    default_message = _(
        "%(node)s: %(property)s belongs to another sale than the rest of the order."
    )


class SaleUndetermined(DocumentInvalid):
    default_message = _(
        "%(node)s: say which sale the order is for (%(property)s, a dfc-b:SaleSession of the "
        "organisation's sale_sessions)."
    )


class PickupUndetermined(DocumentInvalid):
    default_message = _(
        "%(node)s: choose where the order is picked up (%(property)s, a dfc-b:PickupOption of "
        "the organisation's sale_sessions)."
    )


class CancelledNew(DocumentInvalid):
    default_message = _("%(node)s: a new order cannot be cancelled.")


class WrongOrder(DocumentInvalid):
    default_message = _("%(node)s: this is not the order at this address.")


class OrderIdTaken(DfcError):
    code = "order_conflict"
    status = 409
    default_message = _("%(node)s: this order was sent by another account.")


class MethodNotAllowed(DfcError):
    code = "method_not_allowed"
    status = 405
    default_message = _("This address takes %(allowed)s.")


class OrderNotFound(DfcError):
    code = "not_found"
    status = 404
    default_message = _("No such order in this organisation for this token.")


class OrderRefused(DfcError):
    """An ordering rule refused the order (cutoff, stock, time slot, membership, minimum…):
    the rule's own code and message, with the HTTP status of its kind."""

    def __init__(self, cause: DomainError, *, status: int, node: str = "", property: str = ""):
        super().__init__(str(cause), node=node, property=property)
        self.code = cause.code
        self.status = status

    def __str__(self) -> str:
        return str(self.message)
