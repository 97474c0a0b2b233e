"""Coordinator: what a sale offers (products left out, unavailable, limited)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cabas.catalog.models import ProducerLink, ProductImport
from cabas.core.errors import DomainError
from cabas.core.money import format_quantity
from cabas.core.params import posted_object, whole_number
from cabas.orgs.permissions import Action, org_view

from .. import selectors, services
from ..forms import SaleItemQuantityForm
from ..item_pages import item_page
from ..models import Sale, SaleItem
from .common import _error, _sale


@org_view(Action.MANAGE_ORGANISATION)
def sale_offer(request, sale_id: int):
    """What the sale offers: leave out producers or products, limit quantities (the products
    by producer, search and page: a sale may offer thousands)."""
    sale = _sale(request, sale_id)
    if request.method == "POST":
        _sale_offer_change(request, sale)
        return redirect(request.get_full_path())  # the same producer, search and page
    found = item_page(request, selectors.sale_items(sale=sale))
    return render(
        request,
        "sales/sale_offer.html",
        {
            "organisation": request.organisation,
            "sale": sale,
            "found": found,
            "items": list(found.page),
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
            item = posted_object(request, SaleItem, "item", sale=sale)
            services.sale_item_set_excluded(item=item, excluded=action == "exclude_item")
        elif action == "quantity":
            item = posted_object(request, SaleItem, "item", sale=sale)
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


@org_view(Action.MANAGE_ORGANISATION)
def sale_import_offer(request, import_id: int):
    """After a product import: offer its products in the open and scheduled sales chosen
    (the import's page loads this form)."""
    product_import = get_object_or_404(
        ProductImport.objects.defer("content"),
        organisation=request.organisation,
        pk=import_id,
        status=ProductImport.Status.DONE,
    )
    sales = list(
        selectors.sales_taking_new_products(organisation=request.organisation, now=timezone.now())
    )
    if request.method == "POST":
        chosen = {whole_number(value) for value in request.POST.getlist("sales")}
        for sale in (sale for sale in sales if sale.pk in chosen):
            try:
                added = services.sale_items_add(sale=sale, product_ids=product_import.product_ids)
            except DomainError as error:
                messages.error(request, _("%(sale)s: %(error)s") % {"sale": sale, "error": error})
                continue
            messages.success(
                request,
                ngettext(
                    "%(count)s product added to %(sale)s.",
                    "%(count)s products added to %(sale)s.",
                    added,
                )
                % {"count": format_quantity(added), "sale": sale.title},
            )
        if not chosen & {sale.pk for sale in sales}:
            messages.error(request, _("Choose at least one sale."))
        return redirect("catalog:import_detail", slug=request.organisation.slug, pk=import_id)
    template = "sales/includes/import_offer.html"
    return render(
        request,
        template if request.htmx else "sales/import_offer.html",
        {"import": product_import, "sales": sales},
    )
