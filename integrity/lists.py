"""The one list view every app's lists are made of: a scoped queryset, a FilterSet and a Table.

A list declares ``scoped_queryset``, ``filterset_class``, ``table_class`` and a ``title``; sorting,
pagination, export to CSV/Excel (``integrity.exports``: safe in Chinese Excel) and the htmx fragment (filtering
without a reload) come from here.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.shortcuts import redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export.views import ExportMixin
from django_tables2.paginators import LazyPaginator

from integrity import audit
from integrity.choices import AuditEventKind
from integrity.exports import SafeExport
from integrity.models import Officer


class ScopedListView(ExportMixin, SingleTableMixin, FilterView):
    reads_from_replica = True  # a list reads from the replica when there is one (``integrity.replica``)
    template_name = "integrity/list.html"
    export_formats = ("csv", "xlsx")
    export_class = SafeExport
    table_pagination = {"per_page": 25}
    # No COUNT over everything in scope (a province's million cases) to draw one page: the page is read with one
    # row more, which says whether another follows. No list shows a total.
    paginator_class = LazyPaginator
    title: str | Promise = ""

    def scoped_queryset(self, user: Officer) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self) -> QuerySet:
        return self.scoped_queryset(self.request.user)

    def get_template_names(self) -> list[str]:
        names = super().get_template_names()
        if getattr(self.request, "htmx", False) and not self.request.htmx.boosted:
            # A list's own template extends this one and may define its own fragment; the shared one is the fallback.
            return [f"{name}#results" for name in names if name != ScopedListView.template_name] + [
                f"{ScopedListView.template_name}#results"
            ]
        return names

    def get_export_filename(self, export_format: str) -> str:
        return f"{self.export_name or self.title}.{export_format}"

    def create_export(self, export_format: str) -> Any:
        """Every export goes to the audit log: which list, which filters, how many rows. A list longer than
        ``EXPORT_MAX_ROWS`` is not exported (a province's million cases are not one spreadsheet): the list says to
        narrow it, and nothing is written."""
        rows = self.filterset.qs.count() if self.filterset else None
        if rows is not None and rows > settings.EXPORT_MAX_ROWS:
            messages.error(
                self.request,
                _("%(rows)s rows are more than one export takes (%(most)s): narrow the list with its filters first.")
                % {"rows": f"{rows:,}", "most": f"{settings.EXPORT_MAX_ROWS:,}"},
            )
            return redirect(f"{self.request.path}?{self._query_without_export()}")
        response = super().create_export(export_format)
        audit.record(
            AuditEventKind.EXPORTED, request=self.request, target=self.export_name or str(self.title),
            format=export_format, rows=rows,
            filters={k: v for k, v in self.request.GET.items() if k != "_export"},
        )  # fmt: skip
        return response

    def _query_without_export(self) -> str:
        query = self.request.GET.copy()
        query.pop(self.export_trigger_param, None)
        return query.urlencode()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["export_formats"] = self.export_formats
        context["fragment"] = bool(getattr(self.request, "htmx", False) and not self.request.htmx.boosted)
        return context
