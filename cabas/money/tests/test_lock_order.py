"""Money, memberships, invitations, shop stock and the organisation's settings follow the
global lock order (cabas/core/lock_order.py): their locks are organisation-level rows, taken
first, in the order of that module. Recorded on PostgreSQL (SQLite takes no row lock)."""

from decimal import Decimal

import pytest

from cabas.accounts.tests.factories import UserFactory
from cabas.catalog import services as catalog_services
from cabas.core.tests.locks import locks_of, skip_unless_postgresql
from cabas.money import members, services
from cabas.money.models import MembershipPeriod
from cabas.orders.tests.factories import open_shop
from cabas.orgs import services as orgs_services
from cabas.orgs.models import Membership, Organisation
from cabas.orgs.tests.factories import InvitationFactory
from cabas.sales import services as sales_services

pytestmark = pytest.mark.django_db
D = Decimal
ORG = "organisation-level rows"


@pytest.fixture(autouse=True)
def _postgresql_only():
    skip_unless_postgresql()


@pytest.fixture
def shop():
    return open_shop()


def test_payments_refunds_and_shares(shop):
    org, member, other = shop.organisation, shop.member(), shop.member()
    services.money_settings_update(organisation=org, share_price=D("10"), shares_minimum=1)
    entry = services.payment_record(organisation=org, user=member, amount=D("30"),
                                    method="unresolved", by=None)  # fmt: skip
    services.shares_subscribe(organisation=org, user=member, quantity=3, by=None)

    _r, recording = locks_of(lambda: services.payment_resolve(entry=entry, method="cash", by=None))
    assert recording.tables() == ["money_accountentry"]
    _r, recording = locks_of(
        lambda: services.shares_transfer(
            organisation=org, giver=member, receiver=other, quantity=1, by=None
        )  # fmt: skip
    )
    assert recording.tables() == ["money_sharemovement"]
    _r, recording = locks_of(
        lambda: services.shares_refund(
            organisation=org, user=member, quantity=1, reason="départ", by=None
        )  # fmt: skip
    )
    assert recording.tables() == ["money_sharemovement", "money_accountentry"]
    services.payment_record(organisation=org, user=member, amount=D("1"), method="cash", by=None)
    _r, recording = locks_of(
        lambda: services.refund_record(
            organisation=org, user=member, amount=D("1"), reason="trop perçu", by=None
        )
    )
    assert recording.tables() == ["money_accountentry"]


def test_membership_fees(shop):
    org = shop.organisation
    services.money_settings_update(organisation=org, membership_fee=D("5"))
    membership = Membership.objects.get(user=shop.member())

    period = services.membership_renew(membership=membership, by=None)

    _r, recording = locks_of(
        lambda: services.membership_fee_pay(period=period, method="cash", by=None)
    )

    assert recording.tables() == ["money_membershipperiod"]
    assert MembershipPeriod.objects.get(pk=period.pk).paid_at is not None


def test_memberships_and_invitations(shop):
    org = shop.organisation
    Organisation.objects.filter(pk=org.pk).update(join_policy=Organisation.JoinPolicy.APPROVAL)
    org.refresh_from_db()
    newcomer = UserFactory()

    membership, recording = locks_of(
        lambda: orgs_services.membership_join(organisation=org, user=newcomer)
    )
    assert recording.tables() == ["orgs_membership"]
    locks_of(lambda: orgs_services.membership_decide(membership=membership, approve=True,
                                                     decided_by=None))  # fmt: skip
    locks_of(
        lambda: orgs_services.membership_set_roles(
            membership=membership, is_coordinator=True, is_volunteer=True, is_producer=False
        )
    )
    invited = UserFactory()
    invitation = InvitationFactory(organisation=org, email=invited.email)
    _m, recording = locks_of(
        lambda: orgs_services.invitation_accept(token=invitation.token, user=invited)
    )
    assert recording.tables() == ["orgs_invitation", "orgs_membership"]
    locks_of(
        lambda: orgs_services.invitation_revoke(invitation=InvitationFactory(organisation=org))
    )


def test_a_member_import(shop):
    org = shop.organisation
    known = UserFactory(email="jeanne@example.org")
    plan = members.member_import_check(
        organisation=org, file_name="membres.csv",
        content=f"email;prénom;nom\n{known.email};Jeanne;Roux\n".encode(),
    )  # fmt: skip

    _r, recording = locks_of(
        lambda: members.member_import_apply(organisation=org, plan=plan, by=None, invite=False)
    )

    assert recording.tables() == ["orgs_membership"]


def test_shop_stock_and_sales_settings(shop):
    soap = shop.products["soap"]

    _r, recording = locks_of(
        lambda: catalog_services.stock_set(
            product=soap, quantity=D("7"), note="inventaire", made_by=None
        )  # fmt: skip
    )
    assert recording.tables() == ["catalog_product"]
    _r, recording = locks_of(
        lambda: sales_services.sales_settings_update(
            organisation=shop.organisation, minimum_order_amount=D("10")
        )  # fmt: skip
    )
    assert recording.ranks() == [ORG]
