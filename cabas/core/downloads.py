"""How a downloaded file is named in its ``Content-Disposition`` header."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# What a file name keeps in its ASCII fallback: letters, digits, dot, dash, underscore.
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_file_name(file_name: str) -> str:
    """The name without accents nor anything a header or a file system could take for
    syntax ("Reçu « été ».pdf" → "Recu-ete-.pdf"); "download" when nothing is left."""
    plain = unicodedata.normalize("NFKD", file_name).encode("ascii", "ignore").decode("ascii")
    return UNSAFE.sub("-", plain).strip("-") or "download"


def content_disposition(file_name: str, *, inline: bool = False) -> str:
    """The header a download is sent with: the name as it is (RFC 5987 ``filename*``, UTF-8)
    when it is not plain ASCII, always with an ASCII ``filename`` every browser reads."""
    kind = "inline" if inline else "attachment"
    fallback = ascii_file_name(file_name)
    if fallback == file_name:
        return f'{kind}; filename="{fallback}"'
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(file_name, safe='')}"
