"""The rollup per sale × pickup of the orders handed out or not (``models.SalePickupHandouts``),
then its rows of the rollups already written, from their sales' active orders (the rows the
worker's refresh writes). Back: the table dropped."""

import django.db.models.deletion
from django.db import migrations, models


FILL = """
INSERT INTO insights_salepickuphandouts (organisation_id, rollup_id, closes_at, pickup_id,
    pickup_point_id, closed, handed, no_shows)
SELECT s.organisation_id, s.id, s.closes_at, k.id, k.pickup_point_id, k.closed_at IS NOT NULL,
    SUM(CASE WHEN o.status IN ('collected', 'no_show') THEN 1 ELSE 0 END),
    SUM(CASE WHEN o.status = 'no_show' THEN 1 ELSE 0 END)
FROM insights_salerollup r
JOIN sales_sale s ON s.id = r.sale_id
JOIN sales_pickup k ON k.sale_id = s.id
JOIN orders_order o ON o.pickup_id = k.id AND o.status <> 'cancelled'
GROUP BY s.organisation_id, s.id, s.closes_at, k.id, k.pickup_point_id, k.closed_at"""


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(FILL)


class Migration(migrations.Migration):

    dependencies = [
        ('insights', '0008_product_buyers'),
        ('orgs', '0005_membership_email_consent'),
        ('sales', '0004_pickuppoint_car_boot_pickup'),
    ]

    operations = [
        migrations.CreateModel(
            name='SalePickupHandouts',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('closes_at', models.DateTimeField()),
                ('closed', models.BooleanField()),
                ('handed', models.PositiveIntegerField()),
                ('no_shows', models.PositiveIntegerField()),
                ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='orgs.organisation')),
                ('pickup', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sales.pickup')),
                ('pickup_point', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='sales.pickuppoint')),
                ('rollup', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='insights.salerollup')),
            ],
            options={
                'indexes': [models.Index(fields=['organisation', 'closes_at'], include=('rollup', 'pickup_point', 'closed', 'handed', 'no_shows'), name='insights_hand_org_cut')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
