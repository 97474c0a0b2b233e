"""The organisation's public page: its list of producers and their products, rendered once
per content and shared by every visitor (``core.fragments``). At ten times our size it is
1,500 products; its key is one query of the plain values it shows, read on every visit."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from cabas.catalog import selectors as catalog_selectors
from cabas.core import fragments

PRODUCERS_TEMPLATE = "site/includes/public_producers.html"


def producers_html(organisation) -> str:
    """The producers supplying ``organisation`` today and their active products, as HTML."""
    day = timezone.localdate()
    rows = catalog_selectors.public_producer_values(organisation=organisation, day=day)
    shown = (organisation.pk, organisation.public_prices, rows)
    key = f"site:public-producers:{organisation.pk}:"
    key += fragments.digest(PRODUCERS_TEMPLATE, *shown, code=__file__)

    def build() -> str:
        producers = catalog_selectors.public_producers(organisation=organisation, day=day)
        context = {"producers": producers, "public_prices": organisation.public_prices}
        return render_to_string(PRODUCERS_TEMPLATE, context)

    return fragments.fragment(key, build)
