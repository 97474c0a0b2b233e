from .models import Membership


def organisations(request):
    """The person's organisations (for the switcher) and the current one with its roles."""
    user = getattr(request, "user", None)
    context = {
        "current_organisation": getattr(request, "organisation", None),
        "current_membership": getattr(request, "membership", None),
    }
    if user is not None and user.is_authenticated:
        context["my_memberships"] = lambda: list(
            Membership.objects.active().filter(user=user).select_related("organisation")
        )
    return context
