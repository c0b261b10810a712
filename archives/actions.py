"""Writes of the archives app: records, reports, quarterly assessments, and printing (each print is logged)."""

from __future__ import annotations

import datetime
import secrets
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from alerts.choices import Outcome
from alerts.models import Clue, IntegrityWarning
from archives.canonical import archive_data
from archives.choices import BARRED_RECORD_KINDS, ArchiveKind, ReportStatus, TalkOccasion
from archives.models import (
    Adjustment,
    ArchivePolicy,
    BarOverride,
    MattersReport,
    OfficerRecord,
    PrintedDocument,
    PrintJob,
    QuarterlyAssessment,
    Talk,
    TalkDue,
)
from archives.queries import archive_policy, build
from archives.rules import barred_until, grade_for, measured_score, quarter_end
from archives.seals import CODE as SEALED
from cases.choices import AssessmentStatus, Decision
from cases.models import Approval, Assessment, CaseHandler, CasePolicy, Declaration
from cases.queries import NOT_SUPERSEDED
from integrity import audit, digests, events, seals
from integrity.actions import audited, claim
from integrity.choices import AuditEventKind
from integrity.models import Officer, PostAssignment, RecordSeal
from integrity.queries import day_counter, day_counters
from integrity.rules import month_end
from risks.models import MonthlyCheck

PRINT_DIR = "prints"


# --- personal matters reports --------------------------------------------------------------------------------


@transaction.atomic
def report_matter(
    officer: Officer, *, kind: str, changed_on: datetime.date, details: str, amount=None, acting_user: Officer
) -> MattersReport:
    if acting_user.pk != officer.pk:
        raise PermissionDenied
    if not details.strip():
        raise ValidationError(_("Describe the matter."))
    report = MattersReport.objects.create(
        officer=officer, kind=kind, changed_on=changed_on, details=details.strip(), amount=amount
    )
    events.officers_changed(officer.pk)
    return report


@transaction.atomic
def review_matter(report: MattersReport, *, accept: bool, comment: str = "", acting_user: Officer) -> MattersReport:
    if not accept and not comment.strip():
        raise ValidationError(_("Say what more is needed."))
    if not claim(
        report,
        Q(status=ReportStatus.SUBMITTED),
        acting_user=acting_user,
        reason=comment,
        status=ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED,
        reviewed_by=acting_user,
        reviewed_at=timezone.now(),
        review_comment=comment,
    ):
        raise ValidationError(_("This report is not awaiting review."))
    return report


# --- quarterly assessment ------------------------------------------------------------------------------------


def measure(officer_ids: list[int], start: datetime.date, end: datetime.date, as_of: datetime.date) -> dict[int, dict]:
    """The measured inputs of a quarter for many officers, one query per input."""
    result: dict[int, dict] = {pk: {} for pk in officer_ids}
    checks = MonthlyCheck.objects.filter(
        officer_id__in=officer_ids, period__gte=start, period__lte=end, due_on__lt=as_of
    )
    for row in checks.values("officer_id").annotate(
        late=Count("id", filter=Q(submitted_at__isnull=False, submitted_at__date__gt=F("due_on"))),
        missing=Count("id", filter=Q(submitted_at__isnull=True)),
    ):
        result[row["officer_id"]].update(late_checks=row["late"], missing_checks=row["missing"])
    for row in (
        Declaration.objects.filter(officer_id__in=officer_ids, due_on__gte=start, due_on__lte=min(end, as_of))
        .filter(Q(submitted_at__isnull=True) | Q(submitted_at__date__gt=F("due_on")))
        .values("officer_id")
        .annotate(n=Count("id"))
    ):
        result[row["officer_id"]]["late_declarations"] = row["n"]
    for row in (
        IntegrityWarning.objects.filter(
            officer_id__in=officer_ids, approved_at__date__gte=start, approved_at__date__lte=end
        )
        .values("officer_id")
        .annotate(n=Count("id"))
    ):
        result[row["officer_id"]]["warnings"] = row["n"]
    for row in (
        Clue.objects.filter(
            subject_id__in=officer_ids,
            outcome__in=[Outcome.TRUE, Outcome.PARTLY_TRUE],
            concluded_on__gte=start,
            concluded_on__lte=end,
        )
        .values("subject_id")
        .annotate(n=Count("id"))
    ):
        result[row["subject_id"]]["confirmed_clues"] = row["n"]
    for key, counts in _case_risk_work(officer_ids, start, end, as_of).items():
        for officer_id, n in counts.items():
            result[officer_id][key] = n
    return result


