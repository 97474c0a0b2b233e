"""The supply team's stock pages (thin: read the query, call ``stock_reports`` or the
services, render a page or a CSV/XLSX file through ``core.tables``)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cabas.core import forms as core_forms
from cabas.core import tables
from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.core.params import BadQueryParameter, query_date, query_int
from cabas.orgs.permissions import Action, org_view

from . import categories, services
from . import stock_reports as reports
from .forms import StockAdjustForm
from .models import Product, StockMovement

DEFAULT_DAYS = 28  # four weeks, today included
MOVEMENTS_SHOWN = 200  # on the page; the files hold them all


class StockMinimumForm(forms.Form):
    stock_minimum = core_forms.DecimalField(
        label=gettext_lazy("Stock minimum"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=3,
    )


def period(request) -> tuple[date, date]:
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD``; by default the last four weeks to today."""
    end = query_date(request, "to") or timezone.localdate()
    start = query_date(request, "from") or end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise BadQueryParameter(_("The start of the period must be before its end."), name="from")
    return start, end


def category_param(request) -> str:
    category = request.GET.get("category", "").strip()
    if category and not categories.is_valid(category):
        raise BadQueryParameter(_("This category does not exist."), name="category")
    return category


def _reason(request) -> str:
    reason = request.GET.get("reason", "").strip()
    if reason and reason not in StockMovement.Reason.values:
        raise BadQueryParameter(_("This reason does not exist."), name="reason")
    return reason


def _shop_product(request, pk: int | None) -> Product | None:
    if pk is None:
        return None
    return get_object_or_404(
        Product, pk=pk, organisation=request.organisation, stock_mode=Product.StockMode.SHOP
    )


def _filters(request) -> dict:
    """The movements' filters from the query string (400 with a message when unreadable)."""
    start, end = period(request)
    product = _shop_product(request, query_int(request, "product"))
    return {
        "start": start,
        "end": end,
        "product": product,
        "category": category_param(request),
        "reason": _reason(request),
    }


def _movements(request, filters: dict):
    return reports.movements_in_period(
        organisation=request.organisation,
        start=filters["start"],
        end=filters["end"],
        product_id=filters["product"].pk if filters["product"] else None,
        category=filters["category"],
        reason=filters["reason"],
    )


def choices_context(request) -> dict:
    return {
        "category_choices": [(family.code, family.label) for family in categories.TREE],
        "reason_choices": StockMovement.Reason.choices,
        "query": request.GET.urlencode(),
    }


@org_view(Action.MANAGE_SUPPLY)
def stock_list(request):
    """Every shop-stock product with its stock and minimum, those below it first."""
    category = category_param(request)
    products = list(
        reports.shop_stock_products(organisation=request.organisation, category=category)
    )
    return render(
        request,
        "catalog/stock/list.html",
        {
            "products": products,
            "low_count": sum(1 for product in products if product.is_low),
            "category": category,
            **choices_context(request),
        },
    )


@require_POST
@org_view(Action.MANAGE_SUPPLY)
def stock_minimum(request, pk: int):
    product = _shop_product(request, pk)
    form = StockMinimumForm(request.POST)
    if form.is_valid():
        try:
            services.product_stock_minimum_set(product=product, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("The minimum of “%(name)s” has been saved.") % {"name": product.name}
            )
    else:
        messages.error(
            request,
            _("The minimum of “%(name)s” was not saved: %(errors)s")
            % {"name": product.name, "errors": " ".join(form.errors["stock_minimum"])},
        )
    return redirect("catalog:stock_list", slug=request.organisation.slug)


@org_view(Action.MANAGE_SUPPLY)
def stock_product(request, pk: int):
    """One product's stock for the supply team: its last movements and a change by hand
    (the same page as the catalog's, back to the stock list)."""
    return stock_adjust_page(request, _shop_product(request, pk), back="catalog:stock_list")


def stock_adjust_page(request, product: Product, *, back: str):
    """A change of a product's shop stock by hand with its reason, above its last
    movements; once saved, back to the page named ``back``."""
    form = StockAdjustForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.stock_adjust(product=product, made_by=request.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The stock has been updated."))
            return redirect(back, slug=request.organisation.slug)
    movements = product.stock_movements.select_related("made_by")[:20]
    return render(
        request,
        "catalog/stock_adjust.html",
        {
            "form": form,
            "product": product,
            "movements": movements,
            "supply": back == "catalog:stock_list",
        },
    )


@org_view(Action.MANAGE_SUPPLY)
def stock_movements(request):
    """The movements of a period (newest first, the first ones on the page) with the totals
    per reason."""
    filters = _filters(request)
    movements = _movements(request, filters)
    shown = list(movements[: MOVEMENTS_SHOWN + 1])
    totals = reports.movement_totals(movements)
    count = sum(total.count for total in totals)
    return render(
        request,
        "catalog/stock/movements.html",
        {
            **filters,
            "movements": shown[:MOVEMENTS_SHOWN],
            "more": max(count - MOVEMENTS_SHOWN, 0),
            "totals": totals,
            "products": Product.objects.filter(
                organisation=request.organisation, stock_mode=Product.StockMode.SHOP
            ).only("pk", "name"),
            **choices_context(request),
        },
    )


# --- Files ----------------------------------------------------------------------------------


def _products_table(request):
    header = [_("Product"), _("Producer"), _("Stock"), _("Stock minimum"), _("Below minimum")]
    products = reports.shop_stock_products(
        organisation=request.organisation, category=category_param(request)
    )
    rows = (
        [p.name, p.producer.name, p.stock_quantity, p.stock_minimum, p.is_low] for p in products
    )
    return header, rows


def _movements_table(request):
    header = [_("Date"), _("Product"), _("Reason"), _("Change in stock"), _("Stock after"), _("By")]
    header.append(_("Note"))
    rows = (
        [
            timezone.localtime(m.created_at).replace(tzinfo=None, microsecond=0),
            m.product.name,
            m.get_reason_display(),
            m.delta,
            m.quantity_after,
            str(m.made_by) if m.made_by else "",
            m.note,
        ]
        for m in _movements(request, _filters(request))
    )
    return header, rows


FILES = {
    "products": (_products_table, gettext_lazy("stock")),
    "movements": (_movements_table, gettext_lazy("stock movements")),
}


@org_view(Action.MANAGE_SUPPLY)
def stock_file(request, report: str, file_format: str):
    return tables.report_response(request, FILES, report, file_format)
