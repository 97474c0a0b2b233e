"""Every URL pattern of Cabas, for every kind of visitor.

Personas: anonymous; member, producer, volunteer, coordinator and supply-team member of
organisation A; and the
coordinator of organisation B ("outsider"). Each row says what status each persona gets.
Adding a URL pattern without a row here makes ``test_every_url_pattern_is_in_the_matrix`` fail.
"""

import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cabas.core.tests.matrix import PERSONAS, Row

# URL names that are not Cabas pages, with the reason they are left out of the matrix.
EXEMPT_PREFIXES = {
    "admin:": "Django admin: staff only, guarded by Django's admin site",
    "account_": "django-allauth account pages: public by design, covered by accounts tests",
    "set_language": "Django's language switcher: public POST",
    "anymail:": (
        "the e-mail provider's webhooks (django-anymail): no person visits them; a POST"
        " without the basic-auth ANYMAIL_WEBHOOK_SECRET is refused (400), covered by"
        " cabas/notifications/tests/test_provider_webhooks.py"
    ),
}


def _gather_rows() -> dict[str, Row]:
    """Every app's ``tests/permission_rows.py`` ROWS, merged (a name listed twice is an error)."""
    rows: dict[str, Row] = {}
    for app_dir in sorted(Path(settings.BASE_DIR, "cabas").iterdir()):
        if not (app_dir / "tests" / "permission_rows.py").exists():
            continue
        module = importlib.import_module(f"cabas.{app_dir.name}.tests.permission_rows")
        duplicated = set(rows) & set(module.ROWS)
        assert not duplicated, f"listed twice in the permission matrix: {duplicated}"
        rows.update(module.ROWS)
    return rows


MATRIX = _gather_rows()


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from _walk(pattern.url_patterns, prefix + namespace)
        elif isinstance(pattern, URLPattern):
            yield prefix, pattern.name, pattern


def _project_url_names():
    names = set()
    unnamed = []
    for prefix, short_name, pattern in _walk(get_resolver().url_patterns):
        if any(prefix.startswith(exempt) for exempt in EXEMPT_PREFIXES):
            continue
        if short_name is None:
            if "media" in str(pattern.pattern) or "static" in str(pattern.pattern):
                continue
            unnamed.append(str(pattern.pattern))
            continue
        name = prefix + short_name
        if any(name.startswith(prefix) for prefix in EXEMPT_PREFIXES):
            continue
        names.add(name)
    return names, unnamed


def test_every_url_pattern_is_in_the_matrix():
    names, unnamed = _project_url_names()
    assert unnamed == [], "every Cabas URL pattern needs a name to be in the matrix"
    missing = sorted(names - set(MATRIX))
    assert missing == [], f"URL patterns without a row in the permission matrix: {missing}"
    stale = sorted(set(MATRIX) - names)
    assert stale == [], f"rows for URL patterns that no longer exist: {stale}"


def test_matrix_detects_an_unlisted_pattern(monkeypatch):
    """The guard above really fails when a new pattern is added without a row."""
    from django.urls import clear_url_caches, path

    import config.urls

    extra = path("o/<slug:slug>/secret/", lambda request, slug: None, name="unlisted_page")
    monkeypatch.setattr(config.urls, "urlpatterns", [*config.urls.urlpatterns, extra])
    clear_url_caches()
    try:
        names, _ = _project_url_names()
        assert "unlisted_page" in names - set(MATRIX)
    finally:
        monkeypatch.undo()
        clear_url_caches()


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_permission_matrix(name, world, client):
    row = MATRIX[name]
    url = reverse(name, kwargs=row.kwargs(world))
    secrets_of_a = [world.users[p].email for p in ("member", "producer", "volunteer")]
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(world.users[persona])
        response = getattr(client, row.method)(url, row.data(world))
        assert response.status_code == row.expect[persona], (
            f"{name} as {persona}: got {response.status_code}, expected {row.expect[persona]}"
        )
        if persona in ("outsider", "anonymous"):
            body = response.content.decode(errors="replace")
            for secret in secrets_of_a:
                assert secret not in body, f"{name} leaks {secret} to {persona}"
