"""Every main page of each role has its own title (a tab, a bookmark, what a screen reader
announces first), in French."""

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from .main_pages import main_pages

pytestmark = pytest.mark.django_db


def _title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    return " ".join(unescape(found.group(1)).split()) if found else ""


def test_the_main_pages_of_each_role_have_distinct_titles(world):
    pages = main_pages(world)
    problems = {}
    for role, urls in pages.items():
        client = Client()
        client.force_login(world.users[role])
        titles = {}
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (role, url, response.status_code)
            titles[url] = _title(response.content.decode())
        # " · Les Paniers" is a title whose own part came out empty
        empty = [url for url, title in titles.items() if not title or title[0] in "·—-"]
        repeated = {
            url: title for url, title in titles.items() if list(titles.values()).count(title) > 1
        }
        if empty or repeated:
            problems[role] = {"empty": empty, "repeated": repeated}
    assert problems == {}


def test_a_shop_product_page_is_titled_by_the_product(world):
    from cabas.orders.tests.factories import open_shop

    shop = open_shop(organisation=world.org_a)
    cheese = shop.products["cheese"]
    client = Client()
    client.force_login(world.users["member"])
    url = reverse(
        "orders:product",
        kwargs={"slug": world.org_a.slug, "sale_id": shop.sale.pk, "product_id": cheese.pk},
    )
    assert _title(client.get(url).content.decode()) == f"{cheese.name} · {world.org_a.name}"
