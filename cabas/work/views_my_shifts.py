"""A coop member's own shifts ("Mes services"): their coming shifts, counter and status,
exemptions, the shifts others offer and those with a place left, each one tap away.
The rules (one shift per cycle for a flying member, more while a make-up is owed; who may
take an offered place) are the services'; a refusal is shown as their message."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.orgs.permissions import Action, org_view

from . import selectors_shifts, services
from .models import Signup, WorkPeriod


def _back(request):
    return redirect("work:my_shifts", slug=request.organisation.slug)


@org_view(Action.USE_MEMBER_AREA)
def my_shifts(request):
    page = selectors_shifts.my_shifts(membership=request.membership, now=timezone.now())
    return render(request, "work/shifts/mine.html", {"page": page})


@org_view(Action.USE_MEMBER_AREA)
@require_POST
def my_shift_take(request, pk: int):
    """One tap, "Je prends ce service": a place on a coming shift."""
    period = get_object_or_404(
        WorkPeriod.objects.shifts().select_related("organisation"),
        pk=pk,
        organisation=request.organisation,
    )
    try:
        services.signup_create(period=period, membership=request.membership)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The shift is yours. Thank you!"))
    return _back(request)


def _own_signup(request, pk: int) -> Signup:
    return get_object_or_404(
        Signup.objects.select_related("period"),
        pk=pk,
        membership=request.membership,
        period__kind=WorkPeriod.Kind.SHIFT,
    )


@org_view(Action.USE_MEMBER_AREA)
@require_POST
def my_shift_offer(request, pk: int):
    """On one's own shift, "Proposer un échange" (``wanted=0``: take the offer back)."""
    signup = _own_signup(request, pk)
    wanted = request.POST.get("wanted") != "0"
    try:
        services.signup_ask_replacement(signup=signup, wanted=wanted)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your shift is offered to the other members; it stays yours until one takes it.")
            if wanted
            else _("Your shift is no longer offered."),
        )
    return _back(request)


@org_view(Action.USE_MEMBER_AREA)
@require_POST
def my_shift_take_over(request, pk: int):
    """The shift another member offered, "Je le prends"; both are told by e-mail."""
    signup = get_object_or_404(
        Signup.objects.select_related("period", "membership"),
        pk=pk,
        organisation=request.organisation,
        period__kind=WorkPeriod.Kind.SHIFT,
    )
    try:
        services.shift_take_over(signup=signup, membership=request.membership)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The shift is yours; you and the member you replace get an e-mail.")
        )
    return _back(request)


@org_view(Action.USE_MEMBER_AREA)
@require_POST
def my_shift_withdraw(request, pk: int):
    """Leave one's shift while there is time (the organisation's delay); later the service
    says to offer a swap instead."""
    signup = _own_signup(request, pk)
    try:
        services.signup_withdraw(signup=signup)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You are no longer on this shift."))
    return _back(request)
