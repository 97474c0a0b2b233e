"""Screens of the sales app: thin views (parse → service/selector → render).

Every view runs in the organisation's timezone, so forms read and templates show local
times (a pickup on Friday 17:00 in Paris is 17:00 on screen, whatever the server's zone).
"""

from __future__ import annotations

from datetime import timedelta
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from cabas.catalog.models import Producer, ProducerLink
from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.orgs.permissions import Action, can_edit_producer, org_view

from . import selectors, services
from .forms import (
    ClosingPeriodForm,
    DriveForm,
    PickupForm,
    PickupPointForm,
    SaleForm,
    SaleItemQuantityForm,
    SalesSettingsForm,
    SaleStatusForm,
    ScheduleForm,
    SchedulePickupFormSet,
    SlotAddForm,
    SlotCapacityForm,
    format_hours,
)
from .models import (
    ClosingPeriod,
    Pickup,
    PickupPoint,
    Sale,
    SaleItem,
    Schedule,
    SchedulePickup,
    Slot,
)


def in_organisation_timezone(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        with timezone.override(request.organisation.tzinfo):
            return view(request, *args, **kwargs)

    return wrapper


def organisation_view(action: Action):
    """``org_view`` (permissions, 404 for strangers) + the organisation's timezone."""

    def decorator(view):
        return org_view(action)(in_organisation_timezone(view))

    return decorator


def _sale(request, sale_id: int) -> Sale:
    return get_object_or_404(selectors.sales_of(request.organisation), pk=sale_id)


def _pickup(request, pickup_id: int) -> Pickup:
    return get_object_or_404(selectors.pickup_of(organisation=request.organisation), pk=pickup_id)


def _error(request, error: DomainError) -> None:
    messages.error(request, str(error))


# --- Public and member pages ----------------------------------------------------------------


@organisation_view(Action.VIEW_PUBLIC_PAGE)
def pickup_points_public(request):
    points = list(selectors.pickup_points(organisation=request.organisation, active_only=True))
    return render(
        request,
        "sales/pickup_points_public.html",
        {
            "organisation": request.organisation,
            "points": points,
            "map_points": selectors.pickup_points_map_data(points),
        },
    )


@organisation_view(Action.USE_MEMBER_AREA)
def member_slots(request):
    now = timezone.now()
    return render(
        request,
        "sales/member_slots.html",
        {
            "organisation": request.organisation,
            "slots": selectors.bookable_slots(organisation=request.organisation, now=now),
            "pickups": selectors.bookable_pickups_without_slots(
                organisation=request.organisation, now=now
            ),
        },
    )


# --- Producer pages -------------------------------------------------------------------------


def _producer_of(request) -> Producer | None:
    membership = request.membership
    return membership.producer if membership is not None else None


@organisation_view(Action.USE_PRODUCER_AREA)
def producer_sales(request):
    producer = _producer_of(request)
    sales = (
        list(selectors.producer_sales(organisation=request.organisation, producer=producer))
        if producer
        else []
    )
    return render(
        request,
        "sales/producer_sales.html",
        {"organisation": request.organisation, "producer": producer, "sales": sales},
    )


@organisation_view(Action.USE_PRODUCER_AREA)
def producer_sale(request, sale_id: int):
    sale = _sale(request, sale_id)
    producer = _producer_of(request)
    if producer is None:
        if request.membership.is_coordinator:
            # A coordinator without a producer of their own manages the whole offer.
            return redirect("sales:sale_offer", slug=request.organisation.slug, sale_id=sale.pk)
        raise PermissionDenied
    if request.method == "POST":
        item = get_object_or_404(SaleItem, pk=request.POST.get("item"), sale=sale)
        if not can_edit_producer(request.user, request.organisation, item.product.producer):
            raise PermissionDenied
        unavailable = request.POST.get("unavailable") == "1"
        services.sale_item_set_unavailable(item=item, unavailable=unavailable)
        if unavailable:
            messages.success(
                request, _("%(product)s is unavailable for this sale.") % {"product": item.product}
            )
        else:
            messages.success(
                request, _("%(product)s is offered again.") % {"product": item.product}
            )
        return redirect("sales:producer_sale", slug=request.organisation.slug, sale_id=sale.pk)
    return render(
        request,
        "sales/producer_sale.html",
        {
            "organisation": request.organisation,
            "sale": sale,
            "producer": producer,
            "items": list(selectors.sale_items(sale=sale, producer=producer)),
        },
    )


# --- Coordinator: sales ---------------------------------------------------------------------


@organisation_view(Action.MANAGE_ORGANISATION)
def sale_list(request):
    past = request.GET.get("past") == "1"
    return render(
        request,
        "sales/sale_list.html",
        {
            "organisation": request.organisation,
            "sales": list(selectors.sale_list(organisation=request.organisation, past=past)),
            "past": past,
        },
    )


@organisation_view(Action.MANAGE_ORGANISATION)
def sale_create(request):
    form = SaleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            sale = services.sale_create(organisation=request.organisation, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Sale created. Now add its pickups."))
            return redirect("sales:sale_detail", slug=request.organisation.slug, sale_id=sale.pk)
    return render(
        request,
        "sales/sale_form.html",
        {"organisation": request.organisation, "form": form, "sale": None},
    )


@organisation_view(Action.MANAGE_ORGANISATION)
def sale_detail(request, sale_id: int):
    sale = _sale(request, sale_id)
    pickups = list(selectors.sale_pickups(sale=sale))
    return render(
        request,
        "sales/sale_detail.html",
        {
            "organisation": request.organisation,
            "sale": sale,
            "pickups": pickups,
            "order_count": sum(pickup.booked for pickup in pickups),
            "minimum_order_amount": selectors.sale_minimum_order_amount(sale=sale),
            "producers": selectors.sale_producers(sale=sale),
        },
    )


@organisation_view(Action.MANAGE_ORGANISATION)
def sale_edit(request, sale_id: int):
    sale = _sale(request, sale_id)
    form = SaleForm(request.POST or None, instance=sale)
    if request.method == "POST" and form.is_valid():
        try:
            services.sale_update(sale=sale, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Sale saved."))
            return redirect("sales:sale_detail", slug=request.organisation.slug, sale_id=sale.pk)
    return render(
        request,
        "sales/sale_form.html",
        {"organisation": request.organisation, "form": form, "sale": sale},
    )


_STATUS_ACTIONS = {
    "schedule": (
        services.sale_schedule,
        gettext_lazy("The sale is scheduled: it will open by itself."),
    ),
    "unschedule": (services.sale_unschedule, gettext_lazy("The sale is back to draft.")),
    "open_now": (services.sale_open_now, gettext_lazy("The sale is open.")),
    "close_now": (services.sale_close_now, gettext_lazy("Orders are closed.")),
    "distributed": (
        services.sale_mark_distributed,
        gettext_lazy("The sale is marked as distributed."),
    ),
    "archive": (services.sale_archive, gettext_lazy("The sale is archived.")),
}


@require_POST
@organisation_view(Action.MANAGE_ORGANISATION)
def sale_status(request, sale_id: int):
    sale = _sale(request, sale_id)
    form = SaleStatusForm(request.POST)
    if form.is_valid():
        service, done = _STATUS_ACTIONS[form.cleaned_data["action"]]
        try:
            service(sale=sale)
        except DomainError as error:
            _error(request, error)
        else:
            messages.success(request, str(done))
    return redirect("sales:sale_detail", slug=request.organisation.slug, sale_id=sale.pk)


@require_POST
@organisation_view(Action.MANAGE_ORGANISATION)
def sale_delete(request, sale_id: int):
    sale = _sale(request, sale_id)
    try:
        services.sale_delete(sale=sale)
    except DomainError as error:
        _error(request, error)
        return redirect("sales:sale_detail", slug=request.organisation.slug, sale_id=sale.pk)
    messages.success(request, _("The sale was deleted."))
    return redirect("sales:sale_list", slug=request.organisation.slug)


@organisation_view(Action.MANAGE_ORGANISATION)
def sale_offer(request, sale_id: int):
    """What the sale offers: leave out producers or products, limit quantities."""
    sale = _sale(request, sale_id)
    if request.method == "POST":
        _sale_offer_change(request, sale)
        return redirect("sales:sale_offer", slug=request.organisation.slug, sale_id=sale.pk)
    return render(
        request,
        "sales/sale_offer.html",
        {
            "organisation": request.organisation,
            "sale": sale,
            "items": list(selectors.sale_items(sale=sale)),
            "producers": selectors.sale_producers(sale=sale),
        },
    )


def _sale_offer_change(request, sale: Sale) -> None:
    action = request.POST.get("action")
    try:
        if action in ("exclude_producer", "include_producer"):
            link = get_object_or_404(
                ProducerLink.objects.select_related("producer"),
                organisation=request.organisation,
                producer_id=request.POST.get("producer"),
            )
            services.sale_producer_set_excluded(
                sale=sale, producer=link.producer, excluded=action == "exclude_producer"
            )
        elif action in ("exclude_item", "include_item"):
            item = get_object_or_404(SaleItem, pk=request.POST.get("item"), sale=sale)
            services.sale_item_set_excluded(item=item, excluded=action == "exclude_item")
        elif action == "quantity":
            item = get_object_or_404(SaleItem, pk=request.POST.get("item"), sale=sale)
            form = SaleItemQuantityForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("The quantity must be a number."))
                return
            services.sale_item_set_quantity(
                item=item, quantity=form.cleaned_data["quantity_available"]
            )
        elif action == "sync":
            added = services.sale_items_sync(sale=sale)
            messages.success(
                request,
                ngettext("%(count)s new product added.", "%(count)s new products added.", added)
                % {"count": added},
            )
            return
        else:
            return
    except DomainError as error:
        _error(request, error)
        return
    messages.success(request, _("Offer updated."))


# --- Coordinator: pickups and slots ---------------------------------------------------------


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


@organisation_view(Action.MANAGE_ORGANISATION)
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


@organisation_view(Action.MANAGE_ORGANISATION)
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
        },
    )


