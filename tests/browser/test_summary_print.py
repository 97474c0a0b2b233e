"""The demo's Friday sale (15 producers, 60 orders at 12 pickup points), its summary printed to
PDF (A4) by headless chromium: one producer per page or two, the column headings again on a
continued page, and each producer's totals once, after its last product."""

import io
import unicodedata

import pytest
from django.utils import translation

from cabas.core.money import format_money
from cabas.demo.data import DEMO_PASSWORD
from cabas.demo.people import COLLECTIVE_DOMAIN
from cabas.demo.seed import demo_seed
from cabas.orders import summaries
from cabas.sales.models import Sale
from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How a producer's continued page may start: the column headings of the table it continues
# (repeated on every page), or a heading that starts a part, or a pickup's small table.
CONTINUED = ("Produit Quantité", "N° Client Créneau", "Ce qu’il faut apporter", "Par client")


def _log_in(page, email: str) -> None:
    log_in(page, email, password=DEMO_PASSWORD)


def _print(page, url: str) -> list[str]:
    """The text of each printed A4 page (ligatures such as "ﬁ" read as "fi")."""
    from pypdf import PdfReader

    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")
    pdf = page.pdf(format="A4", print_background=True)
    return [
        unicodedata.normalize("NFKC", sheet.extract_text())
        for sheet in PdfReader(io.BytesIO(pdf)).pages
    ]


def _flat(text: str) -> str:
    return " ".join(text.split())


# long: one print of the whole sale, read page by page and producer by producer
def test_the_friday_sale_summary_prints_a_page_or_two_per_producer(page, live_server):
    demo_seed()
    # The Friday sale whose cutoff comes first (on a Wednesday morning, next week's is open
    # too, with its own orders).
    sale = (
        Sale.objects.filter(organisation__slug="paniers-du-segala", status="open")
        .order_by("closes_at")
        .first()
    )
    producers = summaries.producer_totals(sale=sale)
    assert len(producers) == 15 and sale.orders.count() == 60
    _log_in(page, f"coordination@{COLLECTIVE_DOMAIN}")

    pages = _print(page, f"/o/paniers-du-segala/sales/{sale.pk}/summary/")

    # The budget: the first page holds the whole sale's VAT totals, then each producer starts
    # a page of its own (what a coordinator hands out): 16 pages is the floor. At 8.5 pt an
    # A4 page holds some 80 rows: a producer's ~10 products, its pickups side by side and its
    # ~15 orders; a producer with more orders goes on to a second page, never a third. This
    # sale prints in 24 pages (before: 35, each producer's totals repeated at every break).
    assert len(pages) <= 1 + len(producers) + 10, len(pages)
    points = tuple(sale.pickups.values_list("pickup_point__name", flat=True))
    title = f" · {sale.title}"
    starts = {}
    for number, text in enumerate(pages):
        first_line = text.splitlines()[0]
        if first_line.endswith(title):
            starts[first_line.removesuffix(title)] = number
        elif number > 0:
            # A producer's continued page starts with the headings of the table it continues.
            assert first_line.startswith(CONTINUED + points), (number, first_line)
    assert list(starts) == [producer.producer_name for producer in producers]
    ends = [*list(starts.values())[1:], len(pages)]
    for producer, start, end in zip(producers, starts.values(), ends, strict=True):
        assert end - start <= 2, producer.producer_name  # one page, or two at most
        section = _flat(" ".join(pages[start:end]))
        # The totals come once, after the producer's last product, however many pages.
        assert section.count("Total à ") == len(producer.vat_totals), producer.producer_name
        products = section[section.index("Totaux par produit") : section.index("Total à ")]
        for product in producer.products:
            assert _flat(product.product_name) in products, product.product_name
        with translation.override("fr"):
            total = f"Total {format_money(producer.amount_excl_vat)}"
        assert _flat(unicodedata.normalize("NFKC", total)) in section

    # A producer (Chèvrerie du Cérou) prints its own summary: two pages at most, its own only.
    page.context.clear_cookies()
    _log_in(page, f"producteur@{COLLECTIVE_DOMAIN}")
    pages = _print(page, f"/o/paniers-du-segala/sales/{sale.pk}/summary/")
    assert len(pages) <= 2
    text = _flat(" ".join(pages))
    assert text.startswith(f"Récapitulatif de {sale.title} — Chèvrerie du Cérou")
    assert text.count("Total à ") == 1 and "Savonnerie" not in text
