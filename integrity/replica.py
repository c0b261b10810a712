"""Reading from a PostgreSQL replica (``DATABASE_REPLICA_URL``): the busiest pages read there, everything else stays on
the primary.

A page reads from the replica only when its view says it may (``reads_from_replica``), the request is a plain GET,
nothing is being written in the same transaction, and the browser did not write anything in the last
``REPLICA_LAG_SECONDS`` — the page that follows a change shows the change, whatever the replica's lag.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
SAFE_METHODS = ("GET", "HEAD")
WROTE_COOKIE = "wrote_at"
ViewT = TypeVar("ViewT", bound=Callable[..., HttpResponse])
_reading = contextvars.ContextVar("reads_from_replica", default=False)


def reads_from_replica(view: ViewT) -> ViewT:
    """Mark a view function whose GET may read from the replica (the board; list classes set the attribute)."""
    vars(view)["reads_from_replica"] = True
    return view


class ReplicaRouter:
    """Reads go to the replica while a marked page is being drawn; writes, migrations and the rest to the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if _reading.get() and not connections["default"].in_atomic_block:
            return REPLICA
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replica holds the same rows

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db != REPLICA


class ReplicaMiddleware:
    """Choose the database a request reads from; remember, in a short-lived cookie, that this browser just wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        token = vars(request).get("replica_token")
        if token is not None:
            _reading.reset(token)
        if REPLICA in settings.DATABASES and request.method not in SAFE_METHODS and response.status_code < 500:
            response.set_cookie(
                WROTE_COOKIE, f"{time.time():.0f}", max_age=settings.REPLICA_LAG_SECONDS, httponly=True,
                samesite="Lax", secure=settings.SESSION_COOKIE_SECURE,
            )  # fmt: skip
        return response

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        view = getattr(view_func, "view_class", view_func)
        if (
            REPLICA in settings.DATABASES
            and request.method in SAFE_METHODS
            and getattr(view, "reads_from_replica", False)
            and "_export" not in request.GET  # an export writes its audit row: it reads where it writes
            and not _wrote_lately(request)
        ):
            vars(request)["replica_token"] = _reading.set(True)


def _wrote_lately(request: HttpRequest) -> bool:
    try:
        return time.time() - float(request.COOKIES.get(WROTE_COOKIE, 0)) < settings.REPLICA_LAG_SECONDS
    except ValueError:
        return False
