"""Every URL pattern of Cabas, for every kind of visitor.

Personas: anonymous; member, producer, volunteer and coordinator of organisation A; and the
coordinator of organisation B ("outsider"). Each row says what status each persona gets.
Adding a URL pattern without a row here makes ``test_every_url_pattern_is_in_the_matrix`` fail.
"""

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

PERSONAS = ("anonymous", "member", "producer", "volunteer", "coordinator", "outsider")

# URL names that are not Cabas pages, with the reason they are left out of the matrix.
EXEMPT_PREFIXES = {
    "admin:": "Django admin: staff only, guarded by Django's admin site",
    "account_": "django-allauth account pages: public by design, covered by tests/accounts",
    "mfa_": "django-allauth",
    "set_language": "Django's language switcher: public POST",
}

LOGIN = 302  # anonymous visitors of a private page are sent to the login page


def statuses(anonymous, member, producer, volunteer, coordinator, outsider):
    return {
        "anonymous": anonymous,
        "member": member,
        "producer": producer,
        "volunteer": volunteer,
        "coordinator": coordinator,
        "outsider": outsider,
    }


@dataclass
class Row:
    expect: dict[str, int]
    kwargs: Any = field(default_factory=lambda: lambda world: {})
    method: str = "get"
    data: Any = field(default_factory=lambda: lambda world: {})


def slug_a(world):
    return {"slug": world.org_a.slug}


MATRIX: dict[str, Row] = {
    "home": Row(statuses(200, 302, 302, 302, 302, 302)),
    "profile": Row(statuses(LOGIN, 200, 200, 200, 200, 200)),
    "orgs:public": Row(statuses(200, 200, 200, 200, 200, 200), kwargs=slug_a),
    "orgs:join": Row(statuses(LOGIN, 302, 302, 302, 302, 302), kwargs=slug_a, method="post"),
    "orgs:member_home": Row(statuses(LOGIN, 200, 200, 200, 200, 404), kwargs=slug_a),
}


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
