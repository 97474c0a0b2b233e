"""The e-mails of a shift swap, built when the outbox sends them (in the recipient's
language, else the organisation's; times in the organisation's time zone): the member who
offered their shift learns who took it, the member who took it gets its date and task."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from cabas.orgs.context import organisation_context

from .models import Signup


def swap_email_message(*, signup_id: int, role: str) -> EmailMultiAlternatives:
    """``signup_id``: the new sign-up of the member who took the shift; ``role``: "offered"
    (to the member replaced) or "taker" (to the member who took it)."""
    taken = Signup.objects.select_related(
        "organisation", "period__task_type", "membership__user", "replaces__membership__user"
    ).get(pk=signup_id)
    replaced = taken.replaces.membership.user
    taker = taken.membership.user
    recipient = replaced if role == "offered" else taker
    organisation = taken.organisation
    with organisation_context(organisation, language=recipient.language or None):
        context = {
            "role": role,
            "period": taken.period,
            "taker": taker.display_name,
            "replaced": replaced.display_name,
            "organisation": organisation,
            "url": settings.SITE_URL
            + reverse("work:my_shifts", kwargs={"slug": organisation.slug}),
        }
        if role == "offered":
            subject = _("Your shift has been taken by %(name)s") % {"name": context["taker"]}
        else:
            subject = _("You have taken the shift of %(name)s") % {"name": context["replaced"]}
        body = render_to_string("work/email/swap.txt", context)
        html = render_to_string("work/email/swap.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[recipient.email])
    message.attach_alternative(html, "text/html")
    return message
