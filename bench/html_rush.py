"""The HTML rush (issue 21): members' browsers through the shop, basket, checkout and confirm
pages, in a fresh open sale of the scenario's shape, against the same gunicorn settings as the
API rush; orders/s and per-step latencies per phase (8 and 64 shoppers by default), the CPU of
each process group, and the invariants of the sale afterwards.

Logging in costs about half a second of server CPU by design (the strong password hash), so
the shoppers arrive logged in: for each of them the bench stores a session exactly as a login
stores it (Django's ``login()`` writes the user's id, backend and session hash; the test
client's ``force_login`` does the same) and hands its cookie to the generator. Real logins
through the login form are timed apart (``login``), on a sample: sequentially, then 8 at once.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter, defaultdict
from importlib import import_module
from pathlib import Path

SALE_DAY_OFFSET = 5  # the rush 2, the floor 3, the scaling 4: one day each
LOGIN_PASSWORD = "bench-login-Cabas-2026"  # noqa: S105 (the bench's own throw-away accounts)
# allauth counts 30 successful logins per minute and address: the sample stays below.
LOGIN_SEQUENTIAL = 12
LOGIN_CONCURRENT = 16
LOGIN_CONCURRENCY = 8
HTML_TARGET_ORDERS_PER_S = 20  # 20 × the django-oscar sandbox's ~1.0–1.1 orders/s
STEPS = ("shop", "basket_add", "checkout", "checkout_point", "confirm", "order_page")


def sessions_create(user_ids: list[int]) -> dict[int, str]:
    """A logged-in session per user, stored as a login through the form stores one
    (``django.contrib.auth.login``, and the day's refresh the login's write takes along:
    ``SessionRefreshMiddleware``)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils import timezone

    from cabas.accounts.middleware import SessionRefreshMiddleware
    from cabas.accounts.models import User

    store = import_module(settings.SESSION_ENGINE).SessionStore
    backend = settings.AUTHENTICATION_BACKENDS[0]
    keys = {}
    for user in User.objects.filter(pk__in=user_ids):
        session = store()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[SessionRefreshMiddleware.KEY] = timezone.localdate().isoformat()
        session.create()
        keys[user.pk] = session.session_key
    return keys


