"""Permission rows of a member's duty pages: every active member opens them (the page says
when they may not sign up); a sign-up belongs to its person (another's id is a 404)."""

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.work import services

from .factories import DutyFactory

MEMBERS = statuses(LOGIN, 200, 200, 200, 200, 404)
# Everyone may try: the service refuses those who may not, with a message (302).
MEMBERS_POST = statuses(LOGIN, 302, 302, 302, 302, 404)
# The volunteer's own sign-up: nobody else's business.
OWN_POST = statuses(LOGIN, 404, 404, 302, 404, 404)
# The volunteer's place offered: others may take it, not the volunteer.
OTHERS_POST = statuses(LOGIN, 302, 302, 404, 302, 404)


def _duty(world) -> dict:
    duty = DutyFactory(organisation=world.org_a)
    return {"slug": world.org_a.slug, "period_id": duty.pk}


def _volunteers_signup(world, *, offered: bool = False) -> dict:
    duty = DutyFactory(organisation=world.org_a)
    signup = services.signup_create(period=duty, membership=world.memberships["volunteer"])
    if offered:
        services.signup_ask_replacement(signup=signup)
    return {"slug": world.org_a.slug, "signup_id": signup.pk}


ROWS = {
    "work:duties": Row(MEMBERS, kwargs=slug_a),
    "work:my_duties": Row(MEMBERS, kwargs=slug_a),
    "work:duty_signup": Row(MEMBERS_POST, kwargs=_duty, method="post"),
    "work:duty_withdraw": Row(OWN_POST, kwargs=_volunteers_signup, method="post"),
    "work:duty_replacement": Row(OWN_POST, kwargs=_volunteers_signup, method="post"),
    "work:duty_take_over": Row(
        OTHERS_POST, kwargs=lambda world: _volunteers_signup(world, offered=True), method="post"
    ),
}
