"""Inventory pages: the list, starting a session, counting on a phone, the differences and
the validation, the report's export.

The supply team (and coordinators: MANAGE_SUPPLY) start, count and validate; volunteers
(RUN_DISTRIBUTION) count too (``_check_may_count``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabas.core import tables
from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.orgs.permissions import Action, can, org_view

from . import inventories
from .forms_inventory import InventoryCountForm, InventorySearchForm, InventoryStartForm
from .models import InventorySession, Product


def _session(request, pk: int) -> InventorySession:
    return get_object_or_404(InventorySession, pk=pk, organisation=request.organisation)


def _check_may_count(request) -> None:
    """Counting is for the supply team and the volunteers (and coordinators)."""
    organisation = request.organisation
    if not (
        can(request.user, Action.MANAGE_SUPPLY, organisation)
        or can(request.user, Action.RUN_DISTRIBUTION, organisation)
    ):
        raise PermissionDenied


def _count_url(request, session) -> str:
    return reverse("catalog:inventory_count", args=[request.organisation.slug, session.pk])


@org_view(Action.USE_MEMBER_AREA)
def inventory_list(request):
    _check_may_count(request)
    sessions = list(inventories.inventory_sessions(organisation=request.organisation)[:100])
    manager = can(request.user, Action.MANAGE_SUPPLY, request.organisation)
    return render(
        request, "catalog/inventory_list.html", {"sessions": sessions, "manager": manager}
    )


@org_view(Action.MANAGE_SUPPLY)
def inventory_start(request):
    form = InventoryStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            session = inventories.inventory_start(
                organisation=request.organisation, started_by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The inventory is open: count!"))
            return redirect(_count_url(request, session))
    return render(request, "catalog/inventory_start.html", {"form": form})


@org_view(Action.USE_MEMBER_AREA)
def inventory_count(request, pk: int):
    _check_may_count(request)
    session = _session(request, pk)
    search = InventorySearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    groups, counted, total = inventories.counting_groups(session=session, search=query)
    return render(
        request,
        "catalog/inventory_count.html",
        {
            "session": session,
            "groups": groups,
            "counted": counted,
            "total": total,
            "search": search,
            "query": query,
            "manager": can(request.user, Action.MANAGE_SUPPLY, request.organisation),
        },
    )


@require_POST
@org_view(Action.USE_MEMBER_AREA)
def inventory_count_save(request, pk: int, product_pk: int):
    """One product's count: htmx swaps its card; without script, back to the page."""
    _check_may_count(request)
    session = _session(request, pk)
    product = get_object_or_404(
        Product.objects.select_related("producer"), pk=product_pk, organisation=request.organisation
    )
    form = InventoryCountForm(request.POST)
    error = None
    if form.is_valid():
        try:
            product.count = inventories.inventory_count_record(
                session=session,
                product_id=product.pk,
                quantity=form.cleaned_data["quantity"],
                counted_by=request.user,
            )
        except DomainError as exc:
            error = str(exc)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        if error:
            product.count = (
                session.counts.select_related("counted_by").filter(product=product).first()
            )
        context = {"session": session, "product": product, "row_error": error,
                   "saved": error is None, "typed": request.POST.get("quantity", "")}  # fmt: skip
        return render(
            request, "catalog/includes/inventory_row.html", context, status=422 if error else 200
        )
    if error:
        messages.error(request, f"{product.name} : {error}")
    else:
        messages.success(request, _("“%(name)s” counted.") % {"name": product.name})
    return redirect(f"{_count_url(request, session)}#product-{product.pk}")


@org_view(Action.MANAGE_SUPPLY)
def inventory_review(request, pk: int):
    """The differences before validation, or the report of a validated session."""
    session = _session(request, pk)
    rows, total = inventories.differences(session=session)
    return render(
        request,
        "catalog/inventory_review.html",
        {
            "session": session,
            "rows": rows,
            "total": total,
            "uncounted": inventories.scope_products(session).count() - session.counts.count(),
        },
    )


@require_POST
@org_view(Action.MANAGE_SUPPLY)
def inventory_validate(request, pk: int):
    session = _session(request, pk)
    try:
        inventories.inventory_validate(session=session, validated_by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The inventory is validated: the stock is the counted one."))
    return redirect("catalog:inventory_review", slug=request.organisation.slug, pk=session.pk)


@require_POST
@org_view(Action.MANAGE_SUPPLY)
def inventory_cancel(request, pk: int):
    session = _session(request, pk)
    try:
        inventories.inventory_cancel(session=session)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The inventory is cancelled; the stock has not changed."))
    return redirect("catalog:inventories", slug=request.organisation.slug)


@org_view(Action.MANAGE_SUPPLY)
def inventory_export(request, pk: int, file_format: str):
    if file_format not in tables.FORMATS:
        raise Http404
    session = _session(request, pk)
    header, rows = inventories.report_table(session=session)
    name = f"{slugify(_('inventory'))}-{request.organisation.slug}-{session.pk}"
    title = capfirst(_("inventory"))
    return tables.table_response(name, header, rows, file_format, title=title)
