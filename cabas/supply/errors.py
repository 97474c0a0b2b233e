"""What the supply team can get wrong, in words they understand (stable codes)."""

from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError


class SupplierNameTaken(DomainError):
    code = "supplier_name_taken"
    default_message = _("Another supplier already has this name.")


class ProducerAlreadySupplier(DomainError):
    code = "supplier_producer_taken"
    default_message = _("This producer is already a supplier.")


class NotShopProduct(DomainError):
    code = "supply_not_shop_product"
    default_message = _("Only products sold from the shop stock are bought from suppliers.")


class SupplierItemExists(DomainError):
    code = "supplier_item_exists"
    default_message = _("This supplier already sells this product.")


class PurchaseOrderNotDraft(DomainError):
    code = "purchase_order_not_draft"
    default_message = _("This purchase order has been sent: it can no longer be changed.")


class PurchaseOrderEmpty(DomainError):
    code = "purchase_order_empty"
    default_message = _("This purchase order has no line.")


class PurchaseOrderClosed(DomainError):
    code = "purchase_order_closed"
    default_message = _("This purchase order is received or cancelled.")


class SupplierHasNoEmail(DomainError):
    code = "supplier_no_order_email"
    default_message = _("This supplier has no order e-mail: add one, or print the order.")


class ReceptionValidated(DomainError):
    code = "reception_validated"
    default_message = _("This reception has been validated: it can no longer be changed.")


class ReceptionNotCounted(DomainError):
    code = "reception_not_counted"
    default_message = _("Some lines have no received quantity yet.")


class QuantityNegative(DomainError):
    code = "supply_quantity_negative"
    default_message = _("A quantity cannot be negative.")


class PriceNegative(DomainError):
    code = "supply_price_negative"
    default_message = _("A price cannot be negative.")


class CoefficientInvalid(DomainError):
    code = "supply_coefficient_invalid"
    default_message = _("A coefficient is a number above 0, e.g. 1.30.")


class ProposalDecided(DomainError):
    code = "price_proposal_decided"
    default_message = _("This price change has already been accepted or dismissed.")


class ReceptionLineExists(DomainError):
    code = "reception_line_exists"
    default_message = _("This product is already in this delivery: change its line.")


class QuantityNotWhole(DomainError):
    code = "supply_quantity_not_whole"
    default_message = _("This product is counted in pieces: enter a whole number.")


class ReceptionPriceMissing(DomainError):
    code = "reception_price_missing"
    default_message = _("This supplier has no price for this product: enter the delivery note's.")


class ReceptionNotValidated(DomainError):
    code = "reception_not_validated"
    default_message = _("Validate the reception first: its differences are not final yet.")


class ReceptionNoDifferences(DomainError):
    code = "reception_no_differences"
    default_message = _("This delivery matches the order: there is no difference to send.")


class DifferencesAlreadySent(DomainError):
    code = "reception_differences_sent"
    default_message = _("The differences of this delivery have already been sent.")


class PriceListConflict(DomainError):
    code = "supplier_price_list_conflict"
    default_message = _(
        "This supplier's products were changed at the same moment: nothing has been changed, "
        "apply the price list again."
    )


class WeekdayUnknown(DomainError):
    code = "supply_weekday_unknown"
    default_message = _("Choose delivery days among Monday to Sunday.")


class CategoryUnknown(DomainError):
    code = "supply_category_unknown"
    default_message = _("This category does not exist.")


class NotSoldBySupplier(DomainError):
    code = "supply_not_sold_by_supplier"
    default_message = _("This supplier does not sell this product: add it to its products first.")


class QuantityNotPackageMultiple(DomainError):
    code = "supply_quantity_not_package_multiple"
    default_message = _(
        "%(product)s is sold by packages of %(package)s: order a multiple of it (e.g. %(up)s)."
    )


class PurchaseOrderNotCancellable(DomainError):
    code = "purchase_order_not_cancellable"
    default_message = _("Only a draft or a sent purchase order not yet received can be cancelled.")


class PurchaseOrderNotSent(DomainError):
    code = "purchase_order_not_sent"
    default_message = _("This purchase order has not been sent yet: send it before receiving it.")


class ReceptionEmpty(DomainError):
    code = "reception_empty"
    default_message = _("This delivery has no product yet: add what arrived first.")


class PurchasePriceNotPositive(DomainError):
    code = "supply_purchase_price_not_positive"
    default_message = _("A purchase price is above 0.")
