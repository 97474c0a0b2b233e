"""The supply team's supplier pages (thin: read the form, call ``services``, render).

Purchase prices and margins are shown here only: these pages are the supply team's and the
coordinators' (``MANAGE_SUPPLY``), never a member's."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.orgs.permissions import Action, org_view

from . import selectors_suppliers as selectors
from . import services
from .forms_suppliers import SupplierForm, SupplierItemForm, SupplierNewForm, weekday_names
from .models import Supplier, SupplierItem

# Two phones saving at once may both pass the services' checks; the database's unique
# constraints (one name, one main supplier per product) then refuse the second one.
SAVED_MEANWHILE = DomainError(
    gettext_lazy("Someone saved the same thing at the same time: check the page and try again.")
)


def _supplier(request, pk: int) -> Supplier:
    return get_object_or_404(Supplier, pk=pk, organisation=request.organisation)


@org_view(Action.MANAGE_SUPPLY)
def supplier_list(request):
    """The suppliers, active ones first, with their delivery days and number of items."""
    suppliers = list(selectors.suppliers_with_item_counts(request.organisation))
    for supplier in suppliers:
        supplier.delivery_day_names = weekday_names(supplier.delivery_days)
    return render(
        request,
        "supply/suppliers/list.html",
        {
            "active": [supplier for supplier in suppliers if supplier.is_active],
            "inactive": [supplier for supplier in suppliers if not supplier.is_active],
            "pending_count": selectors.pending_proposal_count(request.organisation),
        },
    )


@org_view(Action.MANAGE_SUPPLY)
def supplier_new(request):
    form = SupplierNewForm(
        request.POST if request.method == "POST" else None, organisation=request.organisation
    )
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        producer = fields.pop("producer")
        kind = Supplier.Kind.PRODUCER if producer else Supplier.Kind.WHOLESALER
        try:
            supplier = services.supplier_create(
                organisation=request.organisation, producer=producer, kind=kind, **fields
            )
        except DomainError as error:
            add_domain_error(form, error)
        except IntegrityError:
            add_domain_error(form, SAVED_MEANWHILE)
        else:
            messages.success(request, _("The supplier has been added."))
            return redirect("supply:supplier", slug=request.organisation.slug, pk=supplier.pk)
    return render(request, "supply/suppliers/form.html", {"form": form})


@org_view(Action.MANAGE_SUPPLY)
def supplier_edit(request, pk: int):
    supplier = _supplier(request, pk)
    form = SupplierForm(request.POST if request.method == "POST" else None, instance=supplier)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_update(supplier=supplier, **form.cleaned_data)
        except (DomainError, IntegrityError) as error:
            add_domain_error(form, error if isinstance(error, DomainError) else SAVED_MEANWHILE)
            supplier.refresh_from_db()  # the page's title shows the saved supplier
        else:
            messages.success(request, _("The supplier has been saved."))
            return redirect("supply:supplier", slug=request.organisation.slug, pk=supplier.pk)
    return render(request, "supply/suppliers/form.html", {"form": form, "supplier": supplier})


@org_view(Action.MANAGE_SUPPLY)
def supplier_detail(request, pk: int):
    """A supplier's details and items; the form at the bottom adds an item."""
    supplier = _supplier(request, pk)
    form = SupplierItemForm(
        request.POST if request.method == "POST" else None,
        organisation=request.organisation,
        supplier=supplier,
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.supplier_item_save(
                supplier=supplier, made_by=request.user, **form.service_arguments()
            )
        except DomainError as error:
            add_domain_error(form, error)
        except IntegrityError:
            add_domain_error(form, SAVED_MEANWHILE)
        else:
            messages.success(request, _("“%(name)s” has been added.") % {"name": item.product.name})
            return redirect("supply:supplier", slug=request.organisation.slug, pk=supplier.pk)
    return render(
        request,
        "supply/suppliers/detail.html",
        {
            "supplier": supplier,
            "delivery_day_names": weekday_names(supplier.delivery_days),
            "rows": selectors.supplier_item_rows(supplier),
            "form": form,
            "pending_count": selectors.pending_proposal_count(request.organisation),
        },
    )


def _item(request, pk: int) -> SupplierItem:
    return get_object_or_404(
        SupplierItem.objects.select_related("supplier", "product"),
        pk=pk,
        organisation=request.organisation,
    )


@org_view(Action.MANAGE_SUPPLY)
def supplier_item_edit(request, pk: int):
    item = _item(request, pk)
    form = SupplierItemForm(
        request.POST if request.method == "POST" else None,
        organisation=request.organisation,
        item=item,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_item_save(
                supplier=item.supplier, made_by=request.user, **form.service_arguments()
            )
        except DomainError as error:
            add_domain_error(form, error)
        except IntegrityError:
            add_domain_error(form, SAVED_MEANWHILE)
        else:
            messages.success(request, _("“%(name)s” has been saved.") % {"name": item.product.name})
            return redirect("supply:supplier", slug=request.organisation.slug, pk=item.supplier_id)
    margin = selectors.margin_percent(
        purchase_price=item.purchase_price, price=item.product.price, vat_rate=item.product.vat_rate
    )
    return render(
        request, "supply/suppliers/item_form.html", {"form": form, "item": item, "margin": margin}
    )


@require_POST
@org_view(Action.MANAGE_SUPPLY)
def supplier_item_delete(request, pk: int):
    item = (
        SupplierItem.objects.select_related("supplier", "product")
        .filter(pk=pk, organisation=request.organisation)
        .first()
    )
    if item is None:
        # Removed meanwhile (a second tap, another phone): nothing left to do.
        messages.info(request, _("This product had already been removed."))
        return redirect("supply:suppliers", slug=request.organisation.slug)
    services.supplier_item_delete(item=item)
    messages.success(
        request,
        _("“%(product)s” is no longer bought from %(supplier)s.")
        % {"product": item.product.name, "supplier": item.supplier.name},
    )
    return redirect("supply:supplier", slug=request.organisation.slug, pk=item.supplier_id)
