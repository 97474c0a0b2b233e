"""The shop, the basket, the checkout and the member's orders (thin: parse, call, render)."""

from __future__ import annotations

import re
import uuid

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabas.catalog.selectors import producers_of
from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.core.params import ID_MAX, query_int, whole_number
from cabas.core.redirects import safe_next
from cabas.orgs.models import Organisation
from cabas.orgs.permissions import Action, org_view
from cabas.sales.models import Pickup, Sale
from cabas.sales.selectors import pickup_points_map_data, sale_minimum_order_amount
from cabas.work import selectors_shifts

from . import errors, selectors, services, shop_page
from .forms import BasketLineForm, CheckoutForm, MoveForm, ShopFilterForm
from .models import Order

VISITOR_KEY = "cabas_visitor"


def _visitor_key(request) -> str:
    """A visitor's basket key, kept in the session's data (which survives logging in, unlike
    the session key itself)."""
    if VISITOR_KEY not in request.session:
        request.session[VISITOR_KEY] = uuid.uuid4().hex
    return request.session[VISITOR_KEY]


def _owner(request) -> dict:
    """Who the basket belongs to: the member, or the visitor."""
    if request.user.is_authenticated:
        return {"user": request.user}
    return {"session_key": _visitor_key(request)}


def _refusal_page(request, error: errors.NotAMember):
    """Why the person may not order here; a member suspended from the shifts reads the shifts
    they can take, and the way to "My shifts"."""
    if isinstance(error, errors.ShiftStatusBlocked):
        shifts = selectors_shifts.open_shifts(
            membership=request.membership, now=timezone.now(), limit=5
        )
        return render(
            request,
            "orders/shift_status_blocked.html",
            {"error": error, "shifts": shifts},
            status=403,
        )
    return render(request, "orders/members_only.html", {"error": error}, status=403)


def _members_only_refusal(request):
    """In a members-only organisation the shop is for active members: visitors log in first,
    others read how to join or renew."""
    organisation = request.organisation
    if not organisation.members_only:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        services.member_check(user=request.user, organisation=organisation)
    except (errors.NotAMember, errors.MembershipNotPaid) as error:
        return _refusal_page(request, error)
    return None


def _open_sale(request, sale_id: int) -> Sale:
    sale = _read_open_sale(request, sale_id)
    if sale is None:
        raise Http404
    return sale


def _read_open_sale(request, sale_id: int) -> Sale | None:
    """The organisation's open sale, read with the organisation's shift rules and sales
    settings (one statement): the membership check and the minimum amount read them from the
    request's organisation, not again."""
    organisation = request.organisation
    if sale_id > ID_MAX:
        return None
    sale = selectors.shop_sale(slug=organisation.slug, sale_id=sale_id, status=Sale.Status.OPEN)
    if sale is None:
        return None
    read = sale.organisation
    for name in ("work_settings", "sales_settings"):
        getattr(Organisation, name).related.set_cached_value(
            organisation, getattr(read, name, None)
        )
    sale.organisation = organisation  # already read: not again by the services
    return sale


def _shop_sale(request, sale_id: int):
    """The open sale of a shop page, and the refusal to show instead (members-only
    organisations): a visitor logs in first; the sale is read before the membership check,
    which then reads its settings with it, but its absence (404) is told only to whom may
    order, as before."""
    if request.organisation.members_only and not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    sale = _read_open_sale(request, sale_id)
    refusal = _members_only_refusal(request)
    if refusal:
        return None, refusal
    if sale is None:
        raise Http404
    return sale, None


def _basket(request, sale):
    owner = _owner(request)
    return services.basket_for(sale=sale, **owner)


@org_view(Action.VIEW_PUBLIC_PAGE)
def shop(request):
    """The organisation's open sales; straight to the sale when there is only one."""
    refusal = _members_only_refusal(request)
    if refusal:
        return refusal
    sales = list(selectors.open_sales(organisation=request.organisation))
    if len(sales) == 1:
        return redirect("orders:sale_shop", slug=request.organisation.slug, sale_id=sales[0].pk)
    return render(request, "orders/shop_home.html", {"sales": sales})


