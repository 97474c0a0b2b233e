"""Coordinator: schedules (recurring sales)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.orgs.permissions import Action, org_view

from .. import selectors, services
from ..forms import ScheduleForm, SchedulePickupFormSet
from ..models import Schedule, SchedulePickup


@org_view(Action.MANAGE_ORGANISATION)
def schedule_list(request):
    return render(
        request,
        "sales/schedule_list.html",
        {
            "organisation": request.organisation,
            "schedules": list(selectors.schedules(organisation=request.organisation)),
        },
    )


def _schedule_specs(formset) -> list[services.SchedulePickupSpec]:
    return [
        services.SchedulePickupSpec(
            pickup_point=form.cleaned_data["pickup_point"],
            weekday=form.cleaned_data["weekday"],
            starts_time=form.cleaned_data["starts_time"],
            ends_time=form.cleaned_data["ends_time"],
            slot_mode=form.cleaned_data["slot_mode"],
            slot_minutes=form.cleaned_data["slot_minutes"],
            slot_capacity=form.cleaned_data["slot_capacity"],
            capacity=form.cleaned_data["capacity"],
        )
        for form in formset.kept_forms()
    ]


def _schedule_form_page(request, schedule: Schedule | None):
    organisation = request.organisation
    initial_pickups = (
        [
            {
                "pickup_point": p.pickup_point_id,
                "weekday": p.weekday,
                "starts_time": p.starts_time,
                "ends_time": p.ends_time,
                "slot_mode": p.slot_mode,
                "slot_minutes": p.slot_minutes,
                "slot_capacity": p.slot_capacity,
                "capacity": p.capacity,
            }
            for p in schedule.pickups.all()
        ]
        if schedule
        else []
    )
    form = ScheduleForm(
        request.POST or None,
        instance=schedule,
        initial=None if schedule else {"first_week": timezone.localdate()},
    )
    formset = SchedulePickupFormSet(
        request.POST or None,
        prefix="pickups",
        initial=initial_pickups,
        form_kwargs={"organisation": organisation},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if schedule is None:
                schedule = services.schedule_create(
                    organisation=organisation, pickups=_schedule_specs(formset), **form.cleaned_data
                )
            else:
                services.schedule_update(
                    schedule=schedule, pickups=_schedule_specs(formset), **form.cleaned_data
                )
        except DomainError as error:
            if error.field == "pickups":
                messages.error(request, str(error))
            else:
                add_domain_error(form, error)
        else:
            messages.success(request, _("Schedule saved; its next sales are prepared."))
            return redirect("sales:schedule_list", slug=organisation.slug)
    return render(
        request,
        "sales/schedule_form.html",
        {
            "organisation": organisation,
            "form": form,
            "formset": formset,
            "schedule": schedule,
        },
    )


@org_view(Action.MANAGE_ORGANISATION)
def schedule_create(request):
    return _schedule_form_page(request, None)


@org_view(Action.MANAGE_ORGANISATION)
def schedule_edit(request, schedule_id: int):
    schedule = get_object_or_404(
        Schedule.objects.prefetch_related(
            Prefetch("pickups", queryset=SchedulePickup.objects.order_by("pk"))
        ),
        pk=schedule_id,
        organisation=request.organisation,
    )
    return _schedule_form_page(request, schedule)


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def schedule_generate(request, schedule_id: int):
    schedule = get_object_or_404(Schedule, pk=schedule_id, organisation=request.organisation)
    report = services.schedule_generate(schedule=schedule)
    created = len(report.created)
    messages.success(
        request,
        ngettext("%(count)s sale prepared.", "%(count)s sales prepared.", created)
        % {"count": created},
    )
    for reason in report.skipped:
        messages.warning(request, reason)
    return redirect("sales:schedule_list", slug=request.organisation.slug)


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def schedule_delete(request, schedule_id: int):
    schedule = get_object_or_404(Schedule, pk=schedule_id, organisation=request.organisation)
    services.schedule_delete(schedule=schedule)
    messages.success(request, _("Schedule deleted; the sales it prepared are kept."))
    return redirect("sales:schedule_list", slug=request.organisation.slug)
