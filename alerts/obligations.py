"""The alerts app's kinds of obligation: warnings to approve, rectification actions to carry out, clues to verify."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alerts.choices import ClueStatus
from alerts.models import Clue, IntegrityWarning, RectificationAction
from alerts.queries import approvable_warnings, assignable_clues
from integrity.obligations import Obligation, ObligationKind, register, waiting_annotations


def _approvable_warnings(actor):
    return approvable_warnings(actor).order_by("proposed_at")


def _warning(warning: IntegrityWarning) -> Obligation:
    return Obligation(str(warning), warning.get_absolute_url(), warning.officer.full_name if warning.officer else "")


def _action(action: RectificationAction) -> Obligation:
    return Obligation(
        _("%(kind)s for %(warning)s") % {"kind": action.get_kind_display(), "warning": action.warning},
        action.warning.get_absolute_url(),
        action.warning.officer.full_name if action.warning.officer else "",
        action.due_on,
    )


def _clue(clue: Clue) -> Obligation:
    return Obligation(str(clue), clue.get_absolute_url(), clue.subject.full_name if clue.subject else "")


def register_kinds() -> None:
    register(
        ObligationKind(
            "alerts.warning_approval",
            gettext_lazy("Integrity warnings to approve"),
            _approvable_warnings,
            _warning,
            order=14,
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
            _clue,
            order=21,
        )
    )
