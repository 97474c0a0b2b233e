"""One English string has one French text across the project's catalogues.

Django merges every app's catalogue into one: for the same msgid (and msgctxt), the app listed
first in INSTALLED_APPS wins everywhere, so a page would show another app's word ("terminée"
for a producer who left, "annulée" for a cancelled shift). Where two apps mean different things,
the source strings carry a context (pgettext, ``{% translate "x" context "y" %}``).
"""

import ast
import re
from collections import defaultdict
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")\s*$')


def _catalogues() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.glob("**/locale/fr/LC_MESSAGES/django.po"))
        if ".venv" not in path.parts and "node_modules" not in path.parts
    ]


def _entries(po_text: str) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """(msgctxt, msgid) -> msgstr forms, for the entries compilemessages keeps."""
    entries = {}
    for block in po_text.split("\n\n"):
        if "#, fuzzy" in block:
            continue
        fields: dict[str, str] = {}
        current = None
        for line in block.splitlines():
            if match := KEYWORD.match(line):
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
            else:
                current = None
        if not fields.get("msgid"):
            continue  # header or obsolete entry
        forms = tuple(value for key, value in sorted(fields.items()) if key.startswith("msgstr"))
        entries[(fields.get("msgctxt"), fields["msgid"])] = forms
    return entries


def test_entries_are_read_with_their_context_and_continued_lines():
    text = (
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgctxt "shift"\nmsgid "cancelled"\nmsgstr "annulé"\n\n'
        'msgid ""\n"two "\n"lines"\nmsgstr ""\n"deux "\n"lignes"\n\n'
        '#, fuzzy\nmsgid "left"\nmsgstr "parti"\n'
    )
    assert _entries(text) == {
        ("shift", "cancelled"): ("annulé",),
        (None, "two lines"): ("deux lignes",),
    }


def test_no_english_string_has_two_french_texts_across_apps():
    catalogues = _catalogues()
    assert len(catalogues) > 1, "the apps' French catalogues were not found"
    texts: dict[tuple[str | None, str], dict[tuple[str, ...], list[str]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for path in catalogues:
        name = str(path.relative_to(ROOT).parents[2])
        for key, forms in _entries(path.read_text(encoding="utf-8")).items():
            texts[key][forms].append(name)
    conflicts = [
        f"msgctxt={context!r} msgid={msgid!r}: "
        + "; ".join(f"{' / '.join(forms)!r} in {', '.join(apps)}" for forms, apps in found.items())
        for (context, msgid), found in sorted(texts.items(), key=lambda item: str(item[0]))
        if len(found) > 1
    ]
    assert not conflicts, "give one French text, or a context (pgettext):\n" + "\n".join(conflicts)
