"""The supply team's ordering pages (thin: read the query or the form, call the suggestions,
the selectors or the services, render): suggested orders, purchase orders, one order, its
printable page and its file."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from cabas.core.downloads import content_disposition
from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.core.params import BadQueryParameter, query_int, whole_number
from cabas.orgs.permissions import Action, org_view

from . import errors, order_documents, order_selectors, services, suggestions
from .forms_orders import (
    LineAddForm,
    NewOrderForm,
    PurchaseOrderDetailsForm,
    QuantitiesForm,
    SendForm,
)
from .models import PurchaseOrder, Supplier, SupplierItem

DAYS_MAX = 365


def _days(request, name: str, default: int) -> int:
    days = query_int(request, name, maximum=10_000)
    if days is None:
        return default
    if not 1 <= days <= DAYS_MAX:
        raise BadQueryParameter(
            _("Choose a number of days between 1 and %(max)s.") % {"max": DAYS_MAX}, name=name
        )
    return days


def _supplier(request) -> Supplier | None:
    pk = query_int(request, "supplier")
    if pk is None:
        return None
    supplier = Supplier.objects.filter(organisation=request.organisation, pk=pk).first()
    if supplier is None:
        raise BadQueryParameter(_("This supplier does not exist."), name="supplier")
    return supplier


def _purchase_order(request, pk: int) -> PurchaseOrder:
    try:
        return order_selectors.purchase_order_detail(organisation=request.organisation, pk=pk)
    except PurchaseOrder.DoesNotExist as exc:
        raise Http404 from exc


# --- Suggested orders ------------------------------------------------------------------------


@org_view(Action.MANAGE_SUPPLY)
def suggestions_page(request):
    """Choose a supplier; its products with stock, sales, cover and the quantity to order,
    editable; "Create the purchase order" turns the quantities into a draft."""
    settings = suggestions.settings_of(request.organisation)
    supplier = _supplier(request)
    period = _days(request, "days", settings.sales_period_days)
    target = _days(request, "target", settings.target_cover_days)
    rows, form = [], None
    if supplier is not None:
        rows = suggestions.supplier_suggestions(
            supplier=supplier, today=timezone.localdate(), period_days=period, target_days=target
        )
        products = [row.product for row in rows]
        initial = {row.product.pk: row.quantity for row in rows}
        data = request.POST if request.method == "POST" else None
        form = QuantitiesForm(data, products=products, initial_quantities=initial)
        if data is not None and form.is_valid() and not any(form.quantities().values()):
            form.add_error(None, _("Enter a quantity for at least one product."))
        elif data is not None and form.is_valid():
            try:
                order = services.purchase_order_create(
                    supplier=supplier, created_by=request.user, quantities=form.quantities()
                )
            except DomainError as error:
                add_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Purchase order %(reference)s created: check it, then send it.")
                    % {"reference": order.reference},
                )
                return redirect("supply:purchase_order", request.organisation.slug, order.pk)
    elif request.method == "POST":
        raise BadQueryParameter(_("Choose a supplier first."), name="supplier")
    suppliers = Supplier.objects.filter(organisation=request.organisation, is_active=True)
    return render(
        request,
        "supply/orders/suggestions.html",
        {
            "suppliers": suppliers,
            "supplier": supplier,
            "rows": [(row, form[f"quantity-{row.product.pk}"]) for row in rows] if form else [],
            "form": form,
            "period": period,
            "target": target,
            # A draft to this supplier already: add to it rather than make a second order.
            "drafts": list(
                supplier.purchase_orders.filter(status=PurchaseOrder.Status.DRAFT).order_by("pk")
            )
            if supplier is not None
            else [],
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


# --- Purchase orders --------------------------------------------------------------------------


@org_view(Action.MANAGE_SUPPLY)
def purchase_orders(request):
    """The orders, newest first, by status, with their totals; an empty order for a supplier."""
    status = request.GET.get("status", "").strip()
    if status and status not in PurchaseOrder.Status.values:
        raise BadQueryParameter(_("This status does not exist."), name="status")
    form = NewOrderForm(request.POST or None, organisation=request.organisation)
    if request.method == "POST" and form.is_valid():
        order = services.purchase_order_create(
            supplier=form.cleaned_data["supplier"], created_by=request.user
        )
        messages.success(
            request, _("Purchase order %(reference)s created.") % {"reference": order.reference}
        )
        return redirect("supply:purchase_order", request.organisation.slug, order.pk)
    return render(
        request,
        "supply/orders/list.html",
        {
            "orders": order_selectors.purchase_orders_list(
                organisation=request.organisation, status=status
            ),
            "status": status,
            "status_choices": PurchaseOrder.Status.choices,
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _forms(request, order: PurchaseOrder, action: str) -> dict:
    """The order page's forms, the one posted (``action``) bound to the request."""
    items = list(
        SupplierItem.objects.filter(supplier_id=order.supplier_id, product__is_active=True)
        .select_related("product")
        .order_by("product__name")
    )
    lines = list(order.lines.all())

    def bound(name):
        return request.POST if action == name else None

    return {
        "details": PurchaseOrderDetailsForm(
            bound("details"), initial={"expected_on": order.expected_on, "note": order.note}
        ),
        "lines": QuantitiesForm(
            bound("lines"),
            products=[line.product for line in lines],
            initial_quantities={line.product_id: line.quantity for line in lines},
            required=True,
        ),
        "add": LineAddForm(bound("add"), items=items),
        "send": SendForm(bound("send")),
    }


