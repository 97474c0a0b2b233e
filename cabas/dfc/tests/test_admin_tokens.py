"""A DFC token in the back office: shown read only, revoked by setting its date."""

import pytest
from django.urls import reverse

from cabas.accounts.tests.factories import UserFactory
from cabas.dfc.models import DfcToken
from cabas.dfc.services import dfc_token_create

pytestmark = pytest.mark.django_db


def test_a_token_is_read_only_but_its_revocation(client, world):
    new = dfc_token_create(
        organisation=world.org_a, user=world.users["member"], name="OFN", scopes=["products:read"]
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = reverse("admin:dfc_dfctoken_change", args=[new.token.pk])

    page = client.get(url)
    client.post(url, {"revoked_at_0": "01/12/2026", "revoked_at_1": "10:00:00", "name": "x"})

    assert page.status_code == 200
    assert new.secret not in page.content.decode()
    token = DfcToken.objects.get()
    assert token.revoked_at is not None
    assert token.name == "OFN"
