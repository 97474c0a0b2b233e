from .models import Membership
from .navigation import nav_for


def organisations(request):
    """The person's organisations (for the switcher) and the current one with its roles."""
    user = getattr(request, "user", None)
    context = {
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": getattr(request, "membership", None),
        "nav_items": nav_for(request),
    }
    if user is not None and user.is_authenticated:
        context["my_memberships"] = lambda: list(
            Membership.objects.active().filter(user=user).select_related("organisation")
        )
    return context