def _act(request, order: PurchaseOrder, action: str, form) -> str:
    """Run the posted action; returns the success message (DomainError when refused)."""
    if action == "details":
        services.purchase_order_update(purchase_order=order, **form.cleaned_data)
        return _("The order has been saved.")
    if action == "lines":
        services.purchase_order_lines_set(purchase_order=order, quantities=form.quantities())
        return _("The quantities have been saved.")
    if action == "add":
        item = (
            SupplierItem.objects.select_related("product")
            .filter(supplier_id=order.supplier_id, product_id=form.cleaned_data["product"])
            .first()
        )
        if item is None:  # taken off the supplier's products since the page was shown
            raise errors.NotSoldBySupplier(field="product")
        services.purchase_order_line_set(
            purchase_order=order, product=item.product, quantity=form.cleaned_data["quantity"]
        )
        return _("“%(product)s” is on the order.") % {"product": item.product.name}
    if action in ("send", "mark_sent"):
        services.purchase_order_send(
            purchase_order=order,
            sent_by=request.user,
            file_format=form.cleaned_data["file_format"],
            by_email=action == "send",
        )
        if action == "send":
            return _("The order is sent to %(email)s.") % {"email": order.supplier.order_email}
        return _("The order is marked as sent.")
    services.purchase_order_cancel(purchase_order=order)
    return _("The order has been cancelled.")


FORM_OF = {
    "details": "details",
    "lines": "lines",
    "add": "add",
    "send": "send",
    "mark_sent": "send",
}
ACTIONS = (*FORM_OF, "remove", "cancel")


@org_view(Action.MANAGE_SUPPLY)
def purchase_order(request, pk: int):
    """One order: a draft's delivery date, note and lines edited, products added, the order
    sent (by e-mail as PDF or XLSX, or marked as sent) or cancelled."""
    order = _purchase_order(request, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if request.method == "POST" and action not in ACTIONS:
        raise BadQueryParameter(_("This action does not exist."), name="action")
    forms = _forms(request, order, FORM_OF.get(action, ""))
    if action:
        form = forms.get(FORM_OF.get(action, ""))
        if form is None or form.is_valid():
            try:
                if action == "remove":
                    line_id = whole_number(request.POST.get("line", "")) or 0
                    services.purchase_order_line_remove(purchase_order=order, line_id=line_id)
                    done = _("The line has been removed.")
                else:
                    done = _act(request, order, action, form)
            except DomainError as error:
                # A refusal of the whole order (sent meanwhile, a second click) is told on
                # the order's page, which then shows no form to correct.
                if form is None or isinstance(error, errors.PurchaseOrderNotDraft):
                    messages.error(request, str(error))
                    return redirect("supply:purchase_order", request.organisation.slug, order.pk)
                add_domain_error(form, error)
            else:
                messages.success(request, done)
                return redirect("supply:purchase_order", request.organisation.slug, order.pk)
    return render(
        request,
        "supply/orders/detail.html",
        {
            **order_documents.document_context(order),
            "forms": forms,
            "line_fields": [
                (line, forms["lines"][f"quantity-{line.product_id}"]) for line in order.lines.all()
            ],
            "can_cancel": order.status in (PurchaseOrder.Status.DRAFT, PurchaseOrder.Status.SENT),
        },
        status=400 if action else 200,
    )


@org_view(Action.MANAGE_SUPPLY)
def purchase_order_print(request, pk: int):
    order = _purchase_order(request, pk)
    return render(request, "supply/orders/print.html", order_documents.document_context(order))


@org_view(Action.MANAGE_SUPPLY)
def purchase_order_file(request, pk: int, file_format: str):
    if file_format not in PurchaseOrder.FileFormat.values:
        raise Http404
    order = _purchase_order(request, pk)
    content, content_type = order_documents.purchase_order_file(order, file_format)
    response = HttpResponse(content, content_type=content_type)
    name = order_documents.file_name(order, file_format)
    response["Content-Disposition"] = content_disposition(name)
    return response
