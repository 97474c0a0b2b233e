"""Producer pages: their sales and what was ordered of their products."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cabas.catalog.models import Producer
from cabas.core.params import posted_object, query_int
from cabas.orgs.permissions import Action, can_edit_producer, org_view

from .. import selectors, services
from ..models import SaleItem
from .common import _sale


def _producer_of(request) -> Producer | None:
    membership = request.membership
    return membership.producer if membership is not None else None


PAST_SALES_STEP = 10  # past sales shown at first, and how many more each "see more" shows


@org_view(Action.USE_PRODUCER_AREA)
def producer_sales(request):
    """The producer's coming and open sales, then its past ones (closed, distributed),
    latest first, ``?past=<n>`` of them, each with its summary one tap away."""
    producer = _producer_of(request)
    shown = min(query_int(request, "past", maximum=10_000) or PAST_SALES_STEP, 10_000)
    sales, past = [], []
    if producer:
        organisation = request.organisation
        sales = list(selectors.producer_sales(organisation=organisation, producer=producer))
        past = list(
            selectors.producer_past_sales(organisation=organisation, producer=producer)[: shown + 1]
        )
    return render(
        request,
        "sales/producer_sales.html",
        {
            "organisation": request.organisation,
            "producer": producer,
            "sales": sales,
            "past_sales": past[:shown],
            "more_past": shown + PAST_SALES_STEP if len(past) > shown else None,
        },
    )


@org_view(Action.USE_PRODUCER_AREA)
def producer_sale(request, sale_id: int):
    sale = _sale(request, sale_id)
    producer = _producer_of(request)
    if producer is None:
        if request.membership.is_coordinator:
            # A coordinator without a producer of their own manages the whole offer.
            return redirect("sales:sale_offer", slug=request.organisation.slug, sale_id=sale.pk)
        raise PermissionDenied
    if request.method == "POST":
        item = posted_object(request, SaleItem, "item", sale=sale)
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
