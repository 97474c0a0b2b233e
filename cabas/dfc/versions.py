"""The two forms Cabas publishes DFC in, and the one place a request picks one.

DFC 1.16.0 is the default (what OFN's v1 answers are: ``application/json``, the 1.16.0 context).
A request whose ``Accept`` names ``profile="dfc-v2"`` (as OFN's clients ask) gets 2.0.0:
``application/ld+json; profile="dfc-v2"``, the 2.0.0 context, ``dfc-b:Organization`` for an
enterprise and lists in an ``ldp:Container``. ``profile="dfc-v1"`` names 1.16.0; any other
profile is a 406 listing the known ones. Both forms use the same node ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from . import vocabulary, vocabulary_v2
from .errors import DfcError
from .loader import CONTEXT_1_16, CONTEXT_2_0
from .responses import json_response

_PROFILE = re.compile(r"""\bprofile="?([^";,\s]+)""")


@dataclass(frozen=True, eq=False)  # compared by identity: one object per version
class Version:
    name: str
    profile: str
    context_url: str
    content_type: str
    prefixes: dict
    enterprise_class: str  # compact: "dfc-b:Enterprise"
    containers: bool  # lists are ldp:Containers

    def context(self, *, ldp: bool = False) -> str | list:
        """The ``@context`` of a document; ``ldp`` when it holds a container."""
        if ldp and self.containers:
            return [self.context_url, {"ldp": vocabulary_v2.LDP}]
        return self.context_url

    def namespace(self, prefix: str) -> str:
        return self.prefixes[prefix]


V1_16 = Version(
    name="1.16.0",
    profile="dfc-v1",
    context_url=CONTEXT_1_16,
    content_type="application/json; charset=utf-8",  # what OFN's 1.16.0 answers say
    prefixes=vocabulary.PREFIXES,
    enterprise_class="dfc-b:Enterprise",
    containers=False,
)
V2_0 = Version(
    name="2.0.0",
    profile="dfc-v2",
    context_url=CONTEXT_2_0,
    content_type='application/ld+json; profile="dfc-v2"',  # what OFN's 2.0.0 answers say
    prefixes=vocabulary_v2.PREFIXES,
    enterprise_class="dfc-b:Organization",
    containers=True,
)
VERSIONS = (V1_16, V2_0)
BY_PROFILE = {version.profile: version for version in VERSIONS}


class NotAcceptable(DfcError):
    code = "not_acceptable"
    status = 406
    default_message = _(
        "The profile %(profile)s is not published. Known profiles: %(known)s (none: DFC 1.16.0)."
    )


def negotiate(request: HttpRequest) -> Version:
    """The version the request's ``Accept`` asks for (1.16.0 without a profile)."""
    match = _PROFILE.search(request.headers.get("Accept", ""))
    if match is None:
        return V1_16
    version = BY_PROFILE.get(match.group(1))
    if version is None:
        raise NotAcceptable(profile=match.group(1), known=", ".join(BY_PROFILE))
    return version


def answer(document: dict, version: Version) -> HttpResponse:
    """``document`` with the content type of ``version``; caches keep one per ``Accept``."""
    response = json_response(document, content_type=version.content_type)
    response["Vary"] = "Accept"
    return response
