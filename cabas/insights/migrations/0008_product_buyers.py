"""The rollup per sale × point × product × member (``models.SaleProductBuyer``), then its rows
of the rollups already written, from their sales' active orders and lines (the rows the
worker's refresh writes; a stale rollup's rows are replaced at its refresh, never read
before). Back: the table dropped."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


FILL = """
INSERT INTO insights_saleproductbuyer (organisation_id, rollup_id, closes_at, pickup_point_id,
    producer_id, product_id, user_id, amount, orders)
SELECT s.organisation_id, s.id, s.closes_at, k.pickup_point_id, l.producer_id, l.product_id,
    o.user_id, SUM(l.amount), COUNT(DISTINCT o.id)
FROM insights_salerollup r
JOIN sales_sale s ON s.id = r.sale_id
JOIN orders_order o ON o.sale_id = s.id AND o.status <> 'cancelled'
JOIN sales_pickup k ON k.id = o.pickup_id
JOIN orders_orderline l ON l.order_id = o.id
GROUP BY s.organisation_id, s.id, s.closes_at, k.pickup_point_id, l.producer_id, l.product_id,
    o.user_id"""


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FILL)


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0014_product_external_id'),
        ('insights', '0007_covering_indexes'),
        ('orgs', '0005_membership_email_consent'),
        ('sales', '0004_pickuppoint_car_boot_pickup'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='SaleProductBuyer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('closes_at', models.DateTimeField()),
                ('amount', models.DecimalField(decimal_places=2, max_digits=14)),
                ('orders', models.PositiveIntegerField()),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organisation')),
                ('pickup_point', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sales.pickuppoint')),
                ('producer', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.producer')),
                ('product', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='catalog.product')),
                ('rollup', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='insights.salerollup')),
                ('user', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'indexes': [models.Index(fields=['organisation', 'producer', 'closes_at'], include=('rollup', 'pickup_point', 'product', 'user', 'amount', 'orders'), name='insights_prb_org_prod')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
