"""Unreadable input on an organisation's page (a NUL in a search) is refused within that
organisation's page: its name and menu, a French message, the way back; a person who may not
see the page learns nothing about it."""

import pytest
from django.urls import reverse

NUL_MESSAGE = "caractère qui ne peut pas être enregistré"


def _header(html: str) -> str:
    return html.split('class="brand"', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize(
    "name", ["money:member_list", "catalog:products", "work:shift_members", "orders:shop"]
)
def test_a_nul_in_a_search_is_refused_within_the_organisation(world, client, name):
    client.force_login(world.users["coordinator"])
    url = reverse(name, kwargs={"slug": "collectif-a"})

    response = client.get(url + "?q=%00")

    html = response.content.decode()
    assert response.status_code == 400
    assert NUL_MESSAGE in html
    assert "Collectif A" in _header(html)
    assert 'class="main-nav"' in html and "menu-group" in html  # the coordinator's menu
    assert f'href="{url}"' in html  # back to the page, without the query


def test_a_nul_on_a_page_the_person_may_not_see_tells_nothing_of_it(world, client):
    client.force_login(world.users["outsider"])
    url = reverse("money:member_list", kwargs={"slug": "collectif-a"})

    response = client.get(url + "?q=%00")

    html = response.content.decode()
    assert response.status_code == 400
    assert NUL_MESSAGE in html
    assert "Collectif A" not in html


@pytest.mark.parametrize("query", ["q=%FF", "q=" + "pomme+" * 2000, "q=" + "a" * 5000])
def test_odd_searches_are_answered_not_refused(world, client, query):
    client.force_login(world.users["coordinator"])
    for name in ("money:member_list", "catalog:products", "work:shift_members"):
        url = reverse(name, kwargs={"slug": "collectif-a"})
        assert client.get(f"{url}?{query}").status_code == 200
