"""The DFC connections page of an organisation (``/o/<slug>/dfc/tokens/``): a member's
tokens for other platforms, and every token of the organisation for its coordinators. Thin:
parse, call the services, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cabas.core.errors import DomainError
from cabas.orgs.permissions import Action, org_view

from . import errors, selectors_tokens, services
from .auth import allowed_scopes
from .forms import DfcTokenForm

# The session key holding a new token's secret between the POST and the page it redirects to.
NEW_TOKEN_KEY = "dfc_new_token"  # noqa: S105 - a session key, not a secret


@org_view(Action.USE_MEMBER_AREA)
def tokens(request: HttpRequest) -> HttpResponse:
    """List and create. A created token redirects here (a reload never makes a second one);
    its secret, kept in the session for that one page, is shown once and forgotten."""
    organisation, user = request.organisation, request.user
    allowed = allowed_scopes(user, organisation)
    form = DfcTokenForm(request.POST if request.method == "POST" else None, allowed=allowed)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.dfc_token_create(
                organisation=organisation,
                user=user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except DomainError as error:
            form.add_error(error.field, str(error))
        else:
            request.session[NEW_TOKEN_KEY] = {"pk": new.token.pk, "secret": new.secret}
            return redirect("dfc:tokens", slug=organisation.slug)
    own = selectors_tokens.own_tokens(user=user, organisation=organisation)
    new = _new_token(request, own)
    context = {
        "form": form,
        "new": new,
        "tokens": own,
        "all_tokens": selectors_tokens.organisation_tokens(user=user, organisation=organisation),
        "api_url": settings.SITE_URL
        + reverse("dfc:enterprise", kwargs={"slug": organisation.slug}),
    }
    response = render(request, "dfc/tokens.html", context)
    if new is not None:
        response["Cache-Control"] = "no-store"
    return response


def _new_token(request: HttpRequest, own: list) -> services.NewToken | None:
    """The token just created on this page (one of the person's ``own`` tokens), with its
    secret taken out of the session (shown once), or None."""
    kept = request.session.pop(NEW_TOKEN_KEY, None)
    if not isinstance(kept, dict):
        return None
    token = next((token for token in own if token.pk == kept.get("pk")), None)
    return services.NewToken(token, kept.get("secret", "")) if token is not None else None


@require_POST
@org_view(Action.USE_MEMBER_AREA)
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = services.dfc_token_revoke(
            organisation=request.organisation, user=request.user, token_id=pk
        )
    except errors.TokenNotFound as exc:
        raise Http404 from exc
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("dfc:tokens", slug=request.organisation.slug)
