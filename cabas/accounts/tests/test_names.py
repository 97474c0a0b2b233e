"""A person's name is shown one way everywhere: first name then family name."""

import pytest

from cabas.accounts.models import User, person_name


def test_a_name_reads_first_name_then_family_name_or_the_address_without_one():
    assert person_name("Jean", "Vincent", "jean@example.org") == "Jean Vincent"
    assert person_name(" Jean ", "", "jean@example.org") == "Jean"
    assert person_name("", "", "jean@example.org") == "jean@example.org"
    user = User(first_name="Jean", last_name="Vincent", email="jean@example.org")
    assert user.display_name == str(user) == "Jean Vincent"


@pytest.mark.django_db
def test_a_list_loading_names_only_does_not_fetch_each_address(django_assert_num_queries):
    User.objects.create_user("jean@example.org", first_name="Jean", last_name="Vincent")
    with django_assert_num_queries(1):
        names = [u.display_name for u in User.objects.only("first_name", "last_name")]
    assert names == ["Jean Vincent"]