def _case_risk_work(
    officer_ids: list[int], start: datetime.date, end: datetime.date, as_of: datetime.date
) -> dict[str, dict[int, int]]:
    """The case risk work of a quarter (每案必评): assessments due in it and submitted late or not at all, cases
    received in it that their lead handler has not assessed within the policy's days, assessments returned in it,
    cases closed in it without the closing feedback. Four queries."""
    until = min(end, as_of - datetime.timedelta(days=1))
    late = Counter()
    for row in (
        Assessment.objects.filter(author_id__in=officer_ids, due_on__gte=start, due_on__lte=until)
        .filter(Q(submitted_at__isnull=True) | Q(submitted_at__date__gt=F("due_on")))
        .values("author_id")
        .annotate(n=Count("id"))
    ):
        late[row["author_id"]] += row["n"]
    days = dict(CasePolicy.objects.values_list("institution_id", "assessment_days"))
    default = CasePolicy._meta.get_field("assessment_days").default
    unassessed = (
        CaseHandler.objects.filter(officer_id__in=officer_ids, is_lead=True)
        .filter(case__received_on__gte=start, case__received_on__lte=until)
        .filter(~Exists(Assessment.objects.filter(case=OuterRef("case_id"))))
        .values_list("officer_id", "case__institution_id", "case__received_on")
    )
    for officer_id, institution_id, received_on in unassessed:
        if received_on + datetime.timedelta(days=days.get(institution_id, default)) <= until:
            late[officer_id] += 1
    returned = dict(
        Approval.objects.filter(
            assessment__author_id__in=officer_ids,
            decision=Decision.RETURN,
            decided_at__date__gte=start,
            decided_at__date__lte=end,
        )
        .values("assessment__author_id")
        .annotate(n=Count("id"))
        .values_list("assessment__author_id", "n")
    )
    missing = dict(
        Assessment.objects.filter(
            NOT_SUPERSEDED,
            author_id__in=officer_ids,
            status=AssessmentStatus.APPROVED,
            case__closed_on__gte=start,
            case__closed_on__lte=min(end, as_of),
        )
        .values("author_id")
        .annotate(n=Count("id"))
        .values_list("author_id", "n")
    )
    return {"late_assessments": dict(late), "returned_assessments": returned, "missing_feedback": missing}


@transaction.atomic
def open_quarter(quarter: datetime.date) -> int:
    """Open one assessment per active officer for the quarter; idempotent (unique officer and quarter)."""
    officers = list(Officer.objects.filter(is_active=True, institution__isnull=False).values_list("pk", flat=True))
    before = QuarterlyAssessment.objects.filter(quarter=quarter).count()
    QuarterlyAssessment.objects.bulk_create(
        [QuarterlyAssessment(officer_id=pk, quarter=quarter) for pk in officers], ignore_conflicts=True, batch_size=2000
    )
    return QuarterlyAssessment.objects.filter(quarter=quarter).count() - before


@transaction.atomic
def adjust(assessment: QuarterlyAssessment, *, points: int, reason: str, acting_user: Officer) -> Adjustment:
    if not reason.strip():
        raise ValidationError(_("An adjustment needs its reason."))
    if assessment.grade:
        raise ValidationError(_("This quarter is already graded."))
    return Adjustment.objects.create(assessment=assessment, points=points, reason=reason.strip(), by=acting_user)


