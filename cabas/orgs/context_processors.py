from .models import Membership
from .navigation import nav_for


def organisations(request):
    """The person's organisations (for the switcher) and the current one with its roles."""
    user = getattr(request, "user", None)
    nav_groups = nav_for(request)
    context = {
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": getattr(request, "membership", None),
        "nav_groups": nav_groups,
        "nav_items": [item for group in nav_groups for item in group["items"]],
    }
    if user is not None and user.is_authenticated:
        context["my_memberships"] = lambda: _my_memberships(request, user)
    return context


def _my_memberships(request, user) -> list[Membership]:
    """The person's active memberships with their organisation. Under ``/o/<slug>/`` the
    page already knows how many there are (``org_view``): with one, it is the current one,
    not read again (the menu's switcher shows from two)."""
    count = getattr(request, "active_membership_count", None)
    membership = getattr(request, "membership", None)
    if count == 0:
        return []
    if count == 1 and membership is not None and membership.is_active:
        return [membership]
    return list(Membership.objects.active().filter(user=user).select_related("organisation"))
