from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabas.accounts.models import User
from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error

from . import services
from .forms import (
    InvitationForm,
    InvitationSignupForm,
    JoinForm,
    OrganisationForm,
)
from .models import Invitation, Membership
from .permissions import Action, org_view

ORGANISATION_FIELDS = OrganisationForm.Meta.fields


@require_POST
@org_view(Action.JOIN)
def join(request):
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            membership = services.membership_join(
                organisation=request.organisation,
                user=request.user,
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("site:public", slug=request.organisation.slug)
        if membership.is_active:
            messages.success(request, _("Welcome! You are now a member."))
            return redirect("site:member_home", slug=request.organisation.slug)
        messages.info(
            request,
            _("Your request has been sent. A coordinator will answer it soon."),
        )
    return redirect("site:public", slug=request.organisation.slug)


@login_required
def organisation_create(request):
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, request.FILES or None
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                creator=request.user,
                **{name: form.cleaned_data[name] for name in ORGANISATION_FIELDS},
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Your organisation is ready. You are its coordinator."))
            return redirect("site:member_home", slug=organisation.slug)
    return render(request, "orgs/organisation_form.html", {"form": form, "creating": True})


@org_view(Action.MANAGE_ORGANISATION)
def organisation_settings(request):
    organisation = request.organisation
    form = OrganisationForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        instance=organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_update(
                organisation=organisation,
                **{name: form.cleaned_data[name] for name in ORGANISATION_FIELDS},
            )
        except DomainError as error:
            organisation.refresh_from_db()
            add_domain_error(form, error)
        else:
            messages.success(request, _("The settings have been saved."))
            return redirect("orgs:settings", slug=organisation.slug)
    else:
        organisation.refresh_from_db()  # the form must not leave unsaved values on the header
    return render(request, "orgs/organisation_form.html", {"form": form, "creating": False})


@org_view(Action.MANAGE_MEMBERS)
def member_list(request):
    """The former members page: the one members list (with balances) is money's."""
    url = reverse("money:member_list", kwargs={"slug": request.organisation.slug})
    query = request.GET.urlencode()
    return redirect(f"{url}?{query}" if query else url)


def _membership_of_this_organisation(request, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "producer"),
        pk=pk,
        organisation=request.organisation,
    )


@require_POST
@org_view(Action.MANAGE_MEMBERS)
def member_decide(request, pk: int):
    membership = _membership_of_this_organisation(request, pk)
    approve = request.POST.get("decision") == "approve"
    try:
        services.membership_decide(membership=membership, approve=approve, decided_by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        if approve:
            messages.success(request, _("%(name)s is now a member.") % {"name": membership.user})
        else:
            messages.info(
                request, _("The request of %(name)s was refused.") % {"name": membership.user}
            )
    return redirect("money:member_list", slug=request.organisation.slug)


@org_view(Action.MANAGE_MEMBERS)
def invitation_list(request):
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                organisation=request.organisation,
                invited_by=request.user,
                base_url=settings.SITE_URL,
                **form.cleaned_data,
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("An invitation has been sent to %(email)s.") % {"email": invitation.email},
            )
            return redirect("orgs:invitations", slug=request.organisation.slug)
    invitations = Invitation.objects.filter(organisation=request.organisation).select_related(
        "invited_by", "accepted_by"
    )[:200]
    return render(
        request,
        "orgs/invitation_list.html",
        {"form": form, "invitations": invitations, "now": timezone.now()},
    )


@require_POST
@org_view(Action.MANAGE_MEMBERS)
def invitation_revoke(request, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk, organisation=request.organisation)
    try:
        services.invitation_revoke(invitation=invitation)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The invitation has been withdrawn."))
    return redirect("orgs:invitations", slug=request.organisation.slug)


def invitation(request, token: str):
    """The link of an invitation e-mail: accept (logged in), or create the account right here."""
    try:
        invitation = services.invitation_check(token=token)
    except DomainError as error:
        status = 404 if error.code == "invitation_invalid" else 410
        return render(request, "orgs/invitation.html", {"error": str(error)}, status=status)

    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    signup_form = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                membership = services.invitation_accept(token=token, user=request.user)
            except DomainError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Welcome! You are now a member."))
                return redirect("site:member_home", slug=membership.organisation.slug)
    elif not has_account:
        signup_form = InvitationSignupForm(
            request.POST if request.method == "POST" else None, email=invitation.email
        )
        if request.method == "POST" and signup_form.is_valid():
            data = signup_form.cleaned_data
            try:
                user = services.invitation_accept_with_new_account(
                    token=token,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    password=data["password1"],
                )
            except DomainError as error:
                add_domain_error(signup_form, error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(request, _("Welcome! Your account is ready."))
                return redirect("site:member_home", slug=invitation.organisation.slug)
    return render(
        request,
        "orgs/invitation.html",
        {"invitation": invitation, "has_account": has_account, "signup_form": signup_form},
    )
