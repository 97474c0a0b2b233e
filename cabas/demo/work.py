"""The demo's duties and shifts, made with the work services as the people would make them.

- The collective (Tarn): three tasks, the duties each Friday pickup needs, generated for the
  coming pickups; volunteers (and members a coordinator assigned) signed up on the next ones
  with a few gaps, one "replacement wanted"; last week's duties done (attendance recorded,
  producers on duty, so the défraiement of 15 € per run follows the pickups' closing).
- The coop (Marseille): a 4-week cycle (weeks A to D) of shifts, regular members booked on
  theirs and flying members choosing one per cycle, the shifts generated from the start of the
  previous cycle, attendance recorded on the past ones, the previous cycle's due debited: every
  counter at zero or above, except one member in alert (a shift missed with notice) and one
  suspended (missed without notice). Only members up to date may order in the drive.

Times follow the seed's clock (``self.now``); people and places are taken in a fixed order, so
the same instant always gives the same demo.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db.models import F

from cabas.accounts.models import User
from cabas.orgs.models import Membership, Organisation
from cabas.sales.models import Pickup, PickupPoint
from cabas.work import services as work
from cabas.work.models import (
    Compensation,
    DutyTemplate,
    ShiftMember,
    ShiftTemplate,
    Signup,
    TaskType,
    WorkPeriod,
    WorkSettings,
)

from .base import SeedBase
from .people import ALERT_EMAIL, COLLECTIVE_DOMAIN, COOP_DOMAIN, SUSPENDED_EMAIL

Attendance = Signup.Attendance

PREPARATION = ("Préparation des paniers", "Apporter des cagettes et des sacs.")
WELCOME = (
    "Accueil et remise des paniers",
    "Arriver un quart d'heure avant l'ouverture ; la liste des commandes est sur le téléphone.",
)
CASH = ("Caisse", "Le fond de caisse est dans la boîte bleue, à compter en début et en fin.")
DEMO_VOLUNTEER = f"benevole@{COLLECTIVE_DOMAIN}"
# The points that prepare the baskets (the biggest first: it also keeps the till).
MAIN_POINTS = (
    "Cordes-sur-Ciel — Halle",
    "Gaillac — Parking de la mairie",
    "Carmaux — Maison des associations",
)

RECEPTION = ("Réception des livraisons", "Vérifier les bons de livraison avec les fournisseurs.")
SHELVES = ("Mise en rayon", "Les produits les plus anciens devant.")
DRIVE = ("Préparation des commandes du drive", "Les listes sont sur la tablette de la réserve.")
# (weekday, from, until, task, places): the same every week of the cycle, before the drive's
# evenings (Thursday, Friday) and its Saturday.
SHIFT_DAY = (
    (0, time(9), time(12), RECEPTION, 4),
    (2, time(14), time(17), SHELVES, 3),
    (4, time(14), time(17), DRIVE, 3),
    (5, time(9), time(12), DRIVE, 4),
)
# A small coop's worth (each member on shifts costs a few dozen queries to seed).
REGULARS_PER_SHIFT = 1
FLYING_MEMBERS = 8


def _volunteer(membership: Membership) -> bool:
    """Signs up for duties by themselves (the others are assigned by a coordinator)."""
    return membership.is_volunteer or membership.is_coordinator


class WorkSeed(SeedBase):
    # Collective ---------------------------------------------------------------------------

    def collective_work(self, organisation: Organisation) -> None:
        """Settings, tasks and duty templates, the coming pickups' duties and their
        volunteers (once)."""
        if TaskType.objects.filter(organisation=organisation).exists():
            return
        self._settings(
            organisation,
            compensation=Compensation.PER_RUN,
            compensation_amount=Decimal("15.00"),
        )
        preparation, welcome, cash = (
            self._task(organisation, spec) for spec in (PREPARATION, WELCOME, CASH)
        )
        points = {p.name: p for p in PickupPoint.objects.filter(organisation=organisation)}
        for name in MAIN_POINTS:
            self._duty_template(
                organisation, preparation, points[name], start=time(14), end=time(16), places=3
            )
        self._duty_template(organisation, welcome, None, during_pickup=True, places=2)
        self._duty_template(organisation, cash, points[MAIN_POINTS[0]], during_pickup=True)
        self.report.add("duties", work.duties_generate(organisation=organisation, now=self.now))
        self._coming_duties_filled(organisation)

    def _coming_duties_filled(self, organisation: Organisation) -> None:
        """The coming duties, most places taken: volunteers sign up, a coordinator
        assigns members who said yes; a few gaps stay, and one volunteer asks for a
        replacement."""
        coordinator = User.objects.get(email=f"coordination@{COLLECTIVE_DOMAIN}")
        people = self._duty_people(organisation)
        periods = list(
            WorkPeriod.objects.duties()
            .filter(organisation=organisation, ends_at__gt=self.now)
            .select_related("organisation")
            .order_by("starts_at", "pk")
        )
        turn, offered = 0, None
        for index, period in enumerate(periods):
            # every fifth duty lacks a person, every eleventh is still empty: the gaps
            wanted = 0 if index % 11 == 5 else period.places - (index % 5 == 3)
            for _place in range(wanted):
                membership = people[turn % len(people)]
                turn += 1
                signup = self._sign_up(period, membership, coordinator)
                # the first person on a duty two days away or more offers their place (not
                # the demo volunteer: they may take it)
                later = period.starts_at > self.now + timedelta(days=2)
                if offered is None and later and membership.user.email != DEMO_VOLUNTEER:
                    offered = work.signup_ask_replacement(signup=signup, now=self.now)
        self.report.add("sign-ups", turn)

    def _sign_up(self, period: WorkPeriod, membership: Membership, coordinator: User):
        """A volunteer signs up, a week before (or the day before the duty, if it is sooner);
        anyone else is assigned by the coordinator."""
        at = min(self.now - timedelta(days=7), period.starts_at - timedelta(days=1))
        by = None if _volunteer(membership) else coordinator
        return work.signup_create(period=period, membership=membership, by=by, now=at)

    def _duty_people(self, organisation: Organisation) -> list[Membership]:
        """The demo volunteer first, the other volunteers and coordinators, then members who
        help now and then (never the member and the two-organisation logins)."""
        memberships = (
            Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE)
            .exclude(user__email__in=[f"membre@{COLLECTIVE_DOMAIN}", "double@example.org"])
            .select_related("user", "organisation")
            .order_by("user__email")
        )
        team = [m for m in memberships if _volunteer(m)]
        team.sort(key=lambda m: m.user.email != DEMO_VOLUNTEER)
        helpers = [m for m in memberships if not m.is_producer and m not in team][:24]
        return team + helpers

    def past_duties(self, pickups: list[Pickup], *, signed_at: datetime) -> None:
        """A past sale's duties, done before its pickups close: a producer on each pickup's
        welcome (their défraiement), volunteers on the rest, one excused."""
        organisation = pickups[0].organisation
        coordinator = User.objects.get(email=f"coordination@{COLLECTIVE_DOMAIN}")
        producers = sorted(
            Membership.objects.filter(organisation=organisation, is_producer=True).select_related(
                "user"
            ),
            key=lambda m: (m.user.email != f"producteur@{COLLECTIVE_DOMAIN}", m.user.email),
        )
        welcome = TaskType.objects.get(organisation=organisation, name=WELCOME[0])
        people = self._duty_people(organisation)
        turn = 0
        for number, pickup in enumerate(pickups):
            for period in work.duties_generate_for_pickup(pickup=pickup):
                for place in range(period.places):
                    attendance = Attendance.PRESENT
                    if period.task_type_id == welcome.pk and place == 0:
                        membership, by = producers[number], coordinator
                    else:
                        membership = people[turn % len(people)]
                        by = None if _volunteer(membership) else coordinator
                        turn += 1
                        if turn == 4:  # one volunteer was ill, and said so
                            attendance = Attendance.EXCUSED
                    signup = work.signup_create(
                        period=period, membership=membership, by=by, now=signed_at
                    )
                    work.signup_attendance_record(
                        signup=signup, attendance=attendance, by=coordinator,
                        now=period.ends_at - timedelta(minutes=10),
                    )  # fmt: skip
                self.report.add("duties", 1)

    # Cooperative --------------------------------------------------------------------------

    def cooperative_work(self, organisation: Organisation) -> None:
        """The cycle of shifts, the members on it, the last cycle's attendance and dues, one
        member in alert and one suspended (once)."""
        if TaskType.objects.filter(organisation=organisation).exists():
            return
        settings = self._settings(organisation, shift_status_required=True, shifts_ahead_weeks=4)
        tz = organisation.tzinfo
        today = self.now.astimezone(tz).date()
        previous = settings.cycle_start(today) - timedelta(weeks=settings.cycle_weeks)
        templates = self._shift_templates(organisation, settings.cycle_weeks)
        regulars, flying = self._shift_members(organisation, templates, starts_on=previous)
        # The sweep generated the shifts when the previous cycle began, when this one began,
        # and does again now.
        began = datetime.combine(previous, time(0), tzinfo=tz)
        made = []
        for instant in (began, began + timedelta(weeks=settings.cycle_weeks), self.now):
            made += work.shifts_generate(organisation=organisation, now=instant)
        self.report.add("shifts", len(made))
        self._flying_sign_up(organisation, flying, began, timedelta(weeks=settings.cycle_weeks))
        self._shifts_attended(organisation)
        work.cycles_close(organisation=organisation, now=self.now)
        # A regular away on one of their coming shifts offers their place.
        away = regulars[-2]
        offered = (
            Signup.objects.holding()
            .filter(membership=away, period__starts_at__gt=self.now)
            .order_by("period__starts_at", "pk")
            .first()
        )
        work.signup_ask_replacement(signup=offered, now=self.now)

    def _shift_templates(self, organisation: Organisation, weeks: int) -> list[ShiftTemplate]:
        tasks = {spec: self._task(organisation, spec) for spec in {row[3] for row in SHIFT_DAY}}
        templates = []
        for week in range(weeks):
            for weekday, start, end, task, places in SHIFT_DAY:
                template = ShiftTemplate(
                    organisation=organisation, week=week, weekday=weekday, start_time=start,
                    end_time=end, task_type=tasks[task], places=places,
                )  # fmt: skip
                template.full_clean()
                template.save()
                templates.append(template)
        return templates

    def _shift_members(self, organisation: Organisation, templates, *, starts_on):
        """A regular on each shift of the cycle (the demo logins among them, the member
        in alert and the suspended one too), then flying members; one regular on parental
        leave for the coming weeks."""
        memberships = list(
            Membership.objects.filter(organisation=organisation, status=Membership.Status.ACTIVE)
            .select_related("user", "organisation")
            .order_by("user__email")
        )
        logins = [f"coordination@{COOP_DOMAIN}", f"membre@{COOP_DOMAIN}", ALERT_EMAIL]
        logins += [SUSPENDED_EMAIL, *(f"benevole{n}@{COOP_DOMAIN}" for n in range(1, 5))]
        logins.append("double@example.org")  # the first flying member
        memberships.sort(
            key=lambda m: logins.index(m.user.email) if m.user.email in logins else len(logins)
        )
        count = REGULARS_PER_SHIFT * len(templates)
        regulars = [m for m in memberships if m.user.email != "double@example.org"][:count]
        for index, membership in enumerate(regulars):
            work.shift_member_set(
                membership=membership, regime=ShiftMember.Regime.REGULAR,
                template=templates[index % len(templates)], starts_on=starts_on, now=self.now,
            )  # fmt: skip
        on_leave = regulars[-1]
        work.exemption_add(
            membership=on_leave, starts_on=self.today, ends_on=self.today + timedelta(weeks=3),
            reason="Congé parental",
        )  # fmt: skip
        flying = [m for m in memberships if m not in regulars][:FLYING_MEMBERS]
        for membership in flying:
            work.shift_member_set(
                membership=membership, regime=ShiftMember.Regime.FLYING, starts_on=starts_on,
                now=self.now,
            )  # fmt: skip
        self.report.add("members on shifts", len(regulars) + len(flying))
        return regulars, flying

    def _flying_sign_up(
        self, organisation: Organisation, flying, began: datetime, length: timedelta
    ) -> None:
        """Each flying member takes a free place in the previous cycle and in this one, a few
        days before (the shifts they chose)."""
        shifts = list(
            WorkPeriod.objects.shifts()
            .filter(organisation=organisation, starts_at__gte=began, taken__lt=F("places"))
            .select_related("organisation")
            .order_by("starts_at", "pk")
        )
        for cycle in (0, 1):
            cycle_shifts = [p for p in shifts if (p.starts_at - began) // length == cycle]
            for index, membership in enumerate(flying):
                period = cycle_shifts[index * len(cycle_shifts) // len(flying)]  # spread out
                work.signup_create(
                    period=period, membership=membership,
                    now=min(period.starts_at - timedelta(days=3), self.now),
                )  # fmt: skip

    def _shifts_attended(self, organisation: Organisation) -> None:
        """The coordinator records who came to the past shifts: everyone, except the member
        in alert (away, excused) and the suspended one (absent without notice)."""
        coordinator = User.objects.get(email=f"coordination@{COOP_DOMAIN}")
        signups = (
            Signup.objects.holding()
            .filter(organisation=organisation, period__ends_at__lte=self.now)
            .select_related("period__organisation", "membership__user")
            .order_by("period__starts_at", "pk")
        )
        missed = {ALERT_EMAIL: Attendance.EXCUSED, SUSPENDED_EMAIL: Attendance.ABSENT}
        for signup in signups:
            attendance = missed.get(signup.membership.user.email, Attendance.PRESENT)
            work.signup_attendance_record(
                signup=signup, attendance=attendance, by=coordinator,
                now=signup.period.ends_at + timedelta(minutes=30),
            )  # fmt: skip
            self.report.add("attendances", 1)

    # Shared -------------------------------------------------------------------------------

    @staticmethod
    def _settings(organisation: Organisation, **values) -> WorkSettings:
        settings = WorkSettings(organisation=organisation, **values)
        settings.full_clean()
        settings.save()
        return settings

    @staticmethod
    def _task(organisation: Organisation, spec: tuple[str, str]) -> TaskType:
        name, instructions = spec
        task = TaskType(organisation=organisation, name=name, instructions=instructions)
        task.full_clean()
        task.save()
        return task

    @staticmethod
    def _duty_template(organisation, task, point, *, start=None, end=None, **values):
        template = DutyTemplate(
            organisation=organisation, task_type=task, pickup_point=point, start_time=start,
            end_time=end, **values,
        )  # fmt: skip
        template.full_clean()
        template.save()
        return template
