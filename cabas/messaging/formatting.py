"""A message's text with simple formatting (CommonMark through markdown-it-py): bold,
italics, lists, links, paragraphs. Raw HTML in the text is shown as typed, never run
(``html`` off), and links other than http(s)/mailto are refused by the parser's own check."""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# One new line is a line break, as people type on a phone; an address written out
# (https://…, www.…) is a link (linkify-it-py), as is [text](https://…); an image is a link too
# (no remote picture in an e-mail).
_parser = (
    MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": True})
    .enable("linkify")
    .disable("image")
)


def message_html(text: str) -> SafeString:
    """The HTML of a message's text: escaped by the parser (``html`` off), hence safe."""
    return mark_safe(_parser.render(text or ""))  # noqa: S308 - markdown-it escapes the text
