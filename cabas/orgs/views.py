from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError

from . import services
from .forms import JoinForm
from .permissions import Action, org_view


@org_view(Action.VIEW_PUBLIC_PAGE)
def public_page(request):
    return render(
        request,
        "orgs/public.html",
        {"organisation": request.organisation, "join_form": JoinForm()},
    )


@require_POST
@org_view(Action.JOIN)
def join(request):
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            membership = services.membership_join(
                organisation=request.organisation,
                user=request.user,
                message=form.cleaned_data["message"],
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect("orgs:public", slug=request.organisation.slug)
        if membership.is_active:
            messages.success(request, _("Welcome! You are now a member."))
            return redirect("orgs:member_home", slug=request.organisation.slug)
        messages.info(
            request,
            _("Your request has been sent. A coordinator will answer it soon."),
        )
    return redirect("orgs:public", slug=request.organisation.slug)


@org_view(Action.USE_MEMBER_AREA)
def member_home(request):
    return render(request, "orgs/member_home.html", {"organisation": request.organisation})
