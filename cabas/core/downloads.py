"""How a downloaded file is named in its ``Content-Disposition`` header: Django's own
header (``content_disposition_header``: a plain ASCII name quoted, any other as RFC 5987
``filename*`` in UTF-8, so quotes, line breaks and semicolons in a name stay inside it)."""

from __future__ import annotations

from django.utils.http import content_disposition_header


def content_disposition(file_name: str, *, inline: bool = False) -> str:
    """The header a download is sent with (shown in the browser with ``inline``)."""
    return content_disposition_header(not inline, file_name)
