"""What is filed stays as filed: every monthly check, case declaration and printed archive is sealed with a keyed
hash of its own content, chained per officer; PostgreSQL refuses edits of filed content while reviews still record;
``verify_records`` and the verify page find an edit made around the triggers, a deletion, a forged seal and a record
that was never sealed, and a department's renaming is no alarm. Document hashes are taken of the archive's data, so a
copy printed in English and one printed in Chinese carry the same hash; SM3 is offered beside SHA-256. The clock is
pinned to 20 November 2026."""

import datetime
import hashlib
import io
from contextlib import contextmanager

import pgtrigger
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import translation

from archives import documents
from archives.models import PrintedDocument
from archives.queries import integrity_archive
from cases.models import Declaration, DeclarationAnswer
from integrity import audit, digests, seals
from integrity.models import AuditEvent, RecordSeal
from risks import personal
from risks.choices import ReviewStatus
from risks.models import CheckAnswer, MonthlyCheck
from tests.cases.records import declare, make_case
from tests.risks.records import post_risk

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

NOVEMBER = datetime.date(2026, 11, 1)
YEAR = (datetime.date(2026, 1, 1), datetime.date(2026, 11, 20))
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the triggers are PostgreSQL's")


@contextmanager
def around_the_triggers():
    """An edit made in SQL by someone who disabled the triggers (on SQLite there are none)."""
    if connection.vendor == "postgresql":
        with pgtrigger.ignore():
            yield
    else:
        yield


@pytest.fixture
def filed(world):
    """The officer's filed November check and a filed declaration on one of their cases."""
    post_risk(world.officer.post, "违规会见律师")
    personal.open_risk_tables()
    personal.open_monthly_checks(NOVEMBER)
    check = MonthlyCheck.objects.get(officer=world.officer, period=NOVEMBER)
    answers = [personal.AnswerData(i.pk, i.description, False, "", "") for i in check.table.items.all()]
    check = personal.submit_monthly_check(check, answers, remark="本月无异常", acting_user=world.officer)
    declaration = declare(make_case(world.officer.department, [world.officer]), world.officer)
    return check, declaration


def findings() -> set[tuple[str, int, str]]:
    return {(f.kind, f.object_id, f.problem) for f in seals.verify()[1]}


def test_filing_seals_the_record_in_the_officers_chain_and_the_records_verify(world, filed):
    check, declaration = filed
    first, second = RecordSeal.objects.filter(officer=world.officer).order_by("id")
    assert (first.kind, first.object_id, first.reference, first.prev) == ("risks.monthlycheck", check.pk, "2026-11", "")
    assert (second.kind, second.object_id, second.prev) == ("cases.declaration", declaration.pk, first.seal)
    assert first.seal.startswith("hmac-sha256:")
    assert seals.verify() == (2, [])
    call_command("verify_records")


def test_an_edit_made_around_the_triggers_a_deletion_and_a_forged_seal_are_found(world, filed, settings):
    check, declaration = filed
    with around_the_triggers():
        MonthlyCheck.objects.filter(pk=check.pk).update(remark="本月无异常（已改）")
        DeclarationAnswer.objects.filter(declaration=declaration).update(details="改")
    assert findings() == {("risks.monthlycheck", check.pk, "changed"), ("cases.declaration", declaration.pk, "changed")}
    with pytest.raises(CommandError, match="2 finding"):
        call_command("verify_records")

    # Putting the content back restores the seal; recomputing the seal without the key forges nothing.
    with around_the_triggers():
        MonthlyCheck.objects.filter(pk=check.pk).update(remark="本月无异常")
        DeclarationAnswer.objects.filter(declaration=declaration).update(details="")
    assert findings() == set()
    row = RecordSeal.objects.get(object_id=check.pk, kind="risks.monthlycheck")
    key, settings.AUDIT_SIGNING_KEY = settings.AUDIT_SIGNING_KEY, "a key guessed by whoever edited the row"
    forged = digests.digest(seals._covered(row, seals._kinds[row.kind].contents([check.pk])[check.pk]), keyed=True)
    settings.AUDIT_SIGNING_KEY = key
    with around_the_triggers():
        RecordSeal.objects.filter(pk=row.pk).update(seal=forged)
    assert ("risks.monthlycheck", check.pk, "changed") in findings()


def test_a_deleted_record_leaves_its_seal_and_an_unsealed_one_is_reported(world, filed):
    _check, declaration = filed
    with around_the_triggers():
        DeclarationAnswer.objects.filter(declaration=declaration).delete()
        Declaration.objects.filter(pk=declaration.pk).delete()
    assert findings() == {("cases.declaration", declaration.pk, "deleted")}

    # A seal removed from the middle of an officer's chain breaks the link of the one after it.
    later = declare(make_case(world.officer.department, [world.officer]), world.officer)
    with around_the_triggers():
        RecordSeal.objects.filter(kind="cases.declaration", object_id=declaration.pk).delete()
    assert findings() == {("cases.declaration", later.pk, "link")}

    # A filed record written straight into the database never got a seal.
    other = make_case(world.officer.department, [world.other_officer])
    Declaration.objects.filter(case=other).update(submitted_at=datetime.datetime(2026, 11, 19, tzinfo=datetime.UTC))
    unsealed = Declaration.objects.get(case=other)
    assert ("cases.declaration", unsealed.pk, "unsealed") in findings()
    out = io.StringIO()
    with pytest.raises(CommandError):  # the broken link is still reported
        call_command("verify_records", "--seal-unsealed", stdout=out)
    assert "sealed 1 records" in out.getvalue() and "a seal before it is missing" in out.getvalue()
    assert ("cases.declaration", unsealed.pk, "unsealed") not in findings()
    assert AuditEvent.objects.filter(target="seals").exists()


