"""Return visits (廉政回访): a visit's page, where the discipline staff record what the party said."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from alerts.forms import VisitForm
from alerts.queries import visible_visits
from alerts.visits import questions_for, record_visit
from integrity.choices import Role
from integrity.queries import scope_for


def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_object_or_404(visible_visits(request.user), pk=pk)
    may_record = visit.visited_on is None and scope_for(request.user).has_role(Role.DISCIPLINE)
    form = VisitForm(request.POST or None, questions=questions_for(visit.institution)) if may_record else None
    if request.method == "POST" and form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            record_visit(
                visit, party=data["party"], by_phone=data["by_phone"], yes=form.yes(), notes=data["notes"],
                acting_user=request.user,
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if visit.clue_id:
                messages.warning(request, _("The party reported misconduct: a clue about the handler is registered."))
            else:
                messages.success(request, _("The visit is recorded."))
            return redirect(visit)
    return render(request, "alerts/visit_detail.html", {"visit": visit, "form": form})
