"""The bell in the navigation bar: how many notifications the user has not read."""

import functools

from django.http import HttpRequest

from alerts.models import Notification

BELL_MOST = 99  # more than this shows as "99+": the count stops there


def bell(request: HttpRequest) -> dict:
    """Kept on the request like the navigation: included templates render with the same context processors, and the
    count should cost one query per page, not one per template.

    Read only when a template shows it (a polled fragment does not), and counted no further than the badge shows:
    a province inspector told of every overdue review holds thousands unread, and counting them all took 3 ms on
    every page."""
    cached = vars(request).get("_bell_context")
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @functools.cache
    def unread_notifications() -> int | str:
        # Unordered: the first hundred of the index, not the newest hundred of thousands sorted.
        unread = Notification.objects.filter(recipient=user, read_at__isnull=True).order_by()
        n = unread[: BELL_MOST + 1].count()
        return f"{BELL_MOST}+" if n > BELL_MOST else n

    context = vars(request)["_bell_context"] = {"unread_notifications": unread_notifications}
    return context
