"""Reception pages, phone first: the orders waiting for their delivery, checking one in
line by line (htmx swaps a line's card; without script the page comes back), its
validation after a confirmation, and its differences (page, files, e-mail to the supplier).
The supply team and the coordinators (MANAGE_SUPPLY)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.http import require_POST

from cabas.core import tables
from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.orgs.permissions import Action, org_view

from . import receptions, services
from .forms_receptions import ReceptionLineAddForm, ReceptionLineForm, ReceptionStartForm
from .models import PurchaseOrder, Reception, ReceptionLine


def _reception(request, pk: int) -> Reception:
    return get_object_or_404(
        Reception.objects.select_related("supplier", "purchase_order", "validated_by"),
        pk=pk,
        organisation=request.organisation,
    )


def _reception_url(request, reception, anchor: str = "") -> str:
    url = reverse("supply:reception", args=[request.organisation.slug, reception.pk])
    return f"{url}#{anchor}" if anchor else url


def _errors_text(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


@org_view(Action.MANAGE_SUPPLY)
def reception_list(request):
    organisation = request.organisation
    return render(
        request,
        "supply/receptions/list.html",
        {
            "orders": list(receptions.orders_to_receive(organisation=organisation)),
            "receptions": receptions.recent_receptions(organisation=organisation),
        },
    )


@org_view(Action.MANAGE_SUPPLY)
def reception_start(request):
    """POST ``purchase_order``: check in its delivery (or join the one being checked);
    otherwise choose the supplier of a delivery without an order."""
    organisation = request.organisation
    suppliers = receptions.suppliers_for_reception(organisation=organisation)
    if request.method == "POST" and "purchase_order" in request.POST:
        order = get_object_or_404(
            PurchaseOrder,
            pk=_whole(request.POST["purchase_order"]),
            organisation=organisation,
        )
        try:
            reception = services.reception_start(purchase_order=order, started_by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("supply:receptions", slug=organisation.slug)
        return redirect(_reception_url(request, reception))
    form = ReceptionStartForm(
        request.POST if request.method == "POST" else None, suppliers=suppliers
    )
    if request.method == "POST" and form.is_valid():
        reception = services.reception_start(started_by=request.user, **form.cleaned_data)
        return redirect(_reception_url(request, reception))
    return render(request, "supply/receptions/start.html", {"form": form})


def _whole(text: str) -> int:
    if not text.isdigit() or len(text) > 12:
        raise Http404
    return int(text)


def _page(request, reception, *, add_form=None, status=200):
    lines = receptions.reception_lines(reception=reception)
    products = receptions.receivable_products(reception=reception).exclude(
        pk__in=[line.product_id for line in lines]
    )
    return render(
        request,
        "supply/receptions/reception.html",
        {
            "reception": reception,
            "lines": lines,
            "counted": sum(1 for line in lines if line.received_quantity is not None),
            "add_form": add_form or ReceptionLineAddForm(products=products, prefix="add"),
        },
        status=status,
    )


@org_view(Action.MANAGE_SUPPLY)
def reception_detail(request, pk: int):
    return _page(request, _reception(request, pk))


@require_POST
@org_view(Action.MANAGE_SUPPLY)
def reception_line(request, pk: int, line_pk: int):
    """One line's count: htmx swaps its card; without script, back to the page."""
    reception = _reception(request, pk)
    line = get_object_or_404(
        ReceptionLine.objects.select_related("product", "counted_by"),
        pk=line_pk,
        reception=reception,
    )
    form = ReceptionLineForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.reception_line_count(line=line, counted_by=request.user, **form.cleaned_data)
        except DomainError as exc:
            error = str(exc)
    else:
        error = _errors_text(form)
    if request.htmx:
        line.refresh_from_db()
        context = {"reception": reception, "line": line, "row_error": error,
                   "saved": error is None, "typed": request.POST}  # fmt: skip
        return render(
            request, "supply/receptions/_line.html", context, status=422 if error else 200
        )
    if error:
        messages.error(request, f"{line.product.name} : {error}")
    else:
        messages.success(request, _("“%(name)s” counted.") % {"name": line.product.name})
    return redirect(_reception_url(request, reception, f"line-{line.pk}"))


@require_POST
@org_view(Action.MANAGE_SUPPLY)
def reception_all_as_ordered(request, pk: int):
    reception = _reception(request, pk)
    try:
        counted = services.reception_all_as_ordered(reception=reception, counted_by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        text = ngettext(
            "%(count)s line received as ordered.", "%(count)s lines received as ordered.", counted
        )
        messages.success(request, text % {"count": counted})
    return redirect(_reception_url(request, reception))


@require_POST
@org_view(Action.MANAGE_SUPPLY)
def reception_line_add(request, pk: int):
    reception = _reception(request, pk)
    products = receptions.receivable_products(reception=reception)
    form = ReceptionLineAddForm(request.POST, products=products, prefix="add")
    if form.is_valid():
        try:
            line = services.reception_line_add(
                reception=reception, counted_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("“%(name)s” added.") % {"name": line.product.name})
            return redirect(_reception_url(request, reception, f"line-{line.pk}"))
    return _page(request, reception, add_form=form, status=422)


@org_view(Action.MANAGE_SUPPLY)
def reception_validate(request, pk: int):
    """GET: what the validation will do (the differences), to confirm; POST: validate."""
    reception = _reception(request, pk)
    if request.method == "POST":
        try:
            services.reception_validate(reception=reception, made_by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(_reception_url(request, reception))
        messages.success(request, _("The reception is validated: the goods are in the stock."))
        return redirect("supply:reception_differences", slug=request.organisation.slug, pk=pk)
    lines = receptions.reception_lines(reception=reception)
    return render(
        request,
        "supply/receptions/validate.html",
        {
            "reception": reception,
            "lines": lines,
            "uncounted": sum(1 for line in lines if line.received_quantity is None),
            "report": receptions.differences(reception=reception),
        },
    )


@org_view(Action.MANAGE_SUPPLY)
def reception_differences(request, pk: int):
    """The differences with the order; POST sends them to the supplier by e-mail."""
    reception = _reception(request, pk)
    if request.method == "POST":
        try:
            services.reception_differences_send(reception=reception, sent_by=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The differences will be e-mailed to %(email)s.")
                % {"email": reception.supplier.order_email},
            )
        return redirect("supply:reception_differences", slug=request.organisation.slug, pk=pk)
    return render(
        request,
        "supply/receptions/differences.html",
        {"reception": reception, "report": receptions.differences(reception=reception)},
    )


@org_view(Action.MANAGE_SUPPLY)
def reception_differences_file(request, pk: int, file_format: str):
    if file_format not in tables.FORMATS:
        raise Http404
    reception = _reception(request, pk)
    header, rows = receptions.differences_table(receptions.differences(reception=reception))
    word = slugify(pgettext("file name", "reception differences"))
    name = f"{word}-{request.organisation.slug}-{reception.pk}"
    title = capfirst(pgettext("file name", "reception differences"))
    return tables.table_response(name, header, rows, file_format, title=title)
