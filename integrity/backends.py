"""Authentication that loads what every page needs with the user, in the same query."""

from django.contrib.auth.backends import ModelBackend

from integrity.models import Officer


class OfficerBackend(ModelBackend):
    def get_user(self, user_id: int) -> Officer | None:
        user = Officer.objects.select_related("institution", "department", "post").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
