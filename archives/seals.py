"""The printed archive's record as sealed when printed (``integrity.seals``): number, hash, whose, by whom, when."""

from __future__ import annotations

from archives.models import PrintedDocument
from integrity import seals

CODE = "archives.printeddocument"


def contents(ids: list[int]) -> dict[int, dict]:
    rows = PrintedDocument.objects.filter(pk__in=ids).values(
        "pk", "number", "digest", "officer_id", "kind", "start", "end", "printed_by_id", "printed_at", "layout"
    )
    return {row["pk"]: {k: v for k, v in row.items() if k != "pk"} for row in rows}


def reference(pk: int) -> str:
    return PrintedDocument.objects.values_list("number", flat=True).get(pk=pk)


def register_kinds() -> None:
    seals.register(seals.SealedKind(CODE, contents, PrintedDocument.objects.all, reference))
