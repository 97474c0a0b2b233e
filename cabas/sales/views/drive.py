"""Coordinator: drive mode (opening hours and settings)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.orgs.permissions import Action, org_view

from .. import selectors, services
from ..forms import DriveForm, format_hours


@org_view(Action.MANAGE_ORGANISATION)
def drive(request):
    organisation = request.organisation
    current = selectors.drive_of(organisation)
    hours = selectors.drive_hours_by_weekday(organisation)
    initial = {
        f"hours_{day}": format_hours((h.starts_time, h.ends_time) for h in ranges)
        for day, ranges in hours.items()
    }
    if current is not None:
        initial.update(
            is_active=current.is_active,
            name=current.name,
            pickup_point=current.pickup_point_id,
            slot_minutes=current.slot_minutes,
            slot_capacity=current.slot_capacity,
            lead_time_minutes=current.lead_time_minutes,
            days_ahead=current.days_ahead,
        )
    form = DriveForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.drive_save(
                organisation=organisation,
                hours=data["hours"],
                pickup_point=data["pickup_point"],
                slot_minutes=data["slot_minutes"],
                slot_capacity=data["slot_capacity"],
                lead_time_minutes=data["lead_time_minutes"],
                days_ahead=data["days_ahead"],
                name=data["name"],
                is_active=data["is_active"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Drive saved; its next days are prepared."))
            return redirect("sales:drive", slug=organisation.slug)
    return render(
        request,
        "sales/drive.html",
        {"organisation": organisation, "form": form, "drive": current},
    )
