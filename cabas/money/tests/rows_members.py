from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses
from cabas.money.models import MemberImport


def _member_import(world):
    """A members file of organisation A, checked and waiting for its confirmation."""
    member_import = MemberImport.objects.create(
        organisation=world.org_a,
        uploaded_by=world.users["coordinator"],
        file_name="membres.csv",
        content=b"email\nnew@example.org\n",
        status=MemberImport.Status.READY,
        lines=[{"line": 2, "email": "new@example.org", "first_name": "", "last_name": "",
                "phone": "", "address": ""}],
    )  # fmt: skip
    return {**slug_a(world), "pk": member_import.pk}


def _member_pk(world):
    return {**slug_a(world), "pk": world.memberships["member"].pk}


COORDINATORS = statuses(LOGIN, 403, 403, 403, 200, 404)

ROWS = {
    "money:member_list": Row(COORDINATORS, kwargs=slug_a),
    "money:member_roles": Row(COORDINATORS, kwargs=_member_pk),
    "money:member_import": Row(COORDINATORS, kwargs=slug_a),
    "money:member_import_detail": Row(COORDINATORS, kwargs=_member_import),
    "money:member_invite_bulk": Row(COORDINATORS, kwargs=slug_a),
    "money:member_export": Row(COORDINATORS, kwargs=lambda w: {**slug_a(w), "file_format": "csv"}),
}
