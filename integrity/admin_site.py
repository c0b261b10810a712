"""The admin site answers to the product's administrator role, not to Django's ``is_staff`` flag."""

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from integrity.models import Officer
from integrity.queries import scope_for


class IntegrityAdminSite(admin.AdminSite):
    site_header = _("Integrity Risk Prevention and Control")
    site_title = _("Integrity Risk Prevention and Control")
    index_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        if not isinstance(user, Officer) or not user.is_active:  # anyone else is sent to sign in
            return False
        scope = scope_for(user)
        return scope.is_administrator or scope.is_security_administrator
