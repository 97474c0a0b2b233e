"""Distribution day screens for volunteers (phone first) and coordinators' corrections."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from cabas.catalog.models import Product
from cabas.core.errors import DomainError
from cabas.core.money import parse_decimal
from cabas.core.params import posted_object
from cabas.core.search import search_query
from cabas.money import selectors as money_selectors
from cabas.money.forms import PaymentForm
from cabas.orders import selectors as order_selectors
from cabas.orders import services as order_services
from cabas.orders.history import order_history
from cabas.orders.models import Order, OrderLine
from cabas.orgs.permissions import Action, has_role, org_view
from cabas.sales import selectors as sales_selectors
from cabas.sales.item_pages import item_page
from cabas.sales.models import Pickup, Sale, SaleItem
from cabas.work import selectors as work_selectors
from cabas.work.models import Signup

from . import selectors, services


def _pickup(request, pickup_id: int) -> Pickup:
    return get_object_or_404(
        Pickup.objects.select_related("pickup_point", "sale"),
        pk=pickup_id,
        organisation=request.organisation,
    )


def _decimal(text) -> Decimal | None:
    try:
        return order_services.parse_quantity(text)
    except DomainError:
        return None


@org_view(Action.RUN_DISTRIBUTION)
def checkin_home(request):
    pickups = selectors.checkin_pickups(organisation=request.organisation)
    return render(request, "distribution/checkin_home.html", {"pickups": pickups})


@org_view(Action.RUN_DISTRIBUTION)
def checkin_pickup(request, pickup_id: int):
    """The pickup's orders by slot, with search and arrivals; htmx refreshes the arrivals."""
    pickup = _pickup(request, pickup_id)
    search = search_query(request)
    arrivals = selectors.arrivals(pickup=pickup)
    if request.htmx and request.GET.get("part") == "arrivals":
        return render(
            request, "distribution/includes/arrivals.html", {"pickup": pickup, "arrivals": arrivals}
        )
    duties = work_selectors.pickup_duties(pickup=pickup)
    return render(
        request,
        "distribution/checkin_pickup.html",
        {
            "pickup": pickup,
            "duties": duties,
            "substitutes": (
                list(work_selectors.substitutes_for(organisation=request.organisation))
                if duties
                else []
            ),
            "attendance_choices": [c for c in Signup.Attendance.choices if c[0]],
            "orders": list(selectors.checkin_orders(pickup=pickup, search=search)),
            "arrivals": arrivals,
            "search": search,
            "ended": timezone.now() >= pickup.ends_at,
            "is_coordinator": has_role(request.membership, "coordinator"),
        },
    )


def _order(request, code) -> Order:
    order = selectors.checkin_order(organisation=request.organisation, code=code)
    if order is None:
        raise Http404
    return order


def _line(order: Order, line_id) -> OrderLine:
    for line in order.lines.all():
        if str(line.pk) == str(line_id):
            return line
    raise Http404


@org_view(Action.RUN_DISTRIBUTION)
def checkin_order(request, code):
    """One order (where the QR code of its label leads): status, weighing, missing items,
    substitutions; coordinators also add or remove lines with a reason. POST actions come
    back here."""
    order = _order(request, code)
    coordinator = has_role(request.membership, "coordinator")
    if request.method == "POST":
        try:
            text = _order_action(request, order, coordinator)
        except DomainError as error:
            messages.error(request, str(error))
            if error.code == "weight_needs_confirmation":
                request.session["confirm_weight"] = request.POST.get("line")
        else:
            if text:
                messages.success(request, text)
        back = request.POST.get("back")
        if back == "pickup":
            return redirect(
                "distribution:checkin_pickup", request.organisation.slug, order.pickup_id
            )
        return redirect(request.path)
    products = []
    if coordinator:
        products = list(
            SaleItem.objects.filter(sale_id=order.sale_id)
            .select_related("product")
            .order_by("product__name")
        )
    due = money_selectors.order_due(order=order)
    undo_id = request.session.pop("undo_missing", None)
    undo_line = next((ln for ln in order.lines.all() if ln.pk == undo_id and ln.is_missing), None)
    return render(
        request,
        "distribution/checkin_order.html",
        {
            "order": order,
            "due": due,
            "payments": list(order.entries.filter(kind="payment").order_by("created_at")),
            "payment_form": PaymentForm(initial={"amount": due.due, "method": "cash"}),
            "coordinator": coordinator,
            "products": products,
            "confirm_line": request.session.pop("confirm_weight", None),
            # in the workflow's order (a set's order changes from one server process to another)
            "statuses": [
                status
                for status in Order.Status
                if status in order_services.TRANSITIONS.get(order.status, set())
            ],
            "undo_line": undo_line,
            "history": order_history(list(order.events.all())),
        },
    )


