"""Return visits (廉政回访): a visit's page, where the discipline staff record what the party said."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from alerts.forms import VisitForm
from alerts.queries import visible_visits
from alerts.visits import questions_for, record_visit
from integrity.choices import Role
from integrity.http import AuthenticatedHttpRequest
from integrity.queries import scope_for
from integrity.views import submit


def visit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(visible_visits(request.user), pk=pk)
    may_record = visit.visited_on is None and scope_for(request.user).has_role(Role.DISCIPLINE)
    form = VisitForm(request.POST or None, questions=questions_for(visit.institution)) if may_record else None
    if form is None:  # recorded already, or not the discipline staff's to record
        return render(request, "alerts/visit_detail.html", {"visit": visit, "form": None})

    def record(data: dict) -> None:
        record_visit(
            visit, party=data["party"], by_phone=data["by_phone"], yes=form.yes(), notes=data["notes"],
            acting_user=request.user,
        )  # fmt: skip

    def told(_recorded: None) -> str | None:
        if visit.clue_id:
            messages.warning(request, _("The party reported misconduct: a clue about the handler is registered."))
            return None
        return _("The visit is recorded.")

    return submit(
        request, form, record, done=told, to=visit, template="alerts/visit_detail.html", context={"visit": visit}
    )
