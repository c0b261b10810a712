"""A department's responsibility letter (廉政责任书): the risk points it covers, signed by the head once a year."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from integrity.queries import scope_for, visible_departments
from integrity.views import show_errors
from risks import letters


def letter(request: HttpRequest, department: int) -> HttpResponse:
    department = get_object_or_404(visible_departments(request.user).select_related("institution"), pk=department)
    year = timezone.localdate().year
    if request.method == "POST":
        try:
            letters.sign_letter(department, acting_user=request.user)
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as error:
            show_errors(request, error)
        else:
            messages.success(request, _("The responsibility letter is signed."))
        return redirect("risks:letter", department=department.pk)
    signed = department.responsibility_letters.filter(year=year).select_related("signed_by").first()
    return render(
        request,
        "risks/letter.html",
        {
            "department": department,
            "year": year,
            "signed": signed,
            "points": signed.points if signed else letters.letter_points(department),
            "may_sign": signed is None and department.pk in scope_for(request.user).headed_department_ids,
            "earlier": department.responsibility_letters.exclude(year=year).order_by("-year"),
        },
    )
