"""French is the default language: every catalogue of the project must be complete.

English is the source language of the code, so it is complete by construction.
"""

import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

ROOT = Path(settings.BASE_DIR)


def _catalogues():
    for path in sorted(ROOT.glob("**/locale/fr/LC_MESSAGES/django.po")):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        yield path


def _untranslated(po_text: str) -> list[str]:
    problems = []
    for block in po_text.split("\n\n"):
        lines = block.strip().splitlines()
        if not lines or "Project-Id-Version" in block:
            continue
        ids = [line for line in lines if line.startswith(("msgid", "msgstr", '"'))]
        text = "\n".join(ids)
        if "#, fuzzy" in block:
            problems.append("fuzzy: " + text[:80])
            continue
        for match in re.finditer(r'^(msgstr(?:\[\d\])?) ""$', text, re.M):
            # an empty msgstr is complete only when continued on the next lines
            rest = text[match.end() :].lstrip("\n")
            if not rest.startswith('"'):
                problems.append(text.splitlines()[0][:80])
                break
    return problems


def test_every_french_catalogue_is_complete():
    catalogues = list(_catalogues())
    assert catalogues, "no French catalogue found"
    problems = {
        str(path.relative_to(ROOT)): found
        for path in catalogues
        if (found := _untranslated(path.read_text(encoding="utf-8")))
    }
    assert problems == {}, f"untranslated or fuzzy French strings: {problems}"


def test_order_is_a_noun_or_a_button_each_with_its_french():
    # One English word, two French ones: the first app's catalogue would otherwise win everywhere.
    with translation.override("fr"):
        assert translation.pgettext("noun", "Order") == "Commande"
        assert translation.pgettext("button", "Order") == "Commander"


def test_french_is_active_by_default_and_english_available(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert '<html lang="fr">' in response.content.decode()
    with translation.override("fr"):
        assert translation.gettext("Log in") == "Se connecter"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()
