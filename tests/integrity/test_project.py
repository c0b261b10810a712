"""Project-wide promises: production settings pass the deploy check, no page loads anything from the internet,
the translation catalogue is compiled, and the demo institution seeds idempotently."""

from __future__ import annotations

import gettext
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from integrity.models import Department, Institution, Officer, PostAssignment, RoleAssignment
from tests import snapshot as snapshots

ROOT = Path(settings.BASE_DIR)
# An address the browser would fetch: src/href/url()/@import pointing at http(s) or protocol-relative.
EXTERNAL = re.compile(
    r"""(?:src|href)\s*=\s*["']\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import\s+["']?(?:https?:)?//"""
)


def test_production_settings_pass_the_deploy_check():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "integrity.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 20 + "production-like-secret-key-for-the-check-0123456789",
        "DJANGO_ALLOWED_HOSTS": "integrity.example.internal",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set while browser tests run; never in a deployment
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_fresh_clone_needs_no_directory_made_by_hand(tmp_path):
    """``var/`` does not exist in a fresh clone: the SQLite file's folder and the broker's are made when used."""
    var = tmp_path / "var"
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env |= {"DJANGO_SETTINGS_MODULE": "integrity.settings", "DJANGO_DEBUG": "1", "DJANGO_VAR_DIR": str(var)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    code = "from django.db import connection; connection.ensure_connection(); print('connected')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0 and "connected" in result.stdout, result.stderr[-2000:]
    assert (var / "db.sqlite3").exists() and (var / "celery" / "broker").is_dir()


def test_production_refuses_to_start_without_a_secret_key():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "integrity.settings", "DJANGO_DEBUG": "0"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def _own_files() -> list[Path]:
    roots = [ROOT / "templates", ROOT / "static", *ROOT.glob("*/templates")]
    return [
        p for root in roots for p in root.rglob("*") if p.is_file() and p.suffix in {".html", ".css", ".js", ".svg"}
    ]


def test_no_template_or_static_file_loads_from_the_internet():
    files = _own_files()
    assert any(p.name == "base.html" for p in files) and any(p.name == "bootstrap.min.css" for p in files)
    offenders = [str(p.relative_to(ROOT)) for p in files if EXTERNAL.search(p.read_text(errors="ignore"))]
    assert not offenders


@pytest.mark.django_db
def test_no_rendered_page_loads_from_the_internet(world, client_for):
    client = client_for(world.admin)
    for url in (reverse("home"), reverse("integrity:officer_list"), reverse("admin:index")):
        assert not EXTERNAL.search(client.get(url).content.decode())
    assert not EXTERNAL.search(Client().get(reverse("login")).content.decode())


def _po_entries(text: str) -> dict[tuple[str, str], str]:
    """(context, msgid) -> msgstr of a .po file's single-form entries (plurals are checked by their pages)."""
    entries = {}
    for block in text.split("\n\n"):
        found = re.search(r'^msgid ((?:".*"\n)+)msgstr ((?:".*"\n?)+)', block + "\n", re.M)
        if found:
            msgid, msgstr = ("".join(json.loads(line) for line in part.split("\n") if line) for part in found.groups())
            context = re.search(r'^msgctxt (".*")$', block, re.M)
            if msgid:
                entries[(json.loads(context.group(1)) if context else "", msgid)] = msgstr
    return entries


def test_the_chinese_catalogue_is_complete_and_compiled():
    po = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
    entries = _po_entries(po.read_text(encoding="utf-8"))
    assert entries and not [msgid for msgid, msgstr in entries.items() if not msgstr]
    with open(po.with_suffix(".mo"), "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    stale = [
        msgid
        for (context, msgid), msgstr in entries.items()
        if (compiled.pgettext(context, msgid) if context else compiled.gettext(msgid)) != msgstr
    ]
    assert not stale, "run `make messages` to recompile the catalogue"


@pytest.mark.django_db(transaction=True)
def test_seed_demo_builds_the_demo_institution_and_a_second_run_changes_nothing(settings, demo_snapshot):
    snapshots.restore(demo_snapshot)  # what seed_demo built at the start of the run
    city = Institution.objects.get(code="JZ")
    assert city.children.count() == 2
    assert Officer.objects.filter(institution=city).count() >= 40
    assert all(Officer.objects.filter(institution=child).count() >= 12 for child in city.children.all())
    for username in ("officer", "depthead", "deputy", "chief", "inspector", "admin"):
        assert Officer.objects.get(username=username).check_password(settings.DEMO_PASSWORD), username
    officer, depthead, deputy = (Officer.objects.get(username=u) for u in ("officer", "depthead", "deputy"))
    assert depthead.role_assignments.get().departments.get() == officer.department
    assert officer.department in deputy.role_assignments.get().departments.all()

    def snapshot() -> tuple:
        return (
            tuple(model.objects.count() for model in (Institution, Department, Officer, PostAssignment, RoleAssignment))
            + tuple(model.history.count() for model in (Institution, Department, Officer, RoleAssignment))
            + (tuple(Officer.objects.order_by("pk").values_list("password", flat=True)),)
        )

    before = snapshot()
    call_command("seed_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_a_word_with_two_meanings_is_translated_by_its_context():
    """ "Content" of a clue is what it reports (反映内容), of a power item what the power is (职权内容); a quarterly
    "grade" is a rating (评定等次), a risk's grade its level (风险等级)."""
    from django.utils import translation

    from alerts.models import Clue
    from archives.models import QuarterlyAssessment
    from risks.models import PowerItem, RiskPoint

    with translation.override("zh-hans"):
        assert str(Clue._meta.get_field("content").verbose_name) == "反映内容"
        assert str(PowerItem._meta.get_field("content").verbose_name) == "职权内容"
        assert str(QuarterlyAssessment._meta.get_field("grade").verbose_name) == "评定等次"
        assert str(RiskPoint._meta.get_field("grade").verbose_name) == "风险等级"


def test_every_queue_a_task_is_routed_to_has_a_worker_in_the_shipped_commands():
    """A task routed to a queue nobody serves would wait forever: the deployment's worker and ``make run``'s serve
    every queue of ``CELERY_TASK_ROUTES``."""
    queues = {"celery"} | {route["queue"] for route in settings.CELERY_TASK_ROUTES.values()}
    compose = (settings.BASE_DIR / "docker-compose.yml").read_text()
    dev = (settings.BASE_DIR / "scripts" / "run-dev.sh").read_text()
    for text in (compose, dev):
        served = re.search(r'celery[^\n]*worker[^\n]*-Q"?,? ?"?([a-z,]+)', text)[1].split(",")
        assert set(served) == queues
