"""Coordinator: closing days."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.orgs.permissions import Action, org_view

from .. import selectors, services
from ..forms import ClosingPeriodForm
from ..models import ClosingPeriod


@org_view(Action.MANAGE_ORGANISATION)
def closing_days(request):
    form = ClosingPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closing_period_create(organisation=request.organisation, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Closing days added."))
            return redirect("sales:closing_days", slug=request.organisation.slug)
    return render(
        request,
        "sales/closing_days.html",
        {
            "organisation": request.organisation,
            "form": form,
            "periods": list(
                selectors.closing_periods(
                    organisation=request.organisation, from_day=timezone.localdate()
                )
            ),
        },
    )


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def closing_day_delete(request, period_id: int):
    period = get_object_or_404(ClosingPeriod, pk=period_id, organisation=request.organisation)
    services.closing_period_delete(closing_period=period)
    messages.success(request, _("Closing days removed."))
    return redirect("sales:closing_days", slug=request.organisation.slug)
