"""The alerts app's kinds of obligation: warnings to approve, rectification actions to carry out, clues to verify;
and what the adverse records on an officer — a warning being rectified, a clue under verification, a confirmed
violation — do to their light (``integrity.ledger``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from functools import partial

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts import rules
from alerts.choices import CircularStatus, ClueStatus, WarningLevel, WarningStatus
from alerts.models import (
    AlertPolicy,
    Circular,
    CircularRecipient,
    Clue,
    IntegrityWarning,
    RectificationAction,
    ReturnVisit,
    Violation,
)
from alerts.queries import (
    approvable_circulars,
    approvable_clues,
    approvable_warnings,
    assignable_clues,
    circular_approvers,
    owed_visits,
    warning_approver,
)
from integrity import ledger
from integrity.choices import Colour, Role
from integrity.ledger import Owed, Reason
from integrity.models import Officer, RoleAssignment
from integrity.obligations import Obligation, ObligationKind, Waiting, register, waiting_annotations, waiting_since
from integrity.queries import chain_for
from integrity.routing import discipline_for


def _approvable_warnings(actor: Officer) -> QuerySet:
    return approvable_warnings(actor).order_by("proposed_at")


def _warnings_waiting() -> Iterator[Waiting]:
    """Proposed warnings, each with the one who answers for approving it (``alerts.queries.approvable_warnings``):
    the principal leader of the body, or the discipline staff when it is about a principal leader; never its
    proposer or its subject."""
    chain = chain_for()
    leaders = set(RoleAssignment.objects.filter(role=Role.PRINCIPAL_LEADER).values_list("officer_id", flat=True))
    proposed = IntegrityWarning.objects.filter(status=WarningStatus.PROPOSED)
    for warning in proposed.select_related("officer", "department", "institution"):
        actor = warning_approver(warning, chain, leaders)
        yield Waiting(
            "alerts.warning_approval", warning.pk, actor, warning.officer_id, warning.institution_id,
            warning.proposed_at, partial(_warning, warning),
        )  # fmt: skip


def _clues_waiting() -> Iterator[Waiting]:
    """Registered clues without a disposal, each with who decides it (``alerts.queries.clue_owner``)."""
    for clue in Clue.objects.filter(status=ClueStatus.REGISTERED).select_related("subject"):
        yield Waiting(
            "alerts.clue_assignment", clue.pk, clue.owner_id, clue.subject_id, clue.institution_id,
            clue.registered_at, partial(_clue, clue),
        )  # fmt: skip


def _disposals_waiting() -> Iterator[Waiting]:
    """Proposed disposals, each with the discipline lead who approves it."""
    for clue in Clue.objects.filter(status=ClueStatus.PROPOSED).select_related("subject"):
        yield Waiting(
            "alerts.clue_disposal_approval", clue.pk, clue.owner_id, clue.subject_id, clue.institution_id,
            clue.method_proposed_at or clue.registered_at, partial(_clue, clue),
        )  # fmt: skip


def _circulars_waiting() -> Iterator[Waiting]:
    """Notices awaiting approval, each with the principal leader of the issuing body who answers for it."""
    for circular in Circular.objects.filter(status=CircularStatus.SUBMITTED).select_related("written_by"):
        actor = circular_approvers(circular).order_by("pk").values_list("pk", flat=True).first()
        yield Waiting(
            "alerts.circular_approval", circular.pk, actor, circular.written_by_id, circular.institution_id,
            circular.submitted_at or circular.written_at, partial(_circular, circular),
        )  # fmt: skip


def _circular(circular: Circular) -> Obligation:
    return Obligation(
        circular.title, circular.get_absolute_url(), circular.written_by.full_name,
        since=waiting_since(circular.submitted_at),
    )  # fmt: skip


def _reading(receipt: CircularRecipient) -> Obligation:
    circular = receipt.circular
    return Obligation(
        f"{circular.number} {circular.title}".strip(), circular.get_absolute_url(), circular.institution.name,
        circular.read_by,
    )  # fmt: skip


def _visits_waiting() -> Iterator[Waiting]:
    """Visits not yet made, each with the discipline officer who answers for it, from their due day."""
    chain = chain_for()
    for visit in ReturnVisit.objects.filter(visited_on__isnull=True).select_related("case", "handler"):
        actor = discipline_for(visit.institution_id, chain, subject=visit.handler_id)
        yield Waiting(
            "alerts.return_visit",
            visit.pk,
            actor,
            visit.handler_id,
            visit.institution_id,
            visit.due_on,
            partial(_visit, visit),
        )


def _visit(visit: ReturnVisit) -> Obligation:
    return Obligation(
        f"{visit.case.number} {visit.case.title}", visit.get_absolute_url(),
        visit.handler.full_name if visit.handler else "", visit.due_on,
    )  # fmt: skip


def _verifying(clue: Clue) -> Obligation:
    """A clue to verify by the day its disposal method gives (older clues, assigned before methods, have none)."""
    subject = clue.subject.full_name if clue.subject else ""
    return Obligation(str(clue), clue.get_absolute_url(), subject, clue.due_on)


def _warning(warning: IntegrityWarning) -> Obligation:
    subject = warning.officer.full_name if warning.officer else ""
    return Obligation(str(warning), warning.get_absolute_url(), subject, since=waiting_since(warning.proposed_at))


def _action(action: RectificationAction) -> Obligation:
    return Obligation(
        _("%(kind)s for %(warning)s") % {"kind": action.get_kind_display(), "warning": action.warning},
        action.warning.get_absolute_url(),
        action.warning.officer.full_name if action.warning.officer else "",
        action.due_on,
    )


def _clue(clue: Clue) -> Obligation:
    subject = clue.subject.full_name if clue.subject else ""
    return Obligation(str(clue), clue.get_absolute_url(), subject, since=clue.received_on)


def warning_reasons(owed: Owed) -> Iterator[tuple[int, Reason]]:
    """Approved warnings on the officer being rectified: a general one yellow, a serious or critical one red."""
    for officer_id, pk, level in (
        owed.narrow(IntegrityWarning.objects.filter(status=WarningStatus.RECTIFYING, approved_at__lt=owed.end_of_day))
        .order_by()
        .values_list("officer_id", "pk", "level")
    ):
        link = ("alerts:warning_detail", pk)
        yield officer_id, Reason("warning", WarningLevel(level).light, "warning", {"level": level}, link)


def clue_reasons(owed: Owed) -> Iterator[tuple[int, Reason]]:
    """Clues under verification: the officer is told there is one, never what it says."""
    for officer_id in (
        owed.narrow(Clue.objects.filter(status=ClueStatus.VERIFYING, received_on__lte=owed.as_of), "subject")
        .order_by()
        .values_list("subject_id", flat=True)
        .distinct()
    ):
        yield officer_id, Reason("clue", Colour.YELLOW, "clue")


def violation_reasons(owed: Owed) -> Iterator[tuple[int, Reason]]:
    """Confirmed violations keep the light red for the policy's days."""
    found = AlertPolicy.objects.filter(institution_id__in=owed.institutions)
    policies = defaultdict(AlertPolicy, {policy.institution_id: policy for policy in found})
    for officer_id, confirmed_on in (
        owed.narrow(Violation.objects.filter(confirmed_on__lte=owed.as_of))
        .order_by()
        .values_list("officer_id", "confirmed_on")
    ):
        placed = owed.officers.get(officer_id)
        if placed and rules.violation_counts(confirmed_on, owed.as_of, policies[placed[0]].violation_red_days):
            yield officer_id, Reason("violation", Colour.RED, "violation", {"day": confirmed_on.isoformat()})