@org_view(Action.VIEW_PUBLIC_PAGE)
def sale_shop(request, sale_id: int):
    sale, refusal = _shop_sale(request, sale_id)
    if refusal:
        return refusal
    producers = list(producers_of(organisation=request.organisation))
    form = ShopFilterForm(request.GET or None, producers=producers)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "search": data["q"],
            "category": data["category"],
            "producer_id": data["producer"],
            "organic": data["organic"],
        }
    basket = selectors.basket_view(_basket(request, sale))
    products, found = shop_page.shop_list(request, sale=sale, filters=filters, basket=basket)
    order, last = selectors.shop_orders(sale=sale, user=request.user)
    if basket.rows:  # "order the same again" is offered to an empty basket only
        last = None
    filtered = any(filters.get(name) for name in ("category", "producer_id", "organic"))
    filter_form = shop_page.filter_form(request, form=form, producers=producers, filtered=filtered)
    return render(
        request,
        "orders/shop.html",
        {"sale": sale, "filter_form": filter_form, "shop_list": products, "basket": basket,
         "order": order, "last_order": last,
         "searched": filters.get("search", "").strip(), "found": found},
    )  # fmt: skip


@org_view(Action.VIEW_PUBLIC_PAGE)
def product_detail(request, sale_id: int, product_id: int):
    sale, refusal = _shop_sale(request, sale_id)
    if refusal:
        return refusal
    item = selectors.shop_item(sale=sale, product_id=product_id)
    if item is None:
        raise Http404
    basket = selectors.basket_view(_basket(request, sale))
    return render(
        request,
        "orders/product.html",
        {"sale": sale, "item": item, "in_basket": basket.quantity_of(item.pk),
         "stock": selectors.item_stock_label(item), "basket": basket},
    )  # fmt: skip


@require_POST
@org_view(Action.VIEW_PUBLIC_PAGE)
def basket_set(request, sale_id: int):
    """Add, change or remove (quantity 0) a product: htmx swaps the product's form and the
    basket summary; without script, back to the page."""
    sale, refusal = _shop_sale(request, sale_id)
    if refusal:
        return refusal
    form = BasketLineForm(request.POST)
    valid = form.is_valid()
    # The product's form comes back with a refusal (an emptied box must not lose it).
    product_id = form.cleaned_data.get("product")
    error = None if valid else form.refusal()
    basket = None  # read again after a refusal
    if valid:
        try:
            basket = services.basket_set_quantity(
                sale=sale, product_id=product_id, quantity=form.cleaned_data["quantity"],
                **_owner(request),
            )  # fmt: skip
        except DomainError as exc:
            error = str(exc)
    default = reverse("orders:sale_shop", args=[request.organisation.slug, sale.pk])
    if request.htmx:
        return _basket_set_fragment(request, sale, product_id, error, basket)
    if error:
        messages.error(request, error)
    return redirect(safe_next(request, default))


def _basket_set_fragment(request, sale, product_id: int | None, error: str | None, basket=None):
    """What htmx swaps after a change: on the basket page the whole basket (every line's
    amount, the lines set to 0 gone, the total); in the shop the product's form, and the
    basket bar out of band."""
    basket = selectors.basket_view(basket or _basket(request, sale))
    status = 200 if error is None else 422
    if request.POST.get("context") == "basket":
        in_line = error is not None and basket.quantity_of_product(product_id) is not None
        return render(
            request,
            "orders/includes/basket_lines.html",
            {"sale": sale, "basket": basket, "error": error, "error_in_line": in_line,
             "error_product_id": product_id if in_line else None},
            status=status,
        )  # fmt: skip
    # A product just put in the basket is in its rows, read with its product: not again.
    row = basket.row_of_product(product_id) if product_id and error is None else None
    if row is not None:
        item = row.item
    else:
        item = selectors.shop_item(sale=sale, product_id=product_id) if product_id else None
    return render(
        request,
        "orders/includes/basket_update.html",
        {"sale": sale, "item": item, "in_basket": basket.quantity_of(item.pk) if item else None,
         "basket": basket, "error": error},
        status=status,
    )  # fmt: skip


@org_view(Action.VIEW_PUBLIC_PAGE)
def basket(request, sale_id: int):
    sale, refusal = _shop_sale(request, sale_id)
    if refusal:
        return refusal
    view = selectors.basket_view(_basket(request, sale))
    return render(request, "orders/basket.html", {"sale": sale, "basket": view})


