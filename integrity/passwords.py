"""Password rules of the security policy (等保: length, character classes, not the username, not a recent one) and
when a password must be changed (an administrator opened the account or reset it; it has expired)."""

from __future__ import annotations

import datetime
import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from integrity.models import Officer, SecurityPolicy

CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)


def character_classes(password: str) -> int:
    """How many of lower case, upper case, digits and symbols (anything else) the password uses."""
    found = {next((i for i, chars in enumerate(CLASSES) if c in chars), len(CLASSES)) for c in password}
    return len(found)


def change_reason(officer: Officer, policy: SecurityPolicy, now: datetime.datetime) -> str | None:
    """Why the officer must choose a new password before anything else, or None."""
    if officer.must_change_password:
        return "reset"
    age = policy.password_max_age_days
    if age and officer.password_changed_at and now - officer.password_changed_at > datetime.timedelta(days=age):
        return "expired"
    return None


class PolicyValidator:
    """One validator for the policy's rules, read when a password is set: length, classes, not containing the
    username, not one of the last few."""

    def validate(self, password: str, user: Officer | None = None) -> None:
        policy = SecurityPolicy.current()
        problems = []
        if len(password) < policy.password_min_length:
            problems.append(
                ngettext(
                    "The password needs at least %(n)d character.",
                    "The password needs at least %(n)d characters.",
                    policy.password_min_length,
                )
                % {"n": policy.password_min_length}
            )
        if character_classes(password) < policy.password_classes:
            problems.append(
                _("Use at least %(n)d of: lower case, upper case, digits, symbols.") % {"n": policy.password_classes}
            )
        username = getattr(user, "username", "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            problems.append(_("The password may not contain the username."))
        if user is not None and user.pk and policy.password_history:
            recent = list(user.password_history.values_list("password", flat=True)[: policy.password_history])
            if any(check_password(password, hashed) for hashed in recent):
                problems.append(
                    ngettext(
                        "The password may not be the last one used.",
                        "The password may not be one of the last %(n)d used.",
                        policy.password_history,
                    )
                    % {"n": policy.password_history}
                )
        if problems:
            raise ValidationError(problems)

    def get_help_text(self) -> str:
        policy = SecurityPolicy.current()
        return _(
            "At least %(length)d characters with %(classes)d of lower case, upper case, digits and symbols; not the "
            "username, not one of your last %(history)d passwords."
        ) % {
            "length": policy.password_min_length,
            "classes": policy.password_classes,
            "history": policy.password_history,
        }
