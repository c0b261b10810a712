from django.http import HttpRequest

from integrity.navigation import items_for
from integrity.queries import scope_for


def navigation(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    scope = scope_for(user)
    return {"nav_items": items_for(scope), "user_scope": scope}
