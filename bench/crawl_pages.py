"""Crawl chosen pages of a generated organisation again, on a database kept for it: what
the docs' "to measure again" commands run (``make bench`` builds and drops its own).

    # once: a database with the 10× organisation (and, with --one, the 1× one), 30 past sales
    createdb -h 127.0.0.1 -U postgres cabas_pages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cabas_pages \\
        .venv/bin/python -m bench.crawl_pages --build --past-sales 30 [--one]
    # then, as often as needed: the pages by their URL name, 5 visits each after a warm-up
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cabas_pages \\
        .venv/bin/python -m bench.crawl_pages insights:dashboard,orgs:settings [--one]

Production-like settings (``DEBUG`` off), as the bench's crawl. Prints, per page, its status,
p50/p95 wall and CPU milliseconds and its queries (bench/crawl.py), its first visit apart
(``--cold``: with the shared cache emptied first, so the dashboards compute their figures
on it, as after a snapshot's expiry or « Recalculer maintenant »).
"""

from __future__ import annotations

import argparse
import os
import sys


def _settings() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("DATABASE_URL must name a PostgreSQL database (the generated data is SQL)")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("SECRET_KEY", "crawl-pages-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="?", default="", help="URL names, comma-separated")
    parser.add_argument("--build", action="store_true", help="migrate and generate first")
    parser.add_argument("--past-sales", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5, help="visits of each page (5)")
    parser.add_argument("--one", action="store_true", help="the 1× organisation")
    parser.add_argument(
        "--cold",
        action="store_true",
        help="empty the shared cache first: the first visit computes the dashboards' figures",
    )
    args = parser.parse_args(argv)
    _settings()
    import django

    django.setup()
    from django.core.management import call_command

    from . import big, crawl

    if args.build:
        call_command("migrate", "--noinput", verbosity=0)
        sizes = {**big.ONE_TIME} if args.one else {}
        built = big.big_build(**sizes, past_sales=args.past_sales)
        print(f"built {built.counts} in {built.seconds} s")
        return 0
    found = big.big_find(big.ONE_TIME["slug"]) if args.one else big.big_find()
    only = [name for name in args.pages.split(",") if name] or None
    if args.cold:  # the bench's own database: its cache holds the dashboards' snapshots only
        from django.core.cache import cache

        cache.clear()
    result = crawl.crawl(found, runs=args.runs, only=only)
    for name, row in sorted(result["pages"].items()):
        print(f"{name:<45} {row['status']} first {row['first_ms']} ms "
              f"({row['first_queries']} queries), then p50 {row['p50_ms']} p95 {row['p95_ms']} "
              f"ms, CPU p50 {row['cpu_p50_ms']} ms, {row['queries']} queries")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
