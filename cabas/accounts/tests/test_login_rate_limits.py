"""Failed logins are counted once for all web processes, and per real client behind a proxy.

Each test starts the real server — gunicorn, 3 worker processes, the project's settings with
the rate limits on — against a database of its own kind (the PostgreSQL test database when
DATABASE_URL is set, a migrated SQLite file otherwise), and logs in over HTTP as a browser
would: the login page first for the CSRF cookie, then the form. The access log names the
process that answered each request, so the tests also show that several processes did."""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from cabas.accounts.tests.factories import PASSWORD

# The servers are other processes, on the real clock: the test's rows follow it too.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.real_clock]

WORKERS = 3
# allauth's defaults (settings.ACCOUNT_RATE_LIMITS leaves them): failed logins, 5 per
# 5 minutes per account ("key") and 10 per minute per client address.
FAILURES_PER_ACCOUNT = 5
FAILURES_PER_ADDRESS = 10

CHECKED = "The email address and/or password you specified are not correct."
REFUSED = "Too many failed login attempts. Try again later."


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_environment(tmp_path_factory) -> dict[str, str]:
    if connection.vendor == "postgresql":
        # The test database pytest-django made (and drops at the end).
        db = connection.settings_dict
        credentials = urllib.parse.quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            credentials += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
        url = f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
        return {"DATABASE_URL": url}
    # pytest's SQLite database lives in this process's memory: the server gets a copy of it
    # (migrated, cache table included) in a file.
    path = tmp_path_factory.mktemp("login-db") / "cabas.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    copy.close()
    return {"DATABASE_URL": "", "SQLITE_PATH": str(path)}


@pytest.fixture(scope="module")
def server_environment(tmp_path_factory, django_db_setup, django_db_blocker):
    """The settings of the server: production's cache and rate limits, DEBUG on only so that
    static files need no collectstatic. A cache key prefix of its own keeps each test run
    apart in a cache that outlives it."""
    dropped = {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "TRUSTED_CLIENT_IP_HEADER"}
    environment = {k: v for k, v in os.environ.items() if k not in dropped}
    with django_db_blocker.unblock():
        database = _database_environment(tmp_path_factory)
    environment.update(
        {
            **database,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "true",
            "ACCOUNT_RATE_LIMITS": "true",
            "TRUSTED_PROXY_COUNT": "0",
            "EMAIL_MODE": "file",
            "EMAIL_FILE_PATH": str(tmp_path_factory.mktemp("login-mail")),
            "LOG_LEVEL": "WARNING",
        }
    )
    return environment


def _manage(arguments: list[str], environment: dict[str, str]) -> str:
    result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _members_create(environment: dict[str, str], *emails: str) -> None:
    """Verified accounts with the test password. Its hash has few PBKDF2 rounds (the server
    checks a hash with the rounds written in it) so that the tests spend their time on
    requests, not on hashing."""
    script = (
        "from allauth.account.models import EmailAddress\n"
        "from django.contrib.auth.hashers import PBKDF2PasswordHasher\n"
        "from cabas.accounts.models import User\n"
        f"password = PBKDF2PasswordHasher().encode({PASSWORD!r}, 'cabas-test-salt', 1000)\n"
        f"for email in {list(emails)!r}:\n"
        "    user = User.objects.create(email=email, password=password)\n"
        "    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)\n"
    )
    _manage(["shell", "-c", script], environment)


@contextmanager
def _gunicorn(environment: dict[str, str], log_dir: Path):
    port = _free_port()
    access_log = log_dir / "access.log"
    error_log = log_dir / "error.log"
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi",
        "--workers", str(WORKERS), "--worker-class", "sync", "--bind", f"127.0.0.1:{port}",
        "--timeout", "60", "--access-logfile", str(access_log),
        # The process id of the worker that answered, the method, path and status.
        "--access-logformat", "%(p)s %(m)s %(U)s %(s)s", "--error-logfile", str(error_log),
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command, cwd=settings.BASE_DIR, env=environment, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, error_log.read_text()
            try:
                connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection_.request("GET", "/accounts/login/")
                if connection_.getresponse().status == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "gunicorn did not answer within 60 s"
            time.sleep(0.2)
        yield port, access_log
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: the master and its workers
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


