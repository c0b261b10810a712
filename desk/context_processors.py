"""The bell in the navigation bar: how many notifications the user has not read."""

from django.http import HttpRequest

from alerts.models import Notification


def bell(request: HttpRequest) -> dict:
    """Kept on the request like the navigation: included templates render with the same context processors, and the
    count should cost one query per page, not one per template."""
    cached = vars(request).get("_bell_context")
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = vars(request)["_bell_context"] = {
        "unread_notifications": Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    }
    return context
