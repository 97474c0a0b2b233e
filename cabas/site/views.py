"""The pages anyone can read: the home page and an organisation's public page (its producers,
products, pickup points and open sales); and a member's home page in an organisation, which
gathers what the apps below know about them (see ``home``)."""

from django.shortcuts import redirect, render
from django.utils import timezone

from cabas.orgs import selectors as org_selectors
from cabas.orgs.forms import JoinForm
from cabas.orgs.permissions import Action, org_view
from cabas.sales import selectors as sales_selectors

from . import home as home_selectors
from . import public_page


def home(request):
    """Logged-in members land in their current organisation; others see the organisations."""
    if request.user.is_authenticated:
        membership = org_selectors.membership_for_home(
            user=request.user, preferred_slug=request.session.get("current_organisation")
        )
        if membership is not None:
            return redirect("site:member_home", slug=membership.organisation.slug)
    return render(
        request,
        "site/home.html",
        {"organisations": org_selectors.organisation_list_public()},
    )


@org_view(Action.USE_MEMBER_AREA)
def member_home(request):
    """ "Bonjour": what the member came for (open sales, their orders, their balance) and, for
    coordinators, the work of today and the coming days; volunteers see today's pickups."""
    organisation, membership, now = request.organisation, request.membership, timezone.now()
    work = None
    pickups_today = None
    if membership.is_coordinator:
        work = home_selectors.coordinator_home(organisation=organisation, now=now)
    elif membership.is_volunteer:
        pickups_today = home_selectors.pickups_today(organisation=organisation, now=now)
    return render(
        request,
        "site/member_home.html",
        {
            "organisation": organisation,
            "home": home_selectors.member_home(
                organisation=organisation, user=request.user, membership=membership, now=now
            ),
            "work": work,
            "pickups_today": pickups_today,
        },
    )


@org_view(Action.VIEW_PUBLIC_PAGE)
def organisation_page(request):
    open_sales, next_sale = home_selectors.public_sales(
        organisation=request.organisation, now=timezone.now()
    )
    points = list(
        sales_selectors.pickup_points(organisation=request.organisation, active_only=True)
    )
    return render(
        request,
        "site/organisation.html",
        {
            "organisation": request.organisation,
            "join_form": JoinForm(),
            "open_sales": open_sales,
            "next_sale": next_sale,
            "points": points,
            "map_points": sales_selectors.pickup_points_map_data(points),
            "producers_html": public_page.producers_html(request.organisation),
        },
    )
