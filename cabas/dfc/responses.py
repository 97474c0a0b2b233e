"""How every DFC API view answers: JSON documents, and refusals as a JSON problem body.

A refusal is ``{"error": {"code", "message"}}`` with the HTTP status of its cause, plus
``"node"`` (the ``@id`` or type of the node at fault) and ``"property"`` (the DFC property,
prefixed) when a received document is at fault. ``dfc_api`` wraps a view: it resolves the
published organisation (404 otherwise), runs the view in the organisation's time zone and
language (``organisation_context``, the one place) and turns any ``DfcError`` it raises into
that body, so a view only says what it answers.
"""

from __future__ import annotations

import json
from functools import wraps

from django.http import HttpRequest, HttpResponse

from cabas.orgs.context import organisation_context

from . import selectors
from .errors import DfcError

CONTENT_TYPE = "application/json; charset=utf-8"  # what OFN's 1.16.0 answers say


def json_response(document: dict, status: int = 200, content_type: str = CONTENT_TYPE):
    body = json.dumps(document, ensure_ascii=False)
    return HttpResponse(body, status=status, content_type=content_type)


def error_response(
    code: str, message: str, status: int, *, node: str = "", prop: str = ""
) -> HttpResponse:
    error = {"code": code, "message": str(message)}
    if node:
        error["node"] = node
    if prop:
        error["property"] = prop
    # A refusal may echo what was received: its markup characters go out as \u escapes (the
    # same JSON once parsed), so no byte of it reads as HTML even if sniffed or pasted.
    body = json.dumps({"error": error}, ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        body = body.replace(char, escaped)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPE)


def refusal(error: DfcError) -> HttpResponse:
    """A ``DfcError`` as its problem body (raise it with ``node=`` and ``property=`` params to
    name where a received document is wrong)."""
    return error_response(
        error.code,
        str(error),
        error.status,
        node=str(error.params.get("node", "")),
        prop=str(error.params.get("property", "")),
    )


def dfc_api(view):
    """Resolve ``slug`` to the published organisation (passed as ``organisation``), run the
    view in its context, answer a ``DfcError`` as a JSON problem."""

    @wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs):
        organisation = selectors.published_organisation(slug=slug)
        if organisation is None:
            return error_response("not_found", "No such organisation.", 404)
        with organisation_context(organisation):
            try:
                return view(request, organisation=organisation, slug=slug, **kwargs)
            except DfcError as error:
                return refusal(error)

    return wrapper
