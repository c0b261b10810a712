"""Authentication that loads what every page needs with the user, in the same query: local passwords, and the
institution's directory (LDAP/AD) when it is configured."""

from django.contrib.auth.backends import ModelBackend

from integrity.models import Officer


def active_officer(user_id: int) -> Officer | None:
    user = Officer.objects.select_related("institution", "department", "post").filter(pk=user_id).first()
    return user if user is not None and user.is_active else None


class OfficerBackend(ModelBackend):
    def get_user(self, user_id: int) -> Officer | None:
        return active_officer(user_id)
