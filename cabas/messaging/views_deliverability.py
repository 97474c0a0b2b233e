"""Consent and deliverability: the one-click unsubscribe page (RFC 8058), a member's e-mail
preferences, and the coordinators' list of members whose address bounces."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cabas.notifications.deliverability import Reason, address_deliverable_mark
from cabas.orgs.context import chosen_language, organisation_context
from cabas.orgs.models import Membership
from cabas.orgs.permissions import Action, org_view
from cabas.orgs.services import EMAIL_CONSENT_FIELDS, membership_email_consent_set

from . import selectors_deliverability as selectors
from .forms_deliverability import EmailPreferencesForm, RetryAddressForm
from .unsubscribe import KINDS, unsubscribe_token_read

TEMPLATES = "messaging/deliverability/"


def _question(kind: str, organisation) -> str:
    if kind == "reminders":
        return _("Stop receiving the reminders of %(organisation)s?") % {
            "organisation": organisation.name
        }
    return _("Stop receiving the coordinators' messages of %(organisation)s?") % {
        "organisation": organisation.name
    }


def _done(kind: str, accepts: bool, organisation) -> str:
    names = {"organisation": organisation.name}
    if accepts:
        if kind == "reminders":
            return _("You will receive the reminders of %(organisation)s again.") % names
        return _("You will receive the coordinators' messages of %(organisation)s again.") % names
    if kind == "reminders":
        return _("You will no longer receive the reminders of %(organisation)s.") % names
    return _("You will no longer receive the coordinators' messages of %(organisation)s.") % names


@csrf_exempt  # the token is the credential; a mail client's one-click POST has no cookie
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET asks (a mail scanner opening the link changes nothing); POST unsubscribes, from
    the page's button or from the mail client (``List-Unsubscribe=One-Click``, RFC 8058);
    a POST with ``subscribe`` subscribes again."""
    read = unsubscribe_token_read(token)
    membership = (
        Membership.objects.select_related("organisation").filter(pk=read[0]).first()
        if read
        else None
    )
    if membership is None:
        return render(request, TEMPLATES + "bad_link.html", status=404)
    kind, organisation = read[1], membership.organisation
    request.organisation = organisation  # the page wears the organisation's name and logo
    with organisation_context(organisation, language=chosen_language(request)):
        if request.method != "POST":
            if not getattr(membership, EMAIL_CONSENT_FIELDS[kind]):
                # Already done (the link opened again): say so, and offer the way back.
                context = {"done": _done(kind, False, organisation), "accepts": False}
                return render(request, TEMPLATES + "unsubscribed.html", context)
            context = {"question": _question(kind, organisation), "kind": kind}
            return render(request, TEMPLATES + "unsubscribe.html", context)
        accepts = bool(request.POST.get("subscribe"))
        membership_email_consent_set(membership=membership, kind=kind, accepts=accepts)
        context = {"done": _done(kind, accepts, organisation), "accepts": accepts}
        return render(request, TEMPLATES + "unsubscribed.html", context)


@org_view(Action.USE_MEMBER_AREA)
def preferences(request):
    """The member's choice of e-mails, per kind; the e-mails about their own orders always go."""
    membership = request.membership
    initial = {kind: getattr(membership, f"accepts_{kind}") for kind in KINDS}
    form = EmailPreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        for kind in KINDS:
            membership_email_consent_set(
                membership=membership, kind=kind, accepts=form.cleaned_data[kind]
            )
        messages.success(request, _("Your e-mail preferences have been saved."))
        return redirect("messaging:preferences", slug=request.organisation.slug)
    return render(request, TEMPLATES + "preferences.html", {"form": form})


@org_view(Action.MANAGE_MEMBERS)
def undeliverable(request):
    """The members whose address bounces, and "try again" for one of them."""
    organisation = request.organisation
    if request.method == "POST":
        form = RetryAddressForm(request.POST)
        found = form.is_valid() and selectors.undeliverable_membership(
            organisation=organisation, membership_id=form.cleaned_data["membership"]
        )
        if found:
            address_deliverable_mark(email=found.user.email)
            messages.success(
                request,
                _("E-mails will be sent to %(email)s again.") % {"email": found.user.email},
            )
        else:
            messages.error(request, _("This address is no longer on the list."))
        return redirect("messaging:undeliverable", slug=organisation.slug)
    members = list(selectors.undeliverable_memberships(organisation=organisation))
    for member in members:
        member.reason_label = Reason(member.undeliverable_reason).label
    return render(request, TEMPLATES + "undeliverable.html", {"members": members})
