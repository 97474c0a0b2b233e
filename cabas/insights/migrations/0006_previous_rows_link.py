"""The previous rows' cutoffs of the rollup rows already written (``rollup.chains_link`` over
every pair of each organisation that has rows); back, nothing to undo (0005 drops the
columns)."""

from django.db import migrations


def link(apps, schema_editor):
    from cabas.insights.rollup import chains_link

    SaleMember = apps.get_model("insights", "SaleMember")
    for organisation_id in SaleMember.objects.values_list("organisation_id", flat=True).distinct():
        chains_link(organisation_id=organisation_id)


class Migration(migrations.Migration):
    dependencies = [("insights", "0005_previous_rows")]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
