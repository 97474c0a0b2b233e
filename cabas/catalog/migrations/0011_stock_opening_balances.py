"""The ledger's first movement per shop-stock product: what it held when the ledger began
(its stock less the hand adjustments already recorded, which include the imports), so that
the stock of every product is the sum of its movements from now on. Adjustments recorded
before read as corrections, or imports when their note says so."""

from decimal import Decimal

from django.db import migrations
from django.db.models import Min, Sum
from django.utils import timezone


def opening_balances(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    StockMovement = apps.get_model("catalog", "StockMovement")
    StockMovement.objects.filter(note__startswith="Import").update(reason="import")
    StockMovement.objects.filter(note__startswith="Import de").update(reason="import")
    sums = dict(
        StockMovement.objects.values("product").annotate(total=Sum("delta")).values_list(
            "product", "total"
        )
    )
    firsts = dict(
        StockMovement.objects.values("product").annotate(first=Min("created_at")).values_list(
            "product", "first"
        )
    )
    products = Product.objects.filter(stock_mode="shop", stock_quantity__isnull=False)
    openings = []
    for product in products.only("pk", "organisation_id", "stock_quantity", "created_at"):
        opening = product.stock_quantity - (sums.get(product.pk) or Decimal("0"))
        if opening:
            openings.append((product, opening, firsts.get(product.pk) or timezone.now()))
    made = StockMovement.objects.bulk_create(
        StockMovement(
            organisation_id=product.organisation_id,
            product_id=product.pk,
            delta=opening,
            quantity_after=opening,
            reason="opening",
        )
        for product, opening, _first in openings
    )
    # Dated before the product's first recorded movement (created_at is set on insert).
    for movement, (_product, _opening, first) in zip(made, openings, strict=True):
        StockMovement.objects.filter(pk=movement.pk).update(created_at=first)


def forget_opening_balances(apps, schema_editor):
    apps.get_model("catalog", "StockMovement").objects.filter(reason="opening").delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0010_stock_movements")]

    operations = [migrations.RunPython(opening_balances, forget_opening_balances)]