@transaction.atomic
def grade_quarter(
    assessment: QuarterlyAssessment, *, acting_user: Officer, as_of: datetime.date | None = None
) -> QuarterlyAssessment:
    """Score the quarter from what the system measured plus the evaluators' adjustments; a poor grade bars."""
    as_of = as_of or timezone.localdate()
    end = quarter_end(assessment.quarter)
    measured = measure([assessment.officer_id], assessment.quarter, end, as_of)[assessment.officer_id]
    policy = archive_policy(assessment.officer.institution)
    score = measured_score(measured, policy) + sum(a.points for a in assessment.adjustments.all())
    score = max(0, min(100, score))
    grade = grade_for(score, policy)
    updated = claim(
        assessment,
        Q(grade=""),
        acting_user=acting_user,
        reason=_("Graded"),
        measured=measured,
        score=score,
        grade=grade,
        graded_at=timezone.now(),
        graded_by=acting_user,
        barred_until=barred_until(grade, as_of, policy),
    )
    if not updated:
        raise ValidationError(_("This quarter is already graded."))
    assessment.refresh_from_db()
    return assessment


# --- printing ------------------------------------------------------------------------------------------------


# The edition of the archives' layout: 2 added the case risk assessments to the performance archive; from 3 the
# document hash is taken of the archive's canonical data rather than of its HTML in the default language; 4 added the
# leaders' accounts of duty and integrity to the integrity archive. A printed document keeps the edition it was
# printed in, and is verified against it.
LAYOUT = 4


def archive_body(archive, layout: int = LAYOUT) -> str:
    """The archive's content as HTML: the same fragment the page shows and the PDF prints."""
    return render_to_string("archives/archive_body.html", {"archive": archive, "s": archive.sections, "layout": layout})


def hashed_content(archive, layout: int) -> bytes:
    """What a document's hash covers: the archive's canonical data (``archives.canonical``) — the same in every
    language — or, for documents printed before layout 3, its HTML in the default language."""
    if layout >= 3:
        return digests.canonical(archive_data(archive, layout))
    with translation.override(settings.LANGUAGE_CODE):
        return archive_body(archive, layout).encode("utf-8")


def document_digest(archive, layout: int = LAYOUT) -> str:
    return digests.digest(hashed_content(archive, layout))


def _number(kind: str) -> str:
    prefix = "ZF" if kind == ArchiveKind.PERFORMANCE else "LZ"
    return f"{prefix}{timezone.localdate():%Y%m%d}-{secrets.token_hex(4).upper()}"


