"""Sign-in through the institution's directory (LDAP): against a real OpenLDAP server (Debian's slapd, started for
these tests on a free port), an officer signs in with the directory's password and lands on their own account,
found by the staff number the directory holds; a wrong password, a directory entry with no officer and a closed
account are refused; administrators keep their local passwords. The clock is pinned to 20 November 2026."""

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from integrity.choices import AuditEventKind
from integrity.models import AuditEvent

ldap = pytest.importorskip("ldap", reason="python-ldap is not installed (it builds against libldap2-dev: make install)")
from django_auth_ldap.config import LDAPSearch  # noqa: E402
from ldap import modlist  # noqa: E402

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]

SLAPD = Path("/usr/sbin/slapd")
SUFFIX, ROOT_DN, ROOT_PASSWORD = "dc=jz,dc=gov", "cn=admin,dc=jz,dc=gov", "Root-Secret-1"
PEOPLE = f"ou=people,{SUFFIX}"
CONFIG = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {root}/slapd.pid
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {root}/db
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    """A slapd of our own with the city's people in it; its URL."""
    if not SLAPD.exists():
        pytest.skip("Debian's slapd is not installed (make test installs it)")
    root = tmp_path_factory.mktemp("slapd")
    (root / "db").mkdir()
    config = root / "slapd.conf"
    config.write_text(CONFIG.format(root=root, suffix=SUFFIX, root_dn=ROOT_DN, root_password=ROOT_PASSWORD))
    url = f"ldap://127.0.0.1:{_free_port()}/"
    server = subprocess.Popen(
        [str(SLAPD), "-f", str(config), "-h", url, "-d", "0"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _fill(url, server)
    except BaseException:
        server.kill()
        raise
    yield url
    server.terminate()
    server.wait(timeout=10)


def _fill(url: str, server: subprocess.Popen) -> None:
    """Wait for the server, then add the city's people."""
    connection = ldap.initialize(url)
    for _attempt in range(100):
        try:
            connection.simple_bind_s(ROOT_DN, ROOT_PASSWORD)
            break
        except ldap.SERVER_DOWN:
            if server.poll() is not None:
                pytest.skip(f"slapd could not start: {server.stderr.read().decode()[-500:]}")
            time.sleep(0.1)
    else:
        pytest.skip("slapd did not answer within 10 s")
    entries = [
        (SUFFIX, {"objectClass": [b"dcObject", b"organization"], "dc": [b"jz"], "o": ["江州市人民检察院".encode()]}),
        (PEOPLE, {"objectClass": [b"organizationalUnit"], "ou": [b"people"]}),
        _person("linxiao", "林晓", "JZ2001", "Directory-Pass-1"),
        _person("stranger", "外人", "XX9999", "Directory-Pass-2"),
    ]
    for dn, attributes in entries:
        connection.add_s(dn, modlist.addModlist(attributes))
    connection.unbind_s()


def _person(uid: str, name: str, number: str, password: str) -> tuple[str, dict]:
    return f"uid={uid},{PEOPLE}", {
        "objectClass": [b"inetOrgPerson"], "uid": [uid.encode()], "cn": [name.encode()], "sn": [name[:1].encode()],
        "employeeNumber": [number.encode()], "userPassword": [password.encode()],
    }  # fmt: skip


@pytest.fixture
def signs_in_through(directory, settings):
    """The deployment's settings with LDAP_SERVER_URI pointing at the directory (what integrity/settings.py makes
    of the environment, checked in the last test)."""

    settings.AUTH_LDAP_SERVER_URI = directory
    settings.AUTH_LDAP_USER_SEARCH = LDAPSearch(PEOPLE, ldap.SCOPE_SUBTREE, "(uid=%(user)s)")
    settings.AUTH_LDAP_USER_QUERY_FIELD = "staff_number"
    settings.AUTH_LDAP_USER_ATTR_MAP = {"staff_number": "employeeNumber"}
    settings.AUTH_LDAP_NO_NEW_USERS = True
    settings.AUTH_LDAP_ALWAYS_UPDATE_USER = False
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "integrity.directory.DirectoryBackend",
        "integrity.backends.OfficerBackend",
    ]
    return directory


def sign_in(username: str, password: str) -> Client:
    client = Client()
    client.post(reverse("login"), {"username": username, "password": password})
    return client


def test_an_officer_signs_in_with_the_directory_password_as_their_own_account(world, signs_in_through):
    world.officer.staff_number = "JZ2001"
    world.officer.must_change_password = True  # their local password: not what they sign in with here
    world.officer.save()
    client = sign_in("linxiao", "Directory-Pass-1")
    assert int(client.session["_auth_user_id"]) == world.officer.pk
    assert client.get(reverse("home")).status_code == 200
    world.officer.refresh_from_db()
    assert world.officer.username == "officer" and world.officer.full_name != "林晓"  # nothing copied over


def test_a_wrong_password_an_unknown_officer_and_a_closed_account_are_refused(world, signs_in_through):
    world.officer.staff_number = "JZ2001"
    world.officer.save()
    assert "_auth_user_id" not in sign_in("linxiao", "not-the-password").session
    assert AuditEvent.objects.filter(event=AuditEventKind.LOGIN_FAILED, username="linxiao").exists()
    assert "_auth_user_id" not in sign_in("stranger", "Directory-Pass-2").session  # in the directory, not here
    world.officer.is_active = False
    world.officer.save()
    assert "_auth_user_id" not in sign_in("linxiao", "Directory-Pass-1").session


def test_administrators_keep_their_local_password(world, signs_in_through):
    world.admin.set_password("Local-Admin-2026")
    world.admin.save()
    assert int(sign_in("admin", "Local-Admin-2026").session["_auth_user_id"]) == world.admin.pk


def test_the_environment_turns_the_directory_on():
    environment = os.environ | {
        "DJANGO_DEBUG": "1", "LDAP_SERVER_URI": "ldap://directory.jz.gov", "LDAP_USER_SEARCH_BASE": PEOPLE,
        "LDAP_USER_FILTER": "(sAMAccountName=%(user)s)", "LDAP_OFFICER_ATTRIBUTE": "employeeID",
    }  # fmt: skip
    code = (
        "from integrity import settings as s; print(s.AUTHENTICATION_BACKENDS[1], "
        "s.AUTH_LDAP_USER_ATTR_MAP['staff_number'], s.AUTH_LDAP_USER_SEARCH.filterstr)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["integrity.directory.DirectoryBackend", "employeeID", "(sAMAccountName=%(user)s)"]
