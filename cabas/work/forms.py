"""Forms of the work pages: they parse and check the shape of the input; the rules live in
the services. Times are wall-clock times in the organisation's time zone."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cabas.core import forms as core_forms
from cabas.sales.models import PickupPoint

from . import selectors_manage
from .models import DutyTemplate, WorkSettings

TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
TIME_FORMATS = ["%H:%M", "%H:%M:%S", "%Hh%M", "%Hh"]

# --- Coordinator: settings, task types, duty templates (views_manage) ----------------------

SETTINGS_GROUPS = (
    (
        _("Duties"),
        "duties",
        (
            "duties_open_to",
            "withdraw_hours_before",
            "reminder_days_before",
            "gap_alert_days_before",
        ),
    ),
    (
        _("Work shifts"),
        "shifts",
        (
            "cycle_weeks",
            "cycle_starts_on",
            "shifts_ahead_weeks",
            "points_done",
            "points_missed",
            "points_unexcused",
            "suspended_at",
            "alert_days",
            "shift_status_required",
        ),
    ),
    (_("Défraiement"), "compensation", ("compensation", "compensation_amount", "compensation_for")),
)


class WorkSettingsForm(forms.ModelForm):
    """Every setting, in groups; the shifts' only for a cooperative (the others keep their
    values)."""

    class Meta:
        model = WorkSettings
        fields = [name for _label, _key, names in SETTINGS_GROUPS for name in names]
        widgets = {"cycle_starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        formfield_callback = core_forms.formfield

    def __init__(self, *args, with_shifts: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups_shown = [g for g in SETTINGS_GROUPS if with_shifts or g[1] != "shifts"]
        if not with_shifts:
            for name in SETTINGS_GROUPS[1][2]:
                del self.fields[name]
        self.fields["compensation_amount"].min_value = 0

    def _post_clean(self):
        # The service validates and saves (work_settings_save).
        pass

    def groups(self):
        return [
            {"label": label, "key": key, "fields": [self[name] for name in names]}
            for label, key, names in self.groups_shown
        ]


class TaskTypeForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    instructions = forms.CharField(
        label=_("what to bring, what to know"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent in the reminder."),
    )


class _DutyHoursForm(forms.Form):
    during_pickup = forms.BooleanField(label=_("during the pickup's hours"), required=False)
    start_time = forms.TimeField(
        label=pgettext_lazy("time", "from"),
        required=False,
        widget=TIME_WIDGET,
        input_formats=TIME_FORMATS,
    )
    end_time = forms.TimeField(
        label=pgettext_lazy("time", "until"),
        required=False,
        widget=TIME_WIDGET,
        input_formats=TIME_FORMATS,
    )
    places = forms.IntegerField(label=_("people needed"), min_value=1, max_value=50, initial=1)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task_type"] = forms.ModelChoiceField(
            label=_("task"),
            queryset=selectors_manage.task_types(organisation),
            empty_label=None,
        )
        self.order_fields(["task_type"])


class DutyTemplateForm(_DutyHoursForm):
    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, organisation=organisation, **kwargs)
        self.fields["pickup_point"] = forms.ModelChoiceField(
            label=_("pickup point"),
            queryset=PickupPoint.objects.filter(organisation=organisation).order_by("name"),
            required=False,
            empty_label=_("Every pickup point"),
        )
        self.order_fields(["pickup_point", "task_type"])

    @staticmethod
    def initial_of(template: DutyTemplate) -> dict:
        return {
            "pickup_point": template.pickup_point_id,
            "task_type": template.task_type_id,
            "during_pickup": template.during_pickup,
            "start_time": template.start_time,
            "end_time": template.end_time,
            "places": template.places,
        }


class DutyAddForm(_DutyHoursForm):
    """A one-off duty at one pickup."""


class DutyPlacesForm(forms.Form):
    places = forms.IntegerField(label=_("people needed"), min_value=1, max_value=50)


class AssignForm(forms.Form):
    """Put a member on a duty: one of those allowed to take duties, not on it yet."""

    def __init__(self, *args, period, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"] = forms.ModelChoiceField(
            label=_("member"), queryset=selectors_manage.assign_candidates(period)
        )
