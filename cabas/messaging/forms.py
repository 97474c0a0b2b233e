"""The coordinator's message form: subject, text, audience and its choice, announcement,
attachment. The services check the rules; this form only reads the input."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cabas.core.dates import date_text as date_format
from cabas.core.errors import DomainError
from cabas.core.forms import list_only
from cabas.sales.models import Pickup, PickupPoint, Slot
from cabas.work.selectors import ShiftStatus

from .models import Audience, Message
from .selectors import (
    pickups_to_write_about,
    sale_to_write_about_first,
    sales_to_write_about,
    slots_to_write_about,
)
from .services import attachment_check

# An announcement shows for at most this many days (a date in 9999 is a typing slip).
ANNOUNCE_MAX_DAYS = 366


def _local(value: datetime) -> str:
    return date_format(timezone.localtime(value), "D j b, H:i")


def _chosen(objects: list, value):
    """The object of ``objects`` whose id is ``value`` (a query string's or a form's, junk
    included), else None."""
    wanted = str(value or "").strip()
    return next((item for item in objects if str(item.pk) == wanted), None)


class MessageForm(forms.ModelForm):
    shift_status = forms.ChoiceField(
        label=_("shift status"),
        required=False,
        choices=[("", "—"), *[(status.value, status.label) for status in ShiftStatus]],
    )
    shown_until = forms.DateField(
        label=_("Show the announcement until (included)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    attachment_file = forms.FileField(label=_("Attachment (optional)"), required=False)
    remove_attachment = forms.BooleanField(label=_("Remove the attachment"), required=False)

    class Meta:
        model = Message
        fields = ["subject", "body", "audience", "pickup_point", "sale", "pickup", "slot",
                  "shift_status", "announcement"]  # fmt: skip
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, organisation, now: datetime, chosen=None, **kwargs):
        """``chosen``: the sale and pickup whose pickups and slots to list (the query string's
        on a page that is not a submitted form). A sale has a hundred pickups and a thousand
        slots: the form lists the pickups of one sale and the slots of one pickup, and accepts
        any of the recent sales' (the service says when they do not fit together)."""
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        sales_found = sales_to_write_about(organisation=organisation, now=now)
        sales = list(sales_found)
        fields = self.fields
        fields["pickup_point"].queryset = PickupPoint.objects.filter(
            organisation=organisation
        ).order_by("name")
        fields["sale"].queryset = sales_found
        list_only(fields["sale"], sales)
        source = self.data if self.is_bound else (chosen or {})
        instance = self.instance
        sale = (
            _chosen(sales, source.get("sale"))
            or _chosen(sales, instance.sale_id)
            or sale_to_write_about_first(sales, now=now)
        )
        pickups = pickups_to_write_about(sale)
        pickup = _chosen(pickups, source.get("pickup")) or _chosen(pickups, instance.pickup_id)
        slots = slots_to_write_about(pickup)
        fields["pickup"].queryset = Pickup.objects.filter(sale__in=sales_found)
        fields["pickup"].label_from_instance = lambda pickup: (
            f"{pickup.pickup_point.name} — {_local(pickup.starts_at)}"
        )
        list_only(fields["pickup"], pickups)
        fields["slot"].queryset = Slot.objects.filter(pickup__sale__in=sales_found)
        fields["slot"].label_from_instance = lambda slot: (
            f"{_local(slot.starts_at)}–{timezone.localtime(slot.ends_at):%H:%M}"
        )
        list_only(fields["slot"], slots)
        if not self.is_bound:
            self.initial.update(
                sale=sale.pk if sale else None,
                pickup=pickup.pk if pickup else None,
                slot=self.initial.get("slot") if _chosen(slots, self.initial.get("slot")) else None,
            )
        fields["audience"].widget = forms.RadioSelect(choices=Audience.choices)
        fields["pickup"].help_text = _("Optional: only the customers of this pickup.")
        fields["slot"].help_text = (
            _("Optional: only the customers of this slot.")
            if pickup
            else _("To write to the customers of one slot, choose its pickup first.")
        )
        fields["announcement"].help_text = _(
            "Optional: a short line shown on the shop and the home page of the recipients "
            "(of everyone, even visitors, for a message to all members)."
        )
        if self.instance.announce_until:
            self.initial.setdefault("shown_until", self.instance.announce_last_day)

    def clean_attachment_file(self):
        upload = self.cleaned_data.get("attachment_file")
        if upload is None:
            return None
        try:
            attachment_check(upload)
        except DomainError as error:
            raise forms.ValidationError(str(error)) from None
        return upload

    def clean_shown_until(self):
        day = self.cleaned_data.get("shown_until")
        if day is not None and day > timezone.localdate() + timedelta(days=ANNOUNCE_MAX_DAYS):
            raise forms.ValidationError(
                _("An announcement shows for at most a year: choose an earlier date.")
            )
        return day

    def announce_until(self) -> datetime | None:
        """The end of the chosen day in the organisation's time zone (the page's)."""
        day = self.cleaned_data.get("shown_until")
        if day is None:
            return None
        next_day = datetime.combine(day + timedelta(days=1), time.min)
        return timezone.make_aware(next_day, timezone.get_current_timezone())

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("shown_until", "attachment_file", "remove_attachment"):
            data.pop(name, None)
        data["announce_until"] = self.announce_until()
        return data
