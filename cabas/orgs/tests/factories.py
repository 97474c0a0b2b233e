from datetime import timedelta

import factory
from django.utils import timezone

from cabas.accounts.tests.factories import UserFactory
from cabas.orgs.models import Invitation, Membership, Organisation


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Collectif {n}")
    slug = factory.Sequence(lambda n: f"collectif-{n}")
    kind = Organisation.Kind.COLLECTIVE
    join_policy = Organisation.JoinPolicy.OPEN
    contact_email = factory.Sequence(lambda n: f"contact{n}@collectif.example.org")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    status = Membership.Status.ACTIVE


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    email = factory.Sequence(lambda n: f"invited{n}@example.org")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
