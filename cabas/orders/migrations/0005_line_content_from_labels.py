"""Order lines whose frozen unit label is a content ("75 cl", "4 x 125 g", "bocal 400 g")
get that content, so they read "2 × 75 cl" like the lines placed from now on. A line "by
volume" whose label is a content and whose quantity is whole counted bottles (a 33 cl beer
×4 read "4 L"): it becomes a piece line with that content. Prices and amounts are unchanged.
"""

from decimal import Decimal

from django.db import migrations

from cabas.catalog.units import content_fields, label_with_content

BATCH = 500


def content_from_label(line) -> dict:
    """The fields to change on one line (empty when its label is no content)."""
    if line.variable_weight or line.content_quantity is not None:
        return {}
    if line.unit_kind not in ("piece", "volume"):
        return {}
    fields = content_fields(line.unit_label)
    if not fields or fields["content_quantity"] >= Decimal("100000"):
        return {}
    if line.unit_kind == "volume":
        if line.quantity != line.quantity.to_integral_value():
            return {}
        fields["unit_kind"] = "piece"
    return fields


def forwards(apps, schema_editor):
    OrderLine = apps.get_model("orders", "OrderLine")
    changed = []
    lines = OrderLine.objects.filter(unit_kind__in=("piece", "volume"), content_quantity=None)
    for line in lines.exclude(unit_label="").iterator():
        fields = content_from_label(line)
        if fields:
            for name, value in fields.items():
                setattr(line, name, value)
            changed.append(line)
        if len(changed) >= BATCH:
            _save(OrderLine, changed)
            changed = []
    _save(OrderLine, changed)


def _save(OrderLine, lines):
    OrderLine.objects.bulk_update(
        lines, ["unit_kind", "unit_label", "content_quantity", "content_unit", "content_count"]
    )


def backwards(apps, schema_editor):
    OrderLine = apps.get_model("orders", "OrderLine")
    changed = []
    for line in OrderLine.objects.exclude(content_quantity=None).iterator():
        line.unit_label = label_with_content(
            line.unit_label, line.content_quantity, line.content_unit, line.content_count
        )
        line.content_quantity, line.content_unit, line.content_count = None, "", 1
        changed.append(line)
        if len(changed) >= BATCH:
            _save(OrderLine, changed)
            changed = []
    _save(OrderLine, changed)


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_line_content"),
        ("catalog", "0006_product_content_from_labels"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
