"""The request as the product's views see it.

Every page but sign-in sits behind ``LoginRequiredMiddleware``, so a view's ``request.user`` is an officer, never
the anonymous user; ``HtmxMiddleware`` adds ``request.htmx``. Views take an ``AuthenticatedHttpRequest`` so the type
checker knows both; the few views open to anyone (``login_not_required``) take a plain ``HttpRequest``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from integrity.models import Officer


class AuthenticatedHttpRequest(HttpRequest):
    user: Officer  # narrower than HttpRequest's: the middleware lets no one else in
    htmx: HtmxDetails


def officer_of(request: HttpRequest) -> Officer:
    """The officer signed in on a request only officers reach: the admin site's, whose methods Django types with a
    plain ``HttpRequest``."""
    user = request.user
    if not isinstance(user, Officer):
        raise PermissionDenied
    return user


def an_id(value: object) -> int | None:
    """A primary key from a query string, or None for anything that is not one."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 19 else None
