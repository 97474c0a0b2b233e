"""Forms of the sales screens: they parse and check the shape of the input; the rules live in
services.py. Dates and times are read in the organisation's timezone (the views activate it)."""

from __future__ import annotations

import re
from datetime import time

from django import forms
from django.utils.translation import gettext_lazy as _

from cabas.core import forms as core_forms

from . import errors
from .models import ClosingPeriod, PickupPoint, Sale, Schedule, SlotMode, Weekday
from .services.places import PICKUP_POINT_FIELDS
from .services.schedules import SCHEDULE_FIELDS

DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SaleForm(forms.ModelForm):
    class Meta:
        model = Sale
        fields = ["title", "opens_at", "closes_at", "minimum_order_amount", "note_to_members"]
        widgets = {
            "opens_at": DATETIME_WIDGET,
            "closes_at": DATETIME_WIDGET,
            "note_to_members": forms.Textarea(attrs={"rows": 3}),
        }
        formfield_callback = core_forms.formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minimum_order_amount"].min_value = 0
        if self.instance.pk and self.instance.dates_locked:
            for name in ("opens_at", "closes_at"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("The sale is closed: its dates are frozen.")

    def _post_clean(self):
        # The service validates the sale (it knows the status, the pickups and the clock).
        pass


class SaleStatusForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("schedule", "schedule"),
            ("unschedule", "unschedule"),
            ("open_now", "open_now"),
            ("close_now", "close_now"),
            ("distributed", "distributed"),
            ("archive", "archive"),
        ]
    )


def _slot_mode_field(**options) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=_("Orders per pickup"), choices=SlotMode.choices, initial=SlotMode.SLOTS, **options
    )


class _PlaceForm(forms.Form):
    """What a pickup and a schedule's pickup line both ask: the point, the hours and how
    orders are counted (slots, one capacity, or unlimited)."""

    pickup_point = forms.ModelChoiceField(label=_("Pickup point"), queryset=PickupPoint.objects)
    starts_time = forms.TimeField(label=_("From"), widget=TIME_WIDGET)
    ends_time = forms.TimeField(label=_("To"), widget=TIME_WIDGET)
    slot_mode = _slot_mode_field()
    slot_minutes = forms.IntegerField(
        label=_("Slot length (minutes)"), required=False, initial=15, min_value=1, max_value=720
    )
    slot_capacity = forms.IntegerField(
        label=_("Orders per slot"), required=False, initial=5, max_value=100000
    )
    capacity = forms.IntegerField(
        label=_("Orders for the whole pickup"), required=False, max_value=100000
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pickup_point"].queryset = PickupPoint.objects.filter(
            organisation=organisation, is_active=True
        )


class PickupForm(_PlaceForm):
    day = forms.DateField(label=_("Date"), widget=DATE_WIDGET)
    slot_mode = _slot_mode_field(widget=forms.RadioSelect)
    field_order = ["pickup_point", "day"]


class SlotCapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Capacity"), max_value=100000)


class SlotAddForm(forms.Form):
    starts_time = forms.TimeField(label=_("Starts at"), widget=TIME_WIDGET)
    capacity = forms.IntegerField(label=_("Capacity"), max_value=100000)


class PickupPointForm(forms.ModelForm):
    class Meta:
        model = PickupPoint
        fields = list(PICKUP_POINT_FIELDS)
        widgets = {
            "access_instructions": forms.Textarea(attrs={"rows": 3}),
            "latitude": core_forms.DecimalInput(signed=True),
            "longitude": core_forms.DecimalInput(signed=True),
        }
        formfield_callback = core_forms.formfield

    def clean(self):
        cleaned = super().clean()
        lat, lng = cleaned.get("latitude"), cleaned.get("longitude")
        if (lat is None) != (lng is None):
            raise forms.ValidationError(_("Give both the latitude and the longitude, or neither."))
        if lat is not None and not -90 <= lat <= 90:
            self.add_error("latitude", _("A latitude is between -90 and 90."))
        if lng is not None and not -180 <= lng <= 180:
            self.add_error("longitude", _("A longitude is between -180 and 180."))
        return cleaned


class ScheduleForm(forms.ModelForm):
    class Meta:
        model = Schedule
        fields = list(SCHEDULE_FIELDS)
        widgets = {
            "first_week": DATE_WIDGET,
            "opens_time": TIME_WIDGET,
            "closes_time": TIME_WIDGET,
            "note_to_members": forms.Textarea(attrs={"rows": 3}),
        }
        formfield_callback = core_forms.formfield

    def _post_clean(self):
        # The service validates the schedule with its pickups.
        pass


