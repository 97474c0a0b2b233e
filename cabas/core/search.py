"""Search text that ignores accents, case and the French plural, the same on SQLite and
PostgreSQL: the text searched is kept normalised in a column (written by the service that
writes the row) and each word of the query is normalised the same way, then matched as the
start of a word of that column. No database extension is needed."""

from __future__ import annotations

import re
import unicodedata

# Letters that are not accented letters but two letters joined (NFKD does not split them).
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})
WORD = re.compile(r"[a-z0-9]+")
# A plural "s" or "x" is dropped from words of five letters or more ("oeufs", "pommes",
# "choux"); shorter words keep it, so that "pois" does not become "poi" and find "poire".
PLURAL_MIN_LENGTH = 5


# The one length of a search box's text: longer is a paste gone wrong, and cut there.
QUERY_MAX_LENGTH = 100


def search_query(request, name: str = "q") -> str:
    """The search a page's query string asks for (``?q=``), spaces trimmed, cut at
    ``QUERY_MAX_LENGTH``; forms that read it declare that ``max_length``."""
    return request.GET.get(name, "").strip()[:QUERY_MAX_LENGTH]


def _fold(word: str) -> str:
    if len(word) >= PLURAL_MIN_LENGTH and word[-1] in "sx":
        return word[:-1]
    return word


def search_words(text: str) -> list[str]:
    """The words of ``text`` in lower case, without accents, ligatures split, plural folded:
    "Œufs frais" → ["oeuf", "frai"], "Chèvre" → ["chevre"]."""
    text = unicodedata.normalize("NFKD", text.lower().translate(LIGATURES))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return [_fold(word) for word in WORD.findall(text)]


def search_text(*parts: str) -> str:
    """The column's value: every word of ``parts``, normalised, each preceded by a space so
    that a query word is matched at the start of a word (``contains(" " + word)``)."""
    words = [word for part in parts if part for word in search_words(part)]
    return "".join(f" {word}" for word in words)
