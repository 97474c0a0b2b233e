"""Coordinator: pickup points."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cabas.orgs.permissions import Action, org_view

from .. import selectors, services
from ..forms import PickupPointForm
from ..models import PickupPoint


@org_view(Action.MANAGE_ORGANISATION)
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


def _other_points(request) -> list[dict]:
    """The organisation's points on the map, to centre it where the new pin probably goes."""
    points = selectors.pickup_points(organisation=request.organisation)
    return selectors.pickup_points_map_data(p for p in points if p.is_active)


@org_view(Action.MANAGE_ORGANISATION)
def pickup_point_create(request):
    form = PickupPointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.pickup_point_create(organisation=request.organisation, **form.cleaned_data)
        messages.success(request, _("Pickup point added."))
        return redirect("sales:pickup_point_list", slug=request.organisation.slug)
    return render(
        request,
        "sales/pickup_point_form.html",
        {
            "organisation": request.organisation,
            "form": form,
            "point": None,
            "map_points": _other_points(request),
        },
    )


@org_view(Action.MANAGE_ORGANISATION)
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
        {
            "organisation": request.organisation,
            "form": form,
            "point": point,
            "map_points": _other_points(request),
        },
    )
