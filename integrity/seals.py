"""Seals on what must never change once filed (封存): a keyed hash of a record's own content, chained per officer.

Each app declares its kinds of sealed record once (``register`` from its ``ready``): how to read the content of
some records by id — the record's own data, ids rather than names that live elsewhere, so that renaming a
department changes no seal — and which records are filed and so must carry a seal. The action that files a record
calls ``seal`` in the same transaction. ``verify`` (the ``verify_records`` command, the verify page) finds every
record whose content no longer matches its seal, every sealed record that is gone, every broken link of an officer's
chain and every filed record without a seal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.utils import timezone

from integrity import digests
from integrity.models import RecordSeal

# The key of the PostgreSQL advisory lock that serialises one officer's seals (with the officer's id).
_LOCK = 7_411_204


@dataclass(frozen=True)
class SealedKind:
    """A kind of sealed record: ``contents`` reads the content of records by id (missing ones are left out);
    ``filed`` is every record that must carry a seal; ``reference`` is what people call one (a month, a case
    number, a document number), kept with the seal so that a deleted record can still be named."""

    code: str
    contents: Callable[[list[int]], dict[int, dict]]
    filed: Callable[[], models.QuerySet]
    reference: Callable[[int], str]


_kinds: dict[str, SealedKind] = {}


def register(kind: SealedKind) -> None:
    """Declare a kind once (from an app's ``ready``); registering the same code again replaces it."""
    _kinds[kind.code] = kind


def _covered(row: RecordSeal, content: dict) -> bytes:
    return digests.canonical(
        {"kind": row.kind, "id": row.object_id, "officer": row.officer_id, "prev": row.prev, "content": content}
    )


def seal(code: str, object_id: int, *, officer_id: int, reference: str) -> RecordSeal:
    """Seal a record as it is now; call it in the transaction that files the record."""
    content = _kinds[code].contents([object_id])[object_id]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK, officer_id])
        prev = RecordSeal.objects.filter(officer_id=officer_id).order_by("-id").values_list("seal", flat=True).first()
        row = RecordSeal(
            officer_id=officer_id, kind=code, object_id=object_id, reference=reference[:100],
            sealed_at=timezone.now(), prev=prev or "",
        )  # fmt: skip
        row.seal = digests.digest(_covered(row, content), keyed=True)
        row.save(force_insert=True)
    return row


@dataclass(frozen=True)
class Finding:
    """One thing wrong: ``problem`` is "changed" (the content or the seal was altered), "deleted" (the sealed record
    is gone), "link" (a seal of the officer's chain is missing before this one) or "unsealed" (a filed record that
    was never sealed)."""

    kind: str
    object_id: int
    problem: str
    reference: str = ""
    officer_id: int | None = None


def check(rows: list[RecordSeal]) -> Iterator[Finding]:
    """The findings on some seals (their records read in one query per kind)."""
    ids: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        ids[row.kind].append(row.object_id)
    contents = {code: _kinds[code].contents(some) if code in _kinds else {} for code, some in ids.items()}
    for row in rows:
        content = contents[row.kind].get(row.object_id)
        if content is None:
            yield Finding(row.kind, row.object_id, "deleted", row.reference, row.officer_id)
        elif not digests.matches(_covered(row, content), row.seal):
            yield Finding(row.kind, row.object_id, "changed", row.reference, row.officer_id)


def verify(batch: int = 2000) -> tuple[int, list[Finding]]:
    """Walk every officer's chain of seals: how many were checked, and what was found."""
    findings: list[Finding] = []
    checked, last = 0, (0, 0)
    previous: dict[int, str] = {}
    while True:
        rows = list(
            RecordSeal.objects.filter(
                models.Q(officer_id__gt=last[0]) | models.Q(officer_id=last[0], id__gt=last[1])
            ).order_by("officer_id", "id")[:batch]
        )
        if not rows:
            break
        for row in rows:
            if row.prev != previous.get(row.officer_id, ""):
                findings.append(Finding(row.kind, row.object_id, "link", row.reference, row.officer_id))
            previous = {row.officer_id: row.seal}
        findings.extend(check(rows))
        checked += len(rows)
        last = (rows[-1].officer_id, rows[-1].id)
    for code, kind in sorted(_kinds.items()):
        sealed = RecordSeal.objects.filter(kind=code).values("object_id")
        for pk in kind.filed().exclude(pk__in=sealed).values_list("pk", flat=True).order_by("pk").iterator():
            findings.append(Finding(code, pk, "unsealed"))
    return checked, findings


def seal_of(code: str, object_id: int) -> RecordSeal | None:
    return RecordSeal.objects.filter(kind=code, object_id=object_id).first()


def seal_unsealed() -> int:
    """Seal every filed record that has no seal — those filed before seals existed — in the order they were made.
    Returns how many."""
    count = 0
    for code, kind in sorted(_kinds.items()):
        sealed = RecordSeal.objects.filter(kind=code).values("object_id")
        for pk, officer_id in kind.filed().exclude(pk__in=sealed).order_by("pk").values_list("pk", "officer_id"):
            seal(code, pk, officer_id=officer_id, reference=kind.reference(pk))
            count += 1
    return count
