"""The coop's shifts as coordinators and members change them: the templates of the cycle,
exemptions taken back, and a swap that tells both people.

A swap is ``signup_take_over`` (the place changes hands; counters follow the person who
works, through the attendance recorded on the new sign-up) plus one e-mail to each of the
two people, recorded in the outbox in the same transaction under keys unique to the new
sign-up, so a retried request or task never sends them twice.
"""

from __future__ import annotations

from datetime import datetime, time

from django.db import transaction

from cabas.notifications.services import outbox_message_record
from cabas.orgs.models import Membership, Organisation

from .. import errors
from ..models import Exemption, ShiftTemplate, Signup, TaskType
from .signups import signup_take_over

# Builds a swap e-mail when the outbox sends it, in the recipient's language.
SWAP_EMAIL_RENDERER = "cabas.work.shift_emails.swap_email_message"


@transaction.atomic
def shift_template_save(
    *,
    organisation: Organisation,
    template: ShiftTemplate | None = None,
    week: int,
    weekday: int,
    start_time: time,
    end_time: time,
    places: int,
    task_type: TaskType | None = None,
    new_task_name: str = "",
    is_active: bool = True,
) -> ShiftTemplate:
    """Create or change a shift of the cycle. The task is an existing one of the
    organisation, or one named here (found by its name, else created)."""
    name = new_task_name.strip()
    if name:
        task_type, _created = TaskType.objects.get_or_create(organisation=organisation, name=name)
    if task_type is None or task_type.organisation_id != organisation.pk:
        raise errors.TaskTypeMissing(field="task_type")
    template = template or ShiftTemplate(organisation=organisation)
    template.week = week
    template.weekday = weekday
    template.start_time = start_time
    template.end_time = end_time
    template.places = places
    template.task_type = task_type
    template.is_active = is_active
    template.full_clean()
    template.save()
    return template


def exemption_delete(*, exemption: Exemption) -> None:
    """Take back an exemption recorded by mistake (dues already debited stay as they are)."""
    exemption.delete()


@transaction.atomic
def shift_take_over(
    *, signup: Signup, membership: Membership, now: datetime | None = None
) -> Signup:
    """Take the shift someone offered (``signup_take_over``) and tell both people by e-mail."""
    taken = signup_take_over(signup=signup, membership=membership, now=now)
    for role, person in (("offered", signup.membership), ("taker", membership)):
        email = Membership.objects.filter(pk=person.pk).values_list("user__email", flat=True)
        address = email.first()
        if not address:
            continue
        outbox_message_record(
            key=f"work:swap:{taken.pk}:{role}",
            to=address,
            organisation_id=taken.organisation_id,
            renderer=SWAP_EMAIL_RENDERER,
            params={"signup_id": taken.pk, "role": role},
        )
    return taken
