"""Reading catalogs again on a schedule: due sources are fetched and applied when their
check finds no error; errors are kept on the source; a crash leaves no half import and the
source is read again after the lease."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from cabas.catalog import imports
from cabas.catalog.models import Product, ProductImport
from cabas.dfc import catalog_sources, tasks
from cabas.dfc.models import CatalogSource

from .importing import vector, vector_json
from .test_import_fetching import _Handler, server  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def source(world, server):  # noqa: F811
    _httpd, base = server
    _Handler.routes["/catalog"] = (200, {}, vector("ofn_catalog_items.json"))
    return CatalogSource.objects.create(
        organisation=world.org_a,
        producer=world.producer,
        url=f"{base}/catalog",
        refresh="daily",
        next_refresh_at=timezone.now() - timedelta(minutes=1),
        created_by=world.users["coordinator"],
    )


def _serve(document):
    _Handler.routes["/catalog"] = (200, {}, json.dumps(document).encode())


def test_the_sweep_reads_a_due_source_and_applies_it(world, source):
    now = timezone.now()

    assert tasks.catalog_sources_sweep.enqueue().return_value == 1

    source.refresh_from_db()
    product_import = ProductImport.objects.get()
    assert (product_import.status, product_import.to_create) == ("done", 3)
    assert product_import.uploaded_by == world.users["coordinator"]
    assert source.last_import == product_import and source.last_error == ""
    assert now + timedelta(days=1) <= source.next_refresh_at <= timezone.now() + timedelta(days=1)
    assert Product.objects.filter(producer=world.producer).count() == 3
    # Not due any more: the next sweep reads nothing.
    assert tasks.catalog_sources_sweep.enqueue().return_value == 0


def test_an_unchanged_catalog_writes_nothing_not_even_an_import(world, source):
    catalog_sources.catalog_source_refresh(source_id=source.pk)
    later = timezone.now() + timedelta(days=1, minutes=1)

    outcome = catalog_sources.catalog_source_refresh(source_id=source.pk, now=later)

    assert outcome == "unchanged"
    assert ProductImport.objects.count() == 1
    source.refresh_from_db()
    assert source.next_refresh_at == later + timedelta(days=1)


def test_a_changed_catalog_updates_its_products(world, source):
    catalog_sources.catalog_source_refresh(source_id=source.pk)
    document = vector_json("ofn_catalog_items.json")
    document["@graph"][2]["dfc-b:hasPrice"]["dfc-b:value"] = "6.20"
    _serve(document)

    outcome = catalog_sources.catalog_source_refresh(
        source_id=source.pk, now=timezone.now() + timedelta(days=2)
    )

    assert outcome == "done"
    assert Product.objects.get(reference="CONF-FR").price == Decimal("6.20")
    assert ProductImport.objects.latest("pk").to_update == 1


def test_a_catalog_with_an_error_applies_nothing_and_keeps_the_error(world, source):
    document = vector_json("ofn_catalog_items.json")
    document["@graph"][2]["dfc-b:hasPrice"]["dfc-b:hasUnit"] = "dfc-m:PoundSterling"
    _serve(document)
    now = timezone.now()

    assert catalog_sources.catalog_source_refresh(source_id=source.pk, now=now) == "invalid"

    source.refresh_from_db()
    assert "dfc-b:hasUnit" in source.last_error and "PoundSterling" in source.last_error
    assert source.next_refresh_at == now + timedelta(days=1)
    assert source.last_import.status == "invalid"
    assert not Product.objects.exists()


def test_an_address_that_fails_keeps_the_error_and_is_read_at_the_next_time(world, source):
    _Handler.routes.clear()
    now = timezone.now()

    assert catalog_sources.catalog_source_refresh(source_id=source.pk, now=now) == "refused"

    source.refresh_from_db()
    assert "404" in source.last_error and source.next_refresh_at == now + timedelta(days=1)
    assert not ProductImport.objects.exists()


def test_a_worker_killed_while_applying_leaves_nothing_and_the_source_is_read_again(
    world, source, monkeypatch
):
    def killed(**kwargs):
        raise SystemExit("worker killed")

    monkeypatch.setattr(imports, "_write", lambda *args: killed())
    now = timezone.now()

    with pytest.raises(SystemExit):
        catalog_sources.catalog_source_refresh(source_id=source.pk, now=now)

    assert not Product.objects.exists()
    source.refresh_from_db()
    assert source.next_refresh_at == now + catalog_sources.LEASE  # claimed, not done
    # A second sweep meanwhile does not read it twice...
    assert catalog_sources.catalog_sources_due(now=now + timedelta(minutes=30)) == []
    # ...and once the lease is over it is read again, completely.
    monkeypatch.undo()
    later = now + catalog_sources.LEASE + timedelta(minutes=1)
    assert catalog_sources.catalog_sources_due(now=later) == [source.pk]
    assert catalog_sources.catalog_source_refresh(source_id=source.pk, now=later) == "done"
    assert Product.objects.count() == 3


def test_only_due_addresses_with_a_refresh_are_read(world, source):
    future = timezone.now() + timedelta(hours=2)
    CatalogSource.objects.create(organisation=world.org_a, producer=world.producer,
                                 url="https://a.example/c", refresh="never",
                                 next_refresh_at=timezone.now())  # fmt: skip
    CatalogSource.objects.create(organisation=world.org_a, producer=world.producer,
                                 url="https://b.example/c", refresh="weekly",
                                 next_refresh_at=future)  # fmt: skip
    CatalogSource.objects.create(organisation=world.org_a, producer=world.producer, url="",
                                 refresh="daily", next_refresh_at=timezone.now())  # fmt: skip

    assert catalog_sources.catalog_sources_due(now=timezone.now()) == [source.pk]
    assert catalog_sources.catalog_source_refresh(source_id=source.pk + 1) == "not_due"
