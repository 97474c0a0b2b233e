from cabas.core.tests.matrix import LOGIN, Row, slug_a, statuses

COORDINATOR_ONLY = statuses(LOGIN, 403, 403, 403, 200, 404)
COORDINATOR_POST = statuses(LOGIN, 403, 403, 403, 302, 404)


def _pending_pk(world):
    return {"slug": world.org_a.slug, "pk": world.pending.pk}


def _invitation_pk(world):
    return {"slug": world.org_a.slug, "pk": world.invitation.pk}


ROWS = {
    "orgs:create": Row(statuses(LOGIN, 200, 200, 200, 200, 200)),
    "orgs:invitation": Row(
        statuses(200, 200, 200, 200, 200, 200), kwargs=lambda w: {"token": w.invitation.token}
    ),
    "orgs:join": Row(statuses(LOGIN, 302, 302, 302, 302, 302), kwargs=slug_a, method="post"),
    "orgs:settings": Row(COORDINATOR_ONLY, kwargs=slug_a),
    # The former members page: it sends coordinators to the one members list (money's).
    "orgs:members": Row(statuses(LOGIN, 403, 403, 403, 302, 404), kwargs=slug_a),
    "orgs:member_decide": Row(
        COORDINATOR_POST,
        kwargs=_pending_pk,
        method="post",
        data=lambda w: {"decision": "refuse"},
    ),
    "orgs:invitations": Row(COORDINATOR_ONLY, kwargs=slug_a),
    "orgs:invitation_revoke": Row(COORDINATOR_POST, kwargs=_invitation_pk, method="post"),
}
