"""The security audit log (安全审计): ``record`` appends an event, ``verify_chain`` finds the first row that was changed
or removed.

Every row stores the hash of the row before it and a keyed hash (``integrity.digests``) over that and its own content,
written under one lock so the chain has no forks; without the key, nobody can recompute the chain after an edit.
An UPDATE or DELETE is refused by a trigger on PostgreSQL; an edit made around it (the trigger disabled, a restore
from a doctored dump) breaks the chain at the edited row, and a deletion at the row after the gap.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from integrity import digests
from integrity.models import AuditCheckpoint, AuditEvent, Officer, SecurityPolicy

# The key of the PostgreSQL advisory lock that serialises appends (any constant unused elsewhere).
_LOCK = 7_411_203


def covered(event: AuditEvent) -> bytes:
    """What a row's hash covers: the previous row's hash and this row's content, in canonical form."""
    fields = {
        "prev": event.prev_hash,
        "at": event.at.isoformat(),
        "actor": event.actor_id,
        "username": event.username,
        "event": event.event,
        "target": event.target,
        "detail": event.detail,
        "ip": event.ip,
        "ua": event.user_agent,
    }
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def record(
    event: str,
    *,
    actor: Officer | None = None,
    username: str = "",
    request: HttpRequest | None = None,
    target: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one event. ``actor`` defaults to the request's user; ``detail`` holds JSON-safe facts (counts, names,
    what was changed)."""
    if actor is None and request is not None and getattr(request, "user", None) is not None:
        actor = request.user if request.user.is_authenticated else None
    meta = request.META if request is not None else {}
    row = AuditEvent(
        at=timezone.now(),
        actor=actor,
        username=(username or (actor.get_username() if actor else ""))[:150],
        event=event,
        target=target[:200],
        detail=detail,
        ip=meta.get("REMOTE_ADDR") or None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:300],
    )
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        row.prev_hash = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first() or ""
        row.hash = digests.digest(covered(row), keyed=True)
        row.save(force_insert=True)
    return row


@dataclass(frozen=True)
class Break:
    """Where the chain first breaks: the row, and whether its content changed or a row before it went missing."""

    event_id: int
    reason: str  # "content" or "link"


def verify_chain(batch: int = 5000) -> tuple[int, Break | None]:
    """Walk the log in order from the last archive cut (``AuditCheckpoint``): how many rows were checked, and the
    first break, if any."""
    checkpoint = AuditCheckpoint.objects.order_by("-up_to_id").first()
    previous, checked = (checkpoint.last_hash, 0) if checkpoint else ("", 0)
    last_id = checkpoint.up_to_id if checkpoint else 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return checked, None
        for row in rows:
            if row.prev_hash != previous:
                return checked, Break(row.id, "link")
            if not digests.matches(covered(row), row.hash):
                return checked, Break(row.id, "content")
            previous, last_id, checked = row.hash, row.id, checked + 1


def _row(event: AuditEvent) -> dict:
    return {
        "id": event.id, "at": event.at.isoformat(), "actor": event.actor_id, "username": event.username,
        "event": event.event, "target": event.target, "detail": event.detail, "ip": event.ip,
        "ua": event.user_agent, "prev": event.prev_hash, "hash": event.hash,
    }  # fmt: skip


def sign(content: bytes) -> str:
    """HMAC-SHA256 with the deployment's audit key (``AUDIT_SIGNING_KEY``), kept outside the database."""
    return hmac.new(settings.AUDIT_SIGNING_KEY.encode(), content, hashlib.sha256).hexdigest()


def archive_before(cutoff: datetime.datetime) -> AuditCheckpoint | None:
    """Retention: move the rows older than ``cutoff`` out of the database — to a JSON-lines file signed with the
    audit key, after checking their chain — and note where the chain goes on. Refused when the chain is broken:
    tampering is reported, never archived away. Returns the checkpoint, or None when nothing is old enough."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK])
        up_to = AuditEvent.objects.filter(at__lt=cutoff).order_by("-id").values_list("id", flat=True).first()
        if up_to is None:
            return None
        _checked, broken = verify_chain()
        if broken is not None and broken.event_id <= up_to:
            raise ValueError(f"the audit log is broken at row {broken.event_id}; nothing was archived")
        rows = list(AuditEvent.objects.filter(id__lte=up_to).order_by("id"))
        content = "".join(json.dumps(_row(r), ensure_ascii=False, sort_keys=True) + "\n" for r in rows).encode()
        name = f"audit/audit-{rows[0].id:012d}-{up_to:012d}.jsonl"
        path = Path(settings.MEDIA_ROOT) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        checkpoint = AuditCheckpoint.objects.create(
            up_to_id=up_to, last_hash=rows[-1].hash, rows=len(rows), file=name,
            sha256=hashlib.sha256(content).hexdigest(), signature=sign(content),
        )  # fmt: skip
        with _rows_may_go():
            AuditEvent.objects.filter(id__lte=up_to).delete()
    return checkpoint


@contextmanager
def _rows_may_go() -> Iterator[None]:
    """The one place rows leave the log: the append-only trigger is lifted for this statement only."""
    if connection.vendor != "postgresql":
        yield
        return
    import pgtrigger

    with pgtrigger.ignore("integrity.AuditEvent:audit_append_only"):
        yield


def archive_expired() -> AuditCheckpoint | None:
    """The nightly job: archive what is older than the security policy's retention."""
    days = SecurityPolicy.current().audit_retention_days
    return archive_before(timezone.now() - datetime.timedelta(days=days))
