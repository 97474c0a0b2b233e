"""The profile's API tokens page (thin: parse, call the services, render)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("To recognise the token later, e.g. “Phone app”."),
    )


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    """The person's tokens; creating one shows its secret on this response only."""
    form = TokenForm(request.POST if request.method == "POST" else None)
    new = None
    if request.method == "POST" and form.is_valid():
        new = services.token_create(user=request.user, name=form.cleaned_data["name"])
        form = TokenForm()
    rows = ApiToken.objects.filter(user=request.user)
    response = render(request, "api/tokens.html", {"form": form, "tokens": rows, "new": new})
    if new is not None:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = services.token_revoke(user=request.user, token_id=pk)
    except services.TokenNotFound as exc:
        raise Http404 from exc
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("api_tokens")


@csrf_exempt  # no session authenticates the API: a POST without a CSRF token is a 404 too
def api_not_found(request: HttpRequest, rest: str) -> JsonResponse:
    message = str(services.NotFound.default_message)
    return JsonResponse(
        {"error": {"code": "not_found", "message": message, "fields": {}, "detail": {}}},
        status=404,
    )
