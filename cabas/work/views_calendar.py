"""A person's calendar of duties and shifts: the page with their calendar address, the
"change the address" button, and the feed itself (public: the secret token is the key)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cabas.orgs.context import organisation_context
from cabas.orgs.permissions import Action, org_view

from . import ical, services
from . import selectors_calendar as calendar_selectors


def _feed_url(feed) -> str:
    return settings.SITE_URL + reverse("work:calendar_feed", kwargs={"token": feed.token})


@org_view(Action.USE_MEMBER_AREA)
def calendar(request):
    feed = services.calendar_feed_get_or_create(membership=request.membership)
    url = _feed_url(feed)
    webcal = "webcal://" + url.split("://", 1)[-1]
    return render(request, "work/calendar.html", {"feed_url": url, "webcal_url": webcal})


@require_POST
@org_view(Action.USE_MEMBER_AREA)
def calendar_renew(request):
    services.calendar_feed_renew(membership=request.membership)
    messages.success(
        request,
        _(
            "Your calendar address has changed: the old one no longer works. Subscribe again "
            "with the new one."
        ),
    )
    return redirect("work:calendar", slug=request.organisation.slug)


@require_GET
def calendar_feed(request, token):
    """The person's duties and shifts as an iCal feed; 404 for an unknown (or renewed) token."""
    feed = calendar_selectors.feed_by_token(token)
    if feed is None:
        raise Http404
    now = timezone.now()
    signups = calendar_selectors.feed_signups(feed=feed, now=now)
    with organisation_context(feed.organisation):
        name = _("%(organisation)s — my duties") % {"organisation": feed.organisation.name}
        body = ical.calendar_of(signups, name=name, stamp=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="cabas.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
