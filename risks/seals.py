"""The monthly check as sealed when filed (``integrity.seals``): its own values and its answers as worded then."""

from __future__ import annotations

from typing import Any

from integrity import seals
from risks.models import CheckAnswer, MonthlyCheck

CODE = "risks.monthlycheck"


def contents(ids: list[int]) -> dict[int, dict]:
    found: dict[int, dict[str, Any]] = {
        row["pk"]: {**{k: v for k, v in row.items() if k != "pk"}, "answers": []}
        for row in MonthlyCheck.objects.filter(pk__in=ids).values(
            "pk", "officer_id", "period", "table_id", "remark", "submitted_at"
        )
    }
    answers = CheckAnswer.objects.filter(monthly_check_id__in=found).order_by("monthly_check_id", "id")
    for check_id, *answer in answers.values_list(
        "monthly_check_id", "item_id", "risk", "problem_found", "problem", "action_taken"
    ):
        found[check_id]["answers"].append(answer)
    return found


def seal(check: MonthlyCheck) -> None:
    seals.seal(CODE, check.pk, officer_id=check.officer_id, reference=f"{check.period:%Y-%m}")


def reference(pk: int) -> str:
    return f"{MonthlyCheck.objects.values_list('period', flat=True).get(pk=pk):%Y-%m}"


def register_kinds() -> None:
    seals.register(
        seals.SealedKind(CODE, contents, lambda: MonthlyCheck.objects.filter(submitted_at__isnull=False), reference)
    )