@on_postgresql
def test_postgresql_refuses_edits_of_filed_content_and_still_records_reviews(world, filed):
    check, declaration = filed
    for attempt in (
        lambda: MonthlyCheck.objects.filter(pk=check.pk).update(remark="改"),
        lambda: MonthlyCheck.objects.filter(pk=check.pk).update(submitted_at=None),
        lambda: MonthlyCheck.objects.filter(pk=check.pk).delete(),
        lambda: CheckAnswer.objects.filter(monthly_check=check).update(problem_found=True),
        lambda: Declaration.objects.filter(pk=declaration.pk).update(has_yes=True),
        lambda: DeclarationAnswer.objects.filter(declaration=declaration).delete(),
        lambda: RecordSeal.objects.update(seal="x"),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    # The review is a separate fact: it records normally, and the seal still holds.
    personal.review_monthly_check(check, approve=True, acting_user=world.depthead)
    assert MonthlyCheck.objects.get(pk=check.pk).review_status == ReviewStatus.APPROVED
    assert findings() == set()


def test_an_archive_printed_in_english_and_in_chinese_carries_the_same_hash(world, filed):
    with translation.override("en"):
        english, _pdf = documents.print_archive(world.officer, "integrity", *YEAR, acting_user=world.chief)
    with translation.override("zh-hans"):
        chinese, _pdf = documents.print_archive(world.officer, "integrity", *YEAR, acting_user=world.chief)
    assert english.digest == chinese.digest and english.layout == documents.LAYOUT == 4
    assert documents.verify(english.number).matches and documents.verify(chinese.number).sealed

    # Renaming the department changes no record the archive holds; a record changed in SQL does.
    world.officer.department.name = "第一检察部（更名）"
    world.officer.department.save()
    assert documents.verify(english.number).matches
    check, _declaration = filed
    with around_the_triggers():
        MonthlyCheck.objects.filter(pk=check.pk).update(
            submitted_at=datetime.datetime(2026, 11, 20, tzinfo=datetime.UTC)
        )
    assert not documents.verify(english.number).matches


def test_a_copy_printed_before_layout_3_still_verifies_over_its_html(world):
    with translation.override("zh-hans"):
        body = documents.archive_body(integrity_archive(world.officer, *YEAR), 2)
    earlier = PrintedDocument.objects.create(
        number="LZ20261101-0A1B2C3D", digest=hashlib.sha256(body.encode()).hexdigest(), officer=world.officer,
        kind="integrity", start=YEAR[0], end=YEAR[1], printed_by=world.chief, layout=2,
    )  # fmt: skip
    found = documents.verify(earlier.number)
    assert found.matches and found.algorithm == "SHA-256"
    assert not found.sealed  # printed before seals existed: reported until ``verify_records --seal-unsealed``


def test_sm3_is_chosen_by_setting_and_what_was_hashed_before_keeps_verifying(world, settings):
    earlier, _pdf = documents.print_archive(world.officer, "integrity", *YEAR, acting_user=world.chief)
    settings.DOCUMENT_HASH_ALGORITHM = "sm3"
    later, _pdf = documents.print_archive(world.officer, "integrity", *YEAR, acting_user=world.chief)
    assert earlier.digest.startswith("sha256:") and later.digest.startswith("sm3:")
    assert digests.value(later.digest) != digests.value(earlier.digest)
    assert documents.verify(later.number).algorithm == "SM3" and documents.verify(later.number).matches
    assert documents.verify(earlier.number).matches
    assert RecordSeal.objects.get(reference=later.number).seal.startswith("hmac-sm3:")
    # The national standard's test vector (GB/T 32905-2016, "abc").
    assert digests.digest(b"abc") == "sm3:66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"

    audit.record("login", actor=world.officer)
    assert AuditEvent.objects.order_by("-id").first().hash.startswith("hmac-sm3:")
    settings.DOCUMENT_HASH_ALGORITHM = "sha256"
    assert audit.verify_chain()[1] is None


def test_the_verify_page_tells_a_deleted_print_and_an_altered_one(world, client_for):
    document, _pdf = documents.print_archive(world.officer, "integrity", *YEAR, acting_user=world.chief)
    client = client_for(world.chief)
    url = reverse("archives:verify")
    with around_the_triggers():
        PrintedDocument.objects.filter(pk=document.pk).update(digest="sha256:" + "0" * 64)
    page = client.get(url, {"number": document.number}).content.decode()
    assert 'data-sealed="no"' in page and 'data-matches="no"' in page
    with around_the_triggers():
        PrintedDocument.objects.filter(pk=document.pk).delete()
    page = client.get(url, {"number": document.number}).content.decode()
    assert 'data-found="deleted"' in page
