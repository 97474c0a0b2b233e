"""Coordinator: one pickup's duties (a one-off duty, places, cancelling), and the duties that
lack people (assign someone, or write to everyone who could come)."""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.orgs.permissions import Action, org_view
from cabas.sales.models import Pickup

from . import errors, selectors_manage, services
from .forms import AssignForm, DutyAddForm, DutyPlacesForm
from .models import WorkPeriod


def _pickup(request, pickup_id: int) -> Pickup:
    return get_object_or_404(
        Pickup.objects.select_related("pickup_point", "sale"),
        pk=pickup_id,
        organisation=request.organisation,
    )


def _duty(request, period_id: int) -> WorkPeriod:
    return get_object_or_404(
        WorkPeriod.objects.select_related("organisation", "pickup"),
        pk=period_id,
        organisation=request.organisation,
        kind=WorkPeriod.Kind.DUTY,
    )


def _back(request, period: WorkPeriod):
    """Back to the gaps when the form came from there, else to the duty's pickup."""
    if request.POST.get("back") == "gaps":
        return redirect("work:gaps", slug=request.organisation.slug)
    return redirect(
        "work:pickup_duties", slug=request.organisation.slug, pickup_id=period.pickup_id
    )


@org_view(Action.MANAGE_ORGANISATION)
def pickup_duties(request, pickup_id: int):
    pickup = _pickup(request, pickup_id)
    is_over = pickup.ends_at <= timezone.now()
    if not is_over:
        # Nothing missing, whatever the worker did: the templates' duties of this pickup.
        services.duties_generate_for_pickup(pickup=pickup)
    return render(
        request,
        "work/manage/pickup_duties.html",
        {
            "organisation": request.organisation,
            "pickup": pickup,
            "duties": selectors_manage.pickup_duties(pickup),
            "add_form": DutyAddForm(organisation=request.organisation),
            "is_over": is_over,
        },
    )


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def duty_add(request, pickup_id: int):
    pickup = _pickup(request, pickup_id)
    form = DutyAddForm(request.POST, organisation=request.organisation)
    if form.is_valid():
        try:
            services.duty_add(pickup=pickup, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Duty added."))
    else:
        messages.error(request, _("Check the duty: the task, the hours and the people needed."))
    return redirect("work:pickup_duties", slug=request.organisation.slug, pickup_id=pickup.pk)


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def duty_places(request, period_id: int):
    period = _duty(request, period_id)
    form = DutyPlacesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The people needed: a whole number from 1 to 50."))
        return _back(request, period)
    try:
        services.duty_set_places(period=period, places=form.cleaned_data["places"])
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Places saved."))
    return _back(request, period)


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def duty_cancel(request, period_id: int):
    period = _duty(request, period_id)
    try:
        services.duty_cancel(period=period)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The duty is cancelled; the people on it are told by e-mail."))
    return _back(request, period)


@org_view(Action.MANAGE_ORGANISATION)
def gaps(request):
    return render(
        request,
        "work/manage/gaps.html",
        {
            "organisation": request.organisation,
            "gaps": selectors_manage.duty_gaps(request.organisation, timezone.now()),
            # One token for the page: a double click on "write" sends each e-mail once.
            "appeal_token": secrets.token_urlsafe(16),
        },
    )


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def gap_assign(request, period_id: int):
    period = _duty(request, period_id)
    form = AssignForm(request.POST, period=period)
    if not form.is_valid():
        messages.error(request, _("Choose a member who may take duties and is not on it yet."))
        return _back(request, period)
    membership = form.cleaned_data["membership"]
    try:
        services.signup_create(period=period, membership=membership, by=request.user)
    except errors.AlreadySignedUp:
        messages.error(request, _("This person is already on this duty."))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(person)s is on the duty.") % {"person": membership.user})
    return _back(request, period)


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def gap_appeal(request, period_id: int):
    period = _duty(request, period_id)
    try:
        sent = services.duty_gap_appeal(period=period, appeal=request.POST.get("appeal", ""))
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if sent:
            messages.success(
                request,
                ngettext(
                    "Message sent to %(count)s person.", "Message sent to %(count)s people.", sent
                )
                % {"count": sent},
            )
        else:
            messages.info(request, _("Nobody new to write to: nothing was sent."))
    return _back(request, period)
