"""Sign-in through the institution's directory (LDAP or Active Directory, django-auth-ldap), named in
``AUTHENTICATION_BACKENDS`` only when ``LDAP_SERVER_URI`` is set (this module needs python-ldap)."""

from typing import Any

from django.http import HttpRequest
from django_auth_ldap.backend import LDAPBackend

from integrity.backends import active_officer
from integrity.models import Officer


class DirectoryBackend(LDAPBackend):
    """The directory checks the password; the account is the active officer whose staff number is the directory's
    attribute (``AUTH_LDAP_USER_QUERY_FIELD``, ``AUTH_LDAP_USER_ATTR_MAP``). Nobody is created from the directory:
    accounts come from the organisation pages and the onboarding import."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return user if user is not None and user.is_active else None

    def get_user(self, user_id: int) -> Officer | None:
        return active_officer(user_id)