def login_accounts(user_ids: list[int]) -> list[dict]:
    """People who can log in with the form: a known password and a verified address."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from cabas.accounts.models import User

    User.objects.filter(pk__in=user_ids).update(password=make_password(LOGIN_PASSWORD))
    users = list(User.objects.filter(pk__in=user_ids))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        ignore_conflicts=True,
    )
    return [{"email": user.email, "password": LOGIN_PASSWORD} for user in users]


def prepare(
    scene, *, shoppers: list[int], seconds: float, logins: int = LOGIN_SEQUENTIAL + LOGIN_CONCURRENT
) -> dict:
    from django.conf import settings
    from django.urls import reverse

    from . import scenario as bench_scenario

    sale = bench_scenario.sale_build(
        organisation=scene.organisation, title="Vente du parcours HTML", day_offset=SALE_DAY_OFFSET
    )
    user_ids = [member.user_id for member in scene.members]
    accounts = login_accounts(user_ids[-logins:])
    # More members per phase than can order in it (about 60 orders/s at most here).
    per_phase = min((len(user_ids) - logins) // len(shoppers), int(60 * seconds) + 64)
    keys = sessions_create(user_ids[: per_phase * len(shoppers)])
    members = [{"user_id": pk, "session": keys[pk]} for pk in user_ids if pk in keys]
    return {
        "sale": sale,
        "accounts": accounts,
        "members": [members[n * per_phase : (n + 1) * per_phase] for n in range(len(shoppers))],
        "config": {
            "shop_path": reverse("orders:sale_shop", args=[scene.organisation.slug, sale.pk]),
            "login_path": reverse("account_login"),
            "session_cookie": settings.SESSION_COOKIE_NAME,
        },
    }


def generate(config: dict, work_dir: Path, name: str) -> dict:
    input_path, output_path = work_dir / f"{name}-in.json", work_dir / f"{name}-out.json"
    input_path.write_text(json.dumps(config))
    command = [sys.executable, "-m", "bench.html_load", "--input", str(input_path),
               "--output", str(output_path)]  # fmt: skip
    base = Path(__file__).resolve().parent.parent
    subprocess.run(command, cwd=base, check=True)  # noqa: S603 (our interpreter, our module)
    return json.loads(output_path.read_text())


def steps_figures(requests: list) -> dict:
    from .floor import percentiles

    times: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter] = defaultdict(Counter)
    for step, status, ms, _at in requests:
        times[step].append(ms)
        statuses[step][str(status)] += 1
    return {
        step: {**percentiles(sorted(values)), "statuses": dict(statuses[step])}
        for step, values in sorted(times.items(), key=lambda row: _step_rank(row[0]))
    }


def _step_rank(step: str) -> int:
    return STEPS.index(step) if step in STEPS else len(STEPS)


def phase_figures(load: dict, cpu: dict, shoppers: int, seconds: float) -> dict:
    elapsed = load["elapsed_s"]
    placed = len(load["orders"])
    server_s = cpu["cpu_s"].get("app_server", 0.0) + cpu["cpu_s"].get("postgres", 0.0)
    return {
        "shoppers": shoppers,
        "seconds": seconds,
        "elapsed_s": round(elapsed, 2),
        "placed_orders": placed,
        "orders_per_s": round(placed / elapsed, 2) if elapsed else None,
        "requests": len(load["requests"]),
        "steps_ms": steps_figures(load["requests"]),
        "refusals": load["refusals"],
        "members_used": load["members_used"],
        "members_exhausted": load["members_exhausted"],
        "server_cpu_ms_per_order": round(1000 * server_s / placed, 1) if placed else None,
        "app_cpu_ms_per_order": round(1000 * cpu["cpu_s"].get("app_server", 0.0) / placed, 1)
        if placed
        else None,
        "generator_cpu_s": round(load["load_generator_cpu_s"], 2),
        "generator_cpu_ms_per_request": round(
            1000 * load["load_generator_cpu_s"] / len(load["requests"]), 2
        )
        if load["requests"]
        else None,
        "cpu": cpu,
    }


def watched(run_module, server, database_name: str):
    app_pids = server.pids()
    groups = {"app_server": lambda: app_pids}
    if database_name:
        groups["postgres"] = lambda: run_module.postgres_pids(database_name)
    return run_module.CpuWatch(**groups)


# long: the HTML part of the run, step by step (server, warm-up, logins, phases, invariants)
def html_run(args, scene, environment: dict, work_dir: Path, database_name: str) -> dict:
    """Starts a server of the API rush's settings, runs the logins and the phases, stops it;
    returns results["html"] and results["html_invariants"]."""
    from django.core.management import call_command
    from django.db import connections

    from . import invariants, peer_oscar
    from . import run as run_module
    from . import scenario as bench_scenario

    shoppers = [int(n) for n in str(args.html_shoppers).split(",") if n.strip()]
    seconds = args.html_seconds
    prepared = prepare(scene, shoppers=shoppers, seconds=seconds)
    # The pages name their static files through the manifest, as in production (DEBUG off).
    run_module.log("HTML rush: collectstatic")
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
    except Exception as error:  # noqa: BLE001 (reported; the rest of the bench goes on)
        run_module.log(f"HTML rush skipped: collectstatic failed ({error!s:.300})")
        return {"html": {"skipped": f"collectstatic failed: {error!s:.300}"}}
    connections.close_all()
    server = run_module.Server(args, environment, work_dir / "gunicorn-html.log")
    run_module.log(f"HTML rush: starting {server.base_url}")
    server.start()
    base = {**prepared["config"], "base_url": server.base_url, "seed": args.seed}
    html: dict = {"phases": [], "login": {}}
    peer = peer_oscar.Peer(args, run_module.log) if getattr(args, "peer_url", "") else None
    merged = {"orders": {}, "rejected_keys": [], "succeeded_keys": []}
    try:
        warm = {**base, "members": prepared["members"][0][-1:], "shoppers": 16,
                "warmup_seconds": 3.0, "seconds": 0}  # fmt: skip
        generate(warm, work_dir, "html-warm")
        accounts = prepared["accounts"]
        for label, group, concurrency in (
            ("sequential", accounts[:LOGIN_SEQUENTIAL], 1),
            (f"{LOGIN_CONCURRENCY} at once", accounts[LOGIN_SEQUENTIAL:], LOGIN_CONCURRENCY),
        ):
            run_module.log(f"HTML rush: {len(group)} logins through the form, {label}")
            watch = watched(run_module, server, database_name)
            watch.start()
            load = generate({**base, "mode": "logins", "accounts": group,
                             "concurrency": concurrency}, work_dir, "html-login")  # fmt: skip
            cpu = watch.stop(load_generator=load["load_generator_cpu_s"])
            logins = len(group)
            html["login"][label] = {
                "logins": logins,
                "steps_ms": steps_figures(load["requests"]),
                "refused": load["refusals"].get("login", 0),
                "server_cpu_ms_per_login": round(
                    1000 * (cpu["cpu_s"].get("app_server", 0) + cpu["cpu_s"].get("postgres", 0))
                    / logins, 1),
                "cpu": cpu,
            }  # fmt: skip
        if peer:
            peer.warm()
        for number, count in enumerate(shoppers):
            if peer:  # the peer's phase of the same shoppers and length, right before
                peer.phase(count, seconds)
            run_module.log(f"HTML rush: {count} shoppers for {seconds:g} s")
            watch = watched(run_module, server, database_name)
            watch.start()
            phase = {**base, "members": prepared["members"][number][:-1],
                     "shoppers": count, "seconds": seconds}  # fmt: skip
            load = generate(phase, work_dir, "html-rush")
            cpu = watch.stop(load_generator=load["load_generator_cpu_s"])
            html["phases"].append(phase_figures(load, cpu, count, seconds))
            merged["orders"].update(load["orders"])
            merged["rejected_keys"] += load["rejected_keys"]
            merged["succeeded_keys"] += load["succeeded_keys"]
    finally:
        server.stop()
    html["server_errors"] = server.errors()
    html["peer"] = peer.figures(html["phases"]) if peer else "not run"
    html["sale_id"] = prepared["sale"].pk
    html["sessions"] = "prepared (as login() stores them); logins timed apart"
    run_module.log("HTML rush: checking the invariants")
    checked = invariants.check(
        sale=prepared["sale"], starting_shop_stock=bench_scenario.SHOP_STOCK, load=merged
    )
    return {"html": html, "html_invariants": checked}


def table_lines(results: dict) -> list[str]:
    from . import peer_oscar
    from .run import cpu_text

    html = results.get("html")
    if not html:
        return []
    if html.get("skipped"):
        return ["-" * 78, f"HTML rush skipped: {html['skipped']}"]
    out = ["-" * 78]
    for phase in html["phases"]:
        cpu = phase["cpu"]["cpu_s"]
        out.append(
            f"HTML rush: {phase['shoppers']} shoppers × {phase['seconds']:g} s → "
            f"{phase['placed_orders']} orders in {phase['elapsed_s']} s = "
            f"{phase['orders_per_s']} orders/s · server CPU {phase['server_cpu_ms_per_order']} "
            f"ms/order · generator {cpu.get('load_generator', 0):g} s "
            f"({phase['generator_cpu_ms_per_request']} ms/request)"
        )
        out.extend(_steps_lines(phase["steps_ms"]))
        out.append("  CPU of the machine during the phase: " + cpu_text(phase["cpu"]))
        if phase["refusals"]:
            out.append("  refused: " + ", ".join(f"{k} {v}" for k, v in phase["refusals"].items()))
    for label, row in html["login"].items():
        login = row["steps_ms"].get("login", {})
        out.append(
            f"login ({label}, {row['logins']}): p50 {login.get('p50')} ms, p95 {login.get('p95')}"
            f" ms · server CPU {row['server_cpu_ms_per_login']} ms/login · refused {row['refused']}"
        )
    if isinstance(html.get("peer"), dict):
        out.extend(peer_oscar.table_lines(html["peer"]))
    errors = html.get("server_errors") or {}
    if errors.get("internal_errors"):
        out.append(f"server errors (500) logged: {errors['internal_errors']}")
    checked = results.get("html_invariants")
    if checked:
        out.append(
            f"Invariants (HTML sale; {checked['checked_client_orders']} client orders checked):"
            f" {checked['violations']} violation(s)"
        )
    return out


def _steps_lines(steps: dict) -> list[str]:
    out = [f"  {'step':<16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}  statuses"]
    for name, row in steps.items():
        statuses = " ".join(f"{k}:{v}" for k, v in sorted(row["statuses"].items()))
        out.append(
            f"  {name:<16}{row['count']:>9}{row['p50']!s:>9}{row['p95']!s:>9}{row['p99']!s:>9}"
            f"  {statuses}"
        )
    return out


def target(results: dict) -> dict:
    """At least 20 × the peer's orders/s when it ran beside (``--peer-url``); else an absolute
    20 orders/s, about 20 × what the peer did on this machine."""
    from . import peer_oscar

    html = results.get("html") or {}
    if isinstance(html.get("peer"), dict):
        return peer_oscar.target(html["peer"])
    phases = html.get("phases") or []
    rates = [phase["orders_per_s"] for phase in phases if phase["orders_per_s"] is not None]
    worst = min(rates) if rates else None
    return {
        "target": f">= {HTML_TARGET_ORDERS_PER_S} (each phase)",
        "measured": worst,
        "met": None if worst is None else worst >= HTML_TARGET_ORDERS_PER_S,
        "peer": "not run",
    }
