"""The menu of an organisation's pages, grouped by what people do there.

One list for every page. An entry shows when the person may open its page: the permission is
the one the page's view declares (``org_view(action)``, checked with ``can``), so the menu and
the pages cannot disagree. A member sees only their own things (shop, orders, account).
"""

from dataclasses import dataclass

from django.urls import get_script_prefix, resolve, reverse
from django.utils.translation import gettext_lazy as _

from .permissions import Action, can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    kinds: tuple[str, ...] = ()  # organisation kinds that have the page; empty: all
    sub_pages: tuple[str, ...] = ()  # URL names of the pages under this entry (it stays current)
    own_producer: bool = False  # a producer's own pages: only for a member linked to a producer
    needs: Action | None = None  # a permission beyond the page's own (a label for one role)


@dataclass(frozen=True)
class NavGroup:
    label: str
    key: str
    items: tuple[NavItem, ...]


_INVENTORY_PAGES = (
    "catalog:inventory_start",
    "catalog:inventory_count",
    "catalog:inventory_review",
)

_RECEPTION_PAGES = (
    "supply:reception_start",
    "supply:reception",
    "supply:reception_validate",
    "supply:reception_differences",
)

NAV_GROUPS = (
    NavGroup(
        _("My space"),
        "mine",
        (
            NavItem(_("Home"), "site:member_home"),
            NavItem(_("Shop"), "orders:shop"),
            NavItem(_("My orders"), "orders:my_orders"),
            # Every member of a collective: the page says when only volunteers may sign up.
            NavItem(
                _("Duties"),
                "work:duties",
                kinds=("collective", "amap"),
                sub_pages=("work:my_duties",),
            ),
            NavItem(_("My shifts"), "work:my_shifts", kinds=("cooperative",)),
            NavItem(_("My account"), "money:my_account"),
            # The messages the organisation sent them, and their e-mail preferences.
            NavItem(
                _("Messages"),
                "messaging:archive",
                sub_pages=("messaging:archive_message", "messaging:preferences"),
            ),
        ),
    ),
    NavGroup(
        _("Sell"),
        "sell",
        (
            # The coordinator's catalog and a producer's own products are one page: the first
            # entry the person may open wins (a URL is listed once).
            NavItem(
                _("Catalog"),
                "catalog:products",
                sub_pages=("catalog:producers",),
                needs=Action.MANAGE_CATALOG,
            ),
            NavItem(_("My products"), "catalog:products", own_producer=True),
            NavItem(_("My sales"), "sales:producer_sales", own_producer=True),
            NavItem(_("My figures"), "insights:producer_dashboard", own_producer=True),
            # Tokens for other platforms of the food network (DFC API): a producer's own.
            NavItem(_("DFC connections"), "dfc:tokens", own_producer=True),
            NavItem(_("Sales"), "sales:sale_list"),
            NavItem(_("Schedules"), "sales:schedule_list"),
            NavItem(_("Drive"), "sales:drive", kinds=("cooperative",)),
            # Orders and revenue per week, per point and producer (coordinators).
            NavItem(_("Activity"), "insights:dashboard"),
        ),
    ),
    NavGroup(
        _("Distribute"),
        "distribute",
        (
            NavItem(_("Distribution"), "distribution:checkin_home"),
            NavItem(
                _("Pickup points"), "sales:pickup_point_list", sub_pages=("sales:closing_days",)
            ),
            NavItem(_("Duties to fill"), "work:gaps", sub_pages=("work:pickup_duties",)),
        ),
    ),
    NavGroup(
        _("Supply"),
        "supply",
        (
            # The coop shop's stock: the supply team's and the coordinators' pages.
            NavItem(
                _("Stock"),
                "catalog:stock_list",
                kinds=("cooperative",),
                sub_pages=(
                    "catalog:stock_product",
                    "catalog:stock_movements",
                    "supply:cover",
                    "supply:stock_losses",
                    "supply:stock_value",
                ),
            ),
            # The supply team starts and validates inventories; volunteers count (the same
            # page, listed once for whoever may open it first).
            NavItem(
                _("Inventories"),
                "catalog:inventories",
                kinds=("cooperative",),
                sub_pages=_INVENTORY_PAGES,
                needs=Action.MANAGE_SUPPLY,
            ),
            NavItem(
                _("Inventories"),
                "catalog:inventories",
                kinds=("cooperative",),
                sub_pages=_INVENTORY_PAGES,
                needs=Action.RUN_DISTRIBUTION,
            ),
            # Who the shop buys from, at what price, and the selling prices that follow.
            NavItem(
                _("Suppliers"),
                "supply:suppliers",
                kinds=("cooperative",),
                sub_pages=(
                    "supply:supplier_new",
                    "supply:supplier",
                    "supply:supplier_edit",
                    "supply:supplier_item_edit",
                    "supply:settings",
                    "supply:coefficients",
                    "supply:price_proposals",
                    "supply:price_import",
                    "supply:price_import_detail",
                ),
            ),
            # What the shop orders from its suppliers, from the suggested quantities.
            NavItem(
                _("Purchase orders"),
                "supply:purchase_orders",
                kinds=("cooperative",),
                sub_pages=(
                    "supply:suggestions",
                    "supply:purchase_order",
                    "supply:purchase_order_print",
                ),
            ),
            # Deliveries checked in against the purchase orders (or without one).
            NavItem(
                _("Receptions"),
                "supply:receptions",
                kinds=("cooperative",),
                sub_pages=_RECEPTION_PAGES,
            ),
        ),
    ),
    NavGroup(
        _("Members"),
        "members",
        (
            # One members area: the list (roles, balance, membership), requests, invitations.
            NavItem(
                _("Members"),
                "money:member_list",
                sub_pages=(
                    "money:member_roles",
                    "money:member_account",
                    "money:member_import",
                    "money:member_import_detail",
                    "money:member_invite_bulk",
                    "orgs:invitations",
                ),
            ),
            # Messages to members: write, send in batches, follow; the reminders' settings.
            NavItem(
                _("Messages to members"),
                "messaging:messages",
                sub_pages=(
                    "messaging:message_new",
                    "messaging:message",
                    "messaging:message_edit",
                    "messaging:undeliverable",
                ),
            ),
            NavItem(
                _("Duties and shifts reports"),
                "work:reports",
                sub_pages=("work:compensations",),
            ),
            # The coop's work shifts: the dated shifts, the cycle, the members' counters.
            NavItem(
                _("Shifts"),
                "work:shift_list",
                kinds=("cooperative",),
                sub_pages=(
                    "work:shift_detail",
                    "work:shift_templates",
                    "work:shift_template_add",
                    "work:shift_template_edit",
                    "work:shift_members",
                    "work:shift_member_add",
                    "work:shift_member",
                ),
            ),
        ),
    ),
    NavGroup(
        _("Money"),
        "money",
        (
            NavItem(_("Members' balances"), "money:balances"),
            NavItem(_("Share register"), "money:share_register"),
            NavItem(_("Purchases"), "money:purchases", kinds=("cooperative",)),
            NavItem(_("Memberships and money"), "money:settings"),
        ),
    ),
    NavGroup(
        _("Settings"),
        "settings",
        (
            NavItem(_("General settings"), "orgs:settings"),
            NavItem(_("Sales settings"), "sales:sales_settings"),
            NavItem(_("Messages and reminders"), "messaging:settings"),
            # Every member's tokens for other platforms (DFC API), theirs among them.
            NavItem(_("DFC connections"), "dfc:tokens", needs=Action.MANAGE_MEMBERS),
            NavItem(
                _("Duties and shifts"),
                "work:settings",
                sub_pages=(
                    "work:task_types",
                    "work:task_type_create",
                    "work:task_type_edit",
                    "work:duty_templates",
                    "work:duty_template_create",
                    "work:duty_template_edit",
                ),
            ),
        ),
    ),
)


