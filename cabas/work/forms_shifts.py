"""Forms of the coop's shift pages (coordinators' and members')."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.core.forms import list_only
from cabas.orgs.models import Membership
from cabas.sales.models import Weekday

from .models import ShiftMember, ShiftTemplate, Signup, TaskType, week_letter

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Membership) -> str:
        user = obj.user
        return user.display_name


class ShiftTemplateForm(forms.Form):
    week = forms.TypedChoiceField(label=_("Week of the cycle"), coerce=int)
    weekday = forms.TypedChoiceField(label=_("Day"), choices=Weekday.choices, coerce=int)
    start_time = forms.TimeField(label=_("Starts at"), widget=TIME_WIDGET)
    end_time = forms.TimeField(label=_("Ends at"), widget=TIME_WIDGET)
    task_type = forms.ModelChoiceField(
        label=_("Task"), queryset=TaskType.objects.none(), required=False
    )
    new_task_name = forms.CharField(
        label=_("or a new task"),
        required=False,
        max_length=100,
        help_text=_("For example: réception, mise en rayon, caisse."),
    )
    places = forms.IntegerField(label=_("Places"), min_value=1, max_value=50, initial=4)
    is_active = forms.BooleanField(
        label=_("Active"),
        required=False,
        initial=True,
        help_text=_("An inactive shift is no longer prepared; the dated ones stay."),
    )

    def __init__(self, *args, organisation, cycle_weeks: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["week"].choices = [
            (index, _("Week %(letter)s") % {"letter": week_letter(index)})
            for index in range(cycle_weeks)
        ]
        self.fields["task_type"].queryset = TaskType.objects.filter(organisation=organisation)

    def clean(self):
        data = super().clean()
        if not data.get("task_type") and not data.get("new_task_name", "").strip():
            self.add_error("task_type", _("Choose a task, or write the name of a new one."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("A shift must end after it starts."))
        return data

    @staticmethod
    def initial_of(template: ShiftTemplate) -> dict:
        return {
            "week": template.week,
            "weekday": template.weekday,
            "start_time": template.start_time,
            "end_time": template.end_time,
            "task_type": template.task_type_id,
            "places": template.places,
            "is_active": template.is_active,
        }


class ShiftMemberForm(forms.Form):
    """Register a member on the shifts (``membership`` shown on the add page only), or change
    their regime."""

    membership = MemberChoiceField(label=_("Member"), queryset=Membership.objects.none())
    regime = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (ShiftMember.Regime.REGULAR, pgettext_lazy("shift kind", "regular")),
            (ShiftMember.Regime.FLYING, pgettext_lazy("shift kind", "flying")),
        ],
        widget=forms.RadioSelect,
    )
    template = forms.ModelChoiceField(
        label=_("Regular shift"),
        queryset=ShiftTemplate.objects.none(),
        required=False,
        help_text=_("For a regular member: the shift they do every cycle."),
    )
    starts_on = forms.DateField(
        label=_("Shifts due from"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Empty: today. No shift is due in the cycle they join."),
    )

    def __init__(self, *args, organisation, members=None, shown=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is None:
            del self.fields["membership"]
            del self.fields["starts_on"]
        else:
            # Any of ``members`` is accepted; only those ``shown`` (a search's few) are listed.
            self.fields["membership"].queryset = members
            list_only(self.fields["membership"], shown, widget=forms.RadioSelect, empty=False)
        self.fields["template"].queryset = ShiftTemplate.objects.filter(
            organisation=organisation, is_active=True
        ).select_related("task_type")

    def clean(self):
        data = super().clean()
        if data.get("regime") == ShiftMember.Regime.REGULAR and not data.get("template"):
            self.add_error("template", _("A regular member needs their shift of the cycle."))
        return data


class ExemptionForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Until"), widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("An exemption ends on or after its first day."))
        return data


class CorrectionForm(forms.Form):
    delta = forms.IntegerField(
        label=_("Points"),
        min_value=-20,
        max_value=20,
        help_text=_("For example 1 to add a shift, -1 to take one off."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("Why"), max_length=200)

    def clean_delta(self):
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError(_("A correction adds or takes off at least one point."))
        return delta


ATTENDANCE_CHOICES = [
    (Signup.Attendance.PRESENT, pgettext_lazy("attendance", "present")),
    (Signup.Attendance.EXCUSED, pgettext_lazy("attendance", "absent, excused")),
    (Signup.Attendance.ABSENT, pgettext_lazy("attendance", "absent without notice")),
    (Signup.Attendance.REPLACED, _("replaced by…")),
]


class AttendanceForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("Attendance"), choices=ATTENDANCE_CHOICES, widget=forms.RadioSelect
    )
    substitute = MemberChoiceField(
        label=_("Replaced by"), queryset=Membership.objects.none(), required=False
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = members

    def clean(self):
        data = super().clean()
        if data.get("attendance") == Signup.Attendance.REPLACED and not data.get("substitute"):
            self.add_error("substitute", _("Say who came instead."))
        return data
