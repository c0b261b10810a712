"""A department's responsibility letter (廉政责任书): the risk points it covers, signed by the head once a year."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.http import AuthenticatedHttpRequest
from integrity.queries import scope_for, visible_departments
from integrity.views import act
from risks import letters


def letter(request: AuthenticatedHttpRequest, department: int) -> HttpResponse:
    unit = get_object_or_404(visible_departments(request.user).select_related("institution"), pk=department)
    year = timezone.localdate().year
    if request.method == "POST":
        return act(
            request, reverse("risks:letter", kwargs={"department": unit.pk}),
            lambda _data: letters.sign_letter(unit, acting_user=request.user),
            done=_("The responsibility letter is signed."),
        )  # fmt: skip
    signed = unit.responsibility_letters.filter(year=year).select_related("signed_by").first()
    return render(
        request,
        "risks/letter.html",
        {
            "department": unit,
            "year": year,
            "signed": signed,
            "points": signed.points if signed else letters.letter_points(unit),
            "may_sign": signed is None and unit.pk in scope_for(request.user).headed_department_ids,
            "earlier": unit.responsibility_letters.exclude(year=year).order_by("-year"),
        },
    )
