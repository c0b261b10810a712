"""The project's URL patterns by name, for the tests that walk every page."""

from __future__ import annotations

from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver

# Pages anyone may open without logging in.
PUBLIC = {"login", "healthz", "set_language", "sso_login", "sso_callback"}
# Pages whose arguments name no record, with an address of each: the user guide (the same for every signed-in
# user) and the to-dos of one kind (each user's own: ``tests/integrity/test_todos.py``).
SHARED = {
    "help": {"slug": "officer"},
    "help_image": {"name": "officer-home.png"},
    "todos_of_kind": {"code": "risks.check_review"},
}
# Pages that only take a POST (their form lives on another page).
POST_ONLY = {"logout"}
# The Django admin has its own login and its own permission check (tested in test_admin.py).
SKIPPED_NAMESPACES = {"admin"}


def _patterns(resolver: URLResolver, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            if ns in SKIPPED_NAMESPACES:
                continue
            yield from _patterns(entry, f"{namespace}{ns}:" if ns else namespace)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def all_patterns() -> list[tuple[str, URLPattern]]:
    return sorted(_patterns(get_resolver()), key=lambda item: item[0])


def pages_without_arguments() -> list[str]:
    """Every page a signed-in user can open by its address alone."""
    return [
        name
        for name, pattern in all_patterns()
        if not pattern.pattern.regex.groups and name not in PUBLIC and name not in POST_ONLY
    ]


def list_views() -> list[tuple[str, type]]:
    """The lists (``ScopedListView``): name and view class."""
    from integrity.lists import ScopedListView

    return [
        (name, pattern.callback.view_class)
        for name, pattern in all_patterns()
        if issubclass(getattr(pattern.callback, "view_class", object), ScopedListView)
    ]


def readable_text(response) -> str:
    """What a person reads in a response: the page, or the words of a downloaded PDF or workbook."""
    import io

    content_type = response.get("Content-Type", "")
    if content_type.startswith("application/pdf"):
        from pypdf import PdfReader

        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    if "spreadsheetml" in content_type:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(value) for sheet in book for row in sheet.iter_rows(values_only=True) for value in row if value
        )
    return response.content.decode()
