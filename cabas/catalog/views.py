from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from cabas.core import tables
from cabas.core.errors import DomainError
from cabas.core.forms import add_domain_error
from cabas.core.redirects import safe_next
from cabas.orgs.permissions import Action, can_edit_producer, has_role, org_view

from . import errors, importers, imports, selectors, services, views_stock
from .forms import (
    ProducerForm,
    ProducerLinkForm,
    ProductFilterForm,
    ProductForm,
    ProductImportForm,
    ProductQuickForm,
)
from .models import Producer, ProducerLink, Product, ProductImport


def _is_coordinator(request) -> bool:
    return has_role(request.membership, "coordinator")


def _own_producer(request):
    """The producer whose products this person manages (None for coordinators: all)."""
    return None if _is_coordinator(request) else request.membership.producer


def _editable_product(request, pk: int) -> Product:
    """A product this person may edit; 404 otherwise (another producer's is not their
    business)."""
    product = get_object_or_404(
        Product.objects.select_related("producer", "organisation"),
        pk=pk,
        organisation=request.organisation,
    )
    if not can_edit_producer(request.user, request.organisation, product.producer):
        raise Http404
    return product


def _product_form(request, *, instance=None):
    producers = selectors.producers_of(organisation=request.organisation)
    return ProductForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        instance=instance,
        vat_rates=selectors.vat_rates(organisation=request.organisation),
        producers=producers if _is_coordinator(request) and instance is None else None,
    )


@org_view(Action.USE_PRODUCER_AREA)
def product_list(request):
    coordinator = _is_coordinator(request)
    producers = selectors.producers_of(organisation=request.organisation) if coordinator else None
    form = ProductFilterForm(request.GET or None, producers=producers)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"search": data["q"], "category": data["category"]}
        if data["active"]:
            filters["active"] = data["active"] == "1"
        if coordinator and data.get("producer"):
            filters["producer"] = data["producer"]
    if not coordinator:
        filters["producer"] = request.membership.producer
    products = list(selectors.product_list(organisation=request.organisation, **filters)[:500])
    return render(
        request,
        "catalog/product_list.html",
        {"form": form, "products": products, "coordinator": coordinator},
    )


@org_view(Action.USE_PRODUCER_AREA)
def product_create(request):
    form = _product_form(request)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("stock_shown", None)  # a new product has no stock shown before
        producer = data.pop("producer", None) or _own_producer(request)
        try:
            product = services.product_create(
                organisation=request.organisation, producer=producer, **data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("“%(name)s” has been added.") % {"name": product.name})
            return redirect("catalog:products", slug=request.organisation.slug)
    return render(request, "catalog/product_form.html", {"form": form, "product": None})


