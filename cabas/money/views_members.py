"""The members area of coordinators: one list (requests to join, then each member with their
roles, balance and membership standing, read through ``members.member_list``), its export,
each member's roles, the import of a members file and invitations by the dozen. Requests are
answered and invitations kept by the orgs pages it links to. The rules live in ``members``."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cabas.catalog.models import Producer
from cabas.core import tables
from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.core.paging import page_of
from cabas.core.search import QUERY_MAX_LENGTH
from cabas.orgs import services as orgs_services
from cabas.orgs.forms import MembershipRolesForm
from cabas.orgs.models import Membership
from cabas.orgs.permissions import Action, org_view

from . import members
from .models import MemberImport

MEMBERS_PER_PAGE = 100


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=QUERY_MAX_LENGTH)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All"))] + list(Membership.Status.choices),
    )
    membership = forms.ChoiceField(
        label=gettext_lazy("Membership"),
        required=False,
        choices=[("", pgettext_lazy("membership", "All"))] + members.MEMBERSHIP_STATUS_CHOICES,
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
    """Requests to join first (to answer), then everyone else in the table, a page of
    ``MEMBERS_PER_PAGE`` at a time (the filters kept from page to page)."""
    form, memberships = _filtered_members(request)
    pending = list(memberships.filter(status=Membership.Status.PENDING))
    others = memberships.exclude(status=Membership.Status.PENDING)
    query = request.GET.copy()
    query.pop("page", None)
    page = page_of(others, MEMBERS_PER_PAGE, request.GET.get("page"))
    return render(
        request,
        "money/members/list.html",
        {
            "form": form,
            "pending": pending,
            "memberships": page,
            "page": page,
            "query": query.urlencode(),
        },
    )


@org_view(Action.MANAGE_MEMBERS)
def member_roles(request, pk: int):
    membership = get_object_or_404(
        Membership.objects.select_related("user", "producer"),
        pk=pk,
        organisation=request.organisation,
    )
    producers = Producer.objects.filter(links__organisation=request.organisation).order_by("name")
    initial = {
        "is_volunteer": membership.is_volunteer,
        "is_supply": membership.is_supply,
        "is_coordinator": membership.is_coordinator,
        "is_producer": membership.is_producer,
        "producer": membership.producer,
    }
    form = MembershipRolesForm(
        request.POST if request.method == "POST" else None, initial=initial, producers=producers
    )
    if request.method == "POST" and form.is_valid():
        try:
            orgs_services.membership_set_roles(membership=membership, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The roles have been saved."))
            return redirect("money:member_list", slug=request.organisation.slug)
    return render(request, "money/members/roles.html", {"form": form, "membership": membership})


@org_view(Action.MANAGE_MEMBERS)
def member_export(request, file_format: str):
    if file_format not in tables.FORMATS:
        raise Http404
    _form, memberships = _filtered_members(request)
    header, rows = members.member_table(memberships)
    file_name = f"{request.organisation.slug}-{slugify(_('members'))}"
    title = capfirst(_("members"))
    return tables.table_response(file_name, header, rows, file_format, title=title)


@org_view(Action.MANAGE_MEMBERS)
def member_import(request):
    """Upload: the file is kept and read by the worker; its page shows the check."""
    form = MemberImportForm()
    if request.method == "POST":
        form = MemberImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                members.member_file_size_check(upload.size)  # before reading it
                member_import = members.member_import_start(
                    organisation=request.organisation,
                    uploaded_by=request.user,
                    file_name=upload.name,
                    content=upload.read(),
                )
            except DomainError as error:  # every refusal here is about the file
                add_domain_error(form, error, {None: "file"})
            else:
                return redirect(
                    "money:member_import_detail",
                    slug=request.organisation.slug,
                    pk=member_import.pk,
                )
    return render(
        request,
        "money/members/import.html",
        {"form": form, "member_import": None, "plan": None, "columns": members.COLUMNS},
    )


@org_view(Action.MANAGE_MEMBERS)
def member_import_detail(request, pk: int):
    """The check of a file (polled while the worker reads it), then its confirmation."""
    member_import = get_object_or_404(
        MemberImport.objects.select_related("organisation"),
        pk=pk,
        organisation=request.organisation,
    )
    if request.method == "POST":
        try:
            result = members.member_import_confirm(
                member_import=member_import,
                by=request.user,
                invite=bool(request.POST.get("invite")),
                base_url=settings.SITE_URL,
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(
                "money:member_import_detail", slug=request.organisation.slug, pk=member_import.pk
            )
        messages.success(request, _result_text(result))
        return redirect("money:member_list", slug=request.organisation.slug)
    plan = None
    if member_import.status in (MemberImport.Status.READY, MemberImport.Status.INVALID):
        plan = members.member_import_plan(member_import=member_import)
    template = "money/members/import_status.html" if request.htmx else "money/members/import.html"
    return render(
        request,
        template,
        {
            "form": MemberImportForm(),
            "member_import": member_import,
            "plan": plan,
            "columns": members.COLUMNS,
        },
    )


def _result_text(result: members.MemberImportResult) -> str:
    text = _(
        "Import done. Requests to join accepted: %(members)s · invitations sent: "
        "%(invitations)s · already members: %(already)s."
    ) % {
        "members": result.members_added,
        "invitations": result.invitations_sent,
        "already": result.already_members,
    }
    if result.not_invited:
        text += " " + _(
            "%(count)s people were not invited: invite them from the invitations page when "
            "you are ready."
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
                base_url=settings.SITE_URL,
            )
        except members.InvitationAddressesInvalid as error:
            address_errors = error.errors
            add_domain_error(form, error)
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
