"""A collective with a duty at a pickup on Sunday 25 October 2026, the day summer time ends
in Europe/Paris (14:00–16:00 local, 13:00–15:00 UTC), and its people."""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from cabas.accounts.tests.factories import UserFactory
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.sales.tests.factories import PickupFactory, PickupPointFactory, SaleFactory
from cabas.work import services
from cabas.work.models import WorkPeriod
from cabas.work.tests.factories import DutyTemplateFactory, TaskTypeFactory

# Sunday 25 October 2026, 14:00 in Paris (after the change back to UTC+1).
DUTY_DAY = datetime(2026, 10, 25, 13, 0, tzinfo=UTC)
# The day before at 14:00 in Paris (still UTC+2): 25 hours before.
REMINDER_AT = datetime(2026, 10, 24, 12, 0, tzinfo=UTC)
BEFORE = datetime(2026, 10, 20, 8, 0, tzinfo=UTC)


@dataclass
class Collective:
    organisation: object
    period: WorkPeriod
    volunteers: list
    coordinators: list


def collective(*, places: int = 3, pickup_starts_at: datetime = DUTY_DAY) -> Collective:
    organisation = OrganisationFactory(name="Collectif <Tarn>", language="fr")
    point = PickupPointFactory(
        organisation=organisation,
        name="Salle des fêtes",
        address="2 place de la Mairie",
        access_instructions="Porte de derrière <code 1234>",
    )
    sale = SaleFactory(
        organisation=organisation,
        opens_at=datetime(2026, 10, 10, 8, 0, tzinfo=UTC),
        closes_at=datetime(2026, 10, 22, 8, 0, tzinfo=UTC),
    )
    pickup = PickupFactory(
        sale=sale,
        pickup_point=point,
        starts_at=pickup_starts_at,
        ends_at=pickup_starts_at.replace(hour=pickup_starts_at.hour + 2),
    )
    task_type = TaskTypeFactory(
        organisation=organisation,
        name="Préparation des paniers",
        instructions="Apporter des sacs & un <tablier>.",
    )
    DutyTemplateFactory(
        organisation=organisation,
        task_type=task_type,
        start_time=time(14, 0),
        end_time=time(16, 0),
        places=places,
    )
    [period] = services.duties_generate_for_pickup(pickup=pickup)
    volunteers = [
        MembershipFactory(
            organisation=organisation,
            user=UserFactory(email=f"benevole{n}@example.org", first_name=f"Bénévole{n}"),
            is_volunteer=True,
        )
        for n in range(3)
    ]
    coordinators = [
        MembershipFactory(
            organisation=organisation,
            user=UserFactory(email=f"coord{n}@example.org"),
            is_coordinator=True,
        )
        for n in range(2)
    ]
    return Collective(organisation, period, volunteers, coordinators)


def sign_up(world: Collective, membership, *, now=BEFORE):
    return services.signup_create(period=world.period, membership=membership, now=now)