@org_view(Action.USE_PRODUCER_AREA)
def product_edit(request, pk: int):
    product = _editable_product(request, pk)
    form = _product_form(request, instance=product)
    if request.method == "POST" and form.is_valid():
        try:
            services.product_update(product=product, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The product has been saved."))
            return redirect("catalog:products", slug=request.organisation.slug)
    return render(request, "catalog/product_form.html", {"form": form, "product": product})


@require_POST
@org_view(Action.USE_PRODUCER_AREA)
def product_duplicate(request, pk: int):
    copy = services.product_duplicate(product=_editable_product(request, pk))
    messages.success(request, _("A copy has been made, inactive until you have checked it."))
    return redirect("catalog:product_edit", slug=request.organisation.slug, pk=copy.pk)


@require_POST
@org_view(Action.USE_PRODUCER_AREA)
def product_quick(request, pk: int):
    """Inline edit of one row: htmx swaps the row; without script, back to the list."""
    product = _editable_product(request, pk)
    form = ProductQuickForm(request.POST)
    error = None
    if form.is_valid():
        try:
            product = services.product_quick_update(
                product=product, made_by=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            error = str(exc)
    else:
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    product.refresh_from_db()
    if request.htmx:
        return render(
            request,
            "catalog/includes/product_row.html",
            {"product": product, "row_error": error, "saved": error is None},
            status=200 if error is None else 422,
        )
    if error:
        messages.error(request, f"{product.name} : {error}")
    else:
        messages.success(request, _("“%(name)s” has been saved.") % {"name": product.name})
    return redirect(safe_next(request, f"/o/{request.organisation.slug}/catalog/"))


@org_view(Action.USE_PRODUCER_AREA)
def stock_adjust(request, pk: int):
    return views_stock.stock_adjust_page(
        request, _editable_product(request, pk), back="catalog:products"
    )


@org_view(Action.MANAGE_CATALOG)
def producer_list(request):
    links = selectors.producer_links(organisation=request.organisation).order_by("producer__name")
    return render(request, "catalog/producer_list.html", {"links": links})


@org_view(Action.MANAGE_CATALOG)
def producer_create(request):
    form = ProducerForm(request.POST if request.method == "POST" else None, request.FILES or None)
    link_form = ProducerLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and link_form.is_valid():
        try:
            services.producer_create(
                organisation=request.organisation, **form.cleaned_data, **link_form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form if error.field in form.fields else link_form, error)
        else:
            messages.success(request, _("The producer has been added."))
            return redirect("catalog:producers", slug=request.organisation.slug)
    return render(request, "catalog/producer_form.html", {"form": form, "link_form": link_form})


@org_view(Action.USE_PRODUCER_AREA)
def producer_edit(request, pk: int):
    producer = get_object_or_404(Producer, pk=pk, links__organisation=request.organisation)
    if not can_edit_producer(request.user, request.organisation, producer):
        raise Http404
    form = ProducerForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        instance=producer,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.producer_update(producer=producer, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("The producer has been saved."))
            return redirect(request.path)
    return render(request, "catalog/producer_form.html", {"form": form, "producer": producer})


@require_POST
@org_view(Action.MANAGE_CATALOG)
def producer_link(request, pk: int):
    link = get_object_or_404(ProducerLink, pk=pk, organisation=request.organisation)
    form = ProducerLinkForm(request.POST)
    if form.is_valid():
        try:
            services.producer_link_set_status(link=link, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The producer's status has been saved."))
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect("catalog:producers", slug=request.organisation.slug)


# --- Import and export -----------------------------------------------------------------------


@org_view(Action.USE_PRODUCER_AREA)
def product_import(request):
    coordinator = _is_coordinator(request)
    form = ProductImportForm(
        request.POST if request.method == "POST" else None,
        request.FILES or None,
        producers=selectors.producers_of(organisation=request.organisation)
        if coordinator
        else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > imports.max_upload_bytes():  # refused before reading it all
                raise errors.ImportFileTooBig(max_mb=imports.max_upload_bytes() // (1024 * 1024))
            product_import = imports.product_import_start(
                organisation=request.organisation,
                uploaded_by=request.user,
                file_name=upload.name,
                content=upload.read(),
                producer=form.cleaned_data.get("producer") or _own_producer(request),
                only_own_producer=not coordinator,
            )
        except DomainError as error:
            form.add_error("producer" if error.field == "producer" and coordinator else "file",
                           str(error))  # fmt: skip
        else:
            return redirect(
                "catalog:import_detail", slug=request.organisation.slug, pk=product_import.pk
            )
    recent = ProductImport.objects.filter(
        organisation=request.organisation, uploaded_by=request.user
    ).defer("content")[:5]
    return render(
        request,
        "catalog/import_form.html",
        {
            "form": form,
            "recent": recent,
            "max_mb": imports.max_upload_bytes() // (1024 * 1024),
            "columns": importers.OUR_COLUMNS,
        },
    )


def _visible_import(request, pk: int) -> ProductImport:
    """Coordinators see every import of the organisation, producers their own."""
    imports_seen = ProductImport.objects.defer("content").filter(organisation=request.organisation)
    if not _is_coordinator(request):
        imports_seen = imports_seen.filter(uploaded_by=request.user)
    return get_object_or_404(imports_seen, pk=pk)


@org_view(Action.USE_PRODUCER_AREA)
def import_detail(request, pk: int):
    """The check's result (preview or errors), the progress while the worker runs; htmx
    polls the status part of the page."""
    product_import = _visible_import(request, pk)
    template = (
        "catalog/includes/import_status.html" if request.htmx else "catalog/import_detail.html"
    )
    # Coordinators may offer the imported products in the sales (a sales screen, loaded in).
    context = {"import": product_import, "can_offer": _is_coordinator(request)}
    return render(request, template, context)


@require_POST
@org_view(Action.USE_PRODUCER_AREA)
def import_confirm(request, pk: int):
    product_import = _visible_import(request, pk)
    try:
        imports.product_import_confirm(product_import=product_import)
    except DomainError as error:
        messages.error(request, str(error))
    return redirect("catalog:import_detail", slug=request.organisation.slug, pk=pk)


@org_view(Action.USE_PRODUCER_AREA)
def product_export(request, file_format: str):
    if file_format not in tables.FORMATS:
        raise Http404
    products = selectors.product_list(
        organisation=request.organisation, producer=_own_producer(request)
    )
    header, rows = importers.template_rows(products)
    name = f"{slugify(_('products'))}-{request.organisation.slug}"
    title = capfirst(_("products"))
    return tables.table_response(name, header, rows, file_format, title=title)


@org_view(Action.USE_PRODUCER_AREA)
def import_template(request, file_format: str) -> HttpResponse:
    """Our columns with one example line, to fill in."""
    if file_format not in tables.FORMATS:
        raise Http404
    producer = _own_producer(request)
    header, rows = importers.template_example(producer.name if producer else "")
    return tables.table_response(
        slugify(pgettext("file name", "products template")),
        header,
        rows,
        file_format,
        title=pgettext("sheet", "Products template"),
    )
