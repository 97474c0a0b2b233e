"""Shop stock as a ledger: the hand adjustments become stock movements with a reason."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_product_reference_per_producer_and_import_counts"),
        ("orgs", "0003_organisation_language"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="StockAdjustment", new_name="StockMovement"),
        migrations.RenameField(model_name="stockmovement", old_name="reason", new_name="note"),
        migrations.AddField(
            model_name="stockmovement",
            name="reason",
            field=models.CharField(
                choices=[
                    ("opening", "opening balance"),
                    ("reception", "reception"),
                    ("order_placed", "drive order placed"),
                    ("order_changed", "drive order changed"),
                    ("order_cancelled", "drive order cancelled"),
                    ("order_corrected", "order corrected"),
                    ("loss", "loss"),
                    ("breakage", "breakage"),
                    ("expired", "expired"),
                    ("gift", "gift"),
                    ("correction", "correction"),
                    ("inventory", "inventory"),
                    ("import", "product import"),
                ],
                default="correction",
                max_length=20,
                verbose_name="reason",
            ),
        ),
        migrations.AddField(
            model_name="stockmovement",
            name="order_id",
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name="order"),
        ),
        migrations.AlterField(
            model_name="stockmovement",
            name="note",
            field=models.CharField(blank=True, max_length=200, verbose_name="note"),
        ),
        migrations.AlterField(
            model_name="stockmovement",
            name="organisation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stock_movements",
                to="orgs.organisation",
            ),
        ),
        migrations.AlterField(
            model_name="stockmovement",
            name="product",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stock_movements",
                to="catalog.product",
            ),
        ),
        migrations.AlterModelOptions(
            name="stockmovement",
            options={
                "ordering": ["-created_at", "-pk"],
                "verbose_name": "stock movement",
                "verbose_name_plural": "stock movements",
            },
        ),
        migrations.AddIndex(
            model_name="stockmovement",
            index=models.Index(fields=["product", "created_at"], name="stockmovement_product_date"),
        ),
        migrations.AddIndex(
            model_name="stockmovement",
            index=models.Index(fields=["organisation", "created_at"], name="stockmovement_org_date"),
        ),
    ]
