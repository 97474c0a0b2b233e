"""Test-wide settings and fixtures.

Tasks run with django-tasks' ImmediateBackend (the library's own synchronous backend), so an
e-mail queued after commit is in ``mail.outbox`` once the transaction commits; one test in
``cabas/notifications/tests`` runs the real database backend and its worker.

The clock: every test runs at a fixed instant (``DEFAULT_NOW``, then ticking), never at the real
day and hour (time-machine moves the process clock: ``timezone.now()``, ``date.today()``,
``time.time()``). Tests of date-sensitive rules (``@pytest.mark.any_day``: the demo, schedules,
drive, lifecycle) run once at each instant of ``CLOCK_SWEEP``: every day of a week, either side
of midnight, and across both daylight-saving changes. A test that starts a server or worker in
another process, which keeps the real clock, says so with ``@pytest.mark.real_clock``.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

_PARIS = ZoneInfo("Europe/Paris")


def _paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=_PARIS)


# A Wednesday morning, like the day the suite first failed on the real clock.
DEFAULT_NOW = _paris(2026, 12, 2, 10, 0)
CLOCK_SWEEP = {
    "mon-0700": _paris(2026, 6, 8, 7, 0),
    "tue-1230": _paris(2026, 6, 9, 12, 30),
    # Wednesday before the collective's cutoff: one more sale is open, the demo has more orders.
    "wed-1000": _paris(2026, 6, 10, 10, 0),
    "wed-2330": _paris(2026, 6, 10, 23, 30),  # the evening before, in UTC the same day
    "thu-0015": _paris(2026, 6, 11, 0, 15),  # just after midnight: still Wednesday in UTC
    "fri-1800": _paris(2026, 6, 12, 18, 0),
    "sat-2005": _paris(2026, 6, 13, 20, 5),
    "sun-0900": _paris(2026, 6, 14, 9, 0),
    # The evening before summer time starts (Sunday 29 March 2026, 02:00 → 03:00)...
    "dst-spring": _paris(2026, 3, 28, 22, 0),
    # ...and the hour that happens twice when it ends (Sunday 25 October 2026, 03:00 → 02:00).
    "dst-autumn": _paris(2026, 10, 25, 2, 30, 0),
}


def pytest_configure(config):
    from django.conf import settings
    from django.core.signals import setting_changed

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    # Tasks defined while Django was set up (an app's ready()) already opened the backend
    # of the settings: reset it, as override_settings would.
    setting_changed.send(sender=type(settings), setting="TASKS", value=settings.TASKS, enter=True)
    # Many logins and codes from one client address in a few seconds are the tests, not abuse.
    settings.ACCOUNT_RATE_LIMITS = False
    # Hashing hundreds of test passwords with PBKDF2 would dominate the run; the real hasher is
    # Django's default, exercised by the demo-seed and settings tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A test reads the catalog or the slots right after changing them; the one test of the
    # shop cache turns it on.
    settings.SHOP_CACHE_SECONDS = 0


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("any_day"):
        metafunc.parametrize(
            "clock_instant", list(CLOCK_SWEEP.values()), ids=list(CLOCK_SWEEP.keys())
        )


@pytest.fixture
def clock_instant():
    """The instant the test's clock starts at (parametrized over CLOCK_SWEEP for any_day)."""
    return DEFAULT_NOW


@pytest.fixture(autouse=True)
def clock(request, clock_instant):
    """The process clock, at ``clock_instant`` when the test starts, then ticking."""
    if request.node.get_closest_marker("real_clock"):
        yield None
        return
    with time_machine.travel(clock_instant, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request of a member who reads English
    activates it for the thread, and the next test must not inherit it."""
    from django.conf import settings as django_settings
    from django.utils import translation

    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


class World:
    """Two organisations: A with one person per role, B with its own coordinator."""

    def __init__(self):
        from cabas.accounts.tests.factories import UserFactory
        from cabas.catalog.tests.factories import ProducerFactory, ProducerLinkFactory
        from cabas.orgs.tests.factories import (
            InvitationFactory,
            MembershipFactory,
            OrganisationFactory,
        )

        self.org_a = OrganisationFactory(name="Collectif A", slug="collectif-a")
        self.org_b = OrganisationFactory(name="Collectif B", slug="collectif-b")
        self.producer = ProducerFactory(name="Ferme du Ségala")
        ProducerLinkFactory(organisation=self.org_a, producer=self.producer)
        self.users = {
            "member": UserFactory(email="member-a@example.org"),
            "producer": UserFactory(email="producer-a@example.org"),
            "volunteer": UserFactory(email="volunteer-a@example.org"),
            "coordinator": UserFactory(email="coordinator-a@example.org"),
            "outsider": UserFactory(email="coordinator-b@example.org"),
            "supply": UserFactory(email="supply-a@example.org"),
        }
        self.memberships = {
            "member": MembershipFactory(organisation=self.org_a, user=self.users["member"]),
            "producer": MembershipFactory(
                organisation=self.org_a,
                user=self.users["producer"],
                is_producer=True,
                producer=self.producer,
            ),
            "volunteer": MembershipFactory(
                organisation=self.org_a, user=self.users["volunteer"], is_volunteer=True
            ),
            "coordinator": MembershipFactory(
                organisation=self.org_a, user=self.users["coordinator"], is_coordinator=True
            ),
            "outsider": MembershipFactory(
                organisation=self.org_b, user=self.users["outsider"], is_coordinator=True
            ),
            # A member of the shop's supply team (stock, suppliers, purchases).
            "supply": MembershipFactory(
                organisation=self.org_a, user=self.users["supply"], is_supply=True
            ),
        }
        self.applicant = UserFactory(email="applicant-a@example.org")
        self.pending = MembershipFactory(
            organisation=self.org_a, user=self.applicant, status="pending"
        )
        self.invitation = InvitationFactory(organisation=self.org_a, email="guest@example.org")


@pytest.fixture
def world(db):
    return World()
