"""The dashboards' filters, read from the URL (a view is shared by sending its address)."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from cabas.catalog.models import Producer
from cabas.sales.models import PickupPoint

from .selectors import Filters

DEFAULT_WEEKS = 26
# The longest period a dashboard shows (weeks on a chart): ten years.
MAX_DAYS = 3660
# How far after today a period may end (a year of sales planned ahead; a date in 9999 is a
# typing slip, and the weeks after it do not exist in the calendar).
AHEAD_DAYS = 366
# No period starts before this day (no sale of Cabas can be older; the year before it must
# still be a date).
EARLIEST = date(2000, 1, 1)


class FiltersForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    point = forms.ModelChoiceField(
        label=_("Pickup point"),
        queryset=PickupPoint.objects.none(),
        required=False,
        empty_label=_("All pickup points"),
    )
    producer = forms.ModelChoiceField(
        label=_("Producer"),
        queryset=Producer.objects.none(),
        required=False,
        empty_label=_("All producers"),
    )

    def __init__(self, *args, organisation, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["point"].queryset = PickupPoint.objects.filter(
            organisation=organisation
        ).order_by("name")
        self.fields["producer"].queryset = (
            Producer.objects.filter(links__organisation=organisation).order_by("name").distinct()
        )

    def clean(self):
        data = super().clean()
        end = data.get("end") or self.today
        start = data.get("start") or end - timedelta(weeks=DEFAULT_WEEKS)
        if start > end:
            raise forms.ValidationError(_("The period starts after it ends."))
        if (end - start).days > MAX_DAYS:
            raise forms.ValidationError(_("Choose a period of at most ten years."))
        if (end - self.today).days > AHEAD_DAYS:
            raise forms.ValidationError(_("Choose a period ending at most a year from today."))
        if start < EARLIEST:
            raise forms.ValidationError(_("Choose a period starting in 2000 or later."))
        data["start"], data["end"] = start, end
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            start=data["start"],
            end=data["end"],
            pickup_point_id=data["point"].pk if data.get("point") else None,
            producer_id=data["producer"].pk if data.get("producer") else None,
        )
