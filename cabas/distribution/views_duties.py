"""The duties on the check-in page: who came, recorded by a volunteer or a coordinator."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.core.params import whole_number
from cabas.orgs.permissions import Action, org_view
from cabas.work import selectors as work_selectors
from cabas.work import services as work_services
from cabas.work.models import Signup, WorkPeriod

RECORDABLE = tuple(value for value in Signup.Attendance.values if value)


@require_POST
@org_view(Action.RUN_DISTRIBUTION)
def duty_attendance(request, signup_id: int):
    """Record one sign-up's attendance (present, excused, absent, or replaced by a member);
    then back to its pickup's check-in page, at the duties."""
    signup = get_object_or_404(
        Signup.objects.select_related("period"),
        pk=signup_id,
        organisation=request.organisation,
        period__kind=WorkPeriod.Kind.DUTY,
    )
    back = reverse(
        "distribution:checkin_pickup", args=[request.organisation.slug, signup.period.pickup_id]
    )
    attendance = request.POST.get("attendance", "")
    if attendance not in RECORDABLE:
        messages.error(request, _("Choose whether the person came."))
        return redirect(f"{back}#duties")
    substitute = None
    if attendance == Signup.Attendance.REPLACED:
        substitute_id = whole_number(request.POST.get("substitute", ""))
        if substitute_id is not None:
            substitute = get_object_or_404(
                work_selectors.substitutes_for(organisation=request.organisation),
                pk=substitute_id,
            )
    try:
        work_services.signup_attendance_record(
            signup=signup, attendance=attendance, substitute=substitute, by=request.user
        )
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Attendance recorded."))
    return redirect(f"{back}#duties")
