"""The benchmark orchestrator: ``python -m bench.run [--quick] [--shoppers 64] [--seconds 30]
[--workers N] [--members N] [--keep]`` (``make bench``, ``make bench-quick``).

1. Creates a fresh database — on PostgreSQL (``DATABASE_URL``) ``cabas_bench_<timestamp>`` on
   the same server, otherwise (with a warning) a temporary SQLite file — and migrates it.
2. Seeds the scenario with the real services (bench/scenario.py).
3. Starts the real application server (gunicorn, DEBUG off, persistent database connections),
   waits until it answers, and runs the load generator in a separate process
   (bench/load.py); then stops the server, whatever happens.
4. Checks the invariants in the database (bench/invariants.py).
4b. The HTML rush (bench/html_rush.py, bench/html_load.py): members' browsers through the shop,
   basket, checkout and confirm pages of a fresh sale, 8 then 64 shoppers; logins apart.
   With ``--peer-url``, a phase of the peer (bench/peer_oscar.py) right before each one.
5. Runs the raw-SQL floor in a fresh sale of the same database (bench/floor.py; PostgreSQL).
6. Times the closing summaries, the preparation lists and a product import as the number of
   orders grows (bench/scaling.py).
7. Generates years of weekly sales of another collective in SQL (bench/history.py; PostgreSQL)
   and times its dashboards (bench/dashboard.py).
8. Generates an organisation at our collective's size and one at ten times it (bench/big.py;
   PostgreSQL) and crawls every member, producer, volunteer and coordinator page of both
   (bench/crawl.py): p50/p95 and queries per page, side by side.
9. Prints a table, writes bench/results/latest.json and a timestamped copy, and drops the
   database (unless ``--keep``).

The exit status is 1 when an invariant is violated, never because of a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from .ceiling import peer_phases

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
CORES = os.cpu_count() or 1
# Measured on the 2-core reference machine (docs/performance.md): gthread workers with a few
# threads each beat sync workers (which close the connection after every request).
DEFAULT_WORKERS = 2 * CORES + 1
DEFAULT_WORKER_CLASS = "gthread"
DEFAULT_THREADS = 4
TARGETS = {
    "orders_per_s": 150,
    "p95_ms": 250,
    "p99_ms": 500,
    "closing_summaries_10k_s": 1.0,
    "preparation_lists_10k_s": 1.0,
    "reimport_unchanged_s": 10.0,
    "dashboard_max_ms": 500,
}


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def parse_args(argv=None) -> argparse.Namespace:
    from . import peer_oscar

    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="10-second run, fewer members")
    parser.add_argument("--shoppers", type=int, default=64, help="virtual shoppers (64)")
    parser.add_argument("--seconds", type=float, help="length of the rush (30; quick: 10)")
    parser.add_argument(
        "--workers",
        type=int,
        default=DEFAULT_WORKERS,
        help=f"gunicorn worker processes ({DEFAULT_WORKERS}: 2 × cores + 1)",
    )
    parser.add_argument(
        "--worker-class",
        default=DEFAULT_WORKER_CLASS,
        choices=["sync", "gthread"],
        help=f"({DEFAULT_WORKER_CLASS})",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=DEFAULT_THREADS,
        help=f"threads per gthread worker ({DEFAULT_THREADS})",
    )
    parser.add_argument(
        "--members",
        type=int,
        help="members with a token (1000 + 200 × seconds: more than can order)",
    )
    parser.add_argument(
        "--change-rate", type=float, default=0.15, help="share of placed orders then changed (0.15)"
    )
    parser.add_argument(
        "--cancel-rate",
        type=float,
        default=0.07,
        help="share of placed orders then cancelled (0.07)",
    )
    parser.add_argument("--floor-seconds", type=float, help="length of the floor (10; quick: 5)")
    parser.add_argument(
        "--scaling",
        default=None,
        help="order counts, comma-separated (1000,10000,50000; quick: 1000,10000)",
    )
    parser.add_argument("--import-lines", type=int, default=10_000)
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--skip-scaling", action="store_true")
    parser.add_argument(
        "--dashboard-weeks",
        type=int,
        help="weekly sales of the dashboards' history (156; quick: 52)",
    )
    parser.add_argument(
        "--dashboard-orders", type=int, default=1000, help="orders per sale of the history (1000)"
    )
    parser.add_argument("--skip-dashboard", action="store_true")
    crawl_arguments(parser)
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    # --- The HTML rush (bench/html_rush.py) ---
    parser.add_argument(
        "--html-seconds", type=float, help="length of each HTML phase (15; quick: 8)"
    )
    parser.add_argument(
        "--html-shoppers", default="8,64", help="shoppers of each HTML phase (8,64)"
    )
    parser.add_argument("--skip-html", action="store_true")
    peer_oscar.add_arguments(parser)
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--output", default=str(RESULTS_DIR), help="where the JSON goes")
    args = parser.parse_args(argv)
    args.seconds = args.seconds or (10.0 if args.quick else 30.0)
    args.members = args.members or int(1000 + 200 * args.seconds)
    args.floor_seconds = args.floor_seconds or (5.0 if args.quick else 10.0)
    args.html_seconds = args.html_seconds or (8.0 if args.quick else 15.0)
    if args.scaling is None:
        args.scaling = "1000,10000" if args.quick else "1000,10000,50000"
    args.dashboard_weeks = args.dashboard_weeks or (52 if args.quick else 156)
    args.sizes = [int(size) for size in args.scaling.split(",") if size.strip()]
    # The issue's 100 past sales of 10,000 orders: generated in SQL with their dashboards'
    # rollups (bench/rollups.py), about 4–5 minutes at 10× (7 under a load of 7; it was 25
    # minutes of rollups through the service). Quick keeps 3; the query counts, compared at
    # 1× and 10×, say whether a page grows with the data.
    args.crawl_past_sales = args.crawl_past_sales or (3 if args.quick else 100)
    return args


# --- The page crawl (bench/crawl.py) ------------------------------------------------------------


def crawl_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--skip-crawl", action="store_true", help="no page crawl")
    parser.add_argument(
        "--skip-ceiling", action="store_true", help="no measure of the request cycle alone"
    )
    parser.add_argument("--crawl-runs", type=int, default=5, help="visits of each page (5)")
    parser.add_argument(
        "--crawl-past-sales",
        type=int,
        help="past sales of 10,000 orders of the 10× organisation (100; quick: 3)",
    )


def crawl_step(args, database, results: dict) -> None:
    """The 1× and 10× organisations and the crawl of their pages (PostgreSQL)."""
    if args.skip_crawl or not database.postgres:
        return
    from . import crawl

    log(f"crawl: generating the organisations ({args.crawl_past_sales} past sales each)")
    results["crawl"] = crawl.crawl_run(
        past_sales=args.crawl_past_sales, runs=args.crawl_runs, seed=args.seed, log=log
    )


def ceiling_step(args, database, results: dict) -> None:
    """What Django's request cycle alone costs (bench/ceiling.py), in a process of its own
    (its settings and URLs are not the server's), with the budgets at this run's rates."""
    if args.skip_ceiling or not database.postgres:
        return
    log("ceiling: the request cycle alone (empty page, empty API call)")
    with tempfile.TemporaryDirectory() as folder:
        so_far, out = Path(folder) / "results.json", Path(folder) / "ceiling.json"
        so_far.write_text(json.dumps(results, default=str))
        command = [sys.executable, "-m", "bench.ceiling", "--results", str(so_far),
                   "--json", str(out)]  # fmt: skip
        environment = {**os.environ, "DATABASE_URL": database.base_url}
        done = subprocess.run(command, cwd=BASE_DIR, env=environment, check=False)  # noqa: S603
        if done.returncode == 0 and out.exists():
            results["ceiling"] = json.loads(out.read_text())
            results["ceiling"].pop("budgets_from", None)


def ceiling_table(results: dict) -> list[str]:
    ceiling = results.get("ceiling")
    if not ceiling:
        return []
    cycle = ceiling["requests"]
    lines = ["-" * 78, "The request cycle alone (CPU ms per request, process + PostgreSQL): "
             f"logged-in page {cycle['page_member']['total_ms_mean']}, "
             f"API call {cycle['api_token']['total_ms_mean']}"]  # fmt: skip
    for name, budget in (ceiling.get("budgets") or {}).items():
        if "needed_requests_per_s" in budget:
            lines.append(
                f"  {name}: {budget['needed_requests_per_s']} requests/s needed = "
                f"{budget['cpu_ms_per_request_allowed']} ms of CPU per request; load generator "
                f"{budget['load_generator_ms_per_request']}, empty request "
                f"{budget['empty_request_ms']} → {budget['left_for_the_pages_ms']} ms left"
            )
            continue
        left = budget.get("left_for_the_pages_ms", budget.get("left_for_the_calls_ms"))
        lines.append(
            f"  {name}: {budget['needed_orders_per_s']} orders/s asked = "
            f"{budget['cpu_ms_per_order_allowed']} ms of CPU per order; load generator "
            f"{budget['load_generator_ms_per_order']}, empty requests "
            f"{budget['empty_requests_ms_per_order']} → {left} ms left for the work"
        )
    return lines


def crawl_table(results: dict) -> list[str]:
    if not results.get("crawl"):
        return []
    from .crawl import table_lines

    return ["-" * 78, *table_lines(results["crawl"])]


# --- The database -----------------------------------------------------------------------------


def configured_database_url() -> str:
    """DATABASE_URL from the environment, else from .env (as the settings read it)."""
    if "DATABASE_URL" in os.environ:
        return os.environ["DATABASE_URL"].strip()
    env_file = BASE_DIR / ".env"
    if env_file.exists():
        for line in env_file.read_text().splitlines():
            if line.strip().startswith("DATABASE_URL="):
                return line.split("=", 1)[1].strip().strip("'\"")
    return ""


class BenchDatabase:
    """A database of its own for one run, dropped at the end."""

    def __init__(self, base_url: str, stamp: str):
        self.base_url = base_url
        self.postgres = base_url.split(":", 1)[0] in ("postgres", "postgresql", "pgsql")
        if base_url and not self.postgres:
            raise SystemExit(f"bench: only PostgreSQL or SQLite are supported, not {base_url!r}")
        self.name = f"cabas_bench_{stamp}"
        self.sqlite_path = ""
        if self.postgres:
            parts = urlsplit(base_url)
            self.url = urlunsplit(parts._replace(path=f"/{self.name}"))
        else:
            self.sqlite_path = str(Path(tempfile.gettempdir()) / f"{self.name}.sqlite3")
            self.url = ""

    def _admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.base_url, autocommit=True) as connection:
            connection.execute(sql)

    def create(self) -> None:
        if self.postgres:
            self._admin(f'CREATE DATABASE "{self.name}"')
        else:
            print(
                "WARNING: DATABASE_URL is not set: the bench runs on SQLite "
                f"({self.sqlite_path}). Its figures say little about production; the raw-SQL "
                "floor is skipped. Set DATABASE_URL=postgres://… for the real measure.",
                file=sys.stderr,
                flush=True,
            )

    def drop(self) -> None:
        if self.postgres:
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        else:
            for suffix in ("", "-wal", "-shm"):
                Path(self.sqlite_path + suffix).unlink(missing_ok=True)

    def environment(self) -> dict[str, str]:
        if self.postgres:
            return {"DATABASE_URL": self.url}
        return {"DATABASE_URL": "", "SQLITE_PATH": self.sqlite_path}


def server_environment(database: BenchDatabase) -> dict[str, str]:
    """Production-like settings over plain HTTP on 127.0.0.1."""
    return {
        **database.environment(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "600",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "LOG_LEVEL": "WARNING",
    }


# --- The application server --------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, args, environment: dict[str, str], log_path: Path):
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.command = [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--workers", str(args.workers), "--bind", f"127.0.0.1:{self.port}",
            "--worker-class", args.worker_class, "--threads", str(args.threads),
            "--backlog", "2048", "--timeout", "120", "--keep-alive", "5",
            "--log-level", "warning", "--error-logfile", str(log_path),
        ]  # fmt: skip
        self.environment = {**os.environ, **environment}
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log_file = self.log_path.open("ab")
        self.process = subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
            self.command, cwd=BASE_DIR, env=self.environment, start_new_session=True,
            stdout=self.log_file, stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        url = f"{self.base_url}/api/v1/openapi.json"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (http://127.0.0.1)
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer within 60 s:\n{self.log_tail()}")

    def pids(self) -> list[int]:
        """The master and its workers."""
        if self.process is None:
            return []
        return [self.process.pid, *children_of(self.process.pid)]

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # our own session: gunicorn and its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log_file.close()

    def errors(self) -> dict:
        """What the server logged: unhandled errors (500) and the last line of each."""
        if not self.log_path.exists():
            return {"internal_errors": 0, "kinds": {}}
        lines = self.log_path.read_text(errors="replace").splitlines()
        kinds: Counter = Counter()
        internal = 0
        for index, line in enumerate(lines):
            if line.startswith("Internal Server Error"):
                internal += 1
                # The exception's message is the first unindented line after its traceback.
                for after in lines[index + 1 :]:
                    if after and not after.startswith((" ", "Traceback", "The above", "During")):
                        kinds[after[:160]] += 1
                        break
        return {"internal_errors": internal, "kinds": dict(kinds.most_common(5))}

    def log_tail(self, lines: int = 30) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


# --- CPU accounting (Linux /proc) ---------------------------------------------------------------

TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def cpu_by_pid(pids) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each process."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime
    return used


def cpu_delta(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU used between two readings by the processes alive at the second one (a process
    started in between counts from zero)."""
    return sum(used - before.get(pid, 0.0) for pid, used in after.items())


POSTGRES_HELPERS = ("checkpointer", "background writer", "walwriter", "autovacuum",
                    "logical replication", "stats collector", "archiver")  # fmt: skip


def postgres_pids(database: str) -> list[int]:
    """The server's own processes and the backends of the bench database (not the backends
    of other databases on the same server)."""
    pids = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            command = (entry / "cmdline").read_text().replace("\0", " ")
        except OSError:
            continue
        if f" {database} " in command or any(name in command for name in POSTGRES_HELPERS):
            pids.append(int(entry.name))
    return pids


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (all cores), from /proc/stat."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return (sum(fields[:8]) - idle) / TICKS


class CpuWatch:
    """Who used the CPU during a phase: named process groups, and the rest of the machine."""

    def __init__(self, **groups):
        self.groups = groups  # name -> function returning pids

    def start(self) -> None:
        self.before = {name: cpu_by_pid(pids()) for name, pids in self.groups.items()}
        self.busy_before = machine_busy()
        self.started = time.perf_counter()

    def stop(self, **extra_seconds: float) -> dict:
        wall = time.perf_counter() - self.started
        used = {
            name: cpu_delta(self.before[name], cpu_by_pid(pids()))
            for name, pids in self.groups.items()
        }
        used.update(extra_seconds)
        busy = machine_busy() - self.busy_before
        used["other_processes"] = max(0.0, busy - sum(used.values()))
        return {
            "wall_s": round(wall, 2),
            "cpu_s": {name: round(value, 2) for name, value in used.items()},
            "share_of_machine": {
                name: round(value / (wall * CORES), 3) for name, value in used.items()
            },
            "machine_busy": round(busy / (wall * CORES), 3),
        }


# --- The HTTP run ------------------------------------------------------------------------------


def percentiles(values: list[float]) -> dict:
    from .floor import percentiles as nearest_rank

    return nearest_rank(sorted(values))


def http_run(
    args, scenario, server: Server, work_dir: Path, database_name: str
) -> tuple[dict, dict]:
    config = {
        "base_url": server.base_url,
        "slug": scenario.organisation.slug,
        "sale_id": scenario.sale.pk,
        "hot_product_ids": scenario.hot_product_ids,
        "members": [{"user_id": m.user_id, "token": m.token} for m in scenario.members],
        "shoppers": args.shoppers,
        "seconds": args.seconds,
        "warmup_seconds": 3.0,
        "seed": args.seed,
        "p_change": args.change_rate,
        "p_cancel": args.cancel_rate,
    }
    input_path, output_path = work_dir / "load-input.json", work_dir / "load-output.json"
    command = [sys.executable, "-m", "bench.load", "--input", str(input_path),
               "--output", str(output_path)]  # fmt: skip
    # Warm-up first, in a run of its own (reads only): every server process has opened its
    # database connection before the CPU counters are read and the clock starts.
    input_path.write_text(json.dumps({**config, "seconds": 0}))
    subprocess.run(command, cwd=BASE_DIR, check=True)  # noqa: S603 (our interpreter, our module)
    input_path.write_text(json.dumps({**config, "warmup_seconds": 0}))
    app_pids = server.pids()  # read before the run: the workers live as long as the server
    groups = {"app_server": lambda: app_pids}
    if database_name:  # PostgreSQL (SQLite runs inside the app server's processes)
        groups["postgres"] = lambda: postgres_pids(database_name)
    watch = CpuWatch(**groups)
    watch.start()
    subprocess.run(command, cwd=BASE_DIR, check=True)  # noqa: S603 (our interpreter, our module)
    load = json.loads(output_path.read_text())
    cpu = watch.stop(load_generator=load["load_generator_cpu_s"])
    return load, cpu


def http_figures(load: dict, cpu: dict, args) -> dict:
    by_endpoint: dict[str, list[float]] = defaultdict(list)
    statuses: dict[str, Counter] = defaultdict(Counter)
    rejections: dict[str, Counter] = defaultdict(Counter)
    placed_at = []
    replays = 0
    for endpoint, status, code, ms, at in load["requests"]:
        by_endpoint[endpoint].append(ms)
        statuses[endpoint][str(status)] += 1
        if code:
            rejections[endpoint][code] += 1
        if endpoint == "order_create" and status == 201:
            placed_at.append(at + ms / 1000)
        if endpoint == "order_create" and status == 200:
            replays += 1
    elapsed = load["elapsed_s"]
    placed = len(placed_at)
    all_ms = [ms for values in by_endpoint.values() for ms in values]
    endpoints = {
        name: {**percentiles(values), "statuses": dict(statuses[name])}
        for name, values in sorted(by_endpoint.items())
    }
    timeline = Counter(int(at) for at in placed_at)
    return {
        "shoppers": args.shoppers,
        "seconds": args.seconds,
        "elapsed_s": round(elapsed, 2),
        "placed_orders": placed,
        "orders_per_s": round(placed / elapsed, 1) if elapsed else None,
        "requests": len(load["requests"]),
        "requests_per_s": round(len(load["requests"]) / elapsed, 1) if elapsed else None,
        "latency_ms": {"all": percentiles(all_ms), **endpoints},
        "rejections": {name: dict(codes) for name, codes in sorted(rejections.items())},
        "idempotent_replays": replays,
        "members_used": load["members_used"],
        "members_exhausted": load["members_exhausted"],
        "sale_full": load["sale_full"],
        "placed_per_second": [timeline.get(second, 0) for second in range(int(elapsed) + 1)],
        "cpu": cpu,
    }


# --- Reporting ---------------------------------------------------------------------------------


def machine() -> dict:
    meminfo = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, _, value = line.partition(":")
        meminfo[key] = value.strip()
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory_kb = int(meminfo.get("MemTotal", "0 kB").split()[0])
    load = Path("/proc/loadavg").read_text().split()[:3]
    return {
        "cores": CORES,
        "cpu": model,
        "memory_gb": round(memory_kb / 1024 / 1024, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_average_at_start": [float(value) for value in load],
    }


def database_info() -> dict:
    from django.db import connection

    info = {"vendor": connection.vendor}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            info["server_version"] = cursor.fetchone()[0]
            for setting in ("max_connections", "shared_buffers", "synchronous_commit"):
                cursor.execute(f"SHOW {setting}")
                info[setting] = cursor.fetchone()[0]
        else:
            cursor.execute("SELECT sqlite_version()")
            info["server_version"] = cursor.fetchone()[0]
    return info


def git_commit() -> dict:
    def git(*command):
        # Fixed, read-only git commands; git is found on the PATH like make finds it.
        result = subprocess.run(  # noqa: S603
            ["git", *command],  # noqa: S607
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip() if result.returncode == 0 else None

    status = git("status", "--porcelain", "--untracked-files=no")
    return {
        "commit": git("rev-parse", "HEAD"),
        "dirty": bool(status) if status is not None else None,
    }


def targets_check(results: dict) -> dict:
    from .html_rush import target as html_target

    http = results.get("http") or {}
    latency = {k: v for k, v in (http.get("latency_ms") or {}).items() if k != "all"}
    worst_p95 = max((v["p95"] for v in latency.values() if v["p95"] is not None), default=None)
    worst_p99 = max((v["p99"] for v in latency.values() if v["p99"] is not None), default=None)
    summaries_10k = next(
        (row["closing_summaries"]["seconds"] for row in results.get("scaling") or []
         if row["orders"] == 10_000), None,
    )  # fmt: skip
    preparation_10k = next(
        (row["preparation_lists"]["seconds"] for row in results.get("scaling") or []
         if row["orders"] == 10_000), None,
    )  # fmt: skip
    reimport_s = (results.get("product_import") or {}).get("reimport_unchanged_s")
    invariants = results.get("invariants") or {}
    boards = (results.get("dashboards") or {}).get("variants") or {}
    worst_board = max((v["max_ms"] for v in boards.values()), default=None)

    def at_most(value, limit):
        return None if value is None else value <= limit

    return {
        "orders_per_s": {"target": f">= {TARGETS['orders_per_s']}",
                         "measured": http.get("orders_per_s"),
                         "met": None if http.get("orders_per_s") is None
                         else http["orders_per_s"] >= TARGETS["orders_per_s"]},
        "p95_ms": {"target": f"<= {TARGETS['p95_ms']} (every endpoint)", "measured": worst_p95,
                   "met": at_most(worst_p95, TARGETS["p95_ms"])},
        "p99_ms": {"target": f"<= {TARGETS['p99_ms']} (every endpoint)", "measured": worst_p99,
                   "met": at_most(worst_p99, TARGETS["p99_ms"])},
        "invariants": {"target": "all 0", "measured": invariants.get("violations"),
                       "met": invariants.get("violations") == 0},
        "closing_summaries_10k_s": {"target": f"< {TARGETS['closing_summaries_10k_s']}",
                                    "measured": summaries_10k,
                                    "met": None if summaries_10k is None
                                    else summaries_10k < TARGETS["closing_summaries_10k_s"]},
        "preparation_lists_10k_s": {"target": f"< {TARGETS['preparation_lists_10k_s']}",
                                    "measured": preparation_10k,
                                    "met": None if preparation_10k is None
                                    else preparation_10k < TARGETS["preparation_lists_10k_s"]},
        "reimport_unchanged_s": {"target": f"< {TARGETS['reimport_unchanged_s']} (10,000 lines)",
                                 "measured": reimport_s,
                                 "met": None if reimport_s is None
                                 else reimport_s < TARGETS["reimport_unchanged_s"]},
        "dashboard_max_ms": {"target": f"< {TARGETS['dashboard_max_ms']} (every variant)",
                             "measured": worst_board,
                             "met": None if worst_board is None
                             else worst_board < TARGETS["dashboard_max_ms"]},
        "html_orders_per_s": html_target(results),
    }  # fmt: skip


def cpu_text(cpu: dict) -> str:
    shares = ", ".join(f"{name} {share:.0%}" for name, share in cpu["share_of_machine"].items())
    text = f"{shares} (busy {cpu['machine_busy']:.0%})"
    if cpu["share_of_machine"].get("other_processes", 0) > 0.1:
        text += " — WARNING: other work was running on the machine, the figures are low"
    return text


def _fmt(value, unit: str = "") -> str:
    if value is None:
        return "—"
    return f"{value:g}{unit}" if isinstance(value, int | float) else f"{value}{unit}"


def print_table(results: dict) -> None:
    out = []
    add = out.append
    run = results["run"]
    add("")
    add("=" * 78)
    add(f"Cabas bench · {run['started_at']} · commit {str(results['git']['commit'])[:10]}"
        f"{' (dirty)' if results['git']['dirty'] else ''}")  # fmt: skip
    m, d = results["machine"], results["database"]
    add(f"{m['cores']} cores, {m['memory_gb']} GB · {d['vendor']} {d['server_version']} · "
        f"{run['server']}")  # fmt: skip
    http = results.get("http")
    if http:
        add("-" * 78)
        add(f"HTTP rush: {http['shoppers']} shoppers × {http['seconds']:g} s → "
            f"{http['placed_orders']} orders placed in {http['elapsed_s']} s = "
            f"{http['orders_per_s']} orders/s ({http['requests_per_s']} requests/s)")  # fmt: skip
        add(f"{'endpoint':<16}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}"
            "  statuses")  # fmt: skip
        for name, row in http["latency_ms"].items():
            statuses = " ".join(f"{k}:{v}" for k, v in sorted(row.get("statuses", {}).items()))
            add(f"{name:<16}{row['count']:>9}{_fmt(row['p50']):>9}{_fmt(row['p95']):>9}"
                f"{_fmt(row['p99']):>9}{_fmt(row['max']):>9}  {statuses}")  # fmt: skip
        for name, codes in http["rejections"].items():
            add(f"rejections {name}: " + ", ".join(f"{c} {n}" for c, n in sorted(codes.items())))
        exhausted = " (all: raise --members)" if http["members_exhausted"] else ""
        add(f"idempotent replays: {http['idempotent_replays']} · members used "
            f"{http['members_used']}{exhausted}"
            f"{' · the sale filled up' if http['sale_full'] else ''}")  # fmt: skip
        errors = http.get("server_errors") or {}
        if errors.get("internal_errors"):
            add(f"server errors (500) logged: {errors['internal_errors']}")
            for kind, count in errors["kinds"].items():
                add(f"  {count} × {kind}")
        add("CPU of the machine during the rush: " + cpu_text(http["cpu"]))
    invariants = results.get("invariants")
    if invariants:
        add("-" * 78)
        add(f"Invariants (HTTP sale; {invariants['checked_client_orders']} client orders checked):"
            f" {invariants['violations']} violation(s)")  # fmt: skip
        counts = invariants["counts"]
        names = list(counts)
        for start in range(0, len(names), 3):
            add("  " + "   ".join(f"{n} {counts[n]}" for n in names[start : start + 3]))
        floor_inv = results.get("floor_invariants")
        if floor_inv:
            add(f"Invariants (floor sale): {floor_inv['violations']} violation(s)")
    from .html_rush import table_lines as html_table_lines

    out.extend(html_table_lines(results))
    floor = results.get("floor")
    if floor:
        add("-" * 78)
        add(f"Raw-SQL floor: {floor['workers']} workers ({floor['processes']} processes) → "
            f"{floor['placed']} orders in {floor['elapsed_s']} s = {floor['orders_per_s']} orders/s"
            f" · transaction p50/p95/p99 {floor['transaction_ms']['p50']}/"
            f"{floor['transaction_ms']['p95']}/{floor['transaction_ms']['p99']} ms")  # fmt: skip
        add(f"  refusals: {floor['rejections']} · application/floor = {results['floor_ratio']}")
        add("  CPU of the machine during the floor: " + cpu_text(floor["cpu"]))
    scaling = results.get("scaling")
    if scaling:
        add("-" * 78)
        add(f"{'orders':>7}{'lines':>8} │ {'producer':>9}{'per pickup':>11}{'customer':>9}"
            f"{'closing':>9} │ {'preparation':>12}   (seconds, queries)")  # fmt: skip
        for row in scaling:

            def cell(name, width, row=row):
                return f"{row[name]['seconds']:.3f}/{row[name]['queries']}".rjust(width)

            add(f"{row['orders']:>7}{row['lines']:>8} │ {cell('producer_totals', 9)}"
                f"{cell('producer_pickup_totals', 11)}{cell('customer_lines', 9)}"
                f"{cell('closing_summaries', 9)} │ {cell('preparation_lists', 12)}")  # fmt: skip
        if scaling[0]["closing_summaries"].get("database_s") is not None:
            add("database time (EXPLAIN ANALYZE of the same statements), seconds:")
            for row in scaling:
                add(f"{row['orders']:>7} orders: closing summaries "
                    f"{row['closing_summaries']['database_s']:.3f} · preparation lists "
                    f"{row['preparation_lists']['database_s']:.3f}")  # fmt: skip
        if "cpu_s" in scaling[0]["preparation_lists"]:
            add("this process's CPU (the database's apart), seconds:")
            for row in scaling:
                add(f"{row['orders']:>7} orders: closing summaries "
                    f"{row['closing_summaries']['cpu_s']:.3f} · preparation lists "
                    f"{row['preparation_lists']['cpu_s']:.3f}")  # fmt: skip
    product_import = results.get("product_import")
    if product_import:
        steps = ", ".join(
            f"{name} {step['seconds']} s/{step['queries']} q"
            for name, step in product_import["steps"].items()
        )
        add(f"Import of {product_import['lines']} product lines: {product_import['seconds']} s "
            f"({steps}) → {product_import['status']}, "
            f"{product_import['created']} created")  # fmt: skip
        if "reimport_unchanged_s" in product_import:
            add(f"  re-imported unchanged: {product_import['reimport_unchanged_s']} s "
                f"({product_import['reimport_unchanged_writes']} product writes); 1 % changed: "
                f"{product_import['reimport_changed_s']} s "
                f"({product_import['reimport_changed_updated']} updated, "
                f"{product_import['reimport_changed_writes']} product writes)")  # fmt: skip
    if results.get("dashboards"):
        from .dashboard import table_lines

        add("-" * 78)
        out.extend(table_lines(results["dashboards"]))
    out.extend(crawl_table(results))
    out.extend(ceiling_table(results))
    add("-" * 78)
    for name, target in results["targets"].items():
        met = {True: "met", False: "NOT met", None: "not measured"}[target["met"]]
        add(f"target {name:<24} {target['target']:<28} measured {_fmt(target['measured']):<10}"
            f" {met}")  # fmt: skip
    add("=" * 78)
    print("\n".join(out), flush=True)


def write_results(results: dict, output: Path, stamp: str) -> Path:
    output.mkdir(parents=True, exist_ok=True)
    text = json.dumps(results, indent=2, default=str) + "\n"
    (output / f"{stamp}.json").write_text(text)
    latest = output / "latest.json"
    latest.write_text(text)
    if peer_phases(results):
        # The last run beside the peer: the ceiling's budgets of a run without it read it.
        (output / "with-peer.json").write_text(text)
    return latest


# --- Main ----------------------------------------------------------------------------------------


def main(argv=None) -> int:
    args = parse_args(argv)
    started_at = datetime.now(UTC)
    stamp = started_at.strftime("%Y%m%d_%H%M%S")
    database = BenchDatabase(configured_database_url(), stamp)
    environment = server_environment(database)
    os.environ.update(environment)
    sys.path.insert(0, str(BASE_DIR))
    server = None
    results: dict = {
        "run": {
            "started_at": started_at.isoformat(timespec="seconds"),
            "quick": args.quick,
            "parameters": {
                "shoppers": args.shoppers,
                "seconds": args.seconds,
                "members": args.members,
                "workers": args.workers,
                "worker_class": args.worker_class,
                "threads": args.threads if args.worker_class == "gthread" else 1,
                "floor_seconds": args.floor_seconds,
                "scaling_sizes": args.sizes,
                "import_lines": args.import_lines,
                "dashboard_weeks": args.dashboard_weeks,
                "dashboard_orders": args.dashboard_orders,
                "crawl_runs": args.crawl_runs,
                "crawl_past_sales": args.crawl_past_sales,
                "seed": args.seed,
                "html_seconds": args.html_seconds,
                "html_shoppers": args.html_shoppers,
                "skip_html": args.skip_html,
                "peer_url": args.peer_url,
            },  # fmt: skip
            "server": f"gunicorn {args.worker_class} × {args.workers}"
            + (f" × {args.threads} threads" if args.worker_class == "gthread" else ""),
            "database_name": database.name,
        },
        "machine": machine(),
        "git": git_commit(),
    }
    log(f"database {database.name} ({'PostgreSQL' if database.postgres else 'SQLite'})")
    database.create()
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        from . import dashboard, floor, history, invariants, scaling
        from . import scenario as bench_scenario

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        results["database"] = database_info()
        log(f"migrated in {time.perf_counter() - started:.1f} s; seeding {args.members} members")
        started = time.perf_counter()
        scene = bench_scenario.seed(members=args.members, seed=args.seed)
        results["run"]["seed_s"] = round(time.perf_counter() - started, 2)
        connections.close_all()

        with tempfile.TemporaryDirectory(prefix="cabas-bench-") as work:
            work_dir = Path(work)
            server = Server(args, environment, work_dir / "gunicorn.log")
            log(f"starting {results['run']['server']} on {server.base_url}")
            server.start()
            log(f"rush: {args.shoppers} shoppers for {args.seconds:g} s (after a 3 s warm-up)")
            try:
                load, cpu = http_run(
                    args, scene, server, work_dir, database.name if database.postgres else ""
                )
            finally:
                server.stop()
            server_errors = server.errors()
        results["http"] = http_figures(load, cpu, args)
        results["http"]["server_errors"] = server_errors

        log("checking the invariants")
        results["invariants"] = invariants.check(
            sale=scene.sale, starting_shop_stock=bench_scenario.SHOP_STOCK, load=load
        )
        del load

        # --- The HTML rush (bench/html_rush.py): a server of the same settings, a fresh sale ---
        if not args.skip_html:
            from . import html_rush

            with tempfile.TemporaryDirectory(prefix="cabas-bench-html-") as work:
                results.update(
                    html_rush.html_run(
                        args, scene, environment, Path(work),
                        database.name if database.postgres else "",
                    )
                )  # fmt: skip
            connections.close_all()

        if database.postgres and not args.skip_floor:
            floor_sale = bench_scenario.sale_build(
                organisation=scene.organisation, title="Vente du plancher SQL", day_offset=3
            )
            plan = floor.plan_build(
                sale=floor_sale,
                user_ids=[member.user_id for member in scene.members],
                workers=args.shoppers,
                seconds=args.floor_seconds,
                seed=args.seed,
            )
            connections.close_all()
            log(f"raw-SQL floor: {args.shoppers} workers for {args.floor_seconds:g} s")
            watch = CpuWatch(postgres=lambda: postgres_pids(database.name))
            watch.start()
            results["floor"] = floor.run(plan, processes=CORES, before_close=watch.stop)
            # The workers' own CPU is known once they are done: add it to the reading.
            cpu = results["floor"].pop("before_close")
            workers_s = results["floor"].pop("client_cpu_s")
            cpu["cpu_s"]["floor_workers"] = workers_s
            cpu["cpu_s"]["other_processes"] = round(
                max(0.0, cpu["cpu_s"]["other_processes"] - workers_s), 2
            )
            for name in ("floor_workers", "other_processes"):
                cpu["share_of_machine"][name] = round(
                    cpu["cpu_s"][name] / (cpu["wall_s"] * CORES), 3
                )
            results["floor"]["cpu"] = cpu
            results["floor_invariants"] = invariants.check(
                sale=floor_sale, starting_shop_stock=bench_scenario.SHOP_STOCK
            )
            app, raw = results["http"]["orders_per_s"], results["floor"]["orders_per_s"]
            results["floor_ratio"] = round(app / raw, 3) if app and raw else None

        if not args.skip_scaling:
            log(f"scaling: closing summaries and preparation lists at {args.sizes} orders")
            results["scaling"] = scaling.summaries_scale(
                organisation=scene.organisation, sizes=args.sizes, seed=args.seed
            )
            log(f"scaling: import of {args.import_lines} product lines")
            results["product_import"] = scaling.product_import(
                organisation=scene.organisation, uploaded_by=scene.coordinator,
                lines=args.import_lines, seed=args.seed,
            )  # fmt: skip
        if database.postgres and not args.skip_dashboard:
            log(f"dashboards: generating {args.dashboard_weeks} weekly sales × "
                f"{args.dashboard_orders} orders in SQL")  # fmt: skip
            past = history.history_build(
                weeks=args.dashboard_weeks, orders_per_sale=args.dashboard_orders, seed=args.seed
            )
            log(f"dashboards: {past.orders} orders, {past.lines} lines in {past.seconds} s; timing")
            results["dashboards"] = dashboard.dashboards_time(past)
        crawl_step(args, database, results)
        results["database"] = database_info()
        connections.close_all()
    finally:
        if server is not None:
            server.stop()
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110, BLE001 (Django may not be set up: nothing to close)
            pass
        if args.keep:
            log(f"kept the database {database.url or database.sqlite_path}")
        else:
            database.drop()
    results["run"]["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    results["run"]["total_s"] = round((datetime.now(UTC) - started_at).total_seconds(), 1)
    ceiling_step(args, database, results)
    results["targets"] = targets_check(results)
    if results.get("crawl"):
        from .crawl import targets as crawl_targets

        results["targets"].update(crawl_targets(results["crawl"]))
    print_table(results)
    path = write_results(results, Path(args.output), stamp)
    shown = path.relative_to(BASE_DIR) if path.is_relative_to(BASE_DIR) else path
    log(f"results written to {shown}")
    violations = sum(
        (results.get(name) or {}).get("violations", 0)
        for name in ("invariants", "floor_invariants", "html_invariants")
    )
    if violations:
        print(f"INVARIANTS VIOLATED: {violations}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
