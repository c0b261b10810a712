"""The case declaration as sealed when submitted (``integrity.seals``): its own values and its answers."""

from __future__ import annotations

from typing import Any

from cases.models import Declaration, DeclarationAnswer
from integrity import seals

CODE = "cases.declaration"


def contents(ids: list[int]) -> dict[int, dict]:
    found: dict[int, dict[str, Any]] = {
        row["pk"]: {**{k: v for k, v in row.items() if k != "pk"}, "answers": []}
        for row in Declaration.objects.filter(pk__in=ids).values(
            "pk", "case_id", "officer_id", "submitted_at", "has_yes", "conflict_explanation"
        )
    }
    answers = DeclarationAnswer.objects.filter(declaration_id__in=found).order_by("declaration_id", "id")
    for declaration_id, *answer in answers.values_list(
        "declaration_id", "question_id", "question_text", "answer", "details", "person", "person_relation",
        "occurred_on", "handling",
    ):  # fmt: skip
        found[declaration_id]["answers"].append(answer)
    return found


def seal(declaration: Declaration) -> None:
    seals.seal(CODE, declaration.pk, officer_id=declaration.officer_id, reference=reference(declaration.pk))


def reference(pk: int) -> str:
    return Declaration.objects.values_list("case__number", flat=True).get(pk=pk)


def register_kinds() -> None:
    seals.register(
        seals.SealedKind(CODE, contents, lambda: Declaration.objects.filter(submitted_at__isnull=False), reference)
    )
