from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError


class VatRateNotAllowed(DomainError):
    code = "vat_rate_not_allowed"
    default_message = _("This VAT rate is not one of the organisation's rates (%(rates)s).")


class PriceNotPositive(DomainError):
    code = "price_not_positive"
    default_message = _("The price must be above zero.")


class ReferenceTaken(DomainError):
    code = "reference_taken"
    default_message = _("Another product of this producer already has this reference.")


class QuantityRuleInvalid(DomainError):
    code = "quantity_rule_invalid"
    default_message = _("Products sold per piece take whole quantities (1, 2, 3…).")


class VariableWeightIncomplete(DomainError):
    code = "variable_weight_incomplete"
    default_message = _(
        "A variable-weight product needs its price per kg and its estimated weight per piece."
    )


class ContentIncomplete(DomainError):
    code = "content_incomplete"
    default_message = _("Give both the content and its unit (e.g. 75 and cl), or neither.")


class StockModeIncomplete(DomainError):
    code = "stock_mode_incomplete"
    default_message = _("Give the quantity available for this stock mode.")


class StockNegative(DomainError):
    code = "stock_negative"
    default_message = _("The stock cannot go below zero (%(available)s left).")


class NotShopStock(DomainError):
    code = "not_shop_stock"
    default_message = _("Only products kept in shop stock have a stock to adjust.")


class StockMinimumNegative(DomainError):
    code = "stock_minimum_negative"
    default_message = _("A stock minimum cannot be below zero.")


class SiretInvalid(DomainError):
    code = "siret_invalid"
    default_message = _("This SIRET number is not valid (14 digits, with a correct check).")


class EndDateRequired(DomainError):
    code = "end_date_required"
    default_message = _("A temporary producer needs an end date.")


class ProducerInUse(DomainError):
    code = "producer_in_use"
    default_message = _("This producer already supplies the organisation.")


class ImportFileTooBig(DomainError):
    code = "import_file_too_big"
    default_message = _("The file is too big (%(max_mb)s MB at most).")


class ImportFileUnreadable(DomainError):
    code = "import_file_unreadable"
    default_message = _("This file cannot be read.")


class ImportProducerMissing(DomainError):
    code = "import_producer_missing"
    default_message = _("Choose the producer whose products the file holds.")


class ImportNotReady(DomainError):
    code = "import_not_ready"
    default_message = _("This import is not ready to be applied (checked with errors, or done).")


class InventoryClosed(DomainError):
    code = "inventory_closed"
    default_message = _("This inventory is closed (validated or cancelled): it cannot change.")


class InventoryNotCounted(DomainError):
    code = "inventory_not_counted"
    default_message = _("No product has been counted yet: there is nothing to validate.")


class InventoryProductOutOfScope(DomainError):
    code = "inventory_product_out_of_scope"
    default_message = _("This product is not part of this inventory.")


class InventoryCategoryInvalid(DomainError):
    code = "inventory_category_invalid"
    default_message = _("Choose a category of the list, or the whole shop.")
