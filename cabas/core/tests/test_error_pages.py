"""A forged or old link (404) and a page beyond one's role (403) answer in French, in the
site's frame with a way home, where Django said "Not Found" / "403 Forbidden" in English."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_missing_page_says_so_in_french(client, world):
    client.force_login(world.users["member"])
    response = client.get(reverse("work:duty_templates", args=["no-such-organisation"]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "Page introuvable" in page and "Not Found" not in page
    assert f'href="{reverse("home")}"' in page


def test_a_page_beyond_ones_role_says_so_in_french(client, world):
    client.force_login(world.users["member"])
    response = client.get(reverse("work:settings", args=[world.org_a.slug]))
    assert response.status_code == 403
    page = response.content.decode()
    assert "Accès refusé" in page and "Forbidden" not in page
    assert "demandez à un coordinateur" in page
