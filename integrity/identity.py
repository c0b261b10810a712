"""Sign-in through the institution's unified identity platform (统一身份认证平台) by OpenID Connect
(mozilla-django-oidc), when ``OIDC_AUTHORIZATION_ENDPOINT`` is set: the platform authenticates the officer; the
account is the active officer whose staff number is the platform's claim (``OIDC_OFFICER_CLAIM``). Nobody is
created from the platform."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from integrity.backends import active_officer
from integrity.models import Officer


def configured() -> bool:
    return bool(getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", ""))


class IdentityPlatformBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims: dict) -> bool:
        return bool(str(claims.get(settings.OIDC_OFFICER_CLAIM, "")).strip())

    def filter_users_by_claims(self, claims: dict) -> QuerySet[Officer]:
        number = str(claims.get(settings.OIDC_OFFICER_CLAIM, "")).strip()
        return Officer.objects.filter(staff_number=number, is_active=True) if number else Officer.objects.none()

    def describe_user_by_claims(self, claims: dict) -> str:
        return f"staff number {claims.get(settings.OIDC_OFFICER_CLAIM)!r}"

    def get_user(self, user_id: int) -> Officer | None:
        return active_officer(user_id)


@login_not_required
@never_cache
def sign_in(request: HttpRequest) -> HttpResponse:
    """To the platform's sign-in page (with a state and a nonce kept in the session)."""
    if not configured():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


@login_not_required
@never_cache
def callback(request: HttpRequest) -> HttpResponse:
    """Back from the platform: the code is exchanged for the officer's identity, then the usual login."""
    if not configured():
        raise Http404
    return OIDCAuthenticationCallbackView.as_view()(request)
