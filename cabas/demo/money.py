"""The demo's money: membership years (some lapsed), cooperative shares and their payments."""

from __future__ import annotations

from decimal import Decimal

from cabas.core.money import round_money
from cabas.money import services as money_services
from cabas.money.models import AccountEntry, MembershipPeriod, ShareMovement
from cabas.orgs.models import Membership, Organisation

from .base import SeedBase
from .history_rows import JOINED_WITHIN_DAYS, joined_on


class MoneySeed(SeedBase):
    def memberships_money(
        self, organisation: Organisation, *, fee: Decimal, expired: int, shares: bool = False
    ) -> None:
        """Membership fees (this year paid by most, last year only for ``expired`` of them),
        and for a cooperative, 2 to 5 shares of 10 € paid by cheque. Once. Written in bulk
        (a few queries for hundreds of members), with exactly the periods and entries the
        money services would write."""
        if MembershipPeriod.objects.filter(organisation=organisation).exists():
            return
        settings = money_services.money_settings_update(
            organisation=organisation, membership_fee=fee, renewal_month=9, renewal_day=1,
            share_price=Decimal("10.00") if shares else None, shares_minimum=2 if shares else 0,
            commission_percent=Decimal("8.00"), cash_float=Decimal("50.00"),
        )  # fmt: skip
        self._periods_and_shares(organisation, settings, fee=fee, expired=expired, shares=shares)
        periods = MembershipPeriod.objects.filter(organisation=organisation).select_related(
            "membership"
        )
        AccountEntry.objects.bulk_create(self._entries(organisation, periods, fee=fee))
        self.report.add("membership years", len(periods))

    def _periods_and_shares(
        self, organisation: Organisation, settings, *, fee: Decimal, expired: int, shares: bool
    ) -> None:
        """One paid period per active member (last year's for ``expired`` of them, never a demo
        login), and the shares each member of a cooperative subscribed."""
        memberships = list(
            Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE)
            .select_related("user")
            .order_by("user__email")
        )
        every = max(len(memberships) // max(expired, 1), 1)
        last_year = self.today.replace(year=self.today.year - 1)
        periods, movements = [], []
        for index, membership in enumerate(memberships):
            is_demo_login = membership.user.email.split("@")[0] in ("membre", "coordination")
            lapsed = expired and index % every == 1 and not is_demo_login
            start, end = money_services.period_bounds(settings, last_year if lapsed else self.today)
            periods.append(
                MembershipPeriod(
                    organisation=organisation,
                    membership=membership,
                    starts_on=start,
                    ends_on=end,
                    fee=fee,
                    paid_at=self.now,
                )  # fmt: skip
            )
            if shares:
                movements.append(
                    ShareMovement(
                        organisation=organisation,
                        user=membership.user,
                        kind=ShareMovement.Kind.SUBSCRIPTION,
                        quantity=2 + index % 4,
                        unit_price=settings.share_price,
                        # the day they joined: the coop's shares came in over its year
                        on=joined_on(self.today, membership.user.email, JOINED_WITHIN_DAYS),
                    )  # fmt: skip
                )
        MembershipPeriod.objects.bulk_create(periods)
        ShareMovement.objects.bulk_create(movements)

    @staticmethod
    def _entries(organisation: Organisation, periods, *, fee: Decimal) -> list[AccountEntry]:
        """What each period and each share subscription put on the member's account: the
        amount owed and its payment."""
        entries = []
        for index, period in enumerate(periods.order_by("pk")):
            user_id = period.membership.user_id
            method = ("cash", "cheque", "transfer")[index % 3]
            entries += [
                AccountEntry(organisation=organisation, user_id=user_id, kind="membership",
                             amount=-fee, membership_period=period),
                AccountEntry(organisation=organisation, user_id=user_id, kind="payment",
                             amount=fee, method=method),
            ]  # fmt: skip
        for movement in ShareMovement.objects.filter(organisation=organisation):
            value = round_money(movement.unit_price * movement.quantity)
            entries += [
                AccountEntry(organisation=organisation, user_id=movement.user_id, kind="shares",
                             amount=-value, share_movement=movement),
                AccountEntry(organisation=organisation, user_id=movement.user_id, kind="payment",
                             amount=value, method="cheque"),
            ]  # fmt: skip
        return entries
