"""The shift counters' rules, outcome by outcome, with frozen dates.

The cycle (defaults: 4 weeks from Monday 2024-01-01): cycle C1 runs from Monday 2025-12-29
to Sunday 2026-01-25, C2 from 2026-01-26. The member is on shifts from C1's first day, so
C1's shift is due when it ends.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cabas.notifications.models import OutboxMessage
from cabas.orgs.tests.factories import MembershipFactory, OrganisationFactory
from cabas.work import errors, selectors, services
from cabas.work.models import CounterEntry, ShiftMember, Signup, WorkSettings
from cabas.work.tests.factories import ShiftPeriodFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
C1 = date(2025, 12, 29)
C2 = date(2026, 1, 26)
BEFORE = datetime(2026, 1, 2, 10, tzinfo=PARIS)  # sign-ups
AFTER = datetime(2026, 1, 6, 13, tzinfo=PARIS)  # attendance
C1_CLOSED = datetime(2026, 1, 26, 1, tzinfo=PARIS)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=PARIS)


@pytest.fixture
def org():
    organisation = OrganisationFactory(kind="cooperative", timezone="Europe/Paris")
    WorkSettings.objects.create(organisation=organisation)
    return organisation


def on_shifts(org, regime="flying", starts_on=C1):
    membership = MembershipFactory(organisation=org)
    services.shift_member_set(membership=membership, regime=regime, starts_on=starts_on)
    return membership


def shift(org, day=date(2026, 1, 6), places=4):
    start = at(day)
    return ShiftPeriodFactory(
        organisation=org, starts_at=start, ends_at=start + timedelta(hours=3), places=places
    )


def counter(membership) -> int:
    return ShiftMember.objects.get(membership=membership).counter


def ledger(membership) -> list[tuple[int, str]]:
    return list(
        CounterEntry.objects.filter(membership=membership)
        .order_by("created_at", "pk")
        .values_list("delta", "reason")
    )


def worked(org, membership, attendance, substitute=None):
    signup = services.signup_create(period=shift(org), membership=membership, now=BEFORE)
    services.signup_attendance_record(
        signup=signup, attendance=attendance, substitute=substitute, by=None, now=AFTER
    )
    return signup


# --- Each outcome ---------------------------------------------------------------------------


def test_a_shift_done_then_the_cycle_due_leaves_the_counter_at_zero(org):
    member = on_shifts(org)
    worked(org, member, "present")
    assert counter(member) == 1

    assert services.cycles_close(organisation=org, now=C1_CLOSED) == 1

    assert counter(member) == 0
    assert ledger(member) == [(1, "done"), (-1, "due")]


def test_a_shift_missed_with_notice_ends_the_cycle_at_minus_one(org):
    member = on_shifts(org)
    worked(org, member, "excused")
    assert counter(member) == 0  # the due is the make-up: nothing more

    services.cycles_close(organisation=org, now=C1_CLOSED)

    assert counter(member) == -1
    assert ShiftMember.objects.get(membership=member).negative_since == date(2026, 1, 26)


def test_a_shift_missed_without_notice_ends_the_cycle_at_minus_two(org):
    member = on_shifts(org)
    worked(org, member, "absent")
    services.cycles_close(organisation=org, now=C1_CLOSED)

    assert counter(member) == -2
    assert ledger(member) == [(-1, "unexcused"), (-1, "due")]


def test_replaced_on_the_day_the_substitute_gets_the_point_the_original_none(org):
    original, substitute = on_shifts(org), on_shifts(org)

    signup = worked(org, original, "replaced", substitute=substitute)

    assert counter(substitute) == 1
    assert counter(original) == 0
    assert ledger(original) == []
    assert CounterEntry.objects.get(membership=substitute).signup == signup


def test_a_correction_needs_its_reason_and_is_logged_with_who(org):
    member = on_shifts(org)
    coordinator = MembershipFactory(organisation=org, is_coordinator=True).user

    with pytest.raises(errors.CorrectionNeedsNote):
        services.counter_correct(membership=member, delta=2, note="  ", by=coordinator)
    assert counter(member) == 0 and not CounterEntry.objects.exists()

    services.counter_correct(
        membership=member, delta=2, note="deux services oubliés", by=coordinator
    )

    entry = CounterEntry.objects.get()
    assert (entry.delta, entry.reason, entry.note, entry.recorded_by) == (
        2, "correction", "deux services oubliés", coordinator,
    )  # fmt: skip
    assert counter(member) == 2


def test_changing_the_attendance_reverses_the_previous_points(org):
    member, substitute = on_shifts(org), on_shifts(org)
    signup = worked(org, member, "present")

    services.signup_attendance_record(signup=signup, attendance="absent", by=None, now=AFTER)
    assert counter(member) == -1  # +1, then −1 (reversal) and −1 (without notice)

    services.signup_attendance_record(
        signup=signup, attendance="replaced", substitute=substitute, by=None, now=AFTER
    )
    assert (counter(member), counter(substitute)) == (0, 1)

    # the same record again changes nothing
    services.signup_attendance_record(
        signup=signup, attendance="replaced", substitute=substitute, by=None, now=AFTER
    )
    assert (counter(member), counter(substitute)) == (0, 1)
    assert ledger(member) == [(1, "done"), (-1, "correction"), (-1, "unexcused"), (1, "correction")]


# --- Status ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "days_negative", "expected"),
    [
        (0, None, "up_to_date"),
        (3, None, "up_to_date"),
        (-1, 0, "alert"),
        (-1, 28, "alert"),  # the last day of the alert
        (-1, 29, "suspended"),  # the alert ran out
        (-2, 0, "suspended"),  # at the threshold
        (-5, 0, "suspended"),
    ],
)
def test_the_status_thresholds(org, count, days_negative, expected):
    today = date(2026, 3, 1)
    member = ShiftMember(
        counter=count,
        negative_since=None if days_negative is None else today - timedelta(days=days_negative),
    )
    settings = selectors.work_settings_of(org)

    assert selectors.shift_status(member, settings, today) == expected


# --- Closing cycles -------------------------------------------------------------------------


def test_closing_cycles_twice_debits_each_cycle_once(org):
    member = on_shifts(org)
    later = datetime(2026, 2, 24, 9, tzinfo=PARIS)  # C1 and C2 are over

    assert services.cycles_close(organisation=org, now=later) == 2
    assert services.cycles_close(organisation=org, now=later) == 0
    assert services.cycles_close(organisation=org, now=later + timedelta(days=3)) == 0

    assert counter(member) == -2
    assert list(
        CounterEntry.objects.filter(membership=member).order_by("cycle_start")
        .values_list("cycle_start", flat=True)
    ) == [C1, C2]  # fmt: skip


def test_no_due_for_a_cycle_with_an_exemption_nor_the_cycle_one_joined_in(org):
    exempted = on_shifts(org)
    services.exemption_add(
        membership=exempted, starts_on=date(2026, 1, 10), ends_on=date(2026, 1, 12)
    )
    newcomer = on_shifts(org, starts_on=date(2026, 1, 7))  # inside C1: C1 is free

    assert services.cycles_close(organisation=org, now=C1_CLOSED) == 0

    assert counter(exempted) == counter(newcomer) == 0
    # the next cycle is due again for both
    assert services.cycles_close(organisation=org, now=at(C2 + timedelta(weeks=4), 1)) == 2


# --- Who may take a shift -------------------------------------------------------------------


def test_a_flying_member_takes_one_shift_per_cycle_more_while_a_make_up_is_owed(org):
    member = on_shifts(org)
    first, second = shift(org, date(2026, 1, 6)), shift(org, date(2026, 1, 13))
    next_cycle = shift(org, date(2026, 1, 27))
    services.signup_create(period=first, membership=member, now=BEFORE)

    with pytest.raises(errors.ShiftAlreadyThisCycle):
        services.signup_create(period=second, membership=member, now=BEFORE)
    assert Signup.objects.filter(period=second).count() == 0
    second.refresh_from_db()
    assert second.taken == 0

    services.signup_create(period=next_cycle, membership=member, now=BEFORE)  # another cycle
    services.counter_correct(membership=member, delta=-1, note="rattrapage", by=None)
    services.signup_create(period=second, membership=member, now=BEFORE)  # a make-up

    assert Signup.objects.filter(membership=member).count() == 3


def test_a_member_not_on_shifts_cannot_take_one(org):
    with pytest.raises(errors.NotOnShifts):
        services.signup_create(
            period=shift(org), membership=MembershipFactory(organisation=org), now=BEFORE
        )


# --- Swaps ----------------------------------------------------------------------------------


def test_a_swap_tells_both_and_the_counter_follows_who_worked(
    org, django_capture_on_commit_callbacks
):
    offering, taking = on_shifts(org), on_shifts(org)
    signup = services.signup_create(period=shift(org), membership=offering, now=BEFORE)
    services.signup_ask_replacement(signup=signup, now=BEFORE)

    with django_capture_on_commit_callbacks():
        taken = services.shift_take_over(signup=signup, membership=taking, now=BEFORE)

    signup.refresh_from_db()
    assert signup.state == "handed_over" and taken.replaces == signup
    assert taken.period.taken == 1 and Signup.objects.holding().get() == taken
    messages = {m.key: m.to for m in OutboxMessage.objects.all()}
    assert messages == {
        f"work:swap:{taken.pk}:offered": offering.user.email,
        f"work:swap:{taken.pk}:taker": taking.user.email,
    }
    services.signup_attendance_record(signup=taken, attendance="present", by=None, now=AFTER)
    assert (counter(offering), counter(taking)) == (0, 1)


def test_the_swap_emails_name_the_other_person_in_french(org):
    offering, taking = on_shifts(org), on_shifts(org)
    offering.user.first_name, taking.user.first_name = "Léa", "Malik"
    offering.user.save()
    taking.user.save()
    signup = services.signup_create(period=shift(org), membership=offering, now=BEFORE)
    services.signup_ask_replacement(signup=signup, now=BEFORE)
    taken = services.shift_take_over(signup=signup, membership=taking, now=BEFORE)

    from cabas.work.shift_emails import swap_email_message

    to_offering = swap_email_message(signup_id=taken.pk, role="offered")
    to_taking = swap_email_message(signup_id=taken.pk, role="taker")

    assert to_offering.to == [offering.user.email] and "Malik" in to_offering.subject
    assert to_taking.to == [taking.user.email] and "Léa" in to_taking.subject
    assert "mardi 6 janvier 2026, 09:00–12:00" in to_taking.body


def test_a_swap_refused_sends_nothing(org):
    offering, taking = on_shifts(org), on_shifts(org)
    signup = services.signup_create(period=shift(org), membership=offering, now=BEFORE)

    with pytest.raises(errors.NoReplacementWanted):
        services.shift_take_over(signup=signup, membership=taking, now=BEFORE)

    assert not OutboxMessage.objects.exists()
    signup.refresh_from_db()
    assert signup.state == "signed"


# --- Generation -----------------------------------------------------------------------------


def test_a_regular_member_is_booked_between_two_exemptions(org):
    """Two exemptions, one before and one after the shift's day: the member is booked (the
    exclusion once matched the start of one exemption with the end of the other)."""
    from cabas.work.tests.factories import ShiftTemplateFactory

    template = ShiftTemplateFactory(organisation=org, week=0, weekday=1)  # Tuesdays of week A
    membership = MembershipFactory(organisation=org)
    services.shift_member_set(
        membership=membership, regime="regular", template=template, starts_on=date(2024, 1, 1)
    )
    services.exemption_add(
        membership=membership, starts_on=date(2025, 12, 1), ends_on=date(2025, 12, 5)
    )
    services.exemption_add(
        membership=membership, starts_on=date(2026, 3, 1), ends_on=date(2026, 3, 10)
    )

    made = services.shifts_generate(organisation=org, now=datetime(2025, 12, 20, tzinfo=PARIS))

    shift_c1 = next(p for p in made if p.starts_at.date() == date(2025, 12, 30))
    assert Signup.objects.filter(period=shift_c1, membership=membership).exists()
    exempted = [p for p in made if date(2026, 3, 1) <= p.starts_at.date() <= date(2026, 3, 10)]
    assert all(not Signup.objects.filter(period=p).exists() for p in exempted)
