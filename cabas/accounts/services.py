from django.db import transaction

from .models import User

PROFILE_FIELDS = ("first_name", "last_name", "phone", "second_person", "language")


@transaction.atomic
def user_update_profile(*, user: User, **fields) -> User:
    """Save the profile fields a person may change themselves."""
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(user, name, value)
    user.full_clean(exclude=["password"])
    user.save(
        update_fields=[*fields, "updated_at"] if hasattr(user, "updated_at") else list(fields)
    )
    return user
