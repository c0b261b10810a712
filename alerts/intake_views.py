"""Petition intake (控申): the petition office registers the petitions and reports the body receives — they go to
the discipline staff as clues to dispose of — and follows only what it registered, and only its status."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from alerts import clues
from alerts.choices import ClueKind
from alerts.forms import IntakeForm
from alerts.models import Clue
from alerts.tables import IntakeTable
from integrity.choices import Role
from integrity.http import AuthenticatedHttpRequest
from integrity.models import Officer
from integrity.queries import scope_for


def petition_intake(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    if not scope_for(user).has_role(Role.PETITION_INTAKE) or user.institution is None:
        raise Http404
    officers = Officer.objects.filter(is_active=True, institution__path__startswith=user.institution.path)
    form = IntakeForm(request.POST or None, officers=officers, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        subject = data["subject"]
        clues.register_clue(
            institution=subject.institution if subject else user.institution, kind=ClueKind.PETITION,
            acting_user=user, **data,
        )  # fmt: skip
        messages.success(request, _("The petition is registered and has gone to the discipline staff."))
        return redirect("alerts:intake")
    registered = Clue.objects.filter(registered_by=user).only(
        "pk", "source", "channel", "received_on", "status", "registered_at"
    )
    table = IntakeTable(registered.order_by("-registered_at", "-pk"), request=request)
    return render(request, "alerts/intake.html", {"form": form, "table": table})
