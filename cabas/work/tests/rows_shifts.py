"""Permission rows of the coop's shift pages: coordinators manage, every member has "Mes
services" (their own sign-ups only: another person's is a 404)."""

from datetime import date

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.work.models import Exemption, ShiftMember, Signup
from cabas.work.tests.factories import ShiftPeriodFactory, ShiftTemplateFactory

COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404)
COORDINATORS_POST = statuses(LOGIN, 403, 403, 403, 302, 404)
MEMBERS = statuses(LOGIN, 200, 200, 200, 200, 404)
MEMBERS_POST = statuses(LOGIN, 302, 302, 302, 302, 404)
OWNER_POST = statuses(LOGIN, 302, 404, 404, 404, 404, supply=404)


def _template(world):
    template = ShiftTemplateFactory(organisation=world.org_a)
    return {"slug": world.org_a.slug, "pk": template.pk}


def _period(world):
    return {"slug": world.org_a.slug, "pk": ShiftPeriodFactory(organisation=world.org_a).pk}


def _on_shifts(world, persona="member"):
    membership = world.memberships[persona]
    ShiftMember.objects.get_or_create(
        membership=membership,
        defaults={"organisation": world.org_a, "starts_on": date(2024, 1, 1)},
    )
    return membership


def _member(world):
    return {"slug": world.org_a.slug, "membership_id": _on_shifts(world).pk}


def _signup(world, persona="member", **extra):
    period = ShiftPeriodFactory(organisation=world.org_a)
    signup = Signup.objects.create(
        organisation=world.org_a, period=period, membership=_on_shifts(world, persona), **extra
    )
    return signup


def _attendance(world):
    return {"slug": world.org_a.slug, "signup_id": _signup(world).pk}


def _own_signup(world):
    return {"slug": world.org_a.slug, "pk": _signup(world).pk}


def _offered_signup(world):
    signup = _signup(world, "volunteer", state=Signup.State.REPLACEMENT_WANTED)
    return {"slug": world.org_a.slug, "pk": signup.pk}


def _exemption(world):
    exemption = Exemption.objects.create(
        organisation=world.org_a,
        membership=_on_shifts(world),
        starts_on=date(2026, 7, 1),
        ends_on=date(2026, 7, 31),
    )
    return {"slug": world.org_a.slug, "pk": exemption.pk}


ROWS = {
    "work:shift_templates": Row(COORDINATORS, kwargs=slug_a),
    "work:shift_template_add": Row(COORDINATORS, kwargs=slug_a),
    "work:shift_template_edit": Row(COORDINATORS, kwargs=_template),
    "work:shifts_prepare": Row(COORDINATORS_POST, kwargs=slug_a, method="post"),
    "work:shift_list": Row(COORDINATORS, kwargs=slug_a),
    "work:shift_detail": Row(COORDINATORS, kwargs=_period),
    "work:shift_attendance": Row(
        COORDINATORS_POST,
        kwargs=_attendance,
        method="post",
        data=lambda world: {"attendance": "present"},
    ),
    "work:shift_replacement": Row(COORDINATORS, kwargs=_attendance),
    "work:shift_members": Row(COORDINATORS, kwargs=slug_a),
    "work:shift_member_add": Row(COORDINATORS, kwargs=slug_a),
    "work:shift_member": Row(COORDINATORS, kwargs=_member),
    "work:shift_member_correct": Row(
        COORDINATORS_POST,
        kwargs=_member,
        method="post",
        data=lambda world: {"delta": "1", "note": "oubli"},
    ),
    "work:shift_exemption_add": Row(
        COORDINATORS_POST,
        kwargs=_member,
        method="post",
        data=lambda world: {"starts_on": "2026-08-01", "ends_on": "2026-08-15"},
    ),
    "work:shift_exemption_delete": Row(COORDINATORS_POST, kwargs=_exemption, method="post"),
    "work:my_shifts": Row(MEMBERS, kwargs=slug_a),
    "work:my_shift_take": Row(MEMBERS_POST, kwargs=_period, method="post"),
    "work:my_shift_offer": Row(OWNER_POST, kwargs=_own_signup, method="post"),
    "work:my_shift_withdraw": Row(OWNER_POST, kwargs=_own_signup, method="post"),
    "work:my_shift_take_over": Row(MEMBERS_POST, kwargs=_offered_signup, method="post"),
}
