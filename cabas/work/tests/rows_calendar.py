"""Permission rows of the calendar: the member's page and its "change the address" button;
the feed is public, its secret token is the key (and it shows no e-mail address)."""

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.work import services

MEMBER_AREA = statuses(LOGIN, 200, 200, 200, 200, 404)
MEMBER_AREA_POST = statuses(LOGIN, 302, 302, 302, 302, 404)


def _feed(world):
    feed = services.calendar_feed_get_or_create(membership=world.memberships["member"])
    return {"token": feed.token}


ROWS = {
    "work:calendar": Row(MEMBER_AREA, kwargs=slug_a),
    "work:calendar_renew": Row(MEMBER_AREA_POST, kwargs=slug_a, method="post"),
    "work:calendar_feed": Row(statuses(200, 200, 200, 200, 200, 200), kwargs=_feed),
}