def _order_action(request, order: Order, coordinator: bool) -> str:
    post, by = request.POST, request.user
    action = post.get("action")
    if action == "status":
        status = post.get("status", "")
        if status not in Order.Status.values:
            raise DomainError(_("Choose a valid status."))
        order_services.order_set_status(order=order, status=status, by=by)
        return _("Order n° %(number)s: %(status)s.") % {
            "number": order.number, "status": Order.Status(status).label,
        }  # fmt: skip
    if action == "weigh":
        line = _line(order, post.get("line"))
        order_services.order_line_weigh(
            line=line,
            weighed_kg=_decimal(post.get("weighed_kg", "")),
            by=by,
            confirm=post.get("confirm") == "1",
        )
        return _("Weight recorded.")
    if action == "missing":
        line = _line(order, post.get("line"))
        order_services.order_line_mark_missing(line=line, by=by, note=post.get("note", ""))
        # The page offers to undo it, right where the message shows.
        request.session["undo_missing"] = line.pk
        return ""
    if action == "unmark_missing":
        line = _line(order, post.get("line"))
        order_services.order_line_unmark_missing(line=line, by=by)
        return _("“%(product)s” is no longer missing.") % {"product": line.product_name}
    if action == "substitute":
        order_services.order_line_substitute(
            line=_line(order, post.get("line")), note=post.get("note", ""), by=by
        )
        return _("Substitution noted.")
    if coordinator and action == "add_line":
        product = posted_object(request, Product, "product", organisation=order.organisation)
        typed = post.get("quantity", "").strip()
        if not typed:
            raise DomainError(_("Enter a quantity."))
        quantity = order_services.parse_quantity(typed)  # "abc" says it is not a quantity
        order_services.order_line_add(
            order=order, product=product, quantity=quantity, by=by, reason=post.get("reason", "")
        )
        return _("Line added.")
    if coordinator and action == "remove_line":
        order_services.order_line_remove(
            line=_line(order, post.get("line")), by=by, reason=post.get("reason", "")
        )
        return _("Line removed.")
    raise DomainError(_("This action is not possible."))


@require_POST
@org_view(Action.RUN_DISTRIBUTION)
def pickup_no_shows(request, pickup_id: int):
    pickup = _pickup(request, pickup_id)
    try:
        count = order_services.pickup_mark_no_shows(pickup=pickup, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(count)s orders marked as no-show.") % {"count": count})
    return redirect("distribution:checkin_pickup", request.organisation.slug, pickup.pk)


@require_POST
@org_view(Action.RUN_DISTRIBUTION)
def pickup_close(request, pickup_id: int):
    pickup = _pickup(request, pickup_id)
    try:
        services.pickup_close(pickup=pickup, by=request.user)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("distribution:checkin_pickup", request.organisation.slug, pickup.pk)
    messages.success(request, _("The pickup is closed; its amounts are final."))
    return redirect("distribution:checkin_home", request.organisation.slug)


@org_view(Action.RUN_DISTRIBUTION)
def picking(request, pickup_id: int):
    """Coop drive: orders to pick, items grouped by shelf; take one, then mark it ready."""
    pickup = _pickup(request, pickup_id)
    page, entries = selectors.picking_orders(pickup=pickup, page_number=request.GET.get("page"))
    return render(
        request, "distribution/picking.html", {"pickup": pickup, "page": page, "entries": entries}
    )


def _sale(request, sale_id: int) -> Sale:
    return get_object_or_404(Sale, pk=sale_id, organisation=request.organisation)


@org_view(Action.RUN_DISTRIBUTION)
def sale_missing(request, sale_id: int):
    """A whole product did not come: remove it from every order of the sale at once, once
    the coordinator confirmed on a second page naming the product and its orders (no script
    needed)."""
    sale = _sale(request, sale_id)
    if request.method == "POST":
        product = posted_object(request, Product, "product", organisation=request.organisation)
        if request.POST.get("confirm") != "1":
            return _sale_missing_confirm(request, sale, product)
        _sale_missing_apply(request, sale, product)
        return redirect(request.get_full_path())  # the same producer, search and page
    # The ordered products by producer, search and page (a sale may have thousands); a
    # product already said missing is shown so (and not offered again once no order holds it
    # any more): the coordinator sees what was done.
    items = selectors.ordered_items(sale=sale)
    found = item_page(request, items)
    context = {
        "sale": sale,
        "found": found,
        "items": selectors.items_with_missing_counts(found.page.object_list),
        "producers": sales_selectors.item_producers(items),
    }
    return render(request, "distribution/sale_missing.html", context)


def _sale_missing_confirm(request, sale: Sale, product: Product):
    """The second step: what saying the product missing would change; changes nothing."""
    context = {
        "sale": sale,
        "product": product,
        "reason": request.POST.get("reason", "")[:300],
        "count": order_selectors.orders_losing_product_count(sale=sale, product=product),
    }
    return render(request, "distribution/sale_missing_confirm.html", context)


def _sale_missing_apply(request, sale: Sale, product: Product) -> None:
    try:
        changed = order_services.sale_product_set_missing(
            sale=sale, product=product, by=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        messages.error(request, str(error))
        return
    count = len(changed)
    text = (
        ngettext(
            "“%(product)s” removed from %(count)s order; the member is told by e-mail.",
            "“%(product)s” removed from %(count)s orders; the members are told by e-mail.",
            count,
        )
        if count
        else _("“%(product)s” is in no order left to change: no member is told.")
    )
    messages.success(request, text % {"product": product.name, "count": count})


@org_view(Action.MANAGE_ORGANISATION)
def sale_prices(request, sale_id: int):
    """Correct a product's price for this sale only; every order is repriced, with history
    (the ordered products by producer, search and page: a sale may have thousands)."""
    sale = _sale(request, sale_id)
    if request.method == "POST":
        item = posted_object(request, SaleItem, "item", sale=sale)
        try:
            count = order_services.sale_item_set_price(
                item=item, price=parse_decimal(request.POST.get("price", "")), by=request.user,
                reason=request.POST.get("reason", ""),
            )  # fmt: skip
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(count)s order lines repriced.") % {"count": count})
        return redirect(request.get_full_path())  # the same producer, search and page
    items = selectors.ordered_items(sale=sale)
    found = item_page(request, items)
    context = {"sale": sale, "found": found, "producers": sales_selectors.item_producers(items)}
    return render(request, "distribution/sale_prices.html", context)