@org_view(Action.ORDER)
def checkout(request, sale_id: int):
    """Choose the pickup and slot, add a note, confirm: places a new order, or applies the
    changes of the order being edited."""
    sale = _open_sale(request, sale_id)
    if VISITOR_KEY in request.session:  # what they chose before logging in
        services.basket_attach(session_key=request.session.pop(VISITOR_KEY), user=request.user)
    basket = services.basket_for(sale=sale, user=request.user)
    # A confirmation reads the lines as plain values (what the order takes), the page its rows.
    view = None if request.method == "POST" else selectors.basket_view(basket)
    lines = selectors.basket_lines(basket) if view is None else view.rows
    if request.method == "POST" and not lines:
        # A second click on "Confirm": the first one placed the order and emptied the basket.
        placed = selectors.order_of_form(user=request.user, token=request.POST.get("token", ""))
        if placed is not None:
            return redirect("orders:order", slug=request.organisation.slug, code=placed.code)
    if not lines:
        messages.info(request, _("Your basket is empty."))
        return redirect("orders:sale_shop", slug=request.organisation.slug, sale_id=sale.pk)
    editing = basket.order if basket.order_id else None
    initial = {"token": uuid.uuid4()}
    if editing:
        initial.update(place=f"{editing.pickup_id}-{editing.slot_id or 0}", note=editing.note)
    form = CheckoutForm(request.POST if request.method == "POST" else None, initial=initial)
    placing = request.method == "POST" and form.is_valid()
    # Placing a new order checks the membership itself (order_place): not twice.
    if not placing or editing:
        try:
            services.member_check(user=request.user, organisation=request.organisation)
        except (errors.NotAMember, errors.MembershipNotPaid) as error:
            return _refusal_page(request, error)
    if placing:
        done = _checkout_confirm(request, sale, basket, lines, form, editing)
        if done is not None:
            return done
    choices = selectors.checkout_choices(
        sale=sale, user=request.user, editing=editing, now=timezone.now(),
        pickup_id=_chosen_pickup_id(request), recent=request.method == "GET",
    )  # fmt: skip
    points = {point.pickup.pickup_point for point in choices.points}
    return render(
        request,
        "orders/checkout.html",
        {"sale": sale, "basket": view or selectors.basket_view(basket), "form": form,
         "choices": choices, "editing": editing,
         "minimum": sale_minimum_order_amount(sale=sale),
         "map_points": pickup_points_map_data(points)},
    )  # fmt: skip


def _checkout_confirm(request, sale, basket, lines, form, editing):
    """Place the order (or apply the changes): the order's page, the refusal page, or None
    when the form now carries the refusal."""
    pickup_id, slot_id = form.place_ids()
    try:
        order = services.checkout_submit(
            user=request.user, sale=sale, basket=basket, pickup_id=pickup_id,
            slot_id=slot_id, note=form.cleaned_data["note"],
            idempotency_key=f"web-{form.cleaned_data['token']}", lines=lines,
        )  # fmt: skip
    except (errors.NotAMember, errors.MembershipNotPaid) as error:
        return _refusal_page(request, error)
    except DomainError as error:
        add_domain_error(form, error, {"slot": "place", "pickup": "place"})
        return None
    if editing:
        text = _("Your order n° %(number)s has been changed.")
    else:  # a replayed double submit lands here too, on the same order
        text = _("Thank you! Your order n° %(number)s is confirmed; an e-mail is on its way.")
    messages.success(request, text % {"number": order.number})
    return redirect("orders:order", slug=request.organisation.slug, code=order.code)


def _chosen_pickup_id(request) -> int | None:
    """The pickup whose slots the checkout shows: ``?pickup=`` (the point chosen first, without
    script or by htmx), or after a refused confirmation, the pickup of the place sent (else
    the one the form carried), so the choice is kept."""
    if request.method != "POST":
        return query_int(request, "pickup")
    place = request.POST.get("place", "")
    if CheckoutForm.PLACE.fullmatch(place):
        return whole_number(place.split("-")[0])
    return whole_number(request.POST.get("pickup", ""))


def _member_order(request, code):
    order = selectors.member_order(organisation=request.organisation, user=request.user, code=code)
    if order is None:
        raise Http404
    return order


def _changeable(order) -> bool:
    return order.status in Order.OPEN_STATUSES and order.sale.takes_orders(timezone.now())


@org_view(Action.ORDER)
def my_orders(request):
    orders = list(selectors.member_orders(organisation=request.organisation, user=request.user))
    now = timezone.now()
    current = [o for o in orders if o.is_active and o.sale.closes_at > now]
    past = [o for o in orders if o not in current]
    return render(request, "orders/my_orders.html", {"current": current, "past": past})


@org_view(Action.ORDER)
def order(request, code):
    order = _member_order(request, code)
    return render(
        request,
        "orders/order.html",
        {
            "order": order,
            "changeable": _changeable(order),
            "arrival_offered": services.arrival_offered(order),
            "arrival_refusal": services.arrival_refusal(order),
        },
    )


