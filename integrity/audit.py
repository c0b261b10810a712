"""The security audit log (安全审计): ``record`` appends an event, ``verify_chain`` finds the first row that was changed
or removed.

Every row stores the hash of the row before it and a hash over that and its own content, written under one lock so
the chain has no forks. An UPDATE or DELETE is refused by a trigger on PostgreSQL; an edit made around it (the
trigger disabled, a restore from a doctored dump) breaks the chain at the edited row, and a deletion at the row
after the gap.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from integrity.models import AuditEvent, Officer

# The key of the PostgreSQL advisory lock that serialises appends (any constant unused elsewhere).
_LOCK = 7_411_203


def content_hash(event: AuditEvent) -> str:
    """The hash over the previous row's hash and this row's content, in a canonical JSON form."""
    content = {
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
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def record(
    event: str,
    *,
    actor: Officer | None = None,
    username: str = "",
    request: HttpRequest | None = None,
    target: str = "",
    **detail,
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
        row.hash = content_hash(row)
        row.save(force_insert=True)
    return row


@dataclass(frozen=True)
class Break:
    """Where the chain first breaks: the row, and whether its content changed or a row before it went missing."""

    event_id: int
    reason: str  # "content" or "link"


def verify_chain(batch: int = 5000) -> tuple[int, Break | None]:
    """Walk the log in order: how many rows were checked, and the first break, if any."""
    previous, checked, last_id = "", 0, 0
    while True:
        rows = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:batch])
        if not rows:
            return checked, None
        for row in rows:
            if row.prev_hash != previous:
                return checked, Break(row.id, "link")
            if content_hash(row) != row.hash:
                return checked, Break(row.id, "content")
            previous, last_id, checked = row.hash, row.id, checked + 1
