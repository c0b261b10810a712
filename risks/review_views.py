"""Recording a risk point's yearly review (一年一查) from its page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from integrity.views import show_errors, show_form_errors
from risks import reviews
from risks.choices import ReviewOutcome
from risks.models import RiskPointReview
from risks.queries import visible_risk_points


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=pgettext_lazy("yearly review", "Outcome"), choices=ReviewOutcome.choices)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


@require_POST
def record(request: HttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        RiskPointReview.objects.filter(risk_point__in=visible_risk_points(request.user)).select_related("risk_point"),
        pk=pk,
    )
    form = ReviewForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect(review.risk_point)
    try:
        reviews.record_review(review, **form.cleaned_data, acting_user=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("This year's review of the risk point is recorded."))
    return redirect(review.risk_point)
