"""Hashes of documents and records through one provider: SHA-256, or the national SM3 (国密), chosen by the
``DOCUMENT_HASH_ALGORITHM`` setting.

A stored hash names its algorithm — ``sm3:…``, ``hmac-sm3:…`` for a keyed one — and one without a name is plain
SHA-256, as every hash was before the choice existed. Verification reads the name, so a deployment that changes the
setting keeps verifying what it stored before, and says which algorithm a hash was made with.

Keyed hashes (HMAC) use ``AUDIT_SIGNING_KEY``, kept in the environment, outside the database: whoever edits a row in
SQL cannot compute the hash that would hide the edit.
"""

from __future__ import annotations

import datetime
import decimal
import hmac as std_hmac
import json
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives import hmac as crypto_hmac
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ALGORITHMS: dict[str, type[hashes.HashAlgorithm]] = {"sha256": hashes.SHA256, "sm3": hashes.SM3}
LABELS = {"sha256": "SHA-256", "sm3": "SM3"}


def configured() -> str:
    """The algorithm new hashes are made with."""
    name = getattr(settings, "DOCUMENT_HASH_ALGORITHM", "sha256")
    if name not in ALGORITHMS:
        raise ImproperlyConfigured(f"DOCUMENT_HASH_ALGORITHM must be one of {', '.join(ALGORITHMS)}, not {name!r}.")
    return name


def _key() -> bytes:
    return settings.AUDIT_SIGNING_KEY.encode("utf-8")


def _compute(data: bytes, name: str, keyed: bool) -> str:
    if keyed:
        mac = crypto_hmac.HMAC(_key(), ALGORITHMS[name]())
        mac.update(data)
        return mac.finalize().hex()
    h = hashes.Hash(ALGORITHMS[name]())
    h.update(data)
    return h.finalize().hex()


def digest(data: bytes, *, keyed: bool = False, algorithm: str | None = None) -> str:
    """The hash of ``data``, named by its algorithm: ``sha256:…``, ``sm3:…``, ``hmac-sha256:…`` or ``hmac-sm3:…``."""
    name = algorithm or configured()
    return f"{'hmac-' if keyed else ''}{name}:{_compute(data, name, keyed)}"


def parse(stored: str) -> tuple[str, bool]:
    """The algorithm a stored hash was made with, and whether it is keyed; a bare hash is plain SHA-256."""
    if ":" not in stored:
        return "sha256", False
    prefix = stored.split(":", 1)[0]
    keyed = prefix.startswith("hmac-")
    name = prefix.removeprefix("hmac-")
    if name not in ALGORITHMS:
        raise ValueError(f"unknown hash algorithm {prefix!r}")
    return name, keyed


def matches(data: bytes, stored: str) -> bool:
    """Whether ``stored`` is the hash of ``data`` under the algorithm it names (compared in constant time)."""
    try:
        name, keyed = parse(stored)
    except ValueError:
        return False
    value = stored.split(":", 1)[1] if ":" in stored else stored
    return std_hmac.compare_digest(_compute(data, name, keyed), value)


def label(stored: str) -> str:
    """How a stored hash is described to people: "SM3", "HMAC-SHA-256"…"""
    try:
        name, keyed = parse(stored)
    except ValueError:
        return "?"
    return f"{'HMAC-' if keyed else ''}{LABELS[name]}"


def value(stored: str) -> str:
    """The hexadecimal part of a stored hash."""
    return stored.split(":", 1)[1] if ":" in stored else stored


def _plain(obj: Any) -> Any:
    if isinstance(obj, datetime.datetime):
        return obj.astimezone(datetime.UTC).isoformat()
    if isinstance(obj, datetime.date):
        return obj.isoformat()
    if isinstance(obj, decimal.Decimal):
        return format(obj.normalize(), "f")
    raise TypeError(f"{type(obj).__name__} has no canonical form")


def canonical(content: Any) -> bytes:
    """A stable byte form of JSON-like ``content``: keys sorted, no spaces, UTF-8, dates in ISO form (UTC)."""
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain).encode()
