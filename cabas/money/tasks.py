"""Work the money app hands to the background worker: reading and checking members files."""

from django_tasks import task

from . import members
from .models import MemberImport


@task()
def member_import_check(*, import_id: int) -> str:
    member_import = MemberImport.objects.select_related("organisation").get(pk=import_id)
    if member_import.status != MemberImport.Status.CHECKING:
        return member_import.status  # already checked (a retried task does nothing twice)
    return members.member_import_read(member_import=member_import).status
