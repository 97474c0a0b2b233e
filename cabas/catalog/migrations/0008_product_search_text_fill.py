"""Data: every existing product gets its search text, and its photo a thumbnail (made once
here, as the services now make it on upload). Reversing keeps the values (the previous
migration's reversal removes the columns)."""

from django.db import migrations

from cabas.catalog.photos import thumbnail_make
from cabas.core.search import search_text


def fill(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    products = list(Product.objects.select_related("producer"))
    for product in products:
        product.search_text = search_text(product.name, product.description, product.producer.name)
        if product.image and not product.thumbnail:
            product.thumbnail = thumbnail_make(product.image)
    Product.objects.bulk_update(products, ["search_text", "thumbnail"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0007_product_thumbnail_search_text")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
