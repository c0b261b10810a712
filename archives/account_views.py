"""Leaders' accounts of duty and integrity (述责述廉): one's own to file, those one reviews, and those in one's scope
by year; an account's page with its statements, the filing form for its leader and the decision for their
reviewer."""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives import accounts
from archives.choices import AccountStatus
from archives.filtersets import DutyAccountFilterSet
from archives.forms import DutyAccountForm, MatterReviewForm
from archives.models import DutyAccount
from archives.tables import DutyAccountTable
from integrity.http import AuthenticatedHttpRequest
from integrity.views import act, submit


def duty_accounts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One's own accounts, those waiting for one's review, and the others in scope of a year (the year just ended
    unless another is chosen), with how many there are of each status."""
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year - 1))
    others = accounts.visible_accounts(request.user).exclude(officer=request.user)
    filterset = DutyAccountFilterSet(data, queryset=others, request=request)
    shown = filterset.qs if filterset.is_valid() else others.none()  # the form says what is wrong
    table = DutyAccountTable(shown.select_related("officer__institution"), request=request)
    found = dict(shown.order_by().values_list("status").annotate(n=Count("pk")))
    return render(
        request,
        "archives/duty_accounts.html",
        {
            "filter": filterset,
            "mine": DutyAccount.objects.filter(officer=request.user),
            "to_review": accounts.accounts_to_review(request.user),
            "table": table,
            "counts": {status: found[status] for status in AccountStatus.values if status in found},
        },
    )


def duty_account(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The account's statements; its leader files it here while it is owed."""
    account = get_object_or_404(accounts.visible_accounts(request.user), pk=pk)
    may_file = account.officer_id == request.user.pk and account.status in (AccountStatus.DUE, AccountStatus.RETURNED)
    may_review = account.status == AccountStatus.SUBMITTED and account.officer.reviewer_id == request.user.pk
    context = {"account": account, "statements": account.statements.all(), "may_review": may_review}
    if not may_file:
        if request.method == "POST":
            raise Http404
        return render(request, "archives/duty_account.html", context | {"form": None})
    return submit(
        request, DutyAccountForm(request.POST or None),
        lambda data: accounts.file_account(account, text=data["text"], acting_user=request.user),
        done=_("Your account is filed and goes to your reviewer."), to=account, template="archives/duty_account.html",
        context=context,
    )  # fmt: skip


@require_POST
def review_duty_account(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(accounts.visible_accounts(request.user), pk=pk)
    accept = request.POST.get("decision") == "accept"
    return act(
        request, account,
        lambda data: accounts.review_account(account, accept=accept, comment=data["comment"], acting_user=request.user),
        done=_("The account is accepted.") if accept else _("The account is returned."),
        form=MatterReviewForm(request.POST),
    )  # fmt: skip
