"""Importing DFC catalogs in tests as the worker does, and the team's test vectors."""

import json
from pathlib import Path

from django.test import TestCase

from cabas.catalog import imports
from cabas.catalog.models import ProductImport
from cabas.dfc import catalog_sources

VECTORS = Path(__file__).parent / "vectors"


def vector(name: str) -> bytes:
    return (VECTORS / name).read_bytes()


def vector_json(name: str) -> dict:
    return json.loads(vector(name))


def import_catalog(world, content, *, organisation=None, producer=None, user="coordinator",
                   confirm=True) -> ProductImport:  # fmt: skip
    """Send a DFC catalog file, check it and (when it passes and ``confirm``) apply it."""
    if isinstance(content, dict | list):
        content = json.dumps(content).encode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        product_import = catalog_sources.catalog_source_start(
            organisation=organisation or world.org_a,
            producer=producer or world.producer,
            user=world.users[user],
            file_name="catalogue.json",
            content=content,
            only_own_producer=user == "producer",
        )
    product_import.refresh_from_db()
    if confirm and product_import.status == ProductImport.Status.READY:
        with TestCase.captureOnCommitCallbacks(execute=True):
            imports.product_import_confirm(product_import=product_import)
        product_import.refresh_from_db()
    return product_import
