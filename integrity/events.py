"""Domain events: a lower app says what changed; the apps above it decide what follows.

``officers_changed`` is sent by any action that can change what an officer owes or has on record (a check filed,
a case assigned, a declaration reviewed, a post changed); ``routes_changed`` when who answers for them may have
changed (a role granted or revoked). The alerts app subscribes its light refresh, the risks app its risk-table
opening and the cases app its re-routing of approvals in their ``AppConfig.ready``, so ``risks`` and ``cases`` never
import ``alerts`` and ``integrity`` imports neither. Subscribers run once the transaction commits: each once
per commit, with every officer the transaction named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

Subscriber = Callable[[set[int]], object]  # what it returns is not used

# The order subscribers run in after a commit: new posts open their tables and talks first, then approvals are routed
# again, and the lights, which read all of it, come last.
ORDER = ("post_changed", "routes_changed", "officers_changed")
_subscribers: dict[str, list[Subscriber]] = {event: [] for event in ORDER}


def subscribe(event: str, subscriber: Subscriber) -> None:
    """Run ``subscriber(officer_ids)`` after each commit that sent ``event``; subscribing twice adds nothing."""
    if subscriber not in _subscribers[event]:
        _subscribers[event].append(subscriber)


class _Batch:
    """What one transaction sent, delivered once it commits: each subscriber once, with all its officers (a
    transaction that files a hundred declarations refreshes each handler's light once, not a hundred times)."""

    def __init__(self, position: int) -> None:
        self.ids: dict[str, set[int]] = {event: set() for event in ORDER}
        self.position = position  # where its first callback stands in the connection's commit hooks
        self.delivered = False

    def deliver(self) -> None:
        if self.delivered:  # every send registers it; the first callback to run delivers everything
            return
        self.delivered = True
        for event in ORDER:
            if self.ids[event]:
                for subscriber in _subscribers[event]:
                    subscriber(self.ids[event])


def _send(event: str, officer_ids: Iterable[int | None]) -> None:
    """Add the ids to the transaction's batch and register its delivery with ``on_commit`` (outside a transaction it
    runs at once). A batch whose first callback is gone — dropped with a rolled-back savepoint, or with the whole
    transaction — is not reused, so what was rolled back is not delivered; ids sent inside a later savepoint that
    rolls back still go with the batch, which costs a recomputation, never a wrong result: every subscriber reads
    the database afresh."""
    ids = {pk for pk in officer_ids if pk is not None}
    if not ids:
        return
    connection = transaction.get_connection()
    hooks = connection.run_on_commit
    batch = getattr(connection, "_officer_events", None)
    if (
        batch is None
        or batch.delivered
        or not connection.in_atomic_block
        or len(hooks) <= batch.position
        or hooks[batch.position][1] != batch.deliver
    ):
        batch = connection._officer_events = _Batch(len(hooks))
    batch.ids[event] |= ids
    transaction.on_commit(batch.deliver)


def officers_changed(*officer_ids: int | None) -> None:
    """What these officers owe or have on record may have changed: their lights and to-dos follow."""
    _send("officers_changed", officer_ids)


def post_changed(*officer_ids: int) -> None:
    """The officers hold new posts: a new personal risk table is due at once, and the lights follow."""
    _send("post_changed", officer_ids)
    officers_changed(*officer_ids)


def routes_changed(officer_ids: Iterable[int]) -> None:
    """Who reviews or approves for these officers may have changed (a role granted or revoked, a post moved): what
    waits on their reviewers is routed again."""
    _send("routes_changed", officer_ids)
