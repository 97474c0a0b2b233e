"""Every write about organisations, memberships and invitations."""

from __future__ import annotations

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cabas.accounts.models import User
from cabas.notifications.services import email_enqueue

from . import errors
from . import lock_objects as locks
from .context import organisation_context
from .models import Invitation, Membership, Organisation

INVITATION_VALIDITY = timedelta(days=14)


@transaction.atomic
def organisation_create(*, creator, name: str, slug: str, **fields) -> Organisation:
    """Create an organisation; its creator becomes its first coordinator."""
    if Organisation.objects.filter(slug=slug).exists():
        raise errors.SlugTaken(field="slug")
    organisation = Organisation(name=name, slug=slug, **fields)
    organisation.full_clean()
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError as exc:  # a concurrent creation took the slug
        raise errors.SlugTaken(field="slug") from exc
    Membership.objects.create(
        organisation=organisation,
        user=creator,
        status=Membership.Status.ACTIVE,
        is_coordinator=True,
    )
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, **fields) -> Organisation:
    """Change an organisation's settings (the slug is checked for collisions)."""
    slug = fields.get("slug", organisation.slug)
    if Organisation.objects.filter(slug=slug).exclude(pk=organisation.pk).exists():
        raise errors.SlugTaken(field="slug")
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def membership_join(*, organisation: Organisation, user, message: str = "") -> Membership:
    """A person asks to join: active at once (open), pending (on approval), or refused
    (invitation only)."""
    if organisation.join_policy == Organisation.JoinPolicy.INVITATION:
        raise errors.JoiningClosed()
    status = (
        Membership.Status.ACTIVE
        if organisation.join_policy == Organisation.JoinPolicy.OPEN
        else Membership.Status.PENDING
    )
    existing = locks.membership_of_lock(organisation_id=organisation.pk, user_id=user.pk)
    if existing is not None:
        if existing.status == Membership.Status.ACTIVE:
            raise errors.AlreadyMember()
        if existing.status == Membership.Status.PENDING:
            raise errors.RequestPending()
        # Someone who left or was refused may ask again.
        existing.status = status
        existing.request_message = message
        existing.decided_at = None
        existing.decided_by = None
        existing.save(
            update_fields=["status", "request_message", "decided_at", "decided_by", "updated_at"]
        )
        return existing
    return Membership.objects.create(
        organisation=organisation, user=user, status=status, request_message=message
    )


@transaction.atomic
def membership_decide(*, membership: Membership, approve: bool, decided_by) -> Membership:
    """A coordinator approves or refuses a pending request to join."""
    membership = locks.membership_lock(membership_id=membership.pk)
    if membership.status != Membership.Status.PENDING:
        raise errors.NotPending()
    membership.status = Membership.Status.ACTIVE if approve else Membership.Status.REJECTED
    membership.decided_at = timezone.now()
    membership.decided_by = decided_by
    membership.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
    return membership


@transaction.atomic
def membership_set_roles(
    *,
    membership: Membership,
    is_coordinator: bool,
    is_volunteer: bool,
    is_producer: bool,
    producer=None,
    is_supply: bool = False,
) -> Membership:
    """Change a member's roles; an organisation always keeps at least one coordinator."""
    membership = locks.membership_lock(membership_id=membership.pk)
    if membership.is_coordinator and not is_coordinator:
        others = (
            Membership.objects.active()
            .filter(organisation_id=membership.organisation_id, is_coordinator=True)
            .exclude(pk=membership.pk)
        )
        if not others.exists():
            raise errors.LastCoordinator()
    membership.is_coordinator = is_coordinator
    membership.is_volunteer = is_volunteer
    membership.is_producer = is_producer
    membership.is_supply = is_supply
    membership.producer = producer if is_producer else None
    try:
        membership.full_clean()
    except ValidationError as exc:
        raise errors.DomainError("; ".join(exc.messages)) from exc
    membership.save()
    return membership


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    invited_by,
    is_coordinator: bool = False,
    is_volunteer: bool = False,
    is_supply: bool = False,
    base_url: str,
) -> Invitation:
    """Invite someone by e-mail; the e-mail is sent by the worker after commit."""
    email = email.strip().lower()
    if Membership.objects.active().filter(organisation=organisation, user__email=email).exists():
        raise errors.InviteeAlreadyMember()
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        invited_by=invited_by,
        is_coordinator=is_coordinator,
        is_volunteer=is_volunteer,
        is_supply=is_supply,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    _invitation_send(invitation, base_url=base_url)
    return invitation


