"""The menu of an organisation's pages, by role: one list, so every page shows the same one."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .permissions import has_role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    role: str  # the role that sees it (coordinators see everything volunteers/producers see)
    section: str
    kinds: tuple[str, ...] = ()  # organisation kinds that have the page; empty: all
    sub_pages: tuple[str, ...] = ()  # URL names of the pages under this entry (it stays current)


NAV_ITEMS = (
    NavItem(_("Home"), "site:member_home", "member", "member"),
    NavItem(_("Shop"), "orders:shop", "member", "member"),
    NavItem(_("My orders"), "orders:my_orders", "member", "member"),
    NavItem(_("My account"), "money:my_account", "member", "member"),
    NavItem(_("Pickup points"), "sales:pickup_points_public", "member", "member"),
    NavItem(_("Distribution"), "distribution:checkin_home", "volunteer", "volunteer"),
    NavItem(_("My products"), "catalog:products", "producer", "producer"),
    NavItem(_("My sales"), "sales:producer_sales", "producer", "producer"),
    NavItem(_("Catalog"), "catalog:products", "coordinator", "coordinator"),
    NavItem(_("Sales"), "sales:sale_list", "coordinator", "coordinator"),
    NavItem(_("Schedules"), "sales:schedule_list", "coordinator", "coordinator"),
    NavItem(_("Drive"), "sales:drive", "coordinator", "coordinator", kinds=("cooperative",)),
    NavItem(_("Pickup points setup"), "sales:pickup_point_list", "coordinator", "coordinator"),
    # One members area: the list (roles, balance, membership), requests, invitations, import.
    NavItem(
        _("Members"),
        "money:member_list",
        "coordinator",
        "coordinator",
        sub_pages=(
            "money:member_roles",
            "money:member_account",
            "money:member_import",
            "money:member_import_detail",
            "money:member_invite_bulk",
            "orgs:invitations",
        ),
    ),
    NavItem(_("Settings"), "orgs:settings", "coordinator", "coordinator"),
    NavItem(_("Memberships and money"), "money:settings", "coordinator", "coordinator"),
)


def nav_for(request) -> list[dict]:
    organisation = getattr(request, "organisation", None)
    membership = getattr(request, "membership", None)
    if organisation is None or membership is None or not membership.is_active:
        return []
    current = request.resolver_match.view_name if request.resolver_match else None
    items = []
    for item in NAV_ITEMS:
        if item.role == "producer" and not membership.is_producer:
            continue  # coordinators manage producers' pages from the sales screens
        if not has_role(membership, item.role):
            continue
        if item.kinds and organisation.kind not in item.kinds:
            continue
        items.append(
            {
                "label": item.label,
                "url": reverse(item.url_name, kwargs={"slug": organisation.slug}),
                "section": item.section,
                "current": current == item.url_name or current in item.sub_pages,
            }
        )
    return items
