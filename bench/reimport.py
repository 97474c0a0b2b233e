"""A 10,000-product export imported, then imported again unchanged, then with 1 % of the
prices changed: ``python -m bench.reimport [--lines 10000]`` (``SQLITE_PATH`` or
``DATABASE_URL`` name an empty database; it is migrated here).

Each import goes through ``product_import_start``, ``product_import_check`` and
``product_import_apply``, as the worker runs them; for each, the seconds, the queries, the rows
written to the products table (INSERT and UPDATE statements) and the counts the page shows.
Figures go in docs/performance.md; no test asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time

import django


def _run(organisation, user, content: bytes, name: str) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from cabas.catalog import imports

    with CaptureQueriesContext(connection) as captured:
        started, cpu_started = time.perf_counter(), time.process_time()
        product_import = imports.product_import_start(
            organisation=organisation, uploaded_by=user, file_name=name, content=content,
            producer=None, only_own_producer=False,
        )  # fmt: skip
        checked = imports.product_import_check(product_import=product_import)
        check_s, check_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
        imports.product_import_confirm(product_import=checked)
        done = imports.product_import_apply(product_import=checked)
        total_s, total_cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    writes = [
        query["sql"][:40]
        for query in captured.captured_queries
        if query["sql"].startswith(("INSERT", "UPDATE")) and '"catalog_product"' in query["sql"]
    ]
    queries = len(captured.captured_queries)  # read before reset_queries() empties it
    reset_queries()
    return {
        "status": done.status,
        "created": done.to_create,
        "updated": done.to_update,
        "unchanged": getattr(done, "unchanged", None),  # the field is new
        "check_s": round(check_s, 2),
        "total_s": round(total_s, 2),
        "check_cpu_s": round(check_cpu_s, 2),  # this process's CPU (the machine may be shared)
        "total_cpu_s": round(total_cpu_s, 2),
        "queries": queries,
        "product_writes": len(writes),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reimport")
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = True  # the queries are counted
    call_command("migrate", verbosity=0)
    from cabas.accounts.models import User
    from cabas.catalog import services as catalog_services
    from cabas.orgs.models import Organisation

    stamp = f"{time.time_ns()}"
    organisation = Organisation.objects.create(name=f"Bench {stamp}", slug=f"bench-{stamp}")
    user = User.objects.create(email=f"bench-{stamp}@example.org")
    producer = catalog_services.producer_create(organisation=organisation, name="Ferme importée")
    from .scaling import import_file, one_percent_changed  # after django.setup()

    content = import_file(args.lines, producer.name, random.Random(8))
    results = {
        "lines": args.lines,
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "first": _run(organisation, user, content, "export.csv"),
        "unchanged": _run(organisation, user, content, "export.csv"),
        "one_percent_changed": _run(organisation, user, one_percent_changed(content), "export.csv"),
    }
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
