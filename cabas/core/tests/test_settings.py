"""Settings come from the environment; production settings pass Django's deploy checks."""

import os
import subprocess
import sys

from django.conf import settings
from django.db import connection

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k8#Qz1v$T0pLw9@xR4mN7bY2cF5hJ3sD6gA8eU1iO0pZ9yX4wV7tS2rQ5nM3kL6jH",
    "ALLOWED_HOSTS": "cabas.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://cabas.example.org",
    "EMAIL_MODE": "smtp",
    "EMAIL_HOST": "smtp.example.org",
}


def _manage(*args, env):
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests for their own process only.
    dropped = {*PRODUCTION_ENV, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_settings_pass_check_deploy():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_fail_check_deploy():
    """The insecure development defaults are caught by the same check (so the test above
    really tests something)."""
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env={"DEBUG": "true"})
    assert result.returncode != 0


def test_defaults_are_french_and_paris_time():
    assert settings.LANGUAGE_CODE == "fr"
    assert settings.TIME_ZONE == "Europe/Paris"
    assert settings.USE_TZ is True


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db):
    if connection.vendor != "sqlite":
        return  # PostgreSQL run: nothing SQLite-specific to check
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
        cursor.execute("PRAGMA journal_mode")
        # The test database lives in memory, where SQLite reports "memory"; the file database
        # of `make run` is checked by test_file_database_uses_wal below.
        assert cursor.fetchone()[0] in ("wal", "memory")


def test_file_database_uses_wal(tmp_path):
    path = tmp_path / "cabas.sqlite3"
    result = _manage(
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
        env={"SQLITE_PATH": str(path), "DATABASE_URL": ""},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "wal"


def test_database_url_selects_postgresql():
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'])",
        env={"DATABASE_URL": "postgres://cabas@db.example.org:5432/cabas_prod"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "django.db.backends.postgresql cabas_prod db.example.org"
    )
