"""The supply team's price list pages: upload a supplier's list, follow its check, read the
preview (old → new purchase prices and package sizes, lines not in the catalogue, errors),
apply it; and the list of what the supplier sells, as a file to fill in."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from cabas.catalog.errors import ImportFileTooBig
from cabas.core import tables
from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.core.money import format_money, format_percent
from cabas.orgs.permissions import Action, org_view

from . import services
from .models import Supplier, SupplierItem, SupplierPriceImport
from .services import price_lists

RECENT_SHOWN = 5
# A purchase price changing this much (in %) is pointed out: often a price per package typed
# where the price per unit was expected, or the reverse.
BIG_CHANGE = Decimal("30")


class PriceListForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Price list (CSV or XLSX)"),
        help_text=gettext_lazy(
            "Columns: reference, designation, price excl. VAT per unit, package size "
            "(optional), in French or in English."
        ),
    )


def _supplier(request, pk: int) -> Supplier:
    return get_object_or_404(Supplier, organisation=request.organisation, pk=pk)


def _price_import(request, pk: int) -> SupplierPriceImport:
    imports = SupplierPriceImport.objects.defer("content").select_related("supplier")
    return get_object_or_404(imports, organisation=request.organisation, pk=pk)


@org_view(Action.MANAGE_SUPPLY)
def price_import(request, pk: int):
    """Upload a price list of the supplier ``pk``; the worker checks it."""
    supplier = _supplier(request, pk)
    form = PriceListForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > price_lists.max_upload_bytes():  # refused before reading it all
                raise ImportFileTooBig(max_mb=price_lists.max_upload_bytes() // (1024 * 1024))
            created = services.supplier_price_import_create(
                supplier=supplier,
                uploaded_by=request.user,
                file_name=upload.name,
                content=upload.read(),
            )
        except DomainError as error:
            add_domain_error(form, error, aliases={None: "file"})
        else:
            return redirect(
                "supply:price_import_detail", slug=request.organisation.slug, pk=created.pk
            )
    recent = supplier.price_imports.defer("content")[:RECENT_SHOWN]
    context = {
        "supplier": supplier,
        "form": form,
        "recent": recent,
        "max_mb": price_lists.max_upload_bytes() // (1024 * 1024),
    }
    return render(request, "supply/imports/price_import_form.html", context)


def _unit_price(text: str) -> str:
    """A purchase price as people read it: "1,20 €", or all its decimals when it has more
    than two ("0,6958 €"), which rounding to the cent would hide."""
    return format_money(Decimal(text), places=4) if text else ""


def _change(row: dict) -> Decimal | None:
    """How much the purchase price changes, in % of the old one (one decimal)."""
    if not row.get("old_price") or Decimal(row["old_price"]) == 0:
        return None
    old, new = Decimal(row["old_price"]), Decimal(row["new_price"])
    return ((new - old) * 100 / old).quantize(Decimal("0.1"))


def _preview_rows(price_import: SupplierPriceImport) -> tuple[list[dict], list[dict]]:
    """The preview's changed lines and its lines not in the catalogue, ready to show."""
    changes, unknown = [], []
    for row in price_import.preview:
        change = _change(row) if row["action"] == "update" else None
        shown = {
            **row,
            "old_price_text": _unit_price(row.get("old_price", "")),
            "new_price_text": _unit_price(row.get("new_price", "")),
            "price_changed": row.get("old_price") != row.get("new_price"),
            "package_changed": row.get("old_package") != row.get("new_package"),
            "change_text": ""
            if not change
            else ("+" if change > 0 else "") + format_percent(change),
            "big_change": change is not None and abs(change) >= BIG_CHANGE,
        }
        (changes if row["action"] == "update" else unknown).append(shown)
    return changes, unknown


@org_view(Action.MANAGE_SUPPLY)
def price_import_detail(request, pk: int):
    """The check's result (preview or errors); while the worker checks, htmx asks again
    every second for the status part of the page."""
    checked = _price_import(request, pk)
    changes, unknown = _preview_rows(checked)
    template = (
        "supply/imports/includes/price_import_status.html"
        if request.htmx
        else "supply/imports/price_import_detail.html"
    )
    context = {
        "import": checked,
        "supplier": checked.supplier,
        "changes": changes,
        "big_changes": sum(1 for row in changes if row["big_change"]),
        "big_change": BIG_CHANGE,
        "unknown_lines": unknown,
        "preview_cut": max(0, checked.to_update + checked.unknown - len(checked.preview)),
    }
    return render(request, template, context)


@require_POST
@org_view(Action.MANAGE_SUPPLY)
def price_import_confirm(request, pk: int):
    """Apply a checked price list (all or nothing; a second tap changes nothing)."""
    checked = _price_import(request, pk)
    try:
        applied = services.supplier_price_import_apply(price_import=checked, made_by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if applied.status == SupplierPriceImport.Status.DONE:
            messages.success(request, _("The supplier's prices have been updated."))
        else:
            messages.error(request, _("Nothing has been changed: the file has errors now."))
    return redirect("supply:price_import_detail", slug=request.organisation.slug, pk=pk)


TEMPLATE_COLUMNS = (
    gettext_lazy("reference"),
    gettext_lazy("designation"),
    gettext_lazy("price excl. VAT"),
    gettext_lazy("package size"),
)


@org_view(Action.MANAGE_SUPPLY)
def price_import_template(request, pk: int, file_format: str) -> HttpResponse:
    """What the supplier sells now, in the columns the import reads: changed and sent back,
    it updates the prices (unchanged, it changes nothing)."""
    if file_format not in tables.FORMATS:
        raise Http404
    supplier = _supplier(request, pk)
    items = (
        SupplierItem.objects.filter(organisation=request.organisation, supplier=supplier)
        .select_related("product")
        .order_by("reference", "product__name")
    )
    rows = [
        [item.reference, item.product.name, item.purchase_price, item.package_size]
        for item in items
    ]
    header = [str(column) for column in TEMPLATE_COLUMNS]
    prefix = _("prices")
    name = f"{prefix}-{slugify(supplier.name) or supplier.pk}"
    title = pgettext("sheet", "Prices %(supplier)s") % {"supplier": supplier.name}
    return tables.table_response(name, header, rows, file_format, title=title)
