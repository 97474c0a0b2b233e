"""The member's e-mails about an order: confirmation, change, cancellation, with the slot as
an iCalendar event (icalendar library) the member can add to a calendar."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from cabas.orgs.context import organisation_context

from . import selectors
from .models import Order

SUBJECTS = {
    "placed": lambda order: _("Your order n° %(number)s is confirmed — %(sale)s"),
    "changed": lambda order: _("Your order n° %(number)s has been changed — %(sale)s"),
    "moved": lambda order: _("Your pickup time has changed — order n° %(number)s, %(sale)s"),
    "missing": lambda order: _("A product is missing from your order n° %(number)s — %(sale)s"),
    "found": lambda order: _("“%(product)s” is in your order n° %(number)s after all — %(sale)s"),
    "cancelled": lambda order: _("Your order n° %(number)s is cancelled — %(sale)s"),
}


def order_url(order: Order) -> str:
    return settings.SITE_URL + reverse(
        "orders:order", kwargs={"slug": order.organisation.slug, "code": order.code}
    )


def arrived_url(order: Order) -> str:
    """The "I have arrived" link of a car-boot pickup ("" where the point does not offer it):
    it works without logging in (its code is the credential, ``views.order_arrived``)."""
    if not order.pickup.pickup_point.car_boot_pickup:
        return ""
    return settings.SITE_URL + reverse(
        "orders:order_arrived", kwargs={"slug": order.organisation.slug, "code": order.code}
    )


def order_calendar(order: Order) -> bytes:
    """The pickup (its slot when there is one) as a calendar event."""
    point = order.pickup.pickup_point
    # Written on the organisation's wall clock (with its VTIMEZONE), as the e-mail's text is.
    zone = order.organisation.tzinfo
    starts_at = timezone.localtime(
        order.slot.starts_at if order.slot else order.pickup.starts_at, zone
    )
    ends_at = timezone.localtime(order.slot.ends_at if order.slot else order.pickup.ends_at, zone)
    calendar = Calendar()
    calendar.add("prodid", "-//Cabas//orders//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"order-{order.code}@cabas")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", _("Pickup of order n° %(number)s — %(organisation)s")
              % {"number": order.number, "organisation": order.organisation.name})  # fmt: skip
    event.add("location", ", ".join(p for p in (point.name, point.address, point.town) if p))
    event.add("description", "\n".join(filter(None, [point.access_instructions, order_url(order)])))
    event.add("url", order_url(order))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def order_email_message(*, order_id: int, event: str, product: str = "") -> EmailMultiAlternatives:
    """The member's e-mail about an order event, rendered now in their language (else the
    organisation's) and the organisation's time zone (the outbox calls it when it sends; see
    events.order_notify)."""
    order = selectors.order_detail(order_id=order_id)
    # In the recipient's language, else the organisation's; in the organisation's time zone.
    with organisation_context(order.organisation, language=order.user.language or None):
        context = {
            "order": order,
            "event": event,
            "url": order_url(order),
            "point": order.pickup.pickup_point,
            "site_url": settings.SITE_URL,
            "product": product,
            # Only where the point offers pickup from the car.
            "arrived_url": arrived_url(order),
        }
        subject = SUBJECTS[event](order) % {
            "number": order.number, "sale": order.sale.title, "product": product,
        }  # fmt: skip
        body = render_to_string("orders/email/order.txt", context)
        html = render_to_string("orders/email/order.html", context)
        message = EmailMultiAlternatives(subject=subject, body=body, to=[order.user.email])
        message.attach_alternative(html, "text/html")
        if event in ("placed", "changed", "moved"):
            message.attach(f"commande-{order.number}.ics", order_calendar(order),
                           "text/calendar")  # fmt: skip
        return message
