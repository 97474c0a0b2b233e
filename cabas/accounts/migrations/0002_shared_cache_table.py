"""The database cache's table (settings.CACHES), made by `migrate` like every other table, so
that a fresh clone, `make run`, a deployment and the test database all have it: the login
rate limits count there, shared by every web process."""

from django.core.management import call_command
from django.db import migrations


def cache_table_create(apps, schema_editor):
    # Does nothing when the table exists or when the cache is Redis (REDIS_URL).
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(cache_table_create, migrations.RunPython.noop)]
