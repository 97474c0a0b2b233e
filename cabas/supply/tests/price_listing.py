"""Sending supplier price lists through the import as the worker does, and the supplier the
tests use (``files/relais-vert-latin1.csv`` is its list, as a French spreadsheet saves it)."""

import io
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.test import TestCase
from openpyxl import Workbook

from cabas.supply import services
from cabas.supply.models import Supplier, SupplierItem, SupplierPriceImport
from cabas.supply.tests.factories import SupplierFactory, SupplierItemFactory

FILES = Path(__file__).parent / "files"
D = Decimal


@dataclass
class Relais:
    supplier: Supplier
    flour: SupplierItem  # main supplier, 1,20 € by 10
    rice: SupplierItem  # main supplier, 2,35 € by 6 (unchanged by the file)
    soap: SupplierItem  # not the main supplier of the soap, 2,80 € by 12


def relais_vert(organisation) -> Relais:
    """A wholesaler of organisation A selling three of its shop products; a 1,30 default
    coefficient, so new purchase prices of main suppliers propose selling prices."""
    services.supply_settings_update(organisation=organisation, default_coefficient=D("1.30"))
    supplier = SupplierFactory(organisation=organisation, name="Relais Vert")
    flour = SupplierItemFactory(
        supplier=supplier, reference="FAR-T65", purchase_price=D("1.2000"),
        package_size=D("10"), minimum_quantity=D("20"),
        product__name="Farine T65", product__price=D("1.70"), product__vat_rate=D("5.50"),
    )  # fmt: skip
    rice = SupplierItemFactory(
        supplier=supplier, reference="RIZ-1", purchase_price=D("2.3500"), package_size=D("6"),
        product__name="Riz basmati", product__price=D("3.40"), product__vat_rate=D("5.50"),
    )  # fmt: skip
    soap = SupplierItemFactory(
        supplier=supplier, reference="sav-1", purchase_price=D("2.8000"), package_size=D("12"),
        is_main=False, product__name="Savon", product__price=D("4.50"),
        product__vat_rate=D("20.00"),
    )  # fmt: skip
    SupplierItemFactory(
        supplier=SupplierFactory(organisation=organisation, name="Savonnerie"),
        product=soap.product, reference="S", purchase_price=D("2.5000"), is_main=True,
    )  # fmt: skip
    return Relais(supplier, flour, rice, soap)


def upload(supplier, name: str, content: bytes, *, user=None) -> SupplierPriceImport:
    """Upload and check (the immediate worker runs on commit)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        created = services.supplier_price_import_create(
            supplier=supplier, uploaded_by=user, file_name=name, content=content
        )
    created.refresh_from_db()
    return created


def apply(price_import: SupplierPriceImport) -> SupplierPriceImport:
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.supplier_price_import_apply(price_import=price_import)
    price_import.refresh_from_db()
    return price_import


def csv_file(*lines: str, header="référence;désignation;prix HT;colisage", encoding="utf-8"):
    return ("\r\n".join([header, *lines]) + "\r\n").encode(encoding)


def xlsx_file(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def prices(*items) -> list[tuple[Decimal, Decimal]]:
    """The items' purchase prices and package sizes, as the database has them now."""
    rows = SupplierItem.objects.in_bulk([item.pk for item in items])
    return [(rows[item.pk].purchase_price, rows[item.pk].package_size) for item in items]
