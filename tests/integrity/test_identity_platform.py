"""Sign-in through the institution's unified identity platform (OpenID Connect): against an identity provider served
over HTTP by this test (authorization code, token and userinfo endpoints, an ID token signed for the client), an
officer goes to the platform, comes back with a code and is signed in as the officer whose staff number the
platform names; a forged state, an unknown staff number and a closed account are refused; without the setting the
pages do not exist. The clock is pinned to 20 November 2026 (the ID token's times are read from it)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from django.test import Client
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

CLIENT_ID, CLIENT_SECRET = "integrity", "a-client-secret-shared-with-the-platform-0123456789"


class Platform:
    """The identity provider: a code stands for a person (their claims) and the nonce of the request it answers."""

    def __init__(self) -> None:
        self.codes: dict[str, tuple[dict, str]] = {}
        self.tokens: dict[str, dict] = {}
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def _json(self, body: dict, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:  # the token endpoint
                form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
                code = form.get("code", [""])[0]
                if form.get("client_secret") != [CLIENT_SECRET] or code not in platform.codes:
                    return self._json({"error": "invalid_grant"}, 400)
                claims, nonce = platform.codes.pop(code)
                now = int(time.time())
                id_token = jwt.encode(
                    {"iss": platform.url, "sub": claims["sub"], "aud": CLIENT_ID, "iat": now, "exp": now + 300,
                     "nonce": nonce},
                    CLIENT_SECRET, algorithm="HS256",
                )  # fmt: skip
                access = f"access-{code}"
                platform.tokens[access] = claims
                self._json({"id_token": id_token, "access_token": access, "token_type": "Bearer"})

            def do_GET(self) -> None:  # the userinfo endpoint
                claims = platform.tokens.get(self.headers.get("Authorization", "").removeprefix("Bearer "))
                return self._json(claims) if claims else self._json({"error": "invalid_token"}, 401)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def approve(self, authorize_location: str, claims: dict) -> dict:
        """The officer signs in at the platform: the query the platform sends back."""
        query = parse_qs(urlparse(authorize_location).query)
        code = f"code-{len(self.codes)}-{claims['sub']}"
        self.codes[code] = (claims, query["nonce"][0])
        return {"code": code, "state": query["state"][0]}


@pytest.fixture(scope="module")
def platform():
    served = Platform()
    yield served
    served.server.shutdown()


@pytest.fixture
def configured(platform, settings):
    """What integrity/settings.py makes of OIDC_AUTHORIZATION_ENDPOINT and the rest."""
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{platform.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{platform.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{platform.url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = None
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_RP_SCOPES = "openid profile"
    settings.OIDC_OFFICER_CLAIM = "employee_number"
    settings.OIDC_CREATE_USER = False
    settings.OIDC_AUTHENTICATION_CALLBACK_URL = "sso_callback"
    settings.LOGIN_REDIRECT_URL_FAILURE = "login"
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "integrity.identity.IdentityPlatformBackend",
        "integrity.backends.OfficerBackend",
    ]
    return platform


def through_platform(platform: Platform, claims: dict, *, state: str | None = None) -> Client:
    client = Client()
    assert "sso-login" in client.get(reverse("login")).content.decode()
    to_platform = client.get(reverse("sso_login"))
    assert to_platform.status_code == 302 and to_platform["Location"].startswith(f"{platform.url}/authorize?")
    back = platform.approve(to_platform["Location"], claims)
    if state is not None:
        back["state"] = state
    client.get(reverse("sso_callback"), back)
    return client


def test_an_officer_signs_in_at_the_platform_and_comes_back_as_their_own_account(world, configured):
    world.officer.staff_number = "JZ2001"
    world.officer.must_change_password = True  # the local password: not what they signed in with
    world.officer.save()
    client = through_platform(configured, {"sub": "u-linxiao", "employee_number": "JZ2001", "name": "林晓"})
    assert int(client.session["_auth_user_id"]) == world.officer.pk
    assert client.get(reverse("home")).status_code == 200
    world.officer.refresh_from_db()
    assert world.officer.full_name != "林晓"  # nothing copied from the platform


def test_a_forged_state_an_unknown_officer_and_a_closed_account_are_refused(world, configured):
    world.officer.staff_number = "JZ2001"
    world.officer.save()
    assert (
        "_auth_user_id"
        not in through_platform(configured, {"sub": "a", "employee_number": "JZ2001"}, state="x").session
    )
    assert "_auth_user_id" not in through_platform(configured, {"sub": "b", "employee_number": "XX9999"}).session
    world.officer.is_active = False
    world.officer.save()
    assert "_auth_user_id" not in through_platform(configured, {"sub": "c", "employee_number": "JZ2001"}).session


def test_without_the_setting_there_is_no_platform_sign_in(client):
    assert client.get(reverse("sso_login")).status_code == 404
    assert client.get(reverse("sso_callback")).status_code == 404
    assert "sso-login" not in client.get(reverse("login")).content.decode()
