"""A member's duty pages: the coming duties with one-tap sign-up, withdrawal, replacement and
take-over, and "my duties" (thin: parse, call one service, render).

Each action is a small POST form: with htmx the duty's card is swapped in place (with the
message inside it); without script, back to the page with a message.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.core.params import query_int
from cabas.core.redirects import safe_next
from cabas.orgs.permissions import Action, org_view

from . import selectors_duties, services
from .models import Signup, WorkPeriod


@org_view(Action.USE_MEMBER_AREA)
def duties(request):
    """ "Permanences": the coming weeks' duties by day and pickup."""
    weeks = query_int(request, "weeks", maximum=selectors_duties.WEEKS_AHEAD_MAX)
    weeks = max(weeks or selectors_duties.WEEKS_AHEAD, 1)
    board = selectors_duties.duty_board(
        organisation=request.organisation,
        membership=request.membership,
        now=timezone.now(),
        weeks=weeks,
    )
    return render(
        request,
        "work/duties.html",
        {"board": board, "weeks": weeks, "more_weeks": min(weeks + 4, 26)},
    )


@org_view(Action.USE_MEMBER_AREA)
def my_duties(request):
    """ "Mes permanences": the person's coming duties, places offered to them, thanks."""
    mine = selectors_duties.my_duties(membership=request.membership, now=timezone.now())
    return render(request, "work/my_duties.html", {"mine": mine})


def _duty(request, period_id: int) -> WorkPeriod:
    return get_object_or_404(
        WorkPeriod.objects.select_related("organisation"),
        pk=period_id,
        organisation=request.organisation,
        kind=WorkPeriod.Kind.DUTY,
    )


def _signup(request, signup_id: int, *, own: bool) -> Signup:
    """A duty sign-up of this organisation: the person's own (``own``) or someone else's."""
    signup = get_object_or_404(
        Signup.objects.select_related("period__organisation"),
        pk=signup_id,
        organisation=request.organisation,
        period__kind=WorkPeriod.Kind.DUTY,
    )
    if own != (signup.membership_id == request.membership.pk):
        raise Http404
    return signup


def _done(request, period: WorkPeriod, success: str, error: DomainError | None):
    """The answer to an action: the duty's card (htmx), or back to the page."""
    text = str(error) if error else success
    back = safe_next(request, reverse("work:duties", args=[request.organisation.slug]))
    if request.htmx:
        row = selectors_duties.duty_row(
            period=period, membership=request.membership, now=timezone.now()
        )
        context = {"row": row, "next": back, "notice": text, "notice_is_error": bool(error)}
        return render(
            request, "work/includes/duty_card.html", context, status=422 if error else 200
        )
    if error:
        messages.error(request, text)
    else:
        messages.success(request, text)
    return redirect(back)


@require_POST
@org_view(Action.USE_MEMBER_AREA)
def duty_signup(request, period_id: int):
    period = _duty(request, period_id)
    try:
        services.signup_create(period=period, membership=request.membership)
    except DomainError as error:
        return _done(request, period, "", error)
    return _done(request, period, _("You are signed up. Thank you!"), None)


@require_POST
@org_view(Action.USE_MEMBER_AREA)
def duty_withdraw(request, signup_id: int):
    signup = _signup(request, signup_id, own=True)
    try:
        services.signup_withdraw(signup=signup)
    except DomainError as error:
        return _done(request, signup.period, "", error)
    return _done(request, signup.period, _("You are no longer signed up."), None)


@require_POST
@org_view(Action.USE_MEMBER_AREA)
def duty_replacement(request, signup_id: int):
    """Ask for a replacement (``wanted=1``), or take the request back (``wanted=0``)."""
    signup = _signup(request, signup_id, own=True)
    wanted = request.POST.get("wanted", "1") != "0"
    try:
        services.signup_ask_replacement(signup=signup, wanted=wanted)
    except DomainError as error:
        return _done(request, signup.period, "", error)
    if wanted:
        text = _("Your place is offered: you keep it until someone takes it.")
    else:
        text = _("Your replacement request is withdrawn: you are on this duty.")
    return _done(request, signup.period, text, None)


@require_POST
@org_view(Action.USE_MEMBER_AREA)
def duty_take_over(request, signup_id: int):
    signup = _signup(request, signup_id, own=False)
    try:
        services.signup_take_over(signup=signup, membership=request.membership)
    except DomainError as error:
        return _done(request, signup.period, "", error)
    return _done(request, signup.period, _("You took this place. Thank you!"), None)
