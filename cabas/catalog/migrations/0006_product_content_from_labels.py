"""Products whose unit label is a content ("75 cl", "500 g", "6 x 33 cl", "bocal 400 g") get
that content in the content fields, so their price per kg or per litre can be computed; the
label keeps only its word ("bocal"), if any.

A product "by volume" whose label is a content and whose quantities are whole numbers was a
bottle priced per bottle (a 33 cl beer at 2,80 € showed "2,80 €/L"): it becomes a piece with
that content. Products sold loose by the litre (fractional quantities) stay by volume.
"""

from decimal import Decimal

from django.db import migrations

from cabas.catalog.units import content_fields, label_with_content

BATCH = 500


def _whole(value) -> bool:
    return value is not None and value >= 1 and value == value.to_integral_value()


def content_from_label(product) -> dict:
    """The fields to change on one product (empty when its label is no content)."""
    if product.variable_weight or product.content_quantity is not None:
        return {}
    if product.unit_kind not in ("piece", "volume"):
        return {}
    fields = content_fields(product.unit_label)
    if not fields or fields["content_quantity"] >= Decimal("100000"):
        return {}
    if product.unit_kind == "volume":
        if not (_whole(product.min_quantity) and _whole(product.quantity_step)):
            return {}
        fields["unit_kind"] = "piece"
    return fields


def forwards(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    changed = []
    for product in Product.objects.filter(unit_kind__in=("piece", "volume")).iterator():
        fields = content_from_label(product)
        if fields:
            for name, value in fields.items():
                setattr(product, name, value)
            changed.append(product)
    Product.objects.bulk_update(
        changed,
        ["unit_kind", "unit_label", "content_quantity", "content_unit", "content_count"],
        batch_size=BATCH,
    )


def backwards(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    changed = []
    for product in Product.objects.exclude(content_quantity=None).iterator():
        product.unit_label = label_with_content(
            product.unit_label,
            product.content_quantity,
            product.content_unit,
            product.content_count,
        )
        product.content_quantity, product.content_unit, product.content_count = None, "", 1
        changed.append(product)
    Product.objects.bulk_update(
        changed,
        ["unit_label", "content_quantity", "content_unit", "content_count"],
        batch_size=BATCH,
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0005_product_content")]

    operations = [migrations.RunPython(forwards, backwards)]
