from functools import cache

from django.db import connection
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
    (any status, with its producer) and how many active memberships they have: one statement,
    read on every page under ``/o/<slug>/`` (``permissions.org_view``). The ORM's building
    of the two reads it replaces cost more CPU than the database spent on them.

    The membership is cached on the user as ``permissions.membership_of`` does; the count lets
    the menu know whether to list the person's organisations (None: anonymous)."""
    user_id = user.pk if user.is_authenticated else None
    with connection.cursor() as cursor:
        params = [user_id, Membership.Status.ACTIVE.value, user_id, slug]
        cursor.execute(_request_statement(), params)
        row = cursor.fetchone()
    if row is None:
        return None, None
    organisation, membership, producer = rows.instances(row, _request_models())
    if user_id is None:
        return organisation, None
    if membership is not None:
        Membership.organisation.field.set_cached_value(membership, organisation)
        Membership.producer.field.set_cached_value(membership, producer)
    user.__dict__.setdefault("_cabas_memberships", {})[organisation.pk] = membership
    return organisation, row[-1]


@cache
def _request_models() -> tuple:
    # The producer's model without importing the catalog (an app above this one).
    return (Organisation, Membership, Membership._meta.get_field("producer").related_model)


@cache
def _request_statement() -> str:
    quote = connection.ops.quote_name
    organisations, memberships, producers = (
        quote(model._meta.db_table) for model in _request_models()
    )
    selected = ", ".join(
        rows.columns(model, alias) for model, alias in zip(_request_models(), "omp", strict=True)
    )
    return (
        f"SELECT {selected},"  # noqa: S608
        f" (SELECT COUNT(*) FROM {memberships} a WHERE a.user_id = %s AND a.status = %s)"
        f" FROM {organisations} o"
        f" LEFT JOIN {memberships} m ON m.organisation_id = o.id AND m.user_id = %s"
        f" LEFT JOIN {producers} p ON p.id = m.producer_id"
        " WHERE o.slug = %s AND o.is_active"
    )
