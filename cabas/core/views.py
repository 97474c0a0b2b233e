from django.shortcuts import redirect, render

from cabas.orgs import selectors as org_selectors


def home(request):
    """Logged-in members land in their current organisation; others see the organisations."""
    if request.user.is_authenticated:
        membership = org_selectors.membership_for_home(
            user=request.user, preferred_slug=request.session.get("current_organisation")
        )
        if membership is not None:
            return redirect("orgs:member_home", slug=membership.organisation.slug)
    return render(
        request,
        "core/home.html",
        {"organisations": org_selectors.organisation_list_public()},
    )
