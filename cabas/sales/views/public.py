"""Public and member pages: pickup points on a map, the next bookable slots."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from cabas.orgs.permissions import Action, org_view

from .. import selectors


@org_view(Action.VIEW_PUBLIC_PAGE)
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


@org_view(Action.USE_MEMBER_AREA)
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
