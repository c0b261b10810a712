"""The red/yellow/green light engine.

``compute_lights`` reads every reason of every officer (or of the officers named) as of a day, in a fixed
number of set-based queries — one per kind of reason, never one per officer — stores each officer's light and
reasons, records a ``LightEvent`` for every change of colour, and the day's per-institution snapshot for the
board's trend. It is idempotent and safe to run twice at once: a change is recorded as the event with the
light's next version, unique per officer, so a second run finds nothing changed and a concurrent one cannot
record the same change again.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from alerts.choices import ClueStatus, Colour, ReasonKind, WarningLevel, WarningStatus
from alerts.models import (
    AlertPolicy,
    Clue,
    IntegrityWarning,
    Light,
    LightEvent,
    LightSnapshot,
    Notification,
    Violation,
)
from alerts.reminders import light_change_notes
from alerts.rules import Reason, declaration_colour, sorted_reasons, worst
from cases.choices import AssessmentStatus, ReviewStatus
from cases.models import Assessment, Declaration
from integrity.models import Officer
from risks.choices import CheckStatus
from risks.models import MonthlyCheck
from risks.queries import policies_by_institution
from risks.rules import check_status


@dataclass
class RunResult:
    officers: int = 0
    changed: int = 0
    events: int = 0


@dataclass(frozen=True)
class _Check:
    due_on: datetime.date
    submitted_at: datetime.datetime | None


@dataclass(frozen=True)
class ReasonContext:
    """What a contributed source of reasons reads: the officers (id → (institution, department)), the day, the end of
    that day, and ``only`` — the filter that limits a model with an ``officer`` to these officers."""

    officers: dict[int, tuple[int, int | None]]
    as_of: datetime.date
    end_of_day: datetime.datetime
    only: dict


# Sources of reasons from the apps above alerts, registered in their ``AppConfig.ready``; each yields
# (officer id, Reason) for the officers of the context, in a fixed number of queries.
reason_sources: list[Callable[[ReasonContext], Iterable[tuple[int, Reason]]]] = []


def _alert_policies(institution_ids: Iterable[int]) -> dict[int, AlertPolicy]:
    found = {p.institution_id: p for p in AlertPolicy.objects.filter(institution_id__in=institution_ids)}
    return defaultdict(AlertPolicy, found)


def collect_reasons(
    officers: dict[int, tuple[int, int | None]], as_of: datetime.date, *, everyone: bool = False
) -> dict[int, list[Reason]]:
    """Every reason of the given officers (id → (institution id, department id)) as of ``as_of``. With
    ``everyone`` the queries filter by a join to active officers rather than by a list of 10,000 ids."""
    ids = list(officers)
    only = {"officer__is_active": True, "officer__institution__isnull": False} if everyone else {"officer_id__in": ids}
    by = {"is_active": True, "institution__isnull": False} if everyone else {"pk__in": ids}
    institutions = {i for i, _ in officers.values()}
    risk_policies = policies_by_institution(institutions)
    alert_policies = _alert_policies(institutions)
    reasons: dict[int, list[Reason]] = defaultdict(list)
    end_of_day = timezone.make_aware(datetime.datetime.combine(as_of + datetime.timedelta(days=1), datetime.time()))

    # 1. monthly checks not filed by then that are due soon or overdue (for today, simply not filed: the
    # condition the indexes serve; for a past day, also those filed after it)
    not_filed_then = Q(submitted_at__isnull=True)
    if as_of < timezone.localdate():
        not_filed_then |= Q(submitted_at__gte=end_of_day)
    for pk, officer_id, due_on, period in MonthlyCheck.objects.filter(
        not_filed_then, period__lte=as_of, due_on__lte=as_of + datetime.timedelta(days=31), **only
    ).values_list("pk", "officer_id", "due_on", "period"):
        policy = risk_policies[officers[officer_id][0]]
        status = check_status(_Check(due_on, None), policy, as_of)
        if status in (CheckStatus.DUE_SOON, CheckStatus.OVERDUE):
            message = "check_due" if status == CheckStatus.DUE_SOON else "check_overdue"
            params = {"month": f"{period:%Y-%m}", "due": due_on.isoformat()}
            url = reverse("risks:check_detail", args=[pk])
            reasons[officer_id].append(Reason(ReasonKind.MONTHLY_CHECK, status.light, message, params, url))

    # 2. case declarations not filed by then
    for row in (
        Declaration.objects.filter(not_filed_then, case__received_on__lte=as_of, **only)
        .values("officer_id")
        .annotate(n=Count("id"), earliest=Min("due_on"), one=Min("id"))
    ):
        officer_id = row["officer_id"]
        policy = alert_policies[officers[officer_id][0]]
        colour = declaration_colour(row["earliest"], as_of, policy.declaration_red_days)
        url = (
            reverse("cases:declaration_detail", args=[row["one"]])
            if row["n"] == 1
            else reverse("cases:case_list") + "?incomplete=true"
        )
        params = {"n": row["n"], "due": row["earliest"].isoformat()}
        reasons[officer_id].append(Reason(ReasonKind.DECLARATION, colour, "declarations", params, url))

    # 3. declarations with a yes awaiting the department head's review
    for officer_id, pk in Declaration.objects.filter(
        has_yes=True, review_status=ReviewStatus.PENDING, submitted_at__lt=end_of_day, **only
    ).values_list("officer_id", "pk"):
        url = reverse("cases:declaration_detail", args=[pk])
        reasons[officer_id].append(Reason(ReasonKind.DECLARATION_REVIEW, Colour.YELLOW, "declaration_review", {}, url))

    # 4. approved case assessments past their handling deadline
    for officer_id, pk, number in Assessment.objects.filter(
        status=AssessmentStatus.APPROVED, deadline__lt=as_of, author__in=Officer.objects.filter(**by)
    ).values_list("author_id", "pk", "case__number"):
        url = reverse("cases:assessment_detail", args=[pk])
        reasons[officer_id].append(Reason(ReasonKind.ASSESSMENT, Colour.YELLOW, "assessment", {"number": number}, url))

    # 5. open integrity warnings on the officer
    for officer_id, pk, level in IntegrityWarning.objects.filter(
        status=WarningStatus.RECTIFYING, approved_at__lt=end_of_day, **only
    ).values_list("officer_id", "pk", "level"):
        url = reverse("alerts:warning_detail", args=[pk])
        colour = WarningLevel(level).light
        reasons[officer_id].append(Reason(ReasonKind.WARNING, colour, "warning", {"level": level}, url))

    # 6. clues under verification (the officer is told there is one, never what it says)
    for officer_id in (
        Clue.objects.filter(
            status=ClueStatus.VERIFYING, subject__in=Officer.objects.filter(**by), received_on__lte=as_of
        )
        .values_list("subject_id", flat=True)
        .distinct()
    ):
        reasons[officer_id].append(Reason(ReasonKind.CLUE, Colour.YELLOW, "clue"))

    # 7. confirmed violations within the policy's period
    for officer_id, confirmed_on in Violation.objects.filter(confirmed_on__lte=as_of, **only).values_list(
        "officer_id", "confirmed_on"
    ):
        if (as_of - confirmed_on).days <= alert_policies[officers[officer_id][0]].violation_red_days:
            params = {"day": confirmed_on.isoformat()}
            reasons[officer_id].append(Reason(ReasonKind.VIOLATION, Colour.RED, "violation", params))
    # 8. what the apps above contribute (the annual personal matters report, from archives)
    context = ReasonContext(officers, as_of, end_of_day, only)
    for source in reason_sources:
        for officer_id, reason in source(context):
            reasons[officer_id].append(reason)
    return reasons


def compute_lights(as_of: datetime.date | None = None, officer_ids: Iterable[int] | None = None) -> RunResult:
    """Recompute and store lights as of ``as_of`` (today in the default zone when None)."""
    as_of = as_of or timezone.localdate()
    officers_qs = Officer.objects.filter(is_active=True, institution__isnull=False)
    if officer_ids is not None:
        officers_qs = officers_qs.filter(pk__in=list(officer_ids))
    officers = {pk: (inst, dept) for pk, inst, dept in officers_qs.values_list("pk", "institution_id", "department_id")}
    result = RunResult(officers=len(officers))
    if not officers:
        return result
    reasons = collect_reasons(officers, as_of, everyone=officer_ids is None)
    now = timezone.now()
    replay = as_of < timezone.localdate(now)
    if replay:
        # A run for a past day (a replay) records its changes at the end of that day, where the feed expects them.
        now = timezone.make_aware(datetime.datetime.combine(as_of, datetime.time(23, 59)))
    with transaction.atomic():
        # Plain rows rather than model instances: all of them are read on every run. For a whole run the
        # filter is the join to active officers, not a list of 10,000 ids.
        lights = Light.objects.filter(officer__is_active=True)
        if officer_ids is not None:
            lights = lights.filter(officer_id__in=list(officers))
        current = {
            officer_id: Light(pk=pk, officer_id=officer_id, colour=colour, reasons=stored, version=version, since=since)
            for pk, officer_id, colour, stored, version, since in lights.values_list(
                "pk", "officer_id", "colour", "reasons", "version", "since"
            )
        }
        new_lights, changed, events = [], [], []
        for officer_id, (institution_id, department_id) in officers.items():
            ordered = sorted_reasons(reasons.get(officer_id, []))
            stored = [r.as_dict() for r in ordered]
            colour = worst(ordered)
            light = current.get(officer_id)
            if light is None:
                light = Light(
                    officer_id=officer_id, colour=Colour.GREEN, reasons=[], version=0, since=now, computed_at=now
                )
                new_lights.append(light)
            if light.colour == colour and light.reasons == stored:
                continue
            if light.colour != colour:
                events.append(
                    LightEvent(
                        officer_id=officer_id, version=light.version + 1, from_colour=light.colour, to_colour=colour,
                        reasons=stored, at=now,
                        institution_id=institution_id, department_id=department_id,
                    )
                )  # fmt: skip
                light.version += 1
                light.colour = colour
                light.since = now
            light.reasons = stored
            light.computed_at = now
            if light.pk:
                changed.append(light)
        Light.objects.bulk_create(new_lights, ignore_conflicts=True, batch_size=2000)
        Light.objects.bulk_update(changed, ["colour", "reasons", "version", "since", "computed_at"], batch_size=1000)
        before = LightEvent.objects.filter(at=now).count() if events else 0
        LightEvent.objects.bulk_create(events, ignore_conflicts=True, batch_size=2000)
        if events and not replay:
            # The outbox: the change's messages are written with the change (once per version, however many runs).
            Notification.objects.bulk_create(light_change_notes(events), ignore_conflicts=True, batch_size=2000)
        result.changed = len(changed) + len(new_lights)
        result.events = (LightEvent.objects.filter(at=now).count() - before) if events else 0
        if officer_ids is None:
            _snapshot(as_of)
    return result


def _snapshot(as_of: datetime.date) -> None:
    counts: dict[int, Counter] = defaultdict(Counter)
    for institution_id, colour, n in (
        Light.objects.filter(officer__is_active=True)
        .values_list("officer__institution_id", "colour")
        .annotate(n=Count("id"))
        .order_by()
    ):
        counts[institution_id][colour] = n
    LightSnapshot.objects.bulk_create(
        [
            LightSnapshot(institution_id=i, day=as_of, green=c["green"], yellow=c["yellow"], red=c["red"])
            for i, c in counts.items()
        ],
        update_conflicts=True,
        unique_fields=["institution", "day"],
        update_fields=["green", "yellow", "red"],
    )


def refresh_light(officer_id: int) -> None:
    """Recompute one officer's light right after something that can change it (filing a check, and so on)."""
    compute_lights(officer_ids=[officer_id])


def refresh_lights(officer_ids: set[int]) -> None:
    """Recompute these officers' lights once what changed them is committed (``integrity.events``)."""
    compute_lights(officer_ids=sorted(officer_ids))
