"""``Officer.home``: the institution a rule needs, refused with a message for an account of none."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from integrity.models import Officer

pytestmark = pytest.mark.django_db


def test_an_officer_s_home_is_their_institution(world):
    assert world.officer.home == world.city


def test_an_account_of_no_institution_is_refused_where_a_rule_needs_one():
    account = Officer(username="root", full_name="系统账号")
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        _ = account.home
    assert refused.value.messages == ["系统账号 未归属任何单位。"]
