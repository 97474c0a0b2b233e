from django.db.models import Count, Q, QuerySet

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


def member_search_q(search: str) -> Q:
    """Members whose first name, last name or e-mail holds ``search`` (any case)."""
    return (
        Q(user__first_name__icontains=search)
        | Q(user__last_name__icontains=search)
        | Q(user__email__icontains=search)
    )
