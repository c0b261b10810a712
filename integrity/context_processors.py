import functools

from django.conf import settings
from django.http import HttpRequest

from integrity.middleware import held
from integrity.navigation import drawn_menu
from integrity.queries import scope_for


def navigation(request: HttpRequest) -> dict:
    """The navigation; the bell's count comes from the top layer (``desk.context_processors``). Kept on the request:
    included templates (tables) render with the same context processors, and the scope is read once per page."""
    cached = vars(request).get("_navigation_context")
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if held(request):  # on the second-factor or password page: no menu, nothing polled
        return {"held": True, "idle_seconds": settings.SESSION_IDLE_MINUTES * 60}
    scope = scope_for(user)
    context = vars(request)["_navigation_context"] = {
        "menu": functools.partial(drawn_menu, scope, request.path),  # drawn when a page shows it
        "user_scope": scope,
        "idle_seconds": settings.SESSION_IDLE_MINUTES * 60,
        "todo_poll_seconds": settings.TODO_POLL_SECONDS,
    }
    return context
