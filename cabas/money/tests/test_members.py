"""Members for coordinators: the list, the import of a members file, the export that imports
back, and invitations by the dozen."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from cabas.accounts.models import User
from cabas.accounts.tests.factories import UserFactory
from cabas.core import tables
from cabas.core.errors import DomainError
from cabas.core.tests.spreadsheets import cost_of, shared_string_bomb, wide_sheet
from cabas.money import members
from cabas.money.models import AccountEntry, MemberImport, MembershipPeriod, MoneySettings
from cabas.money.selectors import membership_status
from cabas.orders import services as orders_services
from cabas.orders.tests.factories import open_shop
from cabas.orgs import services as orgs_services
from cabas.orgs.models import Invitation, Membership
from cabas.orgs.tests.factories import MembershipFactory

FRENCH_CSV = (
    "Prénom;Nom;Courriel;Téléphone;Adresse\r\n"
    "Élodie;Fabre;elodie.fabre@example.org;06 11 22 33 44;3 rue de l'Église, Albi\r\n"
    "Jérôme;Cazals;Jerome.Cazals@Example.org;05 63 00 00 00;\r\n"
    "Member;Already;member-a@example.org;;\r\n"
)


def _state(organisation) -> tuple:
    """Everything an import may change, to assert that nothing did."""
    return (
        sorted(Membership.objects.filter(organisation=organisation).values_list("pk", "status")),
        Invitation.objects.filter(organisation=organisation).count(),
        User.objects.count(),
    )


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _entry(organisation, user, amount: str) -> None:
    amount = Decimal(amount)
    AccountEntry.objects.create(
        organisation=organisation,
        user=user,
        kind=AccountEntry.Kind.PAYMENT if amount > 0 else AccountEntry.Kind.MEMBERSHIP,
        method=AccountEntry.Method.CASH if amount > 0 else "",
        amount=amount,
    )


# --- The list --------------------------------------------------------------------------------


def test_member_list_has_status_membership_balance_and_last_order(world):
    org, today = world.org_a, timezone.localdate()
    MoneySettings.objects.create(organisation=org, membership_fee=Decimal("10.00"))
    paid = world.memberships["member"]
    unpaid = world.memberships["volunteer"]
    MembershipPeriod.objects.create(
        organisation=org, membership=paid, starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=300), fee=Decimal("10.00"), paid_at=timezone.now(),
    )  # fmt: skip
    MembershipPeriod.objects.create(
        organisation=org, membership=unpaid, starts_on=today - timedelta(days=10),
        ends_on=today + timedelta(days=300), fee=Decimal("10.00"),
    )  # fmt: skip
    MembershipPeriod.objects.create(  # last year's, paid: the coordinator's membership expired
        organisation=org, membership=world.memberships["coordinator"],
        starts_on=today - timedelta(days=400), ends_on=today - timedelta(days=35),
        fee=Decimal("10.00"), paid_at=timezone.now(),
    )  # fmt: skip
    _entry(org, world.users["member"], "25.00")
    _entry(org, world.users["member"], "-10.00")
    _entry(world.org_b, world.users["member"], "99.00")  # another organisation's account
    shop = open_shop(organisation=org)
    order = orders_services.order_place(
        user=world.users["member"], sale=shop.sale, pickup_id=shop.open_pickup.pk, slot_id=None,
        lines=[(shop.products["bread"].pk, Decimal(1))], notify=False,
    )  # fmt: skip

    rows = {m.user.email: m for m in members.member_list(organisation=org)}

    assert set(rows) == {
        "member-a@example.org", "producer-a@example.org", "volunteer-a@example.org",
        "coordinator-a@example.org", "supply-a@example.org", "applicant-a@example.org",
    }  # fmt: skip
    member = rows["member-a@example.org"]
    assert (member.status, member.membership_status) == ("active", "active")
    # 25 − 10, less the bread order not yet debited (its pickup is open): 4.20 owed on it.
    assert member.balance == Decimal("10.80")
    assert member.last_order_at == order.created_at
    assert rows["volunteer-a@example.org"].membership_status == "pending_payment"
    assert rows["coordinator-a@example.org"].membership_status == "expired"
    assert rows["producer-a@example.org"].membership_status == "expired"
    assert rows["producer-a@example.org"].balance == Decimal("0")
    assert rows["producer-a@example.org"].last_order_at is None
    applicant = rows["applicant-a@example.org"]
    assert (applicant.status, applicant.membership_status) == ("pending", "")
    for membership in rows.values():  # the same rule as the money selector, row by row
        if membership.status == Membership.Status.ACTIVE:
            assert membership.membership_status == membership_status(membership=membership)


def test_member_list_without_fee_everyone_active_is_active_and_filters_work(world):
    org = world.org_a
    everyone = members.member_list(organisation=org)
    assert {m.membership_status for m in everyone if m.status == "active"} == {"active"}
    assert [m.user.email for m in members.member_list(organisation=org, status="pending")] == [
        "applicant-a@example.org"
    ]
    assert [m.user.email for m in members.member_list(organisation=org, search="VOLUNTEER")] == [
        "volunteer-a@example.org"
    ]
    assert list(members.member_list(organisation=org, membership_status="expired")) == []


def _members_page(client, world, count: int) -> str:
    for _ in range(count - 6):  # the world has 6 memberships in organisation A
        membership = MembershipFactory(organisation=world.org_a)
        _entry(world.org_a, membership.user, "3.50")
    client.force_login(world.users["coordinator"])
    return reverse("money:member_list", kwargs={"slug": world.org_a.slug})


@pytest.mark.parametrize("count", [6, 50])
def test_member_list_page_shows_every_member_in_constant_queries(
    client, world, count, django_assert_max_num_queries
):
    MoneySettings.objects.create(organisation=world.org_a, membership_fee=Decimal("10.00"))
    url = _members_page(client, world, count)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    # The request to join of the world is answered above the table, the others are in it.
    assert [m.user.email for m in response.context["pending"]] == [world.pending.user.email]
    assert len(response.context["memberships"]) == count - 1
    for membership in Membership.objects.filter(organisation=world.org_a):
        assert membership.user.email in body
    assert "coordinator-b@example.org" not in body


def test_member_list_page_query_count_is_the_same_for_6_and_50_members(client, world):
    counts = []
    for count in (6, 50):
        url = _members_page(client, world, count)
        client.get(url)  # the first page of a visit writes the organisation into the session
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.context["memberships"]) + len(response.context["pending"]) == count
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_member_list_page_goes_by_pages_of_a_hundred_keeping_the_filters(client, world):
    """3,000 members are not one table: a hundred a page, in the same queries as 6, the
    filter kept in the links to the other pages."""
    url = _members_page(client, world, 6)
    client.get(url)  # the first page of a visit writes the organisation into the session
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    url = _members_page(client, world, 6 + 130)
    with CaptureQueriesContext(connection) as many:
        first = client.get(url, {"status": "active"})
    assert len(many) == len(few)
    assert len(first.context["memberships"]) == 100
    assert first.context["page"].paginator.count == 135  # the request to join is above
    assert "status=active&amp;page=2" in first.content.decode()
    assert "page 1 of 2" in first.content.decode() or "page 1 sur 2" in first.content.decode()
    second = client.get(url, {"status": "active", "page": "2"})
    assert len(second.context["memberships"]) == 35
    shown = {m.pk for m in first.context["memberships"]} | {
        m.pk for m in second.context["memberships"]
    }
    assert len(shown) == 135
    assert client.get(url, {"page": "nope"}).status_code == 200
    for junk, number in (("-1", 1), ("0", 1), ("999999", 2), ("abc", 1)):
        assert client.get(url, {"status": "active", "page": junk}).context["page"].number == number


# --- The import ------------------------------------------------------------------------------


def test_import_of_a_french_csv_semicolons_windows_1252(world, django_capture_on_commit_callbacks):
    existing = UserFactory(email="jerome.cazals@example.org", first_name="Jérôme")
    content = FRENCH_CSV.encode("cp1252")

    plan = members.member_import_check(
        organisation=world.org_a, file_name="adhérents.csv", content=content
    )

    assert plan.errors == []
    # An account elsewhere changes nothing: the person is invited like anyone (the preview
    # must not tell a coordinator who has an account).
    assert [(line.line, line.email, line.action) for line in plan.lines] == [
        (2, "elodie.fabre@example.org", "invitation"),
        (3, "jerome.cazals@example.org", "invitation"),
        (4, "member-a@example.org", "already_member"),
    ]
    assert (plan.lines[0].first_name, plan.lines[0].last_name) == ("Élodie", "Fabre")
    assert plan.lines[0].phone == "06 11 22 33 44"
    assert plan.lines[0].address == "3 rue de l'Église, Albi"
    with django_capture_on_commit_callbacks(execute=True):
        result = members.member_import_apply(
            organisation=world.org_a, plan=plan, by=world.users["coordinator"], invite=True,
            base_url="https://cabas.example.org/",
        )  # fmt: skip

    assert (result.members_added, result.invitations_sent, result.already_members) == (0, 2, 1)
    # Nobody is made a member without saying yes: the account holder gets an invitation too.
    assert not Membership.objects.filter(organisation=world.org_a, user=existing).exists()
    assert Invitation.objects.filter(organisation=world.org_a, email=existing.email).exists()
    invitation = Invitation.objects.get(organisation=world.org_a, email="elodie.fabre@example.org")
    assert invitation.invited_by == world.users["coordinator"]
    assert sorted(message.to for message in mail.outbox) == [
        ["elodie.fabre@example.org"],
        ["jerome.cazals@example.org"],
    ]
    mail.outbox.sort(key=lambda message: message.to)
    assert invitation.get_absolute_url() in mail.outbox[0].body
    assert not User.objects.filter(email="elodie.fabre@example.org").exists()


def test_import_without_sending_invitations_adds_nobody_who_did_not_ask(
    world, django_capture_on_commit_callbacks
):
    UserFactory(email="jerome.cazals@example.org")
    plan = members.member_import_check(
        organisation=world.org_a, file_name="a.csv", content=FRENCH_CSV.encode("utf-8")
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = members.member_import_apply(
            organisation=world.org_a, plan=plan, by=world.users["coordinator"], invite=False
        )
    assert (result.members_added, result.invitations_sent, result.not_invited) == (0, 0, 2)
    assert not Membership.objects.filter(
        organisation=world.org_a, user__email="jerome.cazals@example.org"
    ).exists()
    assert not Invitation.objects.filter(email="elodie.fabre@example.org").exists()
    assert mail.outbox == []


def test_import_accepts_a_pending_request_and_invites_someone_who_left(world):
    world.memberships["producer"].status = "left"
    world.memberships["producer"].save()
    content = b"email\napplicant-a@example.org\nproducer-a@example.org\n"
    plan = members.member_import_check(organisation=world.org_a, file_name="a.csv", content=content)
    assert [line.action for line in plan.lines] == ["member", "invitation"]
    members.member_import_apply(
        organisation=world.org_a, plan=plan, by=world.users["coordinator"], invite=False
    )
    world.pending.refresh_from_db()
    world.memberships["producer"].refresh_from_db()
    # The request to join was a yes; who left comes back only by accepting an invitation.
    assert (world.pending.status, world.memberships["producer"].status) == ("active", "left")


def test_import_of_an_xlsx_through_the_pages(client, world, django_capture_on_commit_callbacks):
    content = tables.table_bytes(
        ["First name", "Last name", "E-mail", "Phone", "Address"],
        [
            ["Anne", "Vidal", "anne.vidal@example.org", "0600000001", ""],
            ["", "", "coordinator-b@example.org", "", ""],  # has an account (in B): invited
            ["", "", "volunteer-a@example.org", "", ""],  # already a member
        ],
        "xlsx",
    )
    client.force_login(world.users["coordinator"])
    url = reverse("money:member_import", kwargs={"slug": world.org_a.slug})
    upload = _upload("membres.xlsx", content)

    with django_capture_on_commit_callbacks(execute=True):  # the worker reads the file
        uploaded = client.post(url, {"file": upload})

    member_import = MemberImport.objects.get()
    detail_url = reverse(
        "money:member_import_detail", kwargs={"slug": world.org_a.slug, "pk": member_import.pk}
    )
    assert uploaded.status_code == 302 and uploaded.url == detail_url
    preview = client.get(detail_url)
    assert preview.status_code == 200
    plan = preview.context["plan"]
    assert (len(plan.new_members), len(plan.invitations), len(plan.already_members)) == (0, 2, 1)
    # The page does not tell which addresses have an account.
    html = preview.content.decode()
    assert "ils ont un compte" not in html and "pas encore de compte" not in html
    assert f'action="{detail_url}"' in preview.content.decode()
    assert not Membership.objects.filter(
        organisation=world.org_a, user=world.users["outsider"]
    ).exists()  # a preview changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(detail_url, {"invite": "1"})

    assert done.status_code == 302
    assert done.url == reverse("money:member_list", kwargs={"slug": world.org_a.slug})
    assert not Membership.objects.filter(
        organisation=world.org_a, user=world.users["outsider"]
    ).exists()
    assert sorted(message.to for message in mail.outbox) == [
        ["anne.vidal@example.org"],
        ["coordinator-b@example.org"],
    ]
    member_import.refresh_from_db()
    assert (member_import.status, bytes(member_import.content)) == ("done", b"")
    again = client.post(detail_url, {"invite": "1"})  # imported once only
    assert again.status_code == 302 and again.url == detail_url
    assert Invitation.objects.filter(email="anne.vidal@example.org").count() == 1


def test_the_page_polls_while_the_worker_reads_the_file(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("money:member_import", kwargs={"slug": world.org_a.slug})
    before = _state(world.org_a)

    client.post(url, {"file": _upload("m.csv", b"email\nnew@example.org\n")})  # not run yet

    member_import = MemberImport.objects.get()
    assert member_import.status == "checking"
    detail_url = reverse(
        "money:member_import_detail", kwargs={"slug": world.org_a.slug, "pk": member_import.pk}
    )
    page = client.get(detail_url, headers={"HX-Request": "true"})
    assert page.status_code == 200
    assert f'hx-get="{detail_url}"' in page.content.decode()
    assert client.post(detail_url, {"invite": "1"}).status_code == 302  # not ready: refused
    assert _state(world.org_a) == before
    member_import.refresh_from_db()
    assert member_import.status == "checking"


def test_duplicate_and_malformed_emails_give_line_errors_and_change_nothing(
    client, world, django_capture_on_commit_callbacks
):
    content = (
        "first_name,last_name,email,phone\n"
        "Anne,Vidal,anne.vidal@example.org,06\n"
        "Luc,Martin,luc.martin@example,06\n"
        "Anne,Vidal,ANNE.VIDAL@example.org,06\n"
        "Paul,Roux,,06\n"
        "Zoé,Bès,zoe bes@example.org,06\n"
        f"{'x' * 151},Roux,paul.roux@example.org,{'6' * 33}\n"
    ).encode()
    before = _state(world.org_a)

    with translation.override("en"):
        plan = members.member_import_check(
            organisation=world.org_a, file_name="m.csv", content=content
        )
        client.force_login(world.users["coordinator"])
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("money:member_import", kwargs={"slug": world.org_a.slug}),
                {"file": _upload("m.csv", content)},
            )
        member_import = MemberImport.objects.get()
        response = client.get(
            reverse(
                "money:member_import_detail",
                kwargs={"slug": world.org_a.slug, "pk": member_import.pk},
            )
        )

    assert plan.errors == [
        {"line": 3, "column": "email",
         "reason": "“luc.martin@example” is not a valid e-mail address."},
        {"line": 4, "column": "email",
         "reason": "The same e-mail address is already on line 2."},
        {"line": 5, "column": "email", "reason": "The e-mail address is missing."},
        {"line": 6, "column": "email",
         "reason": "“zoe bes@example.org” is not a valid e-mail address."},
        {"line": 7, "column": "first_name", "reason": "The value is longer than 150 characters."},
        {"line": 7, "column": "phone", "reason": "The value is longer than 32 characters."},
    ]  # fmt: skip
    assert not plan.can_apply
    assert member_import.status == "invalid"
    assert [(e["line"], e["column"]) for e in member_import.errors] == [
        (e["line"], e["column"]) for e in plan.errors
    ]
    assert response.status_code == 200
    body = response.content.decode()
    assert "Import these members" not in body  # a file with errors cannot be confirmed
    assert "luc.martin@example" in body
    with pytest.raises(members.MemberImportInvalid):
        members.member_import_apply(
            organisation=world.org_a, plan=plan, by=world.users["coordinator"], invite=True,
            base_url="https://cabas.example.org/",
        )  # fmt: skip
    assert _state(world.org_a) == before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("m.csv", b"nom;prenom;telephone\nVidal;Anne;06\n", "The file has no e-mail column."),
        ("m.csv", b"email;courriel\na@example.org;b@example.org\n", "are the same column"),
        ("m.pdf", b"%PDF-1.4", "Send a CSV or XLSX file."),
        ("m.csv", b"email\n" + b"a" * members.MAX_FILE_BYTES, "dépasse 1 Mo"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_clearly(world, name, content, message):
    with translation.override("en"), pytest.raises(DomainError) as raised:
        members.member_import_check(organisation=world.org_a, file_name=name, content=content)
    assert message in str(raised.value)


def test_too_big_upload_is_refused_on_the_page(client, world):
    client.force_login(world.users["coordinator"])
    response = client.post(
        reverse("money:member_import", kwargs={"slug": world.org_a.slug}),
        {"file": _upload("m.csv", b"email\n" + b"a" * members.MAX_FILE_BYTES)},
    )
    assert response.status_code == 200
    assert response.context["plan"] is None
    with translation.override(world.users["coordinator"].language):
        expected = str(members.MemberFileTooBig(max_mb=1))
    assert response.context["form"].errors["file"] == [expected]


def test_import_is_all_or_nothing(world, monkeypatch, django_capture_on_commit_callbacks):
    """The second invitation fails: the member added and the first invitation are undone."""
    UserFactory(email="has.account@example.org")
    content = b"email\nhas.account@example.org\nfirst@example.org\nsecond@example.org\n"
    plan = members.member_import_check(organisation=world.org_a, file_name="m.csv", content=content)
    assert plan.can_apply
    before = _state(world.org_a)
    real_create = orgs_services.invitation_create

    def failing_create(**kwargs):
        if kwargs["email"] == "second@example.org":
            raise RuntimeError("the mail server is down")
        return real_create(**kwargs)

    monkeypatch.setattr(orgs_services, "invitation_create", failing_create)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        members.member_import_apply(
            organisation=world.org_a, plan=plan, by=world.users["coordinator"], invite=True,
            base_url="https://cabas.example.org/",
        )  # fmt: skip
    assert _state(world.org_a) == before
    assert mail.outbox == []


def test_confirming_an_unknown_or_another_organisations_file_changes_nothing(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["outsider"])
    url_b = reverse("money:member_import", kwargs={"slug": world.org_b.slug})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url_b, {"file": _upload("m.csv", b"email\nnew@example.org\n")})
    file_of_b = MemberImport.objects.get(organisation=world.org_b)
    assert file_of_b.status == "ready"
    # The same person is also a coordinator of A: B's file cannot be confirmed in A.
    MembershipFactory(organisation=world.org_a, user=world.users["outsider"], is_coordinator=True)
    before = _state(world.org_a)
    for pk in (file_of_b.pk, file_of_b.pk + 1000):
        url_a = reverse("money:member_import_detail", kwargs={"slug": world.org_a.slug, "pk": pk})
        assert client.post(url_a, {"invite": "1"}).status_code == 404
    assert _state(world.org_a) == before
    file_of_b.refresh_from_db()
    assert file_of_b.status == "ready"


def test_member_import_round_trip(client, world, django_capture_on_commit_callbacks):
    """The export of organisation A's members, imported into B, invites the same people to B:
    each gets one invitation, and nobody is a member of B before accepting it."""
    client.force_login(world.users["coordinator"])
    export = client.get(
        reverse("money:member_export", kwargs={"slug": world.org_a.slug, "file_format": "csv"})
    )
    assert export.status_code == 200
    assert export["Content-Disposition"] == 'attachment; filename="collectif-a-membres.csv"'
    header, rows = tables.read_table("export.csv", export.content)
    assert header == ["Prénom", "Nom", "E-mail", "Téléphone", "Adresse"]  # in French
    assert len(rows) == 6
    exported = {row[2] for row in rows}

    plan = members.member_import_check(
        organisation=world.org_b, file_name="export.csv", content=export.content
    )
    assert plan.errors == []
    members_of_b = set(Membership.objects.filter(organisation=world.org_b).values_list("pk"))
    with django_capture_on_commit_callbacks(execute=True):
        result = members.member_import_apply(
            organisation=world.org_b, plan=plan, by=world.users["outsider"], invite=True,
            base_url="https://cabas.example.org/",
        )  # fmt: skip

    assert (result.members_added, result.invitations_sent) == (0, 6)
    assert set(Membership.objects.filter(organisation=world.org_b).values_list("pk")) == (
        members_of_b
    )
    invited = set(
        Invitation.objects.filter(organisation=world.org_b).values_list("email", flat=True)
    )
    assert invited == exported
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(exported)


def test_member_export_xlsx_reads_back(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("money:member_export", kwargs={"slug": world.org_a.slug, "file_format": "xlsx"})
    response = client.get(url, {"status": "pending"})
    assert response.status_code == 200
    header, rows = tables.read_table("m.xlsx", response.content)
    assert header == ["Prénom", "Nom", "E-mail", "Téléphone", "Adresse"]
    applicant = world.applicant
    assert rows == [
        [applicant.first_name, applicant.last_name, applicant.email, applicant.phone, ""]
    ]
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Membres"]
    assert client.get(url.replace(".xlsx", ".pdf")).status_code == 404


@pytest.mark.parametrize("count", [6, 50])
def test_member_export_keeps_the_list_filters_and_order_in_constant_queries(
    client, world, count, django_assert_num_queries
):
    """The export reads only the people's columns; the membership filter (computed by the
    database for the list) still chooses the rows."""
    org, today = world.org_a, timezone.localdate()
    MoneySettings.objects.create(organisation=org, membership_fee=Decimal("10.00"))
    MembershipPeriod.objects.create(
        organisation=org, membership=world.memberships["volunteer"],
        starts_on=today - timedelta(days=10), ends_on=today + timedelta(days=300),
        fee=Decimal("10.00"),
    )  # fmt: skip
    url = _members_page(client, world, count)
    url = url.replace("/members/", "/members/export.csv")
    client.get(url)  # the first page of a visit writes the organisation into the session

    with django_assert_num_queries(4):
        response = client.get(url, {"membership": "pending_payment"})
    _header, pending = tables.read_table("export.csv", response.content)
    _header, everyone = tables.read_table("export.csv", client.get(url).content)

    volunteer = world.users["volunteer"]
    assert pending == [
        [volunteer.first_name, volunteer.last_name, volunteer.email, volunteer.phone, ""]
    ]
    assert len(everyone) == count
    assert [row[2] for row in everyone] == [
        m.user.email for m in members.member_list(organisation=org)
    ]


# --- Invitations by the dozen ----------------------------------------------------------------


def test_bulk_invitations_send_one_email_per_address(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["coordinator"])
    text = (
        "anne@example.org\n"
        "luc@example.org, Zoé Bès <zoe@example.org>; ANNE@example.org\n"
        "\n"
        "member-a@example.org\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("money:member_invite_bulk", kwargs={"slug": world.org_a.slug}),
            {"addresses": text},
        )
    assert response.status_code == 302
    assert response.url == reverse("orgs:invitations", kwargs={"slug": world.org_a.slug})
    assert sorted(message.to[0] for message in mail.outbox) == [
        "anne@example.org", "luc@example.org", "zoe@example.org",
    ]  # fmt: skip
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert set(
        Invitation.objects.filter(organisation=world.org_a, invited_by=world.users["coordinator"])
        .values_list("email", flat=True)
    ) == {"anne@example.org", "luc@example.org", "zoe@example.org"}  # fmt: skip


def test_bulk_invitations_with_a_malformed_address_send_nothing(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.users["coordinator"])
    before = _state(world.org_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("money:member_invite_bulk", kwargs={"slug": world.org_a.slug}),
            {"addresses": "anne@example.org\nluc@example.org; luc.example.org\nzoe@"},
        )
    assert response.status_code == 200
    errors = response.context["address_errors"]
    assert [(error["line"], error["address"]) for error in errors] == [
        (2, "luc.example.org"),
        (3, "zoe@"),
    ]
    assert all(error["reason"] for error in errors)
    assert "luc.example.org" in response.content.decode()
    assert mail.outbox == []
    assert _state(world.org_a) == before


def test_bulk_invitations_need_an_address(world):
    with pytest.raises(members.InvitationAddressesInvalid):
        members.member_invite_bulk(
            organisation=world.org_a, text=" \n ; ", by=world.users["coordinator"],
            base_url="https://cabas.example.org/",
        )  # fmt: skip


# --- Hostile files and formulas ---------------------------------------------------------------


@pytest.mark.parametrize("builder", [shared_string_bomb, wide_sheet], ids=["bomb", "wide"])
def test_hostile_spreadsheets_are_refused_at_once_with_little_memory(world, builder):
    """Refused in the request, before any parser (bounded at 1 s and 50 MB, generously)."""
    content = builder()
    before = _state(world.org_a)

    cost = cost_of(
        lambda: members.member_import_start(
            organisation=world.org_a,
            uploaded_by=world.users["coordinator"],
            file_name="membres.xlsx",
            content=content,
        )  # fmt: skip
    )

    assert isinstance(cost.error, members.MemberFileUnreadable), cost.error
    assert "Mo" in str(cost.error)
    assert cost.seconds < 1.0 and cost.peak_mb < 50, cost
    assert not MemberImport.objects.exists() and _state(world.org_a) == before


def test_the_upload_page_refuses_a_hostile_spreadsheet_with_its_reason(client, world):
    client.force_login(world.users["coordinator"])
    url = reverse("money:member_import", kwargs={"slug": world.org_a.slug})

    response = client.post(url, {"file": _upload("m.xlsx", shared_string_bomb())})

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Une fois décompressé, le fichier pèse 400 Mo (50 Mo au plus)."
    ]
    assert not MemberImport.objects.exists()


def test_a_file_over_the_limits_found_while_reading_is_invalid(
    world, settings, django_capture_on_commit_callbacks
):
    settings.TABLE_IMPORT_MAX_ROWS = 2
    content = b"email\na@example.org\nb@example.org\nc@example.org\n"

    with django_capture_on_commit_callbacks(execute=True):
        member_import = members.member_import_start(
            organisation=world.org_a, uploaded_by=world.users["coordinator"],
            file_name="m.csv", content=content,
        )  # fmt: skip

    member_import.refresh_from_db()
    assert member_import.status == "invalid"
    assert member_import.errors == [
        {"line": 0, "column": "", "reason": "Le fichier a plus de 2 lignes."}
    ]


@pytest.mark.parametrize("file_format", tables.FORMATS)
def test_names_that_look_like_formulas_come_back_exactly(client, world, file_format):
    person = world.users["member"]
    person.first_name = '=HYPERLINK("https://evil.example/pay","Payer ici")'
    person.last_name, person.phone = "-Dupont", "+33 6 12 34 56 78"
    person.save(update_fields=["first_name", "last_name", "phone"])
    client.force_login(world.users["coordinator"])
    export = client.get(
        reverse(
            "money:member_export", kwargs={"slug": world.org_a.slug, "file_format": file_format}
        )
    )

    plan = members.member_import_check(
        organisation=world.org_b, file_name=f"export.{file_format}", content=export.content
    )

    (line,) = [line for line in plan.lines if line.email == person.email]
    assert (line.first_name, line.last_name, line.phone) == (
        person.first_name, "-Dupont", "+33 6 12 34 56 78",
    )  # fmt: skip


@pytest.mark.django_db
def test_the_import_page_follows_the_worker_by_itself_while_it_checks(world, client):
    """While the worker reads the file, the page asks for its progress every second: it must
    load htmx for that (without it the page stayed on "being checked" until a tap)."""
    member_import = MemberImport.objects.create(
        organisation=world.org_a,
        uploaded_by=world.users["coordinator"],
        file_name="membres.csv",
        content=b"email\nnew@example.org\n",
        status=MemberImport.Status.CHECKING,
    )
    client.force_login(world.users["coordinator"])
    url = reverse(
        "money:member_import_detail", kwargs={"slug": world.org_a.slug, "pk": member_import.pk}
    )

    html = client.get(url).content.decode()

    assert 'hx-trigger="every 1s"' in html
    assert "/htmx-2.min.js" in html


def test_the_membership_filter_reads_toutes_in_french_and_the_status_filter_tous(client, world):
    """« Adhésion : Toutes » (feminine), « Statut : Tous »: one English "All", two French words."""
    url = _members_page(client, world, 6)

    body = client.get(url, headers={"accept-language": "fr"}).content.decode()

    membership = body.split('name="membership"')[1].split("</select>")[0]
    status = body.split('name="status"')[1].split("</select>")[0]
    assert ">Toutes</option>" in membership and ">Tous</option>" not in membership
    assert ">Tous</option>" in status