class _Visitor:
    """A browser (behind a proxy when ``forwarded_for`` is given): it opens the login page
    once for its CSRF cookie, then sends the form as often as asked."""

    def __init__(self, port: int, forwarded_for: str | None = None):
        self.port = port
        self.headers = {"Accept-Language": "en"}
        if forwarded_for:
            self.headers["X-Forwarded-For"] = forwarded_for
        page = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        page.request("GET", "/accounts/login/", headers=self.headers)
        response = page.getresponse()
        response.read()
        cookies = SimpleCookie()
        for header in response.msg.get_all("Set-Cookie") or []:
            cookies.load(header)
        self.token = cookies["csrftoken"].value

    def log_in(self, email: str, password: str, forwarded_for: str | None = None) -> str:
        """ "checked" (the password was tried, and was wrong), "refused" (not tried: too many
        failures), or "logged in"."""
        headers = {
            **self.headers,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={self.token}",
        }
        if forwarded_for:
            headers["X-Forwarded-For"] = forwarded_for
        form = {"login": email, "password": password, "csrfmiddlewaretoken": self.token}
        post = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        post.request("POST", "/accounts/login/", urllib.parse.urlencode(form), headers)
        response = post.getresponse()
        body = response.read().decode()
        if response.status == 302:
            return "logged in"
        if response.status == 429 or (response.status == 200 and REFUSED in body):
            return "refused"
        if response.status == 200 and CHECKED in body:
            return "checked"
        raise AssertionError(f"unexpected answer {response.status}: {body[:2000]}")


def _api_token_status(port: int, email: str, password: str) -> int:
    api = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    body = json.dumps({"email": email, "password": password})
    api.request("POST", "/api/v1/auth/token", body, {"Content-Type": "application/json"})
    response = api.getresponse()
    response.read()
    return response.status


def _answering_processes(access_log: Path) -> set[str]:
    lines = access_log.read_text().splitlines()
    return {line.split()[0] for line in lines if re.match(r"<\d+> POST /accounts/login/ ", line)}


def test_thirty_wrong_passwords_on_three_processes_are_refused_after_the_limit(
    server_environment, tmp_path
):
    """30 wrong passwords for one account, three at a time (so that the three processes
    answer): only the first 5 are tried, the rest refused, and then the right password too."""
    email = f"marie-{secrets.token_hex(4)}@example.org"
    environment = {**server_environment, "CACHE_KEY_PREFIX": secrets.token_hex(8)}
    _members_create(environment, email)

    with _gunicorn(environment, tmp_path) as (port, access_log):
        visitor = _Visitor(port)
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            answers = list(pool.map(lambda n: visitor.log_in(email, f"mauvais-{n}"), range(30)))
        right_password = visitor.log_in(email, PASSWORD)
        api_right_password = _api_token_status(port, email, PASSWORD)

    assert answers.count("checked") == FAILURES_PER_ACCOUNT
    assert answers.count("refused") == 30 - FAILURES_PER_ACCOUNT
    assert right_password == "refused"
    assert api_right_password == 429  # the API's token counts on the same account
    assert len(_answering_processes(access_log)) >= 2


def test_behind_a_proxy_each_client_is_limited_by_its_own_address(server_environment, tmp_path):
    """With TRUSTED_PROXY_COUNT=1 the client is the address the proxy appended to
    X-Forwarded-For. An attacker trying many accounts is stopped after 10 failures — even
    putting a new address of their own choosing in front at each attempt — while another
    member, through the same proxy, logs in."""
    member = f"camille-{secrets.token_hex(4)}@example.org"
    environment = {
        **server_environment,
        "CACHE_KEY_PREFIX": secrets.token_hex(8),
        "TRUSTED_PROXY_COUNT": "1",
    }
    victims = [f"victim-{n}-{secrets.token_hex(4)}@example.org" for n in range(30)]
    _members_create(environment, member, *victims)
    attacker = "203.0.113.7"

    def attempt(n: int) -> str:
        # What the proxy passes on: a hop the attacker forged, then the real address.
        return intruder.log_in(victims[n], "mauvais", forwarded_for=f"198.51.100.{n}, {attacker}")

    with _gunicorn(environment, tmp_path) as (port, access_log):
        intruder = _Visitor(port, forwarded_for=attacker)
        # Three at a time, so that several processes answer (one after the other, one
        # process may take them all) and share the count.
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            answers = list(pool.map(attempt, range(30)))
        attacker_with_the_right_password = intruder.log_in(member, PASSWORD)
        other_member = _Visitor(port, forwarded_for="192.0.2.44").log_in(member, PASSWORD)

    assert answers.count("checked") == FAILURES_PER_ADDRESS
    assert answers.count("refused") == 30 - FAILURES_PER_ADDRESS
    assert attacker_with_the_right_password == "refused"
    assert other_member == "logged in"
    assert len(_answering_processes(access_log)) >= 2
