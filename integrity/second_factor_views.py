"""The second-factor page (双因素认证): set up an authenticator app the first time, give its code every login after,
or a recovery code; and the set-up QR code."""

from __future__ import annotations

import base64

import segno
from django import forms
from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from integrity import second_factor
from integrity.http import AuthenticatedHttpRequest
from integrity.middleware import SECOND_FACTOR


class CodeForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


def _grouped(key: bytes) -> str:
    text = base64.b32encode(key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


@never_cache
def second_factor_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Held here after the password until a code is given; a wrong code is refused (and slowed down by the device's
    throttling) and audited."""
    if not request.session.get(SECOND_FACTOR):
        return redirect(settings.LOGIN_REDIRECT_URL)
    officer = request.user
    device = second_factor.app_device(officer)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if device is None:
            codes = second_factor.confirm(request, officer, token)
            if codes is not None:
                _passed(request)
                return render(request, "registration/recovery_codes.html", {"codes": codes})
        elif second_factor.verify(request, officer, token):
            _passed(request)
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error("token", _("The code is wrong or has expired: give the one shown now."))
    context = {"form": form, "setting_up": device is None}
    if device is None:
        context["key"] = _grouped(second_factor.pending_device(officer).bin_key)
    return render(request, "registration/second_factor.html", context)


def _passed(request: AuthenticatedHttpRequest) -> None:
    request.session.pop(SECOND_FACTOR, None)
    request.session.cycle_key()


@never_cache
def second_factor_qr(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The QR code of the authenticator being set up (an SVG from the product itself, no inline style)."""
    if not request.session.get(SECOND_FACTOR) or second_factor.app_device(request.user) is not None:
        raise Http404
    url = second_factor.pending_device(request.user).config_url
    return HttpResponse(segno.make(url, error="m").svg_inline(scale=4), content_type="image/svg+xml")
