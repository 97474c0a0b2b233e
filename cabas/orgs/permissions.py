"""Who may do what, in one place.

``can(user, action, organisation)`` answers "can this person do this in this organisation";
``org_view(action)`` wraps a view taking the organisation's ``slug``: it loads the organisation,
the person's membership, and refuses with 404 when the person has no business knowing the
page exists (no active membership) or 403 when they are a member without the needed role.
Object-level rules (a producer only edits its own products) are ``can_*`` helpers below,
used by the views and the API alike.
"""

from __future__ import annotations

import enum
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils import translation

from cabas.core.redirects import page_before

from .context import chosen_language, organisation_context
from .models import Membership, Organisation
from .selectors import organisation_for_request


class Action(enum.StrEnum):
    # Anyone, even anonymous, for an active organisation.
    VIEW_PUBLIC_PAGE = "view_public_page"
    # Any logged-in person (joining, accepting an invitation).
    JOIN = "join"
    # Active members (any role).
    USE_MEMBER_AREA = "use_member_area"
    # Producers of the organisation.
    USE_PRODUCER_AREA = "use_producer_area"
    # Volunteers and coordinators.
    RUN_DISTRIBUTION = "run_distribution"
    # Coordinators.
    MANAGE_ORGANISATION = "manage_organisation"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_CATALOG = "manage_catalog"
    # The supply team and coordinators: shop stock, its movements and reports.
    MANAGE_SUPPLY = "manage_supply"
    # Any logged-in person: their own orders (in members-only organisations the services
    # refuse orders from non-members).
    ORDER = "order"


# Which role grants each action (None: no membership needed).
_REQUIRED_ROLE: dict[Action, str | None] = {
    Action.VIEW_PUBLIC_PAGE: None,
    Action.JOIN: None,
    Action.ORDER: None,
    Action.USE_MEMBER_AREA: Membership.Role.MEMBER,
    Action.USE_PRODUCER_AREA: Membership.Role.PRODUCER,
    Action.RUN_DISTRIBUTION: Membership.Role.VOLUNTEER,
    Action.MANAGE_ORGANISATION: Membership.Role.COORDINATOR,
    Action.MANAGE_MEMBERS: Membership.Role.COORDINATOR,
    Action.MANAGE_CATALOG: Membership.Role.COORDINATOR,
    Action.MANAGE_SUPPLY: Membership.Role.SUPPLY,
}

# Coordinators may do everything volunteers', producers' (for all producers) and the supply
# team's pages show.
_IMPLIED_BY_COORDINATOR = {
    Membership.Role.MEMBER,
    Membership.Role.VOLUNTEER,
    Membership.Role.PRODUCER,
    Membership.Role.SUPPLY,
}


def membership_of(user, organisation: Organisation) -> Membership | None:
    """The person's membership in the organisation (any status), cached on the user object."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_cabas_memberships", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = (
            Membership.objects.filter(organisation=organisation, user=user)
            .select_related("producer")
            .first()
        )
    return cache[organisation.pk]


def has_role(membership: Membership | None, role: str) -> bool:
    if membership is None or not membership.is_active:
        return False
    roles = set(membership.roles)
    if Membership.Role.COORDINATOR in roles:
        roles |= _IMPLIED_BY_COORDINATOR
    return role in roles


def can(user, action: Action, organisation: Organisation) -> bool:
    """Can ``user`` do ``action`` in ``organisation``?"""
    if not organisation.is_active:
        return False
    role = _REQUIRED_ROLE[action]
    if role is None:
        return action is Action.VIEW_PUBLIC_PAGE or user.is_authenticated
    return has_role(membership_of(user, organisation), role)


def can_edit_producer(user, organisation: Organisation, producer) -> bool:
    """Coordinators edit every producer of their organisation; a producer only its own."""
    membership = membership_of(user, organisation)
    if has_role(membership, Membership.Role.COORDINATOR):
        return True
    return (
        has_role(membership, Membership.Role.PRODUCER)
        and membership is not None
        and membership.producer_id == producer.pk
    )


def check(user, action: Action, organisation: Organisation) -> None:
    """Raise 404 (existence must not leak) or 403 (a member lacking the role)."""
    if can(user, action, organisation):
        return
    membership = membership_of(user, organisation)
    if membership is None or not membership.is_active or not organisation.is_active:
        raise Http404
    raise PermissionDenied


def _after_login(request, organisation: Organisation) -> str:
    """Where a person logged out comes back after logging in: the page they asked for, or,
    for a form they sent (a POST-only address), the page the form was on, else their home."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    return page_before(request, default=reverse("site:member_home", args=[organisation.slug]))


def org_view(action: Action):
    """Decorator for views under ``/o/<slug>/``: sets ``request.organisation`` and
    ``request.membership`` after checking ``action``, and runs the view in the organisation's
    context (its time zone and language: ``organisation_context``; a language the person
    chose themselves wins over the organisation's)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, slug, *args, **kwargs):
            # The organisation and the person's membership (cached for membership_of): one read.
            organisation, active_count = organisation_for_request(slug=slug, user=request.user)
            if organisation is None:
                raise Http404
            if action not in (Action.VIEW_PUBLIC_PAGE,) and not request.user.is_authenticated:
                from django.contrib.auth.views import redirect_to_login

                return redirect_to_login(_after_login(request, organisation))
            check(request.user, action, organisation)
            request.organisation = organisation
            request.membership = membership_of(request.user, organisation)
            request.active_membership_count = active_count  # for the menu's switcher
            if (
                request.membership is not None
                and request.membership.is_active
                and request.session.get("current_organisation") != organisation.slug
            ):  # written when it changes, not on every page (a session write is 3 queries)
                request.session["current_organisation"] = organisation.slug
            language = chosen_language(request)
            with organisation_context(organisation, language=language):
                request.LANGUAGE_CODE = translation.get_language()
                return view(request, *args, **kwargs)

        wrapper.cabas_action = action
        return wrapper

    return decorator