def register_kinds() -> None:
    ledger.messages(rules.MESSAGES, rules.LABELS)
    ledger.register("alerts.warning", warning_reasons)
    ledger.register("alerts.clue", clue_reasons)
    ledger.register("alerts.violation", violation_reasons)
    register(
        ObligationKind(
            "alerts.warning_approval",
            gettext_lazy("Integrity warnings to approve"),
            _approvable_warnings,
            _warning,
            order=14,
            waiting_items=_warnings_waiting,
        )
    )
    register(
        ObligationKind(
            "alerts.rectification",
            gettext_lazy("Rectification actions to carry out"),
            lambda actor: (
                RectificationAction.objects.filter(responsible=actor, result="")
                .select_related("warning__officer", "warning__department", "warning__institution")
                .order_by("due_on")
            ),
            _action,
            order=20,
            # An action waits on its responsible person from its due date: chased past it like a review.
            waiting_records=lambda: (
                RectificationAction.objects.filter(result="", responsible__isnull=False)
                .select_related("warning__officer", "warning__department", "warning__institution")
                .annotate(
                    **waiting_annotations(
                        actor="responsible_id",
                        subject="warning__officer_id",
                        since="due_on",
                        institution="warning__institution_id",
                    )
                )
            ),
        )
    )
    register(
        ObligationKind(
            "alerts.clue_assignment",
            gettext_lazy("Clues to assign a verifier"),
            lambda actor: assignable_clues(actor).order_by("received_on", "pk"),
            _clue,
            order=15,
            waiting_items=_clues_waiting,
        )
    )
    register(
        ObligationKind(
            "alerts.clue_disposal_approval",
            gettext_lazy("Clue disposals to approve"),
            lambda actor: approvable_clues(actor).order_by("received_on", "pk"),
            _clue,
            order=16,
            waiting_items=_disposals_waiting,
        )
    )
    register(
        ObligationKind(
            "alerts.clue_verification",
            gettext_lazy("Clues to verify"),
            lambda actor: (
                Clue.objects.filter(verifier=actor, status=ClueStatus.VERIFYING)
                .select_related("subject")
                .order_by("received_on")
            ),
            _verifying,
            order=21,
            # Past the method's day the verifier is chased and the one who answers for them told.
            waiting_records=lambda: (
                Clue.objects.filter(status=ClueStatus.VERIFYING, verifier__isnull=False, due_on__isnull=False)
                .select_related("subject")
                .annotate(
                    **waiting_annotations(
                        actor="verifier_id", subject="subject_id", since="due_on", institution="institution_id"
                    )
                )
            ),
        )
    )
    register(
        ObligationKind(
            "alerts.circular_approval",
            gettext_lazy("Circulated notices to approve"),
            lambda actor: approvable_circulars(actor).order_by("submitted_at"),
            _circular,
            order=16,
            waiting_items=_circulars_waiting,
        )
    )
    register(
        ObligationKind(
            "alerts.circular_reading",
            gettext_lazy("Circulated notices to read"),
            lambda actor: (
                CircularRecipient.objects.filter(
                    officer=actor, read_at__isnull=True, circular__status=CircularStatus.PUBLISHED
                )
                .select_related("circular__institution")
                .order_by("circular__read_by")
            ),
            _reading,
            order=22,
            # Unread past its day, a notice is chased like any obligation (the reader's superior is told).
            waiting_records=lambda: (
                CircularRecipient.objects.filter(read_at__isnull=True, circular__status=CircularStatus.PUBLISHED)
                .select_related("circular__institution")
                .annotate(**waiting_annotations(actor="officer_id", subject="officer_id", since="circular__read_by"))
            ),
        )
    )
    register(
        ObligationKind(
            "alerts.return_visit",
            gettext_lazy("Return visits after closed cases"),
            lambda actor: owed_visits(actor).order_by("due_on", "pk"),
            _visit,
            order=23,
            waiting_items=_visits_waiting,
        )
    )
