"""Leaders' accounts of duty and integrity (述责述廉): one's own to file, those one reviews, and those in one's scope
by year; an account's page with its statements, the filing form for its leader and the decision for their
reviewer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from archives import accounts
from archives.choices import AccountStatus
from archives.forms import DutyAccountForm, MatterReviewForm
from archives.models import DutyAccount
from archives.tables import DutyAccountTable
from integrity.views import show_errors, show_form_errors


def duty_accounts(request: HttpRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year - 1)
    except ValueError:
        raise Http404 from None
    others = accounts.visible_accounts(request.user).exclude(officer=request.user).filter(year=year)
    table = DutyAccountTable(others.select_related("officer__institution"), request=request)
    return render(
        request,
        "archives/duty_accounts.html",
        {
            "year": year,
            "mine": DutyAccount.objects.filter(officer=request.user),
            "to_review": accounts.accounts_to_review(request.user),
            "table": table,
            "counts": {s: others.filter(status=s).count() for s in AccountStatus.values}
            if table.paginator.count
            else {},
        },
    )


def duty_account(request: HttpRequest, pk: int) -> HttpResponse:
    """The account's statements; its leader files it here while it is owed."""
    account = get_object_or_404(accounts.visible_accounts(request.user), pk=pk)
    may_file = account.officer_id == request.user.pk and account.status in (AccountStatus.DUE, AccountStatus.RETURNED)
    form = DutyAccountForm(request.POST or None) if may_file else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                accounts.file_account(account, text=form.cleaned_data["text"], acting_user=request.user)
            except ValidationError as error:
                show_errors(request, error)
            else:
                messages.success(request, _("Your account is filed and goes to your reviewer."))
                return redirect(account)
    may_review = account.status == AccountStatus.SUBMITTED and account.officer.reviewer_id == request.user.pk
    return render(
        request,
        "archives/duty_account.html",
        {"account": account, "statements": account.statements.all(), "form": form, "may_review": may_review},
    )


@require_POST
def review_duty_account(request: HttpRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(accounts.visible_accounts(request.user), pk=pk)
    form = MatterReviewForm(request.POST)
    if not form.is_valid():
        show_form_errors(request, form)
        return redirect(account)
    accept = form.cleaned_data["decision"] == "accept"
    try:
        accounts.review_account(account, accept=accept, comment=form.cleaned_data["comment"], acting_user=request.user)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("The account is accepted.") if accept else _("The account is returned."))
    return redirect(account)
