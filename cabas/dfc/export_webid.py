"""The platform's WebID (``/api/dfc/webid``): where another DFC platform learns what Cabas is.

As the DFC's "data storage and discovery" specification describes a platform WebID, and as
OFN publishes its own: a profile document (``foaf:PersonalProfileDocument``) whose primary
topic, ``<webid>#me``, is the platform, a ``dfc-t:Platform`` and ``foaf:Agent`` with its name
and the DFC versions it answers in (``dfc-t:supportedOntologyVersion``, one value per version).

Only facts: no ``dfc-t:hasIdentityService`` (Cabas has no OpenID Connect provider configured),
no list of enterprises (the technical ontology has no property for "hosts this organisation";
each organisation's Enterprise is at ``/api/dfc/enterprises/<slug>``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from .versions import VERSIONS, Version

FOAF = "http://xmlns.com/foaf/0.1/"


def webid_document(*, webid_url: str, version: Version) -> dict:
    me = f"{webid_url}#me"
    profile = {
        "@id": webid_url,
        "@type": "foaf:PersonalProfileDocument",
        "foaf:maker": me,
        "foaf:primaryTopic": me,
    }
    platform = {
        "@id": me,
        "@type": ["dfc-t:Platform", "foaf:Agent"],
        "foaf:name": _("Cabas"),
        "dfc-t:supportedOntologyVersion": [known.name for known in VERSIONS],
    }
    # foaf is not a prefix of the DFC contexts: declared beside them, its IRIs made so.
    local = {
        "foaf": FOAF,
        "foaf:maker": {"@type": "@id"},
        "foaf:primaryTopic": {"@type": "@id"},
    }
    return {"@context": [version.context_url, local], "@graph": [profile, platform]}
