"""The coordinator's message form: subject, text, audience and its choice, announcement,
attachment. The services check the rules; this form only reads the input."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from cabas.core.errors import DomainError
from cabas.sales.models import Pickup, PickupPoint, Slot
from cabas.work.selectors import ShiftStatus

from .models import Audience, Message
from .selectors import sales_to_write_about
from .services import attachment_check

# An announcement shows for at most this many days (a date in 9999 is a typing slip).
ANNOUNCE_MAX_DAYS = 366


def _local(value: datetime) -> str:
    return date_format(timezone.localtime(value), "D j b, H:i")


class OptionDataSelect(forms.Select):
    """A select whose options carry ``data-*`` attributes of their object (which sale a pickup
    is in, which pickup a slot is in), so that the page's script shows only the choices of the
    chosen sale and pickup."""

    def __init__(self, *args, data, **kwargs):
        super().__init__(*args, **kwargs)
        self.data = data

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"].update(self.data(instance))
        return option


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

    def __init__(self, *args, organisation, now: datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        sales = sales_to_write_about(organisation=organisation, now=now)
        fields = self.fields
        fields["pickup_point"].queryset = PickupPoint.objects.filter(
            organisation=organisation
        ).order_by("name")
        fields["sale"].queryset = sales
        fields["pickup"].queryset = (
            Pickup.objects.filter(sale__in=sales).select_related("pickup_point", "sale")
            .order_by("-sale__opens_at", "starts_at", "pk")
        )  # fmt: skip
        fields["pickup"].label_from_instance = lambda pickup: (
            f"{pickup.pickup_point.name} — {_local(pickup.starts_at)} ({pickup.sale.title})"
        )
        fields["slot"].queryset = (
            Slot.objects.filter(pickup__sale__in=sales).select_related("pickup__pickup_point")
            .order_by("-pickup__sale__opens_at", "pickup__starts_at", "starts_at", "pk")
        )  # fmt: skip
        fields["slot"].label_from_instance = lambda slot: (
            f"{slot.pickup.pickup_point.name} — {_local(slot.starts_at)}"
            f"–{timezone.localtime(slot.ends_at):%H:%M}"
        )
        fields["pickup"].widget = OptionDataSelect(
            choices=fields["pickup"].widget.choices,
            data=lambda pickup: {"data-sale": str(pickup.sale_id)},
        )
        fields["slot"].widget = OptionDataSelect(
            choices=fields["slot"].widget.choices,
            data=lambda slot: {
                "data-sale": str(slot.pickup.sale_id),
                "data-pickup": str(slot.pickup_id),
            },
        )
        fields["audience"].widget = forms.RadioSelect(choices=Audience.choices)
        fields["pickup"].help_text = _("Optional: only the customers of this pickup.")
        fields["slot"].help_text = _("Optional: only the customers of this slot.")
        fields["announcement"].help_text = _(
            "Optional: a short line shown on the shop and the home page of the recipients "
            "(of everyone, even visitors, for a message to all members)."
        )
        if self.instance.announce_until:
            self.initial["shown_until"] = self.instance.announce_last_day

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
