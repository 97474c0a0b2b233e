from dataclasses import dataclass
from functools import cache

from django.db import connection, models
from django.db.models import Count, Q, QuerySet

from cabas.core import rows

from .models import Membership, Organisation


def organisation_list_public() -> QuerySet[Organisation]:
    """Active organisations with their number of active members, for the landing page."""
    return Organisation.objects.filter(is_active=True).annotate(
        member_count=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE))
    )


def membership_for_home(*, user, preferred_slug: str | None) -> Membership | None:
    """The membership to land in: the last organisation visited, else the first one."""
    memberships = Membership.objects.active().filter(user=user).select_related("organisation")
    if preferred_slug:
        preferred = memberships.filter(organisation__slug=preferred_slug).first()
        if preferred is not None:
            return preferred
    return memberships.order_by("created_at").first()


def membership_list(*, organisation: Organisation, status: str | None = None, search: str = ""):
    """Members of an organisation, with the person and producer loaded."""
    memberships = Membership.objects.filter(organisation=organisation).select_related(
        "user", "producer"
    )
    if status:
        memberships = memberships.filter(status=status)
    if search:
        memberships = memberships.filter(member_search_q(search))
    return memberships.order_by("user__last_name", "user__first_name", "user__email")


MEMBER_SEARCH_WORDS = 5  # a name is a few words; more only make the query longer


def member_search_q(search: str) -> Q:
    """Members whose first name, last name or e-mail holds each word of ``search`` (any case):
    "Antoine Blanc" finds Antoine Blanc, as "blanc" or "antoine@" do."""
    words = search.split()[:MEMBER_SEARCH_WORDS] or [search]
    found = Q()
    for word in words:
        found &= (
            Q(user__first_name__icontains=word)
            | Q(user__last_name__icontains=word)
            | Q(user__email__icontains=word)
        )
    return found


def organisation_for_request(*, slug: str, user) -> tuple[Organisation | None, int | None]:
    """The active organisation ``slug`` and, for a logged-in person, their membership in it
    (any status, with its producer) and how many active memberships they have: one statement
    (``organisation_by_slug``), read on every page under ``/o/<slug>/``
    (``permissions.org_view``).

    The membership is cached on the user as ``permissions.membership_of`` does; the count lets
    the menu know whether to list the person's organisations (None: anonymous)."""
    user_id = user.pk if user.is_authenticated else None
    read = organisation_by_slug(slug=slug, membership=True, user_id=user_id)
    if read is None:
        return None, None
    if user_id is None:
        return read.organisation, None
    user.__dict__.setdefault("_cabas_memberships", {})[read.organisation.pk] = read.membership
    return read.organisation, read.active_memberships


@dataclass(frozen=True)
class OrganisationRead:
    """What ``organisation_by_slug`` read; the membership and the count only when asked."""

    organisation: Organisation
    membership: Membership | None = None
    active_memberships: int | None = None


def organisation_by_slug(
    *,
    slug: str,
    settings: tuple[type[models.Model], ...] = (),
    membership: bool = False,
    user_id: int | None = None,
) -> OrganisationRead | None:
    """The active organisation ``slug`` in one plain SQL statement (``cabas.core.rows``: the
    ORM's building of these joins cost more CPU than the database spent on them, on every page
    and API request), with what its caller reads next, each join optional:

    - ``settings``: the organisation's one-to-one settings models (``WorkSettings``,
      ``SalesSettings``: apps above this one, hence passed in), cached on the organisation
      (None when it has none);
    - ``membership``: the membership in it of the person ``user_id`` (None: an anonymous
      visitor, who has none), any status, with its producer cached on it, and how many active
      memberships the person has."""
    statement, joined = _organisation_statement(settings, membership)
    params: list = [slug]
    if membership:
        params = [user_id, Membership.Status.ACTIVE.value, user_id, slug]
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        row = cursor.fetchone()
    if row is None:
        return None
    organisation, *found = rows.instances(row, joined)
    for model, instance in zip(settings, found, strict=False):
        model._meta.get_field("organisation").remote_field.set_cached_value(organisation, instance)
    if not membership:
        return OrganisationRead(organisation)
    person_membership, producer = found[len(settings) :]
    if person_membership is not None:
        Membership.organisation.field.set_cached_value(person_membership, organisation)
        Membership.producer.field.set_cached_value(person_membership, producer)
    return OrganisationRead(organisation, person_membership, row[-1])


@cache
def _organisation_statement(
    settings: tuple[type[models.Model], ...], membership: bool
) -> tuple[str, tuple[type[models.Model], ...]]:
    """The statement for ``organisation_by_slug`` and the models of its row, in order."""
    quote = connection.ops.quote_name
    joined = [(Organisation, "o", "")]
    joined += [
        (model, f"s{index}", f"s{index}.organisation_id = o.id")
        for index, model in enumerate(settings)
    ]
    if membership:
        # The producer's model without importing the catalog (an app above this one).
        producer = Membership._meta.get_field("producer").related_model
        joined += [
            (Membership, "m", "m.organisation_id = o.id AND m.user_id = %s"),
            (producer, "p", "p.id = m.producer_id"),
        ]
    selected = ", ".join(rows.columns(model, alias) for model, alias, _on in joined)
    if membership:
        memberships = quote(Membership._meta.db_table)
        selected += (
            f", (SELECT COUNT(*) FROM {memberships} a"  # noqa: S608
            " WHERE a.user_id = %s AND a.status = %s)"
        )
    tables = "".join(
        f" LEFT JOIN {quote(model._meta.db_table)} {alias} ON {on}"
        for model, alias, on in joined[1:]
    )
    statement = (
        f"SELECT {selected} FROM {quote(Organisation._meta.db_table)} o{tables}"  # noqa: S608
        " WHERE o.slug = %s AND o.is_active"
    )
    return statement, tuple(model for model, _alias, _on in joined)
