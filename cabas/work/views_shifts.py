"""The coordinators' pages of the coop's shifts: the shifts of the cycle (templates) and
their preparation, the members on shifts with their counters and exemptions, and the dated
shifts with the attendance of each person. Thin: parse, call a service or selector, render.
The members' own page ("Mes services") is in views_my_shifts."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import groupby

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.core.params import query_date
from cabas.core.search import search_query
from cabas.orgs.models import Membership
from cabas.orgs.permissions import Action, org_view
from cabas.sales.models import Weekday

from . import selectors_shifts, services
from .forms_shifts import (
    AttendanceForm,
    CorrectionForm,
    ExemptionForm,
    ShiftMemberForm,
    ShiftTemplateForm,
)
from .models import Exemption, ShiftMember, ShiftTemplate, Signup, week_letter
from .selectors import work_settings_of

# --- The shifts of the cycle ----------------------------------------------------------------


@org_view(Action.MANAGE_ORGANISATION)
def shift_templates(request):
    """The cycle's shifts by week (A, B…) and day, inactive ones last in their day."""
    settings = work_settings_of(request.organisation)
    templates = (
        ShiftTemplate.objects.filter(organisation=request.organisation)
        .select_related("task_type")
        .order_by("week", "weekday", "-is_active", "start_time", "pk")
    )
    weeks = []
    for week, in_week in groupby(templates, key=lambda t: t.week):
        days = [
            {"label": Weekday(day).label, "templates": list(in_day)}
            for day, in_day in groupby(in_week, key=lambda t: t.weekday)
        ]
        weeks.append({"letter": week_letter(week), "days": days})
    return render(
        request, "work/shifts/templates.html", {"weeks": weeks, "work_settings": settings}
    )


