"""Circulated notices (通报): the list, writing and changing one, its page (the document, its approval, who has read
it), and its print layout. The writes are ``alerts.circulars``."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alerts import circulars
from alerts.filtersets import CircularFilterSet
from alerts.forms import CircularForm, ReasonForm
from alerts.models import Circular
from alerts.queries import (
    circular_approvers,
    circular_receipts,
    receipts_by_department,
    sent_circulars,
    visible_circulars,
)
from alerts.tables import CircularTable
from integrity.http import AuthenticatedHttpRequest
from integrity.lists import ScopedListView
from integrity.models import Officer
from integrity.queries import visible_departments, visible_institutions, visible_officers
from integrity.views import act, submit


class CircularListView(ScopedListView):
    title = gettext_lazy("Circulated notices")
    export_name = "circulars"
    table_class = CircularTable
    filterset_class = CircularFilterSet

    def scoped_queryset(self, user: Officer) -> QuerySet:
        return visible_circulars(user).select_related("institution")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if circulars.may_write(self.request.user):
            context["add_url"] = reverse("alerts:circular_new")
        return context


def _form(request: AuthenticatedHttpRequest, circular: Circular | None = None) -> CircularForm:
    user = request.user
    return CircularForm(
        request.POST or None,
        instance=circular,
        institutions=visible_institutions(user),
        departments=visible_departments(user),
        officers=visible_officers(user).filter(is_active=True),
    )


def circular_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """Write a notice, or change one's own draft (or returned notice)."""
    circular = get_object_or_404(sent_circulars(request.user), pk=pk) if pk else None
    if not circulars.may_write(request.user) or (circular and circular.written_by_id != request.user.pk):
        raise Http404
    return submit(
        request, _form(request, circular),
        lambda data: circulars.write_circular(circular, acting_user=request.user, **data),
        done=_("The notice has been saved; submit it when it is ready."), template="risks/form.html",
        context={"title": _("Change the notice") if circular else _("Write a circulated notice")},
    )  # fmt: skip


RECEIPTS_LISTED = 500


def circular_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The notice as issued. Its recipient's opening is their receipt; the sending side sees every receipt."""
    circular = get_object_or_404(visible_circulars(request.user).select_related("institution", "written_by"), pk=pk)
    circulars.mark_read(circular, request.user)
    sender_side = sent_circulars(request.user).filter(pk=pk).exists()
    approver = request.user in circular_approvers(circular) and circular.status == "submitted"
    delivery = None
    if sender_side and circular.published_at and circular.delivered_at is None:
        delivery = {"done": circular.recipients.count(), "total": circular.recipient_count or 0}
        delivery["percent"] = delivery["done"] * 100 // max(delivery["total"], 1)
        if request.htmx:
            return render(request, "alerts/circular_detail.html#delivery", {"circular": circular, "delivery": delivery})
    elif request.htmx and sender_side:
        response = HttpResponse()
        response["HX-Refresh"] = "true"  # delivered: the page shows its receipts
        return response
    receipts = read = None
    if sender_side:
        receipts = circular_receipts(circular)
        read = receipts.filter(read_at__isnull=False).count()
    return render(
        request,
        "alerts/circular_detail.html",
        {
            "circular": circular,
            "delivery": delivery,
            # Up to RECEIPTS_LISTED by name (those still to read first); beyond, by department.
            "receipts": receipts[:RECEIPTS_LISTED] if receipts is not None else None,
            "read": read,
            "by_department": receipts_by_department(circular)
            if sender_side and (circular.recipient_count or 0) > RECEIPTS_LISTED
            else None,
            "may_submit": circular.editable and circular.written_by_id == request.user.pk,
            "return_form": ReasonForm() if approver else None,
            "history": circular.history.select_related("history_user").order_by("history_date")
            if sender_side
            else None,
        },
    )


def circular_print(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The official-document layout (版头, number, title, text, issuing body, date, 抄送), for printing."""
    circular = get_object_or_404(visible_circulars(request.user).select_related("institution"), pk=pk)
    return render(request, "alerts/circular_print.html", {"circular": circular})


@require_POST
def circular_action(request: AuthenticatedHttpRequest, pk: int, step: str) -> HttpResponse:
    circular = get_object_or_404(visible_circulars(request.user), pk=pk)
    steps = {
        "submit": lambda: circulars.submit_circular(circular, acting_user=request.user),
        "approve": lambda: circulars.approve_circular(circular, acting_user=request.user),
        "return": lambda: circulars.return_circular(
            circular, reason=request.POST.get("reason", ""), acting_user=request.user
        ),
    }
    if step not in steps:
        raise Http404
    return act(request, circular, lambda _data: steps[step](), done=_("Your decision has been recorded."))
