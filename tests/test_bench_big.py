"""bench/big.py's organisation at a small size, as the page crawl (bench/crawl.py) sees it:
the cooperative's shifts have members, so the pages of a member on the shifts answer.
PostgreSQL only, as the bench."""

from __future__ import annotations

import pytest
from django.db import connection

from bench import crawl
from bench.big import SHIFTS, big_build
from cabas.orgs.models import Membership
from cabas.work.models import ShiftMember, WorkPeriod

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench's SQL is PostgreSQL"),
]

SHIFT_PAGES = {"work:shift_member", "work:shift_members", "work:shift_detail",
               "work:shift_template_edit", "work:task_type_edit", "work:my_shifts"}  # fmt: skip


def test_the_generated_shifts_have_members_and_the_crawl_reaches_their_pages():
    built = big_build(slug="petit", past_sales=1, orders_per_sale=30, members=40, producers=3,
                      products=12, points=2, shift_members=5, seed=3, rollups=False)  # fmt: skip
    organisation = built.organisation
    members = ShiftMember.objects.filter(organisation=organisation)
    crawled = Membership.objects.get(organisation=organisation, user=built.people["member"])

    assert members.count() == 5
    assert {m.regime for m in members} == {"regular", "flying"}
    assert members.get(membership=crawled).regime == "regular"
    shifts = WorkPeriod.objects.filter(organisation=organisation, kind="shift")
    assert shifts.count() >= len(SHIFTS) and shifts.filter(signups__isnull=False).exists()

    result = crawl.crawl(built, runs=1, only=SHIFT_PAGES)
    assert set(result["pages"]) == SHIFT_PAGES
    assert {name: row["status"] for name, row in result["pages"].items()} == dict.fromkeys(
        SHIFT_PAGES, 200
    )
