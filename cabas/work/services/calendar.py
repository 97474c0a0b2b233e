"""A person's calendar address (iCal feed): made the first time they look for it, and
changed on demand (the old address then answers 404: a phone lost, an address shared)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from cabas.orgs.models import Membership

from ..models import CalendarFeed, _calendar_token


def calendar_feed_get_or_create(*, membership: Membership) -> CalendarFeed:
    """The person's feed, made with a fresh secret token the first time."""
    feed = CalendarFeed.objects.filter(membership=membership).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(
                organisation_id=membership.organisation_id, membership=membership
            )
    except IntegrityError:  # made by a simultaneous request
        return CalendarFeed.objects.get(membership=membership)


def calendar_feed_renew(*, membership: Membership) -> CalendarFeed:
    """Give the person a new secret calendar address; the old one stops working."""
    feed = calendar_feed_get_or_create(membership=membership)
    feed.token = _calendar_token()
    feed.save(update_fields=["token", "updated_at"])
    return feed
