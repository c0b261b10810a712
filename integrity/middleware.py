"""Dates and deadlines follow the signed-in officer's institution's time zone; sessions end when idle; an officer
who must give a second factor, then one who must choose a new password, does nothing else first."""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.choices import AuditEventKind

# Session keys: when the user last did something (a timestamp), and why they must change their password first.
LAST_ACTIVE = "integrity_last_active"
MUST_CHANGE = "integrity_must_change_password"
SECOND_FACTOR = "integrity_second_factor_pending"
SESSION_TOKEN = "integrity_session_token"
# Requests a page makes by itself (polling the bell, the board, a print job) say so; they do not keep a session alive.
BACKGROUND_HEADER = "X-Background"
# Where an officer who must change their password may still go.
OPEN_WHILE_CHANGING = {"password_change", "password_change_done", "logout", "login", "set_language"}
# Where an officer who has not yet given their second factor may go.
OPEN_WHILE_VERIFYING = {"second_factor", "second_factor_qr", "logout", "login", "set_language"}


class InstitutionTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        institution = getattr(getattr(request, "user", None), "institution", None)
        if institution is not None:
            try:
                timezone.activate(zoneinfo.ZoneInfo(institution.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


def touch(request: HttpRequest) -> None:
    request.session[LAST_ACTIVE] = timezone.now().timestamp()


class SessionSecurityMiddleware:
    """等保: a session with no user action for ``SESSION_IDLE_MINUTES`` ends (background polling does not count);
    an officer whose password was reset or has expired is held on the password page until they choose one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.get_response(request)
        session, now = request.session, timezone.now().timestamp()
        last, idle = session.get(LAST_ACTIVE), settings.SESSION_IDLE_MINUTES * 60
        if idle and last is not None and now - last > idle:
            return _end(request, AuditEventKind.TIMEOUT)
        token = session.get(SESSION_TOKEN)
        if token and token != request.user.session_token:  # one session per account: signed in elsewhere since
            return _end(request, AuditEventKind.REPLACED, _("You were signed out: this account signed in elsewhere."))
        if request.headers.get(BACKGROUND_HEADER) != "1" and (last is None or now - last > 60):
            session[LAST_ACTIVE] = now  # at most once a minute: a session write is not free
        if session.get(SECOND_FACTOR) and _url_name(request) not in OPEN_WHILE_VERIFYING:
            return _hold(request, "second_factor")
        if session.get(MUST_CHANGE) and _url_name(request) not in OPEN_WHILE_CHANGING:
            return _hold(request, "password_change")
        return self.get_response(request)


def _end(request: HttpRequest, why: str, notice: str = "") -> HttpResponse:
    """End the session (the logout signal records why) and send the user to log in again, told why."""
    vars(request)["ended_because"] = why  # read by the logout signal (integrity.signals)
    logout(request)
    if notice:
        messages.warning(request, notice)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse(settings.LOGIN_URL)
        return response
    return redirect_to_login(request.get_full_path())


def held(request: HttpRequest) -> bool:
    """Whether the signed-in officer is held on the second-factor or the password page."""
    return bool(request.session.get(SECOND_FACTOR) or request.session.get(MUST_CHANGE))


def _hold(request: HttpRequest, url_name: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return HttpResponse(status=204)  # a fragment a page asked for: nothing is swapped in while held
    return redirect(url_name)


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None
