"""Telling people from any app: an app says who should hear what; the alerts app, which owns the bell and the e-mail
outbox, registers the sender in its ``AppConfig.ready``. In the caller's transaction, once per recipient and
occasion (a second call with the same occasion tells nobody again).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# Each takes (recipient ids, occasion key, text, url).
senders: list[Callable[[Iterable[int], str, str, str], None]] = []


def tell(recipient_ids: Iterable[int], *, occasion: str, text: str, url: str = "") -> None:
    recipients = sorted(set(recipient_ids))
    if not recipients:
        return
    for send in senders:
        send(recipients, occasion, text, url)