@organisation_view(Action.MANAGE_ORGANISATION)
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


@organisation_view(Action.MANAGE_ORGANISATION)
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
@organisation_view(Action.MANAGE_ORGANISATION)
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
@organisation_view(Action.MANAGE_ORGANISATION)
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
@organisation_view(Action.MANAGE_ORGANISATION)
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


# --- Coordinator: pickup points -------------------------------------------------------------


@organisation_view(Action.MANAGE_ORGANISATION)
def pickup_point_list(request):
    points = list(selectors.pickup_points(organisation=request.organisation))
    return render(
        request,
        "sales/pickup_point_list.html",
        {
            "organisation": request.organisation,
            "points": points,
            "map_points": selectors.pickup_points_map_data(p for p in points if p.is_active),
        },
    )


@organisation_view(Action.MANAGE_ORGANISATION)
def pickup_point_create(request):
    form = PickupPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.pickup_point_create(organisation=request.organisation, **form.cleaned_data)
        messages.success(request, _("Pickup point added."))
        return redirect("sales:pickup_point_list", slug=request.organisation.slug)
    return render(
        request,
        "sales/pickup_point_form.html",
        {"organisation": request.organisation, "form": form, "point": None},
    )


@organisation_view(Action.MANAGE_ORGANISATION)
def pickup_point_edit(request, point_id: int):
    point = get_object_or_404(PickupPoint, pk=point_id, organisation=request.organisation)
    form = PickupPointForm(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        services.pickup_point_update(pickup_point=point, **form.cleaned_data)
        messages.success(request, _("Pickup point saved."))
        return redirect("sales:pickup_point_list", slug=request.organisation.slug)
    return render(
        request,
        "sales/pickup_point_form.html",
        {"organisation": request.organisation, "form": form, "point": point},
    )


# --- Coordinator: schedules, closing days, drive, settings ----------------------------------


@organisation_view(Action.MANAGE_ORGANISATION)
def schedule_list(request):
    return render(
        request,
        "sales/schedule_list.html",
        {
            "organisation": request.organisation,
            "schedules": list(selectors.schedules(organisation=request.organisation)),
        },
    )


def _schedule_specs(formset) -> list[services.SchedulePickupSpec]:
    return [
        services.SchedulePickupSpec(
            pickup_point=form.cleaned_data["pickup_point"],
            weekday=form.cleaned_data["weekday"],
            starts_time=form.cleaned_data["starts_time"],
            ends_time=form.cleaned_data["ends_time"],
            slot_mode=form.cleaned_data["slot_mode"],
            slot_minutes=form.cleaned_data["slot_minutes"],
            slot_capacity=form.cleaned_data["slot_capacity"],
            capacity=form.cleaned_data["capacity"],
        )
        for form in formset.kept_forms()
    ]


def _schedule_form_page(request, schedule: Schedule | None):
    organisation = request.organisation
    initial_pickups = (
        [
            {
                "pickup_point": p.pickup_point_id,
                "weekday": p.weekday,
                "starts_time": p.starts_time,
                "ends_time": p.ends_time,
                "slot_mode": p.slot_mode,
                "slot_minutes": p.slot_minutes,
                "slot_capacity": p.slot_capacity,
                "capacity": p.capacity,
            }
            for p in schedule.pickups.all()
        ]
        if schedule
        else []
    )
    form = ScheduleForm(
        request.POST or None,
        instance=schedule,
        initial=None if schedule else {"first_week": timezone.localdate()},
    )
    formset = SchedulePickupFormSet(
        request.POST or None,
        prefix="pickups",
        initial=initial_pickups,
        form_kwargs={"organisation": organisation},
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            if schedule is None:
                schedule = services.schedule_create(
                    organisation=organisation, pickups=_schedule_specs(formset), **form.cleaned_data
                )
            else:
                services.schedule_update(
                    schedule=schedule, pickups=_schedule_specs(formset), **form.cleaned_data
                )
        except DomainError as error:
            if error.field == "pickups":
                messages.error(request, str(error))
            else:
                add_domain_error(form, error)
        else:
            messages.success(request, _("Schedule saved; its next sales are prepared."))
            return redirect("sales:schedule_list", slug=organisation.slug)
    return render(
        request,
        "sales/schedule_form.html",
        {
            "organisation": organisation,
            "form": form,
            "formset": formset,
            "schedule": schedule,
        },
    )


@organisation_view(Action.MANAGE_ORGANISATION)
def schedule_create(request):
    return _schedule_form_page(request, None)


@organisation_view(Action.MANAGE_ORGANISATION)
def schedule_edit(request, schedule_id: int):
    schedule = get_object_or_404(
        Schedule.objects.prefetch_related(
            Prefetch("pickups", queryset=SchedulePickup.objects.order_by("pk"))
        ),
        pk=schedule_id,
        organisation=request.organisation,
    )
    return _schedule_form_page(request, schedule)


@require_POST
@organisation_view(Action.MANAGE_ORGANISATION)
def schedule_generate(request, schedule_id: int):
    schedule = get_object_or_404(Schedule, pk=schedule_id, organisation=request.organisation)
    report = services.schedule_generate(schedule=schedule)
    created = len(report.created)
    messages.success(
        request,
        ngettext("%(count)s sale prepared.", "%(count)s sales prepared.", created)
        % {"count": created},
    )
    for reason in report.skipped:
        messages.warning(request, reason)
    return redirect("sales:schedule_list", slug=request.organisation.slug)


@require_POST
@organisation_view(Action.MANAGE_ORGANISATION)
def schedule_delete(request, schedule_id: int):
    schedule = get_object_or_404(Schedule, pk=schedule_id, organisation=request.organisation)
    services.schedule_delete(schedule=schedule)
    messages.success(request, _("Schedule deleted; the sales it prepared are kept."))
    return redirect("sales:schedule_list", slug=request.organisation.slug)


@organisation_view(Action.MANAGE_ORGANISATION)
def closing_days(request):
    form = ClosingPeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.closing_period_create(organisation=request.organisation, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Closing days added."))
            return redirect("sales:closing_days", slug=request.organisation.slug)
    return render(
        request,
        "sales/closing_days.html",
        {
            "organisation": request.organisation,
            "form": form,
            "periods": list(
                selectors.closing_periods(
                    organisation=request.organisation, from_day=timezone.localdate()
                )
            ),
        },
    )


@require_POST
@organisation_view(Action.MANAGE_ORGANISATION)
def closing_day_delete(request, period_id: int):
    period = get_object_or_404(ClosingPeriod, pk=period_id, organisation=request.organisation)
    services.closing_period_delete(closing_period=period)
    messages.success(request, _("Closing days removed."))
    return redirect("sales:closing_days", slug=request.organisation.slug)


@organisation_view(Action.MANAGE_ORGANISATION)
def drive(request):
    organisation = request.organisation
    current = selectors.drive_of(organisation)
    hours = selectors.drive_hours_by_weekday(organisation)
    initial = {
        f"hours_{day}": format_hours((h.starts_time, h.ends_time) for h in ranges)
        for day, ranges in hours.items()
    }
    if current is not None:
        initial.update(
            is_active=current.is_active,
            name=current.name,
            pickup_point=current.pickup_point_id,
            slot_minutes=current.slot_minutes,
            slot_capacity=current.slot_capacity,
            lead_time_minutes=current.lead_time_minutes,
            days_ahead=current.days_ahead,
        )
    form = DriveForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.drive_save(
                organisation=organisation,
                hours=data["hours"],
                pickup_point=data["pickup_point"],
                slot_minutes=data["slot_minutes"],
                slot_capacity=data["slot_capacity"],
                lead_time_minutes=data["lead_time_minutes"],
                days_ahead=data["days_ahead"],
                name=data["name"],
                is_active=data["is_active"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("Drive saved; its next days are prepared."))
            return redirect("sales:drive", slug=organisation.slug)
    return render(
        request,
        "sales/drive.html",
        {"organisation": organisation, "form": form, "drive": current},
    )


@organisation_view(Action.MANAGE_ORGANISATION)
def sales_settings(request):
    current = selectors.sales_settings_of(request.organisation)
    form = SalesSettingsForm(
        request.POST or None, initial={"minimum_order_amount": current.minimum_order_amount}
    )
    if request.method == "POST" and form.is_valid():
        services.sales_settings_update(
            organisation=request.organisation,
            minimum_order_amount=form.cleaned_data["minimum_order_amount"],
        )
        messages.success(request, _("Settings saved."))
        return redirect("sales:sale_list", slug=request.organisation.slug)
    return render(
        request, "sales/sales_settings.html", {"organisation": request.organisation, "form": form}
    )