def _template_form_page(request, template: ShiftTemplate | None):
    organisation = request.organisation
    settings = work_settings_of(organisation)
    initial = ShiftTemplateForm.initial_of(template) if template else {}
    form = ShiftTemplateForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        organisation=organisation,
        cycle_weeks=max(settings.cycle_weeks, (template.week + 1) if template else 1),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.shift_template_save(
                organisation=organisation, template=template, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The shift of the cycle has been saved."))
            return redirect("work:shift_templates", slug=organisation.slug)
    return render(request, "work/shifts/template_form.html", {"form": form, "template": template})


@org_view(Action.MANAGE_ORGANISATION)
def shift_template_add(request):
    return _template_form_page(request, None)


@org_view(Action.MANAGE_ORGANISATION)
def shift_template_edit(request, pk: int):
    template = get_object_or_404(ShiftTemplate, pk=pk, organisation=request.organisation)
    return _template_form_page(request, template)


@org_view(Action.MANAGE_ORGANISATION)
@require_POST
def shifts_prepare(request):
    """Make the dated shifts of the coming weeks now (the worker does it too, every day)."""
    made = services.shifts_generate(organisation=request.organisation, now=timezone.now())
    if made:
        text = ngettext("%(count)s shift prepared.", "%(count)s shifts prepared.", len(made)) % {
            "count": len(made)
        }
    else:
        text = _("The coming shifts were already prepared.")
    messages.success(request, text)
    return redirect("work:shift_list", slug=request.organisation.slug)


# --- Members on shifts ----------------------------------------------------------------------


@org_view(Action.MANAGE_MEMBERS)
def shift_members(request):
    members = selectors_shifts.shift_members(organisation=request.organisation, now=timezone.now())
    return render(request, "work/shifts/members.html", {"members": members})


# The add page lists at most this many members found by the search (not 3,000 in a select).
MEMBERS_FOUND = 20


@org_view(Action.MANAGE_MEMBERS)
def shift_member_add(request):
    """Search a member by name or e-mail (``?q=``), then choose them among the few found."""
    organisation = request.organisation
    search = search_query(request)
    members = selectors_shifts.members_not_on_shifts(organisation=organisation)
    found = list(
        selectors_shifts.members_not_on_shifts(organisation=organisation, search=search)[
            : MEMBERS_FOUND + 1
        ]
    )
    form = ShiftMemberForm(
        request.POST if request.method == "POST" else None,
        initial={"regime": ShiftMember.Regime.FLYING},
        organisation=organisation,
        members=members,
        shown=found[:MEMBERS_FOUND],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.shift_member_set(
                membership=data["membership"],
                regime=data["regime"],
                template=data["template"],
                starts_on=data["starts_on"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The member is on the shifts."))
            return redirect("work:shift_members", slug=organisation.slug)
    context = {"form": form, "search": search, "more": len(found) > MEMBERS_FOUND}
    return render(request, "work/shifts/member_add.html", context)


def _member_on_shifts(request, membership_id: int) -> ShiftMember:
    return get_object_or_404(
        ShiftMember.objects.select_related("membership__user", "template__task_type"),
        membership_id=membership_id,
        organisation=request.organisation,
    )


def _member_page(request, member: ShiftMember, **forms):
    organisation = request.organisation
    settings = work_settings_of(organisation)
    today = selectors_shifts.today_of(organisation, timezone.now())
    context = {
        "member": member,
        "status": selectors_shifts.status_of(member, settings, today),
        "alert_ends_on": selectors_shifts.alert_ends_on(member, settings),
        "ledger": selectors_shifts.counter_ledger(membership=member.membership),
        "exemptions": selectors_shifts.exemptions_of(membership=member.membership),
        "regime_form": forms.get("regime_form")
        or ShiftMemberForm(
            initial={"regime": member.regime, "template": member.template_id},
            organisation=organisation,
        ),
        "correction_form": forms.get("correction_form") or CorrectionForm(),
        "exemption_form": forms.get("exemption_form") or ExemptionForm(),
    }
    status = 400 if forms else 200
    return render(request, "work/shifts/member.html", context, status=status)


def _member_form_saved(request, member: ShiftMember, form, *, write, done, name, aliases=None):
    """One form of a member's page sent: ``write(cleaned_data)`` calls the service; then a
    message and back to the page, or the page again with the form's errors (400)."""
    if form.is_valid():
        try:
            write(form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error, aliases)
        else:
            messages.success(request, done)
            return redirect(
                "work:shift_member",
                slug=request.organisation.slug,
                membership_id=member.membership_id,
            )
    return _member_page(request, member, **{name: form})


@org_view(Action.MANAGE_MEMBERS)
def shift_member(request, membership_id: int):
    """A member's counter with its ledger, their regime (changed here) and exemptions."""
    member = _member_on_shifts(request, membership_id)
    if request.method != "POST":
        return _member_page(request, member)
    return _member_form_saved(
        request,
        member,
        ShiftMemberForm(request.POST, organisation=request.organisation),
        write=lambda data: services.shift_member_set(
            membership=member.membership, regime=data["regime"], template=data["template"]
        ),
        done=_("The kind of shifts has been saved."),
        name="regime_form",
    )


@org_view(Action.MANAGE_MEMBERS)
@require_POST
def shift_member_correct(request, membership_id: int):
    member = _member_on_shifts(request, membership_id)
    return _member_form_saved(
        request,
        member,
        CorrectionForm(request.POST),
        write=lambda data: services.counter_correct(
            membership=member.membership, delta=data["delta"], note=data["note"], by=request.user
        ),
        done=_("The counter has been corrected."),
        name="correction_form",
        aliases={"note": "note"},
    )


@org_view(Action.MANAGE_MEMBERS)
@require_POST
def shift_exemption_add(request, membership_id: int):
    member = _member_on_shifts(request, membership_id)
    return _member_form_saved(
        request,
        member,
        ExemptionForm(request.POST),
        write=lambda data: services.exemption_add(
            membership=member.membership, by=request.user, **data
        ),
        done=_("The exemption has been recorded."),
        name="exemption_form",
    )


@org_view(Action.MANAGE_MEMBERS)
@require_POST
def shift_exemption_delete(request, pk: int):
    exemption = get_object_or_404(Exemption, pk=pk, organisation=request.organisation)
    services.exemption_delete(exemption=exemption)
    messages.success(request, _("The exemption has been removed."))
    return redirect(
        "work:shift_member",
        slug=request.organisation.slug,
        membership_id=exemption.membership_id,
    )


# --- Dated shifts and attendance ------------------------------------------------------------


@org_view(Action.MANAGE_ORGANISATION)
def shift_list(request):
    """The dated shifts of a fortnight (``?from=YYYY-MM-DD``; by default from the Monday of
    last week, so last week's attendance is at hand), with their places and people."""
    organisation = request.organisation
    today = selectors_shifts.today_of(organisation, timezone.now())
    first_day = query_date(request, "from") or today - timedelta(days=today.weekday() + 7)
    first = datetime.combine(first_day, datetime.min.time(), tzinfo=organisation.tzinfo)
    last = datetime.combine(
        first_day + timedelta(weeks=2), datetime.min.time(), tzinfo=organisation.tzinfo
    )
    periods = selectors_shifts.shifts_between(organisation=organisation, first=first, last=last)
    return render(
        request,
        "work/shifts/list.html",
        {
            "periods": periods,
            "first": first_day,
            "last": first_day + timedelta(days=13),
            "earlier": first_day - timedelta(weeks=2),
            "later": first_day + timedelta(weeks=2),
            "now": timezone.now(),
        },
    )


@org_view(Action.MANAGE_ORGANISATION)
def shift_detail(request, pk: int):
    """One shift's people, each with the attendance form (the replacement is chosen on
    ``shift_replacement``: a search, not the whole membership in each person's form)."""
    period = selectors_shifts.shift_with_people(organisation=request.organisation, pk=pk)
    if period is None:
        raise Http404
    return render(
        request,
        "work/shifts/detail.html",
        {"period": period, "attendance": Signup.Attendance},
    )


def _shift_signup(request, signup_id: int) -> Signup:
    return get_object_or_404(
        Signup.objects.select_related("period__task_type", "membership__user", "substitute__user"),
        pk=signup_id,
        organisation=request.organisation,
        period__kind="shift",
    )


@org_view(Action.MANAGE_ORGANISATION)
def shift_replacement(request, signup_id: int):
    """Who replaced a person on the day: search a member by name or e-mail (``?q=``), then
    choose them among the few found; the choice is sent to ``shift_attendance``."""
    signup = _shift_signup(request, signup_id)
    search = request.GET.get("q", "").strip()[:100]
    found = list(
        selectors_shifts.replacement_candidates(signup=signup, search=search)[: MEMBERS_FOUND + 1]
    )
    context = {
        "signup": signup,
        "period": signup.period,
        "search": search,
        "found": found[:MEMBERS_FOUND],
        "more": len(found) > MEMBERS_FOUND,
    }
    return render(request, "work/shifts/replacement.html", context)


@org_view(Action.MANAGE_ORGANISATION)
@require_POST
def shift_attendance(request, signup_id: int):
    """Record who came; the counters follow the person who worked. Whether the replacement
    may be recorded (active, not on the shift…) is the service's to say."""
    signup = _shift_signup(request, signup_id)
    form = AttendanceForm(
        request.POST, members=Membership.objects.filter(organisation=request.organisation)
    )
    if form.is_valid():
        try:
            services.signup_attendance_record(
                signup=signup,
                attendance=form.cleaned_data["attendance"],
                substitute=form.cleaned_data["substitute"],
                by=request.user,
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The attendance has been saved."))
            return redirect(
                "work:shift_detail", slug=request.organisation.slug, pk=signup.period_id
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    if request.POST.get("attendance") == Signup.Attendance.REPLACED:
        # Back to the search, where the replacement is chosen again.
        return redirect(
            "work:shift_replacement", slug=request.organisation.slug, signup_id=signup.pk
        )
    return redirect("work:shift_detail", slug=request.organisation.slug, pk=signup.period_id)
