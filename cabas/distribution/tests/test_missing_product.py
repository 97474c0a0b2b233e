"""A whole product said missing: the coordinator confirms on a second page (no script needed)
that names the product and the orders it changes; then the product is not to bring, is shown
« manquant » in the totals by product, and every summary and money page counts it the same
way (a missing line does not count)."""

import re
from decimal import Decimal

import pytest
from django.test import TestCase
from django.urls import reverse

from cabas.distribution import selectors
from cabas.money import reports
from cabas.orders import services, summaries, summary_tables
from cabas.orders.models import OrderLine
from cabas.orders.tests.factories import distribution_day
from cabas.orgs.models import Membership

pytestmark = pytest.mark.django_db
FR = {"accept-language": "fr"}


@pytest.fixture
def day():
    return distribution_day()  # Tomme: 2 + 1 in two orders; Pain: 1 + 2


def _missing_url(day, query=""):
    return reverse("distribution:sale_missing", args=[day.organisation.slug, day.sale.pk]) + query


def _cheese_lines(day):
    return OrderLine.objects.filter(sale_item__sale=day.sale, product=day.products["cheese"])


def _mark_cheese_missing(day):
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.sale_product_set_missing(
            sale=day.sale, product=day.products["cheese"], by=day.volunteer
        )


def test_the_first_tap_only_asks_to_confirm_naming_the_product_and_its_orders(client, day):
    client.force_login(day.volunteer)
    query = "?q=tom&page=1"

    answer = client.post(
        _missing_url(day, query),
        {"product": day.products["cheese"].pk, "reason": "Grêle"},
        headers=FR,
    )

    page = answer.content.decode()
    assert answer.status_code == 200
    assert "Retirer « Tomme » (Ferme du Cérou) de 2 commandes ?" in page
    assert "Oui, le retirer de 2 commandes" in page
    assert '<input type="hidden" name="confirm" value="1">' in page
    assert 'value="Grêle"' in page  # the reason typed is kept for the second tap
    cancel = _missing_url(day, query).replace("&", "&amp;")
    assert f'href="{cancel}"' in page  # cancel: the same producer, search, page
    assert not _cheese_lines(day).filter(is_missing=True).exists()  # nothing changed


def test_the_confirmed_tap_removes_the_product_and_says_so_once(client, day):
    client.force_login(day.volunteer)

    answer = client.post(
        _missing_url(day),
        {"product": day.products["cheese"].pk, "reason": "Grêle", "confirm": "1"},
        headers=FR,
        follow=True,
    )

    page = answer.content.decode()
    assert all(line.is_missing for line in _cheese_lines(day))
    assert page.count("« Tomme » retiré de 2 commandes") == 1
    assert len(re.findall(r'<li class="message ', page)) == 1


def test_confirming_a_product_in_no_order_left_offers_nothing_to_confirm(client, day):
    _mark_cheese_missing(day)
    client.force_login(day.volunteer)

    page = client.post(
        _missing_url(day), {"product": day.products["cheese"].pk}, headers=FR
    ).content.decode()

    assert "« Tomme » n’est dans aucune commande à modifier" in page
    assert 'name="confirm"' not in page


def test_a_forged_product_on_the_first_tap_is_not_found(client, day):
    client.force_login(day.volunteer)

    assert client.post(_missing_url(day), {"product": "abc"}).status_code == 404


def test_the_selector_gives_the_page_items_their_missing_and_kept_orders(
    day, django_assert_num_queries
):
    _mark_cheese_missing(day)
    items = list(selectors.ordered_items(sale=day.sale))

    with django_assert_num_queries(1):  # one query for the page, whatever its items
        shown = selectors.items_with_missing_counts(items)

    counts = {item.product.name: (item.missing_orders, item.kept_orders) for item in shown}
    assert counts == {
        "Tomme": (2, 0),
        "Pain de campagne": (0, 2),
        "Tomates": (0, 1),
        "Poulet": (0, 1),
    }


def _coordinator(day):
    user = day.member(first_name="Coordination")
    Membership.objects.filter(user=user).update(is_coordinator=True)
    return user


def _section(page: str, heading: str) -> str:
    start = page.index(heading)
    return page[start : page.index("<h3", start + 1)]


def test_the_summary_does_not_say_to_bring_a_missing_product_and_marks_it_missing(client, day):
    _mark_cheese_missing(day)
    client.force_login(_coordinator(day))

    page = client.get(
        reverse("distribution:sale_summary", args=[day.organisation.slug, day.sale.pk]),
        headers=FR,
    ).content.decode()

    bring = _section(page, "Ce qu’il faut apporter")
    assert "Tomme" not in bring and "Pain de campagne" in bring
    totals = _section(page, "Totaux par produit")
    tomme = next(row for row in re.findall(r"<tr.*?</tr>", totals, re.S) if "Tomme" in row)
    assert 'class="missing"' in tomme and "manquant" in tomme and "0,00" in tomme


def test_a_missing_line_counts_nowhere_and_every_summary_agrees(day):
    # One line of the bread missing (at check-in), the whole cheese missing.
    bread = _cheese_lines(day).model.objects.get(order=day.orders[1], product=day.products["bread"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.order_line_mark_missing(line=bread, by=day.volunteer)
    _mark_cheese_missing(day)

    (producer,) = summaries.producer_totals(sale=day.sale)
    rows = {(p.product_name, p.is_missing): p for p in producer.products}
    (pickups,) = summaries.producer_pickup_totals(sale=day.sale)
    brought = {
        product.product_name: product.quantity
        for pickup in pickups.pickups
        for product in pickup.products
    }

    assert rows[("Pain de campagne", False)].quantity == Decimal(1)
    assert rows[("Pain de campagne", True)].quantity == Decimal(2)
    assert rows[("Pain de campagne", True)].amount_incl_vat == Decimal("0.00")
    assert rows[("Tomme", True)].quantity == Decimal(3)
    assert ("Tomme", False) not in rows
    # What to bring is what is sold: the counted rows, nothing of the missing ones.
    assert brought == {p.product_name: p.quantity for p in producer.products if not p.is_missing}
    # The second order had only bread (missing) and cheese (missing): nothing to prepare.
    assert sum(pickup.orders for pickup in pickups.pickups) == 2
    # The money pages read the same totals as the summary.
    money = summaries.producer_vat_totals(sale=day.sale)
    assert [t.vat_totals for t in money] == [producer.vat_totals]
    accounting = reports.sale_accounting(sale=day.sale)
    assert accounting.amount_incl_vat == producer.amount_incl_vat
    assert producer.amount_incl_vat == sum(
        (p.amount_incl_vat for p in producer.products), Decimal(0)
    )


def test_the_totals_file_says_which_row_is_missing(day):
    _mark_cheese_missing(day)

    header, rows = summary_tables.producer_totals_table(
        summaries.producer_totals(sale=day.sale), file_format="csv"
    )

    missing = {row[1]: row[-1] for row in rows}
    assert header[-1] == "Manquant"
    assert missing["Tomme"] == "oui" and missing["Pain de campagne"] == ""
