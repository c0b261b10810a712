"""Recording a risk point's yearly review (一年一查) from its page."""

from __future__ import annotations

from django import forms
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from integrity.http import AuthenticatedHttpRequest
from integrity.views import act
from risks import reviews
from risks.choices import ReviewOutcome
from risks.models import RiskPointReview
from risks.queries import visible_risk_points


class ReviewForm(forms.Form):
    outcome = forms.ChoiceField(label=pgettext_lazy("yearly review", "Outcome"), choices=ReviewOutcome.choices)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


@require_POST
def record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    review = get_object_or_404(
        RiskPointReview.objects.filter(risk_point__in=visible_risk_points(request.user)).select_related("risk_point"),
        pk=pk,
    )
    return act(
        request, review.risk_point, lambda data: reviews.record_review(review, **data, acting_user=request.user),
        done=_("This year's review of the risk point is recorded."), form=ReviewForm(request.POST),
    )  # fmt: skip
