"""The page "Import a DFC catalog": a coordinator for any producer of the organisation, a
producer for its own. The import it starts is the product import's: same preview page, same
confirmation (``catalog:import_detail``)."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from cabas.catalog import selectors as catalog_selectors
from cabas.core.errors import DomainError
from cabas.orgs.permissions import Action, can_edit_producer, has_role, org_view

from . import catalog_sources
from .forms_import import CatalogImportForm
from .models import CatalogSource


@org_view(Action.USE_PRODUCER_AREA)
def catalog_import(request):
    coordinator = has_role(request.membership, "coordinator")
    own = None if coordinator else request.membership.producer
    producers = catalog_selectors.producers_of(organisation=request.organisation)
    form = CatalogImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        producers=producers if coordinator else None,
    )
    if request.method == "POST" and form.is_valid():
        producer = form.cleaned_data.get("producer") or own
        if producer is None or not can_edit_producer(request.user, request.organisation, producer):
            reason = _("Your account is not linked to a producer of this organisation.")
            form.add_error(None, reason)
        else:
            upload = form.cleaned_data.get("file") or {}
            try:
                product_import = catalog_sources.catalog_source_start(
                    organisation=request.organisation,
                    producer=producer,
                    user=request.user,
                    url=form.cleaned_data["url"],
                    file_name=upload.get("name", ""),
                    content=upload.get("content", b""),
                    refresh=form.cleaned_data["refresh"],
                    only_own_producer=not coordinator,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                return redirect(
                    "catalog:import_detail", slug=request.organisation.slug, pk=product_import.pk
                )
    sources = CatalogSource.objects.filter(organisation=request.organisation).exclude(url="")
    if not coordinator:
        sources = sources.filter(producer=own)
    return render(
        request,
        "dfc/catalog_import.html",
        {
            "form": form,
            "sources": sources.select_related("producer", "last_import").defer(
                "last_import__content"
            ),
        },
    )
