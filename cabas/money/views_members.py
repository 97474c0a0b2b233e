"""Coordinators' pages about members: the list, its export, the import of a members file and
invitations by the dozen. The rules live in ``members.py``."""

from __future__ import annotations

import base64
import secrets

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cabas.core import tables
from cabas.core.errors import DomainError
from cabas.orgs.models import Membership
from cabas.orgs.permissions import Action, org_view

from . import members

# A checked file waits in the session (base64, at most 1 MB) between the preview and the
# confirmation. The session is read on every request, so only the last checked file is kept.
SESSION_KEY = "money_member_imports"
FILES_KEPT = 1


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All"))] + list(Membership.Status.choices),
    )
    membership = forms.ChoiceField(
        label=gettext_lazy("Membership"),
        required=False,
        choices=[("", gettext_lazy("All"))] + members.MEMBERSHIP_STATUS_CHOICES,
    )


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (CSV or XLSX)"),
        help_text=gettext_lazy(
            "Columns: first name, last name, e-mail, phone, address (at most 1 MB)."
        ),
    )


class BulkInvitationForm(forms.Form):
    addresses = forms.CharField(
        label=gettext_lazy("E-mail addresses"),
        help_text=gettext_lazy("One per line, or separated by commas or semicolons."),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=100_000,
    )


def _filtered_members(request):
    form = MemberFilterForm(request.GET or None)
    search = status = membership_status = ""
    if form.is_valid():
        search = form.cleaned_data["q"]
        status = form.cleaned_data["status"]
        membership_status = form.cleaned_data["membership"]
    memberships = members.member_list(
        organisation=request.organisation,
        search=search,
        status=status,
        membership_status=membership_status,
    )
    return form, memberships


@org_view(Action.MANAGE_MEMBERS)
def member_list(request):
    form, memberships = _filtered_members(request)
    return render(
        request,
        "money/members/list.html",
        {
            "form": form,
            "memberships": list(memberships),
            "query": request.GET.urlencode(),
        },
    )


@org_view(Action.MANAGE_MEMBERS)
def member_export(request, file_format: str):
    if file_format not in tables.FORMATS:
        raise Http404
    _form, memberships = _filtered_members(request)
    header, rows = members.member_table(memberships)
    file_name = f"{request.organisation.slug}-members"
    return tables.table_response(file_name, header, rows, file_format)


def _keep_file(request, file_name: str, content: bytes) -> str:
    """Keep a checked file in the session until it is confirmed; returns its token."""
    kept = request.session.get(SESSION_KEY, {})
    token = secrets.token_urlsafe(16)
    kept[token] = {
        "organisation": request.organisation.pk,
        "file_name": file_name,
        "content": base64.b64encode(content).decode("ascii"),
    }
    request.session[SESSION_KEY] = dict(list(kept.items())[-FILES_KEPT:])
    return token


def _kept_file(request, token: str) -> tuple[str, bytes] | None:
    found = request.session.get(SESSION_KEY, {}).get(token)
    if not found or found["organisation"] != request.organisation.pk:
        return None
    return found["file_name"], base64.b64decode(found["content"])


def _forget_file(request, token: str) -> None:
    kept = request.session.get(SESSION_KEY, {})
    kept.pop(token, None)
    request.session[SESSION_KEY] = kept


@org_view(Action.MANAGE_MEMBERS)
def member_import(request):
    """Upload → preview with every line's errors → confirm (only without errors) → apply."""
    form = MemberImportForm()
    plan, token = None, ""
    if request.method == "POST" and "token" in request.POST:
        token = request.POST["token"]
        kept = _kept_file(request, token)
        if kept is None:
            messages.error(request, _("This file is no longer available: send it again."))
            return redirect("money:member_import", slug=request.organisation.slug)
        file_name, content = kept
        result = None
        try:  # the members may have changed since the preview: check again
            plan = members.member_import_check(
                organisation=request.organisation, file_name=file_name, content=content
            )
            if plan.can_apply:
                result = members.member_import_apply(
                    organisation=request.organisation,
                    plan=plan,
                    by=request.user,
                    invite=bool(request.POST.get("invite")),
                    base_url=request.build_absolute_uri("/"),
                )
        except DomainError as error:
            messages.error(request, str(error))
        if result is not None:
            _forget_file(request, token)
            messages.success(request, _result_text(result))
            return redirect("money:member_list", slug=request.organisation.slug)
    elif request.method == "POST":
        form = MemberImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > members.MAX_FILE_BYTES:  # refused before reading it
                    raise members.MemberFileTooBig(max_mb=members.MAX_FILE_BYTES // (1024 * 1024))
                content = upload.read()
                plan = members.member_import_check(
                    organisation=request.organisation, file_name=upload.name, content=content
                )
            except DomainError as error:
                form.add_error("file", str(error))
            else:
                if plan.can_apply:
                    token = _keep_file(request, upload.name, content)
    return render(
        request,
        "money/members/import.html",
        {"form": form, "plan": plan, "token": token, "columns": members.COLUMNS},
    )


def _result_text(result: members.MemberImportResult) -> str:
    text = _(
        "Import done. New members: %(members)s · invitations sent: %(invitations)s · "
        "already members: %(already)s."
    ) % {
        "members": result.members_added,
        "invitations": result.invitations_sent,
        "already": result.already_members,
    }
    if result.not_invited:
        text += " " + _(
            "%(count)s people without an account were not invited: invite them from the "
            "invitations page when you are ready."
        ) % {"count": result.not_invited}
    return text


@org_view(Action.MANAGE_MEMBERS)
def member_invite_bulk(request):
    form = BulkInvitationForm(request.POST if request.method == "POST" else None)
    address_errors: list[dict] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = members.member_invite_bulk(
                organisation=request.organisation,
                text=form.cleaned_data["addresses"],
                by=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except members.InvitationAddressesInvalid as error:
            address_errors = error.errors
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Invitations sent: %(sent)s · already members: %(already)s.")
                % {"sent": len(result.invitations), "already": len(result.already_members)},
            )
            return redirect("orgs:invitations", slug=request.organisation.slug)
    return render(
        request,
        "money/members/invite.html",
        {"form": form, "address_errors": address_errors},
    )
