from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.orders.tests.factories import members_order_kwargs, pickup_kwargs, sale_kwargs
from cabas.work.tests.duty_helpers import duty_signup_kwargs

VOLUNTEERS = statuses(LOGIN, 403, 403, 200, 200, 404)
VOLUNTEERS_POST = statuses(LOGIN, 403, 403, 302, 302, 404)


ROWS = {
    "distribution:checkin_home": Row(VOLUNTEERS, kwargs=slug_a),
    "distribution:checkin_pickup": Row(VOLUNTEERS, kwargs=pickup_kwargs),
    "distribution:pickup_no_shows": Row(VOLUNTEERS_POST, kwargs=pickup_kwargs, method="post"),
    "distribution:pickup_close": Row(VOLUNTEERS_POST, kwargs=pickup_kwargs, method="post"),
    "distribution:picking": Row(VOLUNTEERS, kwargs=pickup_kwargs),
    "distribution:checkin_order": Row(VOLUNTEERS, kwargs=members_order_kwargs),
    "distribution:duty_attendance": Row(
        VOLUNTEERS_POST,
        kwargs=duty_signup_kwargs,
        method="post",
        data=lambda world: {"attendance": "present"},
    ),
    "distribution:sale_missing": Row(VOLUNTEERS, kwargs=sale_kwargs),
    "distribution:sale_prices": Row(statuses(LOGIN, 403, 403, 403, 200, 404), kwargs=sale_kwargs),
}