def render_pdf(
    archive, body: str, *, number: str, digest: str, printed_by: Officer, printed_at: datetime.datetime
) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "archives/pdf.html",
        {
            "archive": archive,
            "body": body,
            "number": number,
            "digest": digests.value(digest),
            "algorithm": digests.label(digest),
            "printed_by": printed_by,
            "printed_at": timezone.localtime(printed_at),
            "title": ArchiveKind(archive.kind).label,
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


class PrintedByAnotherRun(Exception):
    """A batch's officer already has their document: another run of the job printed it meanwhile."""


def print_archive(
    officer: Officer,
    kind: str,
    start: datetime.date,
    end: datetime.date,
    *,
    acting_user: Officer,
    job: PrintJob | None = None,
) -> tuple[PrintedDocument, bytes]:
    """Print an archive: number it, hash its content, render the PDF with the printer's watermark, keep a copy,
    and log the print."""
    archive = build(kind, officer, start, end)
    body = archive_body(archive)
    digest = document_digest(archive)
    now = timezone.now()
    for _attempt in range(5):
        number = _number(kind)
        pdf = render_pdf(archive, body, number=number, digest=digest, printed_by=acting_user, printed_at=now)
        path = Path(PRINT_DIR) / f"{number}.pdf"
        if job is not None and job.documents.filter(officer=officer).exists():
            raise PrintedByAnotherRun(officer)
        try:
            with transaction.atomic():
                document = PrintedDocument.objects.create(
                    number=number,
                    digest=digest,
                    officer=officer,
                    kind=kind,
                    start=start,
                    end=end,
                    printed_by=acting_user,
                    job=job,
                    file=str(path),
                    layout=LAYOUT,
                )
                seals.seal(SEALED, document.pk, officer_id=officer.pk, reference=document.number)
                # Written before the row commits: a document on record always has its file (a worker dying here
                # leaves a file nobody refers to, and the officer still to print).
                target = Path(settings.MEDIA_ROOT) / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(pdf)
        except IntegrityError:
            continue  # the random number was taken, or another run printed this officer of the job: see above
        audit.record(
            AuditEventKind.PRINTED, actor=acting_user, target=f"archive:{kind}:{officer.pk}", number=number,
            start=start.isoformat(), end=end.isoformat(),
        )  # fmt: skip
        return document, pdf
    raise RuntimeError("could not draw a free document number")


@dataclass(frozen=True)
class Verification:
    """What a printed number's check found: the document (None when no such number is on file), whether it is still
    as printed (its seal), whether the records still give the content printed, and — for a number whose document row
    is gone — the seal it left behind."""

    document: PrintedDocument | None
    matches: bool = False
    sealed: bool = False
    deleted: RecordSeal | None = None

    @property
    def algorithm(self) -> str:
        return digests.label(self.document.digest) if self.document else ""


def verify(number: str) -> Verification:
    """Look a printed number up: check its seal, then that the records still give the content that was printed."""
    number = number.strip().upper()
    document = PrintedDocument.objects.filter(number=number).select_related("officer__institution").first()
    if document is None:
        deleted = RecordSeal.objects.filter(kind=SEALED, reference=number).first()
        return Verification(None, deleted=deleted)
    seal = seals.seal_of(SEALED, document.pk)
    sealed = seal is not None and not list(seals.check([seal]))
    archive = build(document.kind, document.officer, document.start, document.end)
    matches = digests.matches(hashed_content(archive, document.layout), document.digest)
    return Verification(document, matches=matches, sealed=sealed)


# --- records -------------------------------------------------------------------------------------------------


def may_record_for(user: Officer, officer: Officer) -> bool:
    """Who enters talks and records about an officer, by the four levels (四级谈话): discipline staff and the
    principal leader over the officer's body, the deputy in charge of the officer's department and its head. Never
    about themselves, and never about someone they cannot see."""
    from integrity.choices import Role
    from integrity.queries import scope_for, visible_officers

    if officer.pk == user.pk:
        return False
    scope = scope_for(user)
    if not (scope.is_superuser or visible_officers(user).filter(pk=officer.pk).exists()):
        return False
    return (
        scope.is_superuser
        or scope.has_role(Role.DISCIPLINE, Role.PRINCIPAL_LEADER)
        or officer.department_id in scope.department_ids
    )


@transaction.atomic
def add_talk(officer: Officer, *, acting_user: Officer, **data) -> Talk:
    """Record a talk held with ``officer``. A talk given an occasion meets the oldest talk of that occasion the
    officer is owed (``TalkDue``) from before the day it was held."""
    if not may_record_for(acting_user, officer):
        raise PermissionDenied
    talk = Talk.objects.create(officer=officer, recorded_by=acting_user, **data)
    if talk.occasion:
        owed = (
            TalkDue.objects.select_for_update()
            .filter(officer=officer, occasion=talk.occasion, anchor__lte=talk.held_on, talk__isnull=True)
            .filter(closed_at__isnull=True)
            .order_by("anchor")
            .first()
        )
        if owed is not None:
            claim(
                owed, Q(talk__isnull=True, closed_at__isnull=True), acting_user=acting_user, reason=_("Held"), talk=talk
            )
    return talk


# --- talks owed (四级谈话) --------------------------------------------------------------------------------------


def open_annual_talks(year: int) -> int:
    """Owe every active officer this year's one-to-one talk, due by the end of their institution's policy month;
    idempotent, and officers arriving during the year are owed theirs on the next run. Returns how many opened."""
    anchor = datetime.date(year, 1, 1)
    officers = list(
        Officer.objects.filter(is_active=True, department__isnull=False)
        .exclude(talks_due__occasion=TalkOccasion.ANNUAL, talks_due__anchor=anchor)
        .values_list("pk", "institution_id")
    )
    months = dict(ArchivePolicy.objects.values_list("institution_id", "annual_talk_month"))
    default = ArchivePolicy._meta.get_field("annual_talk_month").default
    created = TalkDue.objects.bulk_create(
        [
            TalkDue(
                officer_id=pk,
                occasion=TalkOccasion.ANNUAL,
                anchor=anchor,
                due_on=month_end(year, months.get(institution_id, default)),
            )
            for pk, institution_id in officers
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )
    return len(created)


def open_post_talks(officer_ids: set[int]) -> None:
    """``integrity.events.post_changed``: an officer who has just taken up a post is owed a talk — on arrival for
    their first post, after a post change otherwise — within the policy's days. A post recorded long after it began
    (a back-dated history) owes nothing. In a fixed number of queries, however many officers (an onboarding import
    opens thousands at once); owing the same talk twice changes nothing."""
    today = timezone.localdate()
    officers = dict(Officer.objects.filter(pk__in=officer_ids, is_active=True).values_list("pk", "institution_id"))
    policies = {p.institution_id: p for p in ArchivePolicy.objects.filter(institution__in=set(officers.values()))}
    default = ArchivePolicy()
    deadlines = day_counters({pk: policies.get(pk, default).days_counted for pk in set(officers.values())})
    starts: dict[int, list[datetime.date]] = {}
    for officer_id, started_on in (
        PostAssignment.objects.filter(officer__in=officers)
        .order_by("officer_id", "-started_on", "-pk")
        .values_list("officer_id", "started_on")
    ):
        starts.setdefault(officer_id, []).append(started_on)
    owed = []
    for officer_id, institution_id in officers.items():
        if officer_id not in starts:
            continue
        latest, allowed = starts[officer_id][0], policies.get(institution_id, default).talk_days
        if latest < today - datetime.timedelta(days=allowed):
            continue
        occasion = TalkOccasion.ENTRY if len(starts[officer_id]) == 1 else TalkOccasion.POST_CHANGE
        due_on = deadlines[institution_id].after(latest, allowed)
        owed.append(TalkDue(officer_id=officer_id, occasion=occasion, anchor=latest, due_on=due_on))
    TalkDue.objects.bulk_create(owed, ignore_conflicts=True, batch_size=2000)


def owe_exit_talk(officer: Officer, successor: Officer | None, acting_user: Officer | None) -> None:
    """``integrity.departures``: the officer's other talks owed are closed, and a talk on departure is owed."""
    reason = _("Left the institution")
    for owed in TalkDue.objects.filter(officer=officer, talk__isnull=True, closed_at__isnull=True):
        claim(owed, Q(talk__isnull=True, closed_at__isnull=True), acting_user=acting_user, reason=reason,
              closed_at=timezone.now(), closed_reason=reason)  # fmt: skip
    policy = archive_policy(officer.institution)
    due_on = day_counter(officer.institution, policy.days_counted).after(officer.left_on, policy.talk_days)
    TalkDue.objects.get_or_create(
        officer=officer, occasion=TalkOccasion.EXIT, anchor=officer.left_on, defaults={"due_on": due_on},
    )  # fmt: skip


@transaction.atomic
def add_record(officer: Officer, *, acting_user: Officer, **data) -> OfficerRecord:
    """Enter a record about ``officer``. An award or a nomination dated while the officer is barred after a 不良
    grade goes in only on an unused override, which it uses."""
    if not may_record_for(acting_user, officer):
        raise PermissionDenied
    record = OfficerRecord(officer=officer, recorded_by=acting_user, **data)
    until = barred_on(officer, record.occurred_on) if record.kind in BARRED_RECORD_KINDS else None
    override = _waiting_override(officer) if until else None
    if until and override is None:
        raise ValidationError(
            _(
                "%(officer)s may not receive an award or be nominated until %(day)s after a poor quarterly grade. "
                "The principal leader may record an override with the reason on the officer's page."
            )
            % {"officer": officer.full_name, "day": until.isoformat()}
        )
    record.save()
    if override is not None:
        _use(override, acting_user, used_for_record=record)
    return record


@transaction.atomic
def amend_record(*, talk: Talk | None = None, record: OfficerRecord | None = None, text: str, acting_user: Officer):
    """Talks and records are never edited or deleted: a correction is added beside the original."""
    from archives.models import RecordAmendment

    officer = (talk or record).officer
    if not may_record_for(acting_user, officer):
        raise PermissionDenied
    if not text.strip():
        raise ValidationError(_("Write the correction."))
    return RecordAmendment.objects.create(talk=talk, record=record, text=text.strip(), created_by=acting_user)


# --- the bar after a 不良 grade --------------------------------------------------------------------------------


def barred_on(officer: Officer, day: datetime.date) -> datetime.date | None:
    """Until when ``officer`` is barred from promotion and awards on ``day`` (the latest bar), or None."""
    return (
        QuarterlyAssessment.objects.filter(officer=officer, barred_until__gte=day)
        .order_by("-barred_until")
        .values_list("barred_until", flat=True)
        .first()
    )


def may_override_bar(user: Officer, officer: Officer) -> bool:
    """A principal leader over the officer's body decides an override; never about themselves."""
    from integrity.choices import Role
    from integrity.queries import scope_for, visible_officers

    return (
        user.pk != officer.pk
        and scope_for(user).has_role(Role.PRINCIPAL_LEADER)
        and visible_officers(user).filter(pk=officer.pk).exists()
    )


def _unused() -> Q:
    return Q(used_for__isnull=True, used_for_record__isnull=True)


def _waiting_override(officer: Officer) -> BarOverride | None:
    return BarOverride.objects.select_for_update().filter(_unused(), officer=officer).first()


def _use(override: BarOverride, acting_user: Officer | None, **used_for) -> None:
    if not claim(override, _unused(), acting_user=acting_user, reason=_("Used"), **used_for):
        raise ValidationError(_("The override has just been used; try again."))


@transaction.atomic
def override_bar(officer: Officer, *, reason: str, acting_user: Officer) -> BarOverride:
    """A principal leader lets one promotion, award or nomination go ahead while the officer is barred, with the
    reason; the post change or record it is used for is linked to it, and both show in the integrity archive."""
    if not may_override_bar(acting_user, officer):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError(_("Say why the promotion may go ahead."))
    if barred_on(officer, timezone.localdate()) is None:
        raise ValidationError(_("%(officer)s is not barred.") % {"officer": officer.full_name})
    if BarOverride.objects.filter(_unused(), officer=officer).exists():
        raise ValidationError(_("An override for %(officer)s awaits its use.") % {"officer": officer.full_name})
    override = BarOverride(officer=officer, reason=reason.strip(), granted_by=acting_user)
    audited(override, acting_user, reason.strip()).save()
    return override


def check_promotion(officer: Officer, started_on: datetime.date, assignment, acting_user: Officer | None) -> None:
    """``integrity.bars``: a promotion starting while the officer is barred goes ahead only on an unused override,
    which it uses; otherwise it is refused."""
    until = barred_on(officer, started_on)
    if until is None:
        return
    override = _waiting_override(officer)
    if override is None:
        raise ValidationError(
            _(
                "%(officer)s is barred from promotion until %(day)s after a poor quarterly grade. The principal "
                "leader may record an override with the reason on the officer's page."
            )
            % {"officer": officer.full_name, "day": until.isoformat()}
        )
    _use(override, acting_user, used_for=assignment)
