"""The messages' pages (``messaging.views_messages``) in the permission matrix: coordinators
write, send and follow; every member reads the sent messages that were for them."""

from django.core.files.uploadedfile import SimpleUploadedFile

from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.messaging.tests.factories import draft, sent

COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404)
COORDINATORS_POST = statuses(LOGIN, 403, 403, 403, 302, 404)
MEMBERS = statuses(LOGIN, 200, 200, 200, 200, 404)


def _draft(world):
    message = draft(world.org_a, by=world.users["coordinator"])
    return {"slug": world.org_a.slug, "pk": message.pk}


def _sent_with_attachment(world):
    message = sent(
        world.org_a,
        by=world.users["coordinator"],
        attachment=SimpleUploadedFile("ordre-du-jour.pdf", b"%PDF-1.4 ordre du jour"),
    )
    return {"slug": world.org_a.slug, "pk": message.pk}


ROWS = {
    "messaging:messages": Row(COORDINATORS, kwargs=slug_a),
    "messaging:message_new": Row(COORDINATORS, kwargs=slug_a),
    "messaging:message": Row(COORDINATORS, kwargs=_draft),
    "messaging:message_edit": Row(COORDINATORS, kwargs=_draft),
    "messaging:message_send": Row(COORDINATORS_POST, kwargs=_draft, method="post"),
    "messaging:message_delete": Row(COORDINATORS_POST, kwargs=_draft, method="post"),
    "messaging:message_announcement_end": Row(
        COORDINATORS_POST, kwargs=_sent_with_attachment, method="post"
    ),
    "messaging:message_attachment": Row(MEMBERS, kwargs=_sent_with_attachment),
    "messaging:archive": Row(MEMBERS, kwargs=slug_a),
    "messaging:archive_message": Row(MEMBERS, kwargs=_sent_with_attachment),
}
