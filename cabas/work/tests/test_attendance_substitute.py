"""A substitute recorded on the day is another member of the same organisation (the service
refuses anyone else, whichever page or API calls it)."""

import pytest

from cabas.orders.tests.factories import open_shop
from cabas.orgs.models import Membership
from cabas.work import errors, services
from cabas.work.models import Signup
from cabas.work.tests.duty_helpers import duty_at, put_on

pytestmark = pytest.mark.django_db


def test_a_substitute_of_another_organisation_or_the_person_themselves_is_refused():
    shop, other = open_shop(), open_shop()
    coordinator = shop.member()
    holder = Membership.objects.get(user=shop.member(), organisation=shop.organisation)
    stranger = Membership.objects.get(user=other.member(), organisation=other.organisation)
    signup = put_on(duty_at(shop.pickup), holder, by=coordinator)

    for substitute in (stranger, holder):
        with pytest.raises(errors.SubstituteInvalid):
            services.signup_attendance_record(
                signup=signup, attendance="replaced", substitute=substitute, by=coordinator
            )

    signup = Signup.objects.get(pk=signup.pk)
    assert (signup.attendance, signup.substitute_id) == ("", None)
