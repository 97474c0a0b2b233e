"""The pages anyone can read: the home page and an organisation's public page (its producers,
products and pickup points)."""

from django.shortcuts import redirect, render
from django.utils import timezone

from cabas.catalog import selectors as catalog_selectors
from cabas.orgs import selectors as org_selectors
from cabas.orgs.forms import JoinForm
from cabas.orgs.permissions import Action, org_view
from cabas.sales import selectors as sales_selectors


def home(request):
    """Logged-in members land in their current organisation; others see the organisations."""
    if request.user.is_authenticated:
        membership = org_selectors.membership_for_home(
            user=request.user, preferred_slug=request.session.get("current_organisation")
        )
        if membership is not None:
            return redirect("orgs:member_home", slug=membership.organisation.slug)
    return render(
        request,
        "site/home.html",
        {"organisations": org_selectors.organisation_list_public()},
    )


@org_view(Action.VIEW_PUBLIC_PAGE)
def organisation_page(request):
    points = list(
        sales_selectors.pickup_points(organisation=request.organisation, active_only=True)
    )
    return render(
        request,
        "site/organisation.html",
        {
            "organisation": request.organisation,
            "join_form": JoinForm(),
            "points": points,
            "map_points": sales_selectors.pickup_points_map_data(points),
            "producers": catalog_selectors.public_producers(
                organisation=request.organisation, day=timezone.localdate()
            ),
        },
    )
