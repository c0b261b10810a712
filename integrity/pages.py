"""What the apps above add to pages of the bottom layer: the officer page shows each app's part about the officer.

An app registers a function in its ``AppConfig.ready`` (``officer_page.append``), so ``integrity`` never imports
the apps above it.
"""

from __future__ import annotations

from collections.abc import Callable

from integrity.models import Officer

# Each takes (the viewer, the officer shown) and returns context for ``integrity/officer_detail.html``.
officer_page: list[Callable[[Officer, Officer], dict]] = []


def officer_context(viewer: Officer, officer: Officer) -> dict:
    context: dict = {}
    for part in officer_page:
        context.update(part(viewer, officer))
    return context
