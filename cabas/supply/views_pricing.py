"""The supply team's pricing pages: the supply settings, the coefficients and the price
changes to decide (thin: read the form, call ``services``, render)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.orgs.permissions import Action, org_view

from . import selectors_suppliers as selectors
from . import services
from .forms_pricing import CoefficientsForm, SupplySettingsForm, chosen_ids
from .services.pricing import settings_for


@org_view(Action.MANAGE_SUPPLY)
def supply_settings(request):
    settings = settings_for(request.organisation.pk)
    form = SupplySettingsForm(request.POST if request.method == "POST" else None, instance=settings)
    if request.method == "POST" and form.is_valid():
        try:
            services.supply_settings_update(organisation=request.organisation, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The supply settings have been saved."))
            return redirect("supply:settings", slug=request.organisation.slug)
    return render(
        request,
        "supply/pricing/settings.html",
        {"form": form, "pending_count": selectors.pending_proposal_count(request.organisation)},
    )


@org_view(Action.MANAGE_SUPPLY)
def coefficients(request):
    """The coefficient of each category and of some products; an empty field removes it."""
    by_category, product_rows = selectors.coefficients_of(request.organisation)
    default = settings_for(request.organisation.pk).default_coefficient
    form = CoefficientsForm(
        request.POST if request.method == "POST" else None,
        organisation=request.organisation,
        by_category=by_category,
        product_rows=product_rows,
        default=default,
    )
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            # All the changes or none: a refusal leaves every coefficient as it was.
            with transaction.atomic():
                for change in changes:
                    services.price_coefficient_set(organisation=request.organisation, **change)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)d coefficient changed.",
                    "%(count)d coefficients changed.",
                    len(changes),
                )
                % {"count": len(changes)},
            )
            return redirect("supply:coefficients", slug=request.organisation.slug)
    return render(
        request,
        "supply/pricing/coefficients.html",
        {
            "form": form,
            "default_coefficient": default,
            "pending_count": selectors.pending_proposal_count(request.organisation),
        },
    )


@org_view(Action.MANAGE_SUPPLY)
def price_proposals(request):
    """The price changes to decide: tick some (or all) and accept or dismiss them."""
    if request.method == "POST":
        return _decide(request)
    rows = selectors.pending_proposal_rows(request.organisation)
    return render(
        request,
        "supply/pricing/proposals.html",
        {"rows": rows, "pending_count": len(rows)},
    )


def _decide(request):
    back = redirect("supply:price_proposals", slug=request.organisation.slug)
    decision = request.POST.get("decision")
    ids = chosen_ids(request.POST)
    if decision not in ("accept", "dismiss") or ids is None:
        messages.error(request, _("This choice could not be read: nothing was changed."))
        return back
    if not ids:
        messages.error(request, _("Tick at least one price change."))
        return back
    arguments = {"organisation": request.organisation, "proposal_ids": ids, "made_by": request.user}
    try:
        if decision == "accept":
            count = services.price_proposals_accept(**arguments)
            text = ngettext("%(count)d price changed.", "%(count)d prices changed.", count)
        else:
            count = services.price_proposals_dismiss(**arguments)
            text = ngettext(
                "%(count)d price change dismissed: the price stays.",
                "%(count)d price changes dismissed: the prices stay.",
                count,
            )
    except DomainError as error:
        messages.error(request, _("Nothing was changed: %(error)s") % {"error": error})
        return back
    messages.success(request, text % {"count": count})
    if count < len(ids):
        messages.warning(request, _("Some price changes had already been decided by someone else."))
    return back
