"""Test-wide settings and fixtures.

Tasks run with django-tasks' ImmediateBackend (the library's own synchronous backend), so an
e-mail queued after commit is in ``mail.outbox`` once the transaction commits; one test in
``cabas/notifications/tests`` runs the real database backend and its worker.
"""

import pytest


def pytest_configure(config):
    from django.conf import settings

    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default"],
        }
    }
    # Many logins and codes from one client address in a few seconds are the tests, not abuse.
    settings.ACCOUNT_RATE_LIMITS = False
    # Hashing hundreds of test passwords with PBKDF2 would dominate the run; the real hasher is
    # Django's default, exercised by the demo-seed and settings tests.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A test reads the catalog or the slots right after changing them; the one test of the
    # shop cache turns it on.
    settings.SHOP_CACHE_SECONDS = 0


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
        }
        self.applicant = UserFactory(email="applicant-a@example.org")
        self.pending = MembershipFactory(
            organisation=self.org_a, user=self.applicant, status="pending"
        )
        self.invitation = InvitationFactory(organisation=self.org_a, email="guest@example.org")


@pytest.fixture
def world(db):
    return World()