def _invitation_send(invitation: Invitation, *, base_url: str) -> None:
    from django.core.mail import EmailMultiAlternatives

    context = {
        "invitation": invitation,
        "organisation": invitation.organisation,
        "link": base_url.rstrip("/") + invitation.get_absolute_url(),
    }
    with organisation_context(invitation.organisation):
        subject = render_to_string("orgs/email/invitation_subject.txt", context).strip()
        body = render_to_string("orgs/email/invitation_message.txt", context)
    email_enqueue(
        EmailMultiAlternatives(subject=subject, body=body, to=[invitation.email]),
        organisation_id=invitation.organisation_id,
    )


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    """Make an unused invitation's link invalid."""
    invitation = locks.invitation_lock(invitation_id=invitation.pk)
    if invitation.accepted_at is not None:
        raise errors.InvitationUsed()
    invitation.revoked = True
    invitation.save(update_fields=["revoked", "updated_at"])
    return invitation


def invitation_check(*, token: str) -> Invitation:
    """The invitation behind a link, or a clear reason why it cannot be used."""
    invitation = Invitation.objects.select_related("organisation").filter(token=token).first()
    if invitation is None or invitation.revoked or not invitation.organisation.is_active:
        raise errors.InvitationInvalid()
    if invitation.accepted_at is not None:
        raise errors.InvitationUsed()
    if invitation.expires_at <= timezone.now():
        raise errors.InvitationExpired()
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, user) -> Membership:
    """Attach the invited person to the organisation with the invited roles (one use only)."""
    invitation = invitation_check(token=token)
    invitation = locks.invitation_lock(invitation_id=invitation.pk)
    if invitation.accepted_at is not None:  # accepted by a concurrent request
        raise errors.InvitationUsed()
    if invitation.email.lower() != user.email.lower():
        raise errors.InvitationForAnotherEmail()
    membership, _created = locks.membership_lock_or_create(
        organisation_id=invitation.organisation_id, user_id=user.pk
    )
    membership.status = Membership.Status.ACTIVE
    membership.is_coordinator = membership.is_coordinator or invitation.is_coordinator
    membership.is_volunteer = membership.is_volunteer or invitation.is_volunteer
    membership.is_supply = membership.is_supply or invitation.is_supply
    membership.decided_at = timezone.now()
    membership.decided_by = invitation.invited_by
    membership.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    return membership


@transaction.atomic
def invitation_accept_with_new_account(
    *, token: str, first_name: str, last_name: str, password: str
):
    """Create the account of an invited person (the link proves the e-mail) and accept."""
    invitation = invitation_check(token=token)
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise errors.AccountExists()
    user = User.objects.create_user(
        email=invitation.email, password=password, first_name=first_name, last_name=last_name
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation_accept(token=token, user=user)
    return user


# The kinds of e-mail a member may turn off, and the Membership field that keeps each choice.
EMAIL_CONSENT_FIELDS = {"announcements": "accepts_announcements", "reminders": "accepts_reminders"}


def membership_email_consent_set(*, membership: Membership, kind: str, accepts: bool) -> bool:
    """Record whether the member accepts the e-mails of ``kind`` ("announcements" or
    "reminders") from this organisation; True when the choice changed. One UPDATE, so a
    one-click unsubscribe repeated by a mail client is harmless."""
    field = EMAIL_CONSENT_FIELDS.get(kind)
    if field is None:
        raise ValueError(f"unknown kind of e-mail {kind!r}")
    changed = (
        Membership.objects.filter(pk=membership.pk)
        .exclude(**{field: accepts})
        .update(**{field: accepts, "updated_at": timezone.now()})
    )
    setattr(membership, field, accepts)
    return bool(changed)
