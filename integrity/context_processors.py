from django.http import HttpRequest

from integrity.navigation import items_for, menu_for
from integrity.queries import scope_for


def navigation(request: HttpRequest) -> dict:
    """The navigation and the bell. Kept on the request: included templates (tables) render with the same
    context processors, and the bell's count should cost one query per page, not one per template."""
    cached = getattr(request, "_navigation_context", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from alerts.models import Notification

    scope = scope_for(user)
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    request._navigation_context = {
        "nav_items": items_for(scope),
        "menu": menu_for(scope),
        "user_scope": scope,
        "unread_notifications": unread,
    }
    return request._navigation_context
