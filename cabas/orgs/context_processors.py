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
        context["my_memberships"] = lambda: list(
            Membership.objects.active().filter(user=user).select_related("organisation")
        )
    return context