@require_POST
@org_view(Action.ORDER)
def order_edit(request, code):
    """Put the order's lines in the basket to change them in the shop."""
    order = _member_order(request, code)
    try:
        services.basket_from_order(order=order)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("orders:order", slug=request.organisation.slug, code=order.code)
    # The shop says it in its banner while the order is being changed: no message on top.
    return redirect("orders:sale_shop", slug=request.organisation.slug, sale_id=order.sale_id)


@require_POST
@org_view(Action.ORDER)
def order_cancel(request, code):
    order = _member_order(request, code)
    try:
        services.order_cancel(order=order)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your order has been cancelled."))
    return redirect("orders:order", slug=request.organisation.slug, code=order.code)


@require_POST
@org_view(Action.ORDER)
def reorder(request, sale_id: int):
    """Fill the basket with the member's last order, skipping what is not available."""
    sale = _open_sale(request, sale_id)
    previous = selectors.last_order(
        organisation=request.organisation, user=request.user, before_sale=sale
    )
    if previous is None:
        messages.info(request, _("You have no previous order to repeat."))
    else:
        result = services.basket_reorder(user=request.user, sale=sale, previous=previous)
        if result.added:
            messages.success(request, _("Added to your basket: %(names)s.")
                             % {"names": ", ".join(result.added)})  # fmt: skip
        if result.skipped:
            messages.warning(request, _("Not available this time: %(names)s.")
                             % {"names": ", ".join(result.skipped)})  # fmt: skip
    return redirect("orders:sale_shop", slug=request.organisation.slug, sale_id=sale.pk)


@org_view(Action.MANAGE_ORGANISATION)
def pickup_orders(request, pickup_id: int):
    """A coordinator's list of a pickup's orders, each movable to another place of the sale."""
    pickup = get_object_or_404(
        Pickup.objects.select_related("sale", "pickup_point"),
        pk=pickup_id,
        organisation=request.organisation,
    )
    if request.method == "POST":
        return _pickup_order_move(request, pickup)
    # One order's list of places at a time: a pickup of 300 orders in a sale of 1,440 places
    # would otherwise be 300 lists of 1,440 choices (megabytes on a phone).
    asked = request.GET.get("move", "")
    asked = int(asked) if re.fullmatch(r"[0-9]{1,11}", asked) else None
    rows = [
        (order, selectors.move_place_of(order)) for order in selectors.pickup_orders(pickup=pickup)
    ]
    # The order being moved (one of this pickup's), its form above the list: fully on a
    # phone's screen, where the table's last column is not.
    moving = next((row for row in rows if row[0].pk == asked), None)
    return render(
        request,
        "orders/pickup_orders.html",
        {
            "pickup": pickup,
            "orders": rows,
            "moving": moving,
            "choices": selectors.move_choices(sale=pickup.sale) if moving else [],
        },
    )


def _pickup_order_move(request, pickup):
    """Moves one order of the pickup; on a refusal, back to that order's list of places."""
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose where to move the order."))
        moving = form.cleaned_data.get("order")  # a readable order: its list opens again
        return redirect(f"{request.path}?move={moving}#move-form" if moving else request.path)
    order = get_object_or_404(Order, pk=form.cleaned_data["order"], pickup=pickup)
    pickup_id, slot_id = form.place_ids()
    try:
        services.order_move(order=order, pickup_id=pickup_id, slot_id=slot_id, by=request.user)
    except DomainError as error:
        messages.error(request, f"n° {order.number} : {error}")
        return redirect(f"{request.path}?move={order.pk}#move-form")
    text = _("Order n° %(number)s has been moved; the member is told by e-mail.")
    messages.success(request, text % {"number": order.number})
    return redirect(request.path)


@org_view(Action.VIEW_PUBLIC_PAGE)
def order_arrived(request, code):
    """ "I have arrived" (car-boot pickup): the link in the e-mail works without logging in —
    the order's code is its key — and tells the volunteers where the member waits."""
    order = get_object_or_404(
        Order.objects.select_related("pickup__pickup_point", "slot", "sale", "organisation"),
        organisation=request.organisation,
        code=code,
    )
    if request.method == "POST":
        try:
            services.order_arrive(order=order, note=request.POST.get("note", ""))
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you! A volunteer brings your order out."))
        return redirect(request.path)
    refusal = services.arrival_refusal(order)
    return render(request, "orders/arrived.html", {"order": order, "refusal": refusal})
