"""Coordinator: the organisation's sales settings."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cabas.orgs.permissions import Action, org_view

from .. import selectors, services
from ..forms import SalesSettingsForm


@org_view(Action.MANAGE_ORGANISATION)
def sales_settings(request):
    current = selectors.sales_settings_of(request.organisation)
    form = SalesSettingsForm(
        request.POST or None, initial={"minimum_order_amount": current.minimum_order_amount}
    )
    if request.method == "POST" and form.is_valid():
        services.sales_settings_update(
            organisation=request.organisation,
            minimum_order_amount=form.cleaned_data["minimum_order_amount"],
        )
        messages.success(request, _("Settings saved."))
        return redirect("sales:sale_list", slug=request.organisation.slug)
    return render(
        request, "sales/sales_settings.html", {"organisation": request.organisation, "form": form}
    )