def _allowed(request, item: NavItem, url: str) -> bool:
    organisation, membership = request.organisation, request.membership
    if item.kinds and organisation.kind not in item.kinds:
        return False
    if item.own_producer and not membership.is_producer:
        return False
    if item.needs is not None and not can(request.user, item.needs, organisation):
        return False
    return can(request.user, _page_action(item.url_name, url), organisation)


_PAGE_ACTIONS: dict[str, object] = {}


def _page_action(url_name: str, url: str):
    """The action the page's view checks (``org_view``): the same for every organisation, so
    resolved once per process (every page draws the menu; resolving is most of its cost)."""
    if url_name not in _PAGE_ACTIONS:
        _PAGE_ACTIONS[url_name] = resolve(url).func.cabas_action
    return _PAGE_ACTIONS[url_name]


# The menus already drawn in this process, by everything they depend on (see nav_for).
_MENUS: dict[tuple, list[dict]] = {}
_MENUS_MAX = 4096  # then started again: a few roles × pages × organisations in practice


def nav_for(request) -> list[dict]:
    """The groups of menu entries this person may use here, each ``{label, key, items}``.

    Every page draws it: it is built once per process for each combination of what it
    depends on (the organisation's address, kind and state, the person's roles, the current
    page) and shared, read-only, by the next requests. Labels stay lazy translations."""
    organisation = getattr(request, "organisation", None)
    membership = getattr(request, "membership", None)
    if organisation is None or membership is None or not membership.is_active:
        return []
    current = request.resolver_match.view_name if request.resolver_match else None
    key = (
        get_script_prefix(), organisation.slug, organisation.kind, organisation.is_active,
        tuple(membership.roles), current,
    )  # fmt: skip
    menu = _MENUS.get(key)
    if menu is None:
        if len(_MENUS) >= _MENUS_MAX:
            _MENUS.clear()
        menu = _MENUS[key] = _menu(request, current)
    return menu


def _menu(request, current: str | None) -> list[dict]:
    organisation = request.organisation
    groups, listed = [], set()
    for group in NAV_GROUPS:
        items = []
        for item in group.items:
            url = reverse(item.url_name, kwargs={"slug": organisation.slug})
            if url in listed or not _allowed(request, item, url):
                continue
            listed.add(url)
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "current": current == item.url_name or current in item.sub_pages,
                }
            )
        if items:
            groups.append({"label": group.label, "key": group.key, "items": items})
    return groups
