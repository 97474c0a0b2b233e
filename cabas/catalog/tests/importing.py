"""Sending product files through the import as the worker does, and the files the tests use
(real-shaped exports of Cagette and Open Food Network in ``files/``)."""

import io
from pathlib import Path

from django.test import TestCase
from openpyxl import Workbook

from cabas.catalog import imports
from cabas.catalog.models import ProductImport

FILES = Path(__file__).parent / "files"
HEADER = (
    "reference;name;producer;category;description;unit_kind;unit_label;price;vat_rate;"
    "variable_weight;price_per_kg;estimated_weight_kg;min_quantity;quantity_step;organic;"
    "local;stock_mode;quantity;active"
)


def import_file(world, name, content, *, user="coordinator", producer=None, confirm=True):
    """Upload, check and (when the check passes and ``confirm``) apply, as the worker does."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        product_import = imports.product_import_start(
            organisation=world.org_a,
            uploaded_by=world.users[user],
            file_name=name,
            content=content,
            producer=producer,
            only_own_producer=user == "producer",
        )
    product_import.refresh_from_db()  # checked by the (immediate) worker on commit
    if confirm and product_import.status == ProductImport.Status.READY:
        with TestCase.captureOnCommitCallbacks(execute=True):
            imports.product_import_confirm(product_import=product_import)
        product_import.refresh_from_db()
    return product_import


def csv_file(*lines: str) -> bytes:
    return ("\r\n".join([HEADER, *lines]) + "\r\n").encode("utf-8")


def line(reference="R-1", name="Radis", price="1,50", vat="5,5", **overrides) -> str:
    values = {
        "reference": reference, "name": name, "producer": "Ferme du Ségala",
        "category": "vegetables-fresh", "description": "", "unit_kind": "piece",
        "unit_label": "botte", "price": price, "vat_rate": vat, "variable_weight": "0",
        "price_per_kg": "", "estimated_weight_kg": "", "min_quantity": "1", "quantity_step": "1",
        "organic": "1", "local": "1", "stock_mode": "unlimited", "quantity": "", "active": "1",
    }  # fmt: skip
    values.update(overrides)
    return ";".join(values.values())


def xlsx_file(text_rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in text_rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