class SchedulePickupForm(_PlaceForm):
    weekday = forms.TypedChoiceField(
        label=_("Day"), choices=[("", "---------"), *Weekday.choices], coerce=int, empty_value=None
    )
    field_order = ["pickup_point", "weekday"]


class BaseSchedulePickupFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[forms.Form]:
        """Existing lines not marked for removal, and new lines that were filled in."""
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < self.initial_form_count() or form.has_changed())
            and not self._should_delete_form(form)
        ]

    def clean(self):
        super().clean()
        if not any(self.errors) and not self.kept_forms():
            raise forms.ValidationError(_("A schedule needs at least one pickup."))


SchedulePickupFormSet = forms.formset_factory(
    SchedulePickupForm, formset=BaseSchedulePickupFormSet, extra=1, can_delete=True
)


class ClosingPeriodForm(forms.ModelForm):
    class Meta:
        model = ClosingPeriod
        fields = ["first_day", "last_day", "reason"]
        widgets = {"first_day": DATE_WIDGET, "last_day": DATE_WIDGET}

    def _post_clean(self):
        pass


_RANGE = re.compile(r"^\s*(\d{1,2})[:hH.](\d{2})\s*[-–à]\s*(\d{1,2})[:hH.](\d{2})\s*$")


def parse_hours(text: str) -> list[tuple[time, time]]:
    """ "15:45-18:15, 18:30-21:00" → [(15:45, 18:15), (18:30, 21:00)] (also 15h45-18h15)."""
    ranges = []
    for part in re.split(r"[,;/]| et | and ", text):
        if not part.strip():
            continue
        match = _RANGE.match(part)
        if match is None:
            raise errors.DriveHoursUnreadable(text=part.strip())
        h1, m1, h2, m2 = (int(n) for n in match.groups())
        try:
            ranges.append((time(h1, m1), time(h2, m2)))
        except ValueError as exc:
            raise errors.DriveHoursUnreadable(text=part.strip()) from exc
    return ranges


def format_hours(ranges) -> str:
    return ", ".join(f"{start:%H:%M}-{end:%H:%M}" for start, end in ranges)


class DriveForm(forms.Form):
    is_active = forms.BooleanField(label=_("Drive open"), required=False, initial=True)
    name = forms.CharField(label=_("Name"), max_length=120, initial="Drive")
    pickup_point = forms.ModelChoiceField(label=_("Pickup point"), queryset=PickupPoint.objects)
    slot_minutes = forms.IntegerField(
        label=_("Slot length (minutes)"), initial=15, min_value=1, max_value=720
    )
    slot_capacity = forms.IntegerField(label=_("Orders per slot"), initial=1, max_value=100000)
    lead_time_minutes = forms.IntegerField(
        label=_("Minimum time between ordering and the slot (minutes)"),
        initial=120,
        min_value=0,
        max_value=60 * 24 * 14,
    )
    days_ahead = forms.IntegerField(
        label=_("Slots open … days ahead"), initial=7, min_value=1, max_value=60
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pickup_point"].queryset = PickupPoint.objects.filter(
            organisation=organisation, is_active=True
        )
        for day in Weekday:
            self.fields[f"hours_{day.value}"] = forms.CharField(
                label=day.label,
                required=False,
                help_text=_("e.g. 15:45-18:15, 18:30-21:00 — empty: closed"),
            )

    def clean(self):
        cleaned = super().clean()
        hours = {}
        for day in Weekday:
            try:
                ranges = parse_hours(cleaned.get(f"hours_{day.value}", ""))
            except errors.DomainError as error:
                self.add_error(f"hours_{day.value}", str(error))
                continue
            if ranges:
                hours[day.value] = ranges
        cleaned["hours"] = hours
        return cleaned

    def hour_fields(self):
        return [self[f"hours_{day.value}"] for day in Weekday]


class SalesSettingsForm(forms.Form):
    minimum_order_amount = core_forms.DecimalField(
        label=_("Default minimum order amount (€)"),
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text=_("0 means no minimum. Each sale can set its own."),
    )


class SaleItemQuantityForm(forms.Form):
    quantity_available = core_forms.DecimalField(
        label=_("Quantity available"),
        required=False,
        max_digits=10,
        decimal_places=3,
        help_text=_("Empty: not limited."),
    )
