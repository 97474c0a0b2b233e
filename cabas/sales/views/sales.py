"""Coordinator: the sales (list, create, edit, status changes, delete)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.orgs.permissions import Action, can, org_view

from .. import selectors, services
from ..forms import SaleForm, SaleStatusForm
from .common import _error, _sale


@org_view(Action.MANAGE_ORGANISATION)
def sale_list(request):
    past = request.GET.get("past") == "1"
    return render(
        request,
        "sales/sale_list.html",
        {
            "organisation": request.organisation,
            "sales": list(selectors.sale_list(organisation=request.organisation, past=past)),
            "past": past,
        },
    )


@org_view(Action.MANAGE_ORGANISATION)
def sale_create(request):
    form = SaleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sale = services.sale_create(organisation=request.organisation, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Sale created. Now add its pickups."))
            return redirect("sales:sale_detail", slug=request.organisation.slug, sale_id=sale.pk)
    return render(
        request,
        "sales/sale_form.html",
        {"organisation": request.organisation, "form": form, "sale": None},
    )


@org_view(Action.MANAGE_ORGANISATION)
def sale_detail(request, sale_id: int):
    sale = _sale(request, sale_id)
    pickups = list(selectors.sale_pickups(sale=sale))
    return render(
        request,
        "sales/sale_detail.html",
        {
            "organisation": request.organisation,
            "sale": sale,
            "pickups": pickups,
            "order_count": sum(pickup.booked for pickup in pickups),
            "minimum_order_amount": selectors.sale_minimum_order_amount(sale=sale),
            "producers": selectors.sale_producers(sale=sale),
            "can_print_sheets": can(request.user, Action.RUN_DISTRIBUTION, request.organisation),
        },
    )


@org_view(Action.MANAGE_ORGANISATION)
def sale_edit(request, sale_id: int):
    sale = _sale(request, sale_id)
    form = SaleForm(request.POST or None, instance=sale)
    if request.method == "POST" and form.is_valid():
        try:
            services.sale_update(sale=sale, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Sale saved."))
            return redirect("sales:sale_detail", slug=request.organisation.slug, sale_id=sale.pk)
    return render(
        request,
        "sales/sale_form.html",
        {"organisation": request.organisation, "form": form, "sale": sale},
    )


_STATUS_ACTIONS = {
    "schedule": (
        services.sale_schedule,
        gettext_lazy("The sale is scheduled: it will open by itself."),
    ),
    "unschedule": (services.sale_unschedule, gettext_lazy("The sale is back to draft.")),
    "open_now": (services.sale_open_now, gettext_lazy("The sale is open.")),
    "close_now": (services.sale_close_now, gettext_lazy("Orders are closed.")),
    "distributed": (
        services.sale_mark_distributed,
        gettext_lazy("The sale is marked as distributed."),
    ),
    "archive": (services.sale_archive, gettext_lazy("The sale is archived.")),
}


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def sale_status(request, sale_id: int):
    sale = _sale(request, sale_id)
    form = SaleStatusForm(request.POST)
    if form.is_valid():
        service, done = _STATUS_ACTIONS[form.cleaned_data["action"]]
        try:
            service(sale=sale)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, str(done))
    return redirect("sales:sale_detail", slug=request.organisation.slug, sale_id=sale.pk)


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def sale_delete(request, sale_id: int):
    sale = _sale(request, sale_id)
    try:
        services.sale_delete(sale=sale)
    except DomainError as error:
        _error(request, error)
        return redirect("sales:sale_detail", slug=request.organisation.slug, sale_id=sale.pk)
    messages.success(request, _("The sale was deleted."))
    return redirect("sales:sale_list", slug=request.organisation.slug)
