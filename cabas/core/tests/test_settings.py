"""Settings come from the environment; production settings pass Django's deploy checks."""

import os
import secrets
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k8#Qz1v$T0pLw9@xR4mN7bY2cF5hJ3sD6gA8eU1iO0pZ9yX4wV7tS2rQ5nM3kL6jH",
    "ALLOWED_HOSTS": "cabas.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://cabas.example.org",
    "SITE_URL": "https://cabas.example.org",
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


@pytest.mark.parametrize(
    "key",
    [
        None,  # the development default, public in this repository
        "change-me-to-a-long-random-string-of-at-least-50-characters",  # .env.example's
        "django-insecure-" + "q7Zt2Lw9" * 7,
        "q7Zt2Lw9Xr4",  # too short
        "ab" * 30,  # too few characters
    ],
)
def test_production_refuses_to_start_with_a_known_or_weak_secret_key(key):
    """A forged session or password-reset link needs only the key: with DEBUG off, the server
    (and every command) stops at once instead of running with a key anyone can read."""
    env = {name: value for name, value in PRODUCTION_ENV.items() if name != "SECRET_KEY"}
    if key is not None:
        env["SECRET_KEY"] = key
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "DEBUG=false needs a SECRET_KEY of your own" in result.stderr
    # The same settings with a key of one's own start.
    assert _manage("check", env=PRODUCTION_ENV).returncode == 0


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


def test_postgresql_compiles_no_query_just_in_time(db):
    """PostgreSQL's JIT spent 0.7 s compiling a 75 ms list of balances: off for this site's
    connections (POSTGRES_JIT=true turns it back on)."""
    if connection.vendor != "postgresql":
        return  # SQLite run: no JIT
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


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


def _shell(code: str, env: dict) -> str:
    result = _manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_default_cache_is_the_database_shared_by_every_process(tmp_path):
    """Without REDIS_URL the cache (where the login rate limits count) is a table that
    `migrate` makes: what one process writes, another reads."""
    key = f"shared-{secrets.token_hex(4)}"
    env = {"REDIS_URL": "", "DATABASE_URL": "", "SQLITE_PATH": str(tmp_path / "db.sqlite3")}
    migrated = _manage("migrate", "accounts", "--noinput", "-v", "0", env=env)
    assert migrated.returncode == 0, migrated.stdout + migrated.stderr

    backend = _shell("from django.conf import settings; print(settings.CACHES['default'])", env)
    _shell(f"from django.core.cache import cache; cache.set({key!r}, 'seen', 60); print(1)", env)
    read = _shell(f"from django.core.cache import cache; print(cache.get({key!r}))", env)

    assert "'BACKEND': 'django.core.cache.backends.db.DatabaseCache'" in backend
    assert "'LOCATION': 'cabas_cache'" in backend
    assert read == "seen"


def test_the_test_database_has_the_cache_table(db):
    from django.core.cache import caches

    if settings.CACHES["default"]["BACKEND"] != "django.core.cache.backends.db.DatabaseCache":
        pytest.skip("REDIS_URL is set: the cache is Redis")
    caches["default"].set("probe", "here", 60)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM cabas_cache")
        assert cursor.fetchone()[0] == 1


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_answers(), reason="no Redis on 127.0.0.1:6379")
def test_redis_url_selects_redis_shared_by_every_process():
    key = f"shared-{secrets.token_hex(4)}"
    env = {"REDIS_URL": "redis://127.0.0.1:6379/0", "CACHE_KEY_PREFIX": secrets.token_hex(8)}

    backend = _shell("from django.conf import settings; print(settings.CACHES['default'])", env)
    _shell(f"from django.core.cache import cache; cache.set({key!r}, 'seen', 60); print(1)", env)
    read = _shell(
        f"from django.core.cache import cache; print(cache.get({key!r})); cache.delete({key!r})",
        env,
    )

    assert "'BACKEND': 'django.core.cache.backends.redis.RedisCache'" in backend
    assert read == "seen"


def test_trusted_proxy_count_comes_from_the_environment():
    env = {"TRUSTED_PROXY_COUNT": "1"}
    code = (
        "from allauth import app_settings as a; "
        "print(a.TRUSTED_PROXY_COUNT, a.TRUSTED_CLIENT_IP_HEADER)"
    )
    assert _shell(code, {}) == "0 None"  # no proxy: the connection's address
    assert _shell(code, env) == "1 None"
    assert _shell(code, {"TRUSTED_CLIENT_IP_HEADER": "X-Real-IP"}) == "0 X-Real-IP"


def test_production_language_cookie_is_secure_httponly_and_same_site():
    """The language switcher's cookie, as a production server sets it over HTTPS."""
    code = (
        "from django.test import Client; "
        "r = Client(HTTP_HOST={host!r}).post("
        "'/i18n/setlang/', {{'language': 'en', 'next': '/'}}, secure={secure}); "
        "c = r.cookies['django_language']; "
        "print(r.status_code, c.value, bool(c['secure']), bool(c['httponly']), c['samesite'])"
    )
    production = code.format(host="cabas.example.org", secure=True)
    assert _shell(production, PRODUCTION_ENV) == "302 en True True Lax"
    # In development (plain HTTP) the cookie could not be Secure.
    development = code.format(host="127.0.0.1", secure=False)
    assert _shell(development, {"DEBUG": "true"}) == "302 en False False"


def test_production_csrf_and_session_cookies_are_secure_httponly_and_same_site():
    """In production the CSRF and session cookies are never sent over plain HTTP nor readable
    by a script (forms carry the CSRF token; no script of ours reads the cookie)."""
    code = (
        "from django.conf import settings as s; "
        "print(s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.CSRF_COOKIE_SAMESITE, "
        "s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)"
    )
    assert _shell(code, PRODUCTION_ENV) == "True True Lax True True Lax"
