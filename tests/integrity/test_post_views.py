"""One way to write a view that runs an action: ``act`` for a POST on a record, ``submit`` for a page whose form
runs one. Each checks the form, runs the action with its cleaned data, tells a refusal reason by reason and success
once, and takes an action's PermissionDenied as a page not found; no view writes that pattern out again."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory

from integrity.views import act, submit

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
APPS = ["integrity", "risks", "cases", "alerts", "inspections", "archives", "reports", "desk"]


class NameForm(forms.Form):
    name = forms.CharField(label="名称")


def request_for(user, method: str = "post", data: dict | None = None):
    request = getattr(RequestFactory(), method)("/somewhere/", data or {})
    request.user, request.session = user, SessionStore()
    request._messages = FallbackStorage(request)
    return request


def told(request) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


class Record:
    def __init__(self, url: str) -> None:
        self.url = url

    def get_absolute_url(self) -> str:
        return self.url


def test_act_runs_the_action_with_the_forms_data_and_tells_success_once(world):
    ran = []
    request = request_for(world.admin, data={"name": "甲"})
    response = act(request, Record("/record/"), ran.append, done="已保存。", form=NameForm(request.POST))
    assert (response.status_code, response["Location"]) == (302, "/record/")
    assert ran == [{"name": "甲"}] and told(request) == [("success", "已保存。")]


def test_act_tells_a_bad_form_field_by_field_and_runs_nothing(world):
    ran = []
    request = request_for(world.admin)
    also = NameForm({"name": ""}, prefix="other")
    response = act(request, Record("/record/"), ran.append, done="已保存。", form=NameForm(request.POST), also=[also])
    assert response["Location"] == "/record/" and ran == []
    assert [text for _level, text in told(request)] == ["名称：这个字段是必填项。"] * 2  # both forms checked


def test_act_tells_each_reason_of_a_refusal_and_a_forbidden_action_is_not_found(world):
    def refuse(_data):
        raise ValidationError(["其一", "其二"])

    request = request_for(world.admin)
    assert act(request, Record("/record/"), refuse, done="已保存。")["Location"] == "/record/"
    assert told(request) == [("error", "其一"), ("error", "其二")]

    def forbid(_data):
        raise PermissionDenied

    with pytest.raises(Http404):
        act(request_for(world.admin), Record("/record/"), forbid, done="已保存。")


def test_act_may_follow_to_what_the_action_returned_and_word_success_from_it(world):
    request = request_for(world.admin)
    response = act(
        request, Record("/record/"), lambda _data: Record("/new/"), done=lambda new: f"见 {new.url}", follow=True
    )
    assert response["Location"] == "/new/" and told(request) == [("success", "见 /new/")]


def test_submit_shows_the_page_runs_the_action_and_goes_where_it_says(world):
    page = submit(
        request_for(world.admin, "get"), NameForm(), lambda _data: None, done="已保存。", template="risks/form.html",
        context={"title": "新建"},
    )  # fmt: skip
    assert page.status_code == 200 and "新建" in page.content.decode()

    request = request_for(world.admin, data={"name": "甲"})
    response = submit(
        request, NameForm(request.POST), lambda data: Record(f"/{len(data['name'])}/"), done="已保存。",
        template="risks/form.html",
    )  # fmt: skip
    assert response["Location"] == "/1/" and told(request) == [("success", "已保存。")]
    response = submit(
        request_for(world.admin, data={"name": "甲"}), NameForm({"name": "甲"}), lambda _data: None, done="已保存。",
        template="risks/form.html", to="home",
    )  # fmt: skip
    assert response["Location"] == "/"


def test_submit_puts_a_refusal_on_the_form_and_shows_the_page_again(world):
    def refuse(_data):
        raise ValidationError("编号已存在。")

    request = request_for(world.admin, data={"name": "甲"})
    page = submit(
        request, NameForm(request.POST), refuse, done="已保存。", template="risks/form.html", context={"title": "新建"}
    )
    assert page.status_code == 200 and "编号已存在。" in page.content.decode() and told(request) == []

    ran = []
    page = submit(request_for(world.admin), NameForm({}), ran.append, done="已保存。", template="risks/form.html")
    assert ran == [] and "这个字段是必填项" in page.content.decode()


def _catches_validation_error(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            names = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            if any(getattr(n, "id", getattr(n, "attr", None)) == "ValidationError" for n in names):
                return True
    return False


def test_no_view_writes_the_action_pattern_out_again():
    views = [p for app in APPS for p in (ROOT / app).glob("*views*.py") if p != ROOT / "integrity" / "views.py"]
    assert views and [str(p.relative_to(ROOT)) for p in views if _catches_validation_error(p)] == []
