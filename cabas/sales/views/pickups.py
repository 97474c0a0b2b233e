"""Coordinator: the pickups of a sale and their slots."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.orgs.permissions import Action, can, org_view

from .. import selectors, services
from ..forms import PickupForm, SlotAddForm, SlotCapacityForm
from ..models import Slot
from .common import _error, _pickup, _sale

PICKUP_FIELDS = {"starts_at": "starts_time", "ends_at": "ends_time"}


def _pickup_times(request, form: PickupForm):
    data = form.cleaned_data
    starts_at = services.wall_clock(request.organisation, data["day"], data["starts_time"])
    ends_at = services.wall_clock(request.organisation, data["day"], data["ends_time"])
    return {
        "pickup_point": data["pickup_point"],
        "starts_at": starts_at,
        "ends_at": ends_at,
        "slot_mode": data["slot_mode"],
        "slot_minutes": data["slot_minutes"],
        "slot_capacity": data["slot_capacity"],
        "capacity": data["capacity"],
    }


@org_view(Action.MANAGE_ORGANISATION)
def pickup_create(request, sale_id: int):
    sale = _sale(request, sale_id)
    initial = {"day": services.local_date(request.organisation, sale.closes_at) + timedelta(days=2)}
    form = PickupForm(request.POST or None, organisation=request.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            pickup = services.pickup_create(sale=sale, **_pickup_times(request, form))
        except DomainError as error:
            add_domain_error(form, error, PICKUP_FIELDS)
        else:
            messages.success(request, _("Pickup added."))
            return redirect(
                "sales:pickup_detail", slug=request.organisation.slug, pickup_id=pickup.pk
            )
    return render(
        request,
        "sales/pickup_form.html",
        {"organisation": request.organisation, "form": form, "sale": sale, "pickup": None},
    )


@org_view(Action.MANAGE_ORGANISATION)
def pickup_detail(request, pickup_id: int):
    pickup = _pickup(request, pickup_id)
    return render(
        request,
        "sales/pickup_detail.html",
        {
            "organisation": request.organisation,
            "pickup": pickup,
            "sale": pickup.sale,
            "slots": list(selectors.pickup_slots(pickup=pickup)),
            "add_form": SlotAddForm(initial={"capacity": pickup.slot_capacity}),
            "can_print_sheets": can(request.user, Action.RUN_DISTRIBUTION, request.organisation),
        },
    )


@org_view(Action.MANAGE_ORGANISATION)
def pickup_occupancy(request, pickup_id: int):
    """Live occupancy (booked / capacity) for the slot editor's script."""
    pickup = _pickup(request, pickup_id)
    return JsonResponse(
        {
            "booked": pickup.booked,
            "capacity": pickup.capacity,
            "slots": [
                {
                    "id": slot.pk,
                    "booked": slot.booked,
                    "capacity": slot.capacity,
                    "is_open": slot.is_open,
                }
                for slot in selectors.pickup_slots(pickup=pickup)
            ],
        }
    )


@org_view(Action.MANAGE_ORGANISATION)
def pickup_edit(request, pickup_id: int):
    pickup = _pickup(request, pickup_id)
    local_start = timezone.localtime(pickup.starts_at)
    initial = {
        "pickup_point": pickup.pickup_point,
        "day": local_start.date(),
        "starts_time": local_start.time(),
        "ends_time": timezone.localtime(pickup.ends_at).time(),
        "slot_mode": pickup.slot_mode,
        "slot_minutes": pickup.slot_minutes,
        "slot_capacity": pickup.slot_capacity,
        "capacity": pickup.capacity,
    }
    form = PickupForm(request.POST or None, organisation=request.organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.pickup_update(pickup=pickup, **_pickup_times(request, form))
        except DomainError as error:
            add_domain_error(form, error, PICKUP_FIELDS)
        else:
            messages.success(request, _("Pickup saved."))
            return redirect(
                "sales:pickup_detail", slug=request.organisation.slug, pickup_id=pickup.pk
            )
    return render(
        request,
        "sales/pickup_form.html",
        {
            "organisation": request.organisation,
            "form": form,
            "sale": pickup.sale,
            "pickup": pickup,
        },
    )


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def pickup_delete(request, pickup_id: int):
    pickup = _pickup(request, pickup_id)
    try:
        services.pickup_delete(pickup=pickup)
    except DomainError as error:
        _error(request, error)
        return redirect("sales:pickup_detail", slug=request.organisation.slug, pickup_id=pickup.pk)
    messages.success(request, _("The pickup was deleted."))
    return redirect("sales:sale_detail", slug=request.organisation.slug, sale_id=pickup.sale_id)


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def slot_create(request, pickup_id: int):
    pickup = _pickup(request, pickup_id)
    form = SlotAddForm(request.POST)
    if form.is_valid():
        day = services.local_date(request.organisation, pickup.starts_at)
        starts_at = services.wall_clock(request.organisation, day, form.cleaned_data["starts_time"])
        try:
            services.slot_add(
                pickup=pickup,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(minutes=pickup.slot_minutes or 15),
                capacity=form.cleaned_data["capacity"],
            )
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, _("Slot added."))
    else:
        messages.error(request, _("Give the start time and the capacity of the slot."))
    return redirect("sales:pickup_detail", slug=request.organisation.slug, pickup_id=pickup.pk)


@require_POST
@org_view(Action.MANAGE_ORGANISATION)
def slot_update(request, slot_id: int):
    slot = get_object_or_404(Slot, pk=slot_id, organisation=request.organisation)
    action = request.POST.get("action")
    try:
        if action in ("close", "open"):
            services.slot_set_open(slot=slot, is_open=action == "open")
        else:
            form = SlotCapacityForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("The capacity must be a whole number."))
                return redirect(
                    "sales:pickup_detail", slug=request.organisation.slug, pickup_id=slot.pickup_id
                )
            services.slot_set_capacity(slot=slot, capacity=form.cleaned_data["capacity"])
    except DomainError as error:
        _error(request, error)
    else:
        messages.success(request, _("Slot saved."))
    return redirect("sales:pickup_detail", slug=request.organisation.slug, pickup_id=slot.pickup_id)
