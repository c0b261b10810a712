"""Domain events: a lower app says what changed; the apps above it decide what follows.

``officers_changed`` is sent by any action that can change what an officer owes or has on record (a check filed,
a case assigned, a declaration reviewed, a post changed); ``routes_changed`` when who answers for them may have
changed (a role granted or revoked). The alerts app subscribes its light refresh, the risks app its risk-table
opening and the cases app its re-routing of approvals in their ``AppConfig.ready``, so ``risks`` and ``cases`` never
import ``alerts`` and ``integrity`` imports neither. Subscribers run once the transaction commits, each officer once
per commit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

Subscriber = Callable[[set[int]], None]

_subscribers: dict[str, list[Subscriber]] = {"officers_changed": [], "post_changed": [], "routes_changed": []}


def subscribe(event: str, subscriber: Subscriber) -> None:
    """Run ``subscriber(officer_ids)`` after each commit that sent ``event``; subscribing twice adds nothing."""
    if subscriber not in _subscribers[event]:
        _subscribers[event].append(subscriber)


def _send(event: str, officer_ids: Iterable[int | None]) -> None:
    ids = {pk for pk in officer_ids if pk is not None}
    if not ids:
        return
    for subscriber in _subscribers[event]:
        transaction.on_commit(lambda subscriber=subscriber: subscriber(ids))


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
