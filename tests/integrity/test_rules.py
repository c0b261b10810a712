"""Pure rules, no database. The dates below are the rules' inputs: nothing here reads the clock."""

import datetime

import pytest

from integrity.choices import Role
from integrity.rules import month_end, role_problems


@pytest.mark.parametrize(
    ("role", "department_institutions", "problems"),
    [
        (Role.DEPARTMENT_HEAD, [1], 0),
        (Role.DEPARTMENT_HEAD, [], 1),
        (Role.DEPARTMENT_HEAD, [1, 1], 1),
        (Role.DEPUTY_LEADER, [1, 1, 1], 0),
        (Role.DEPUTY_LEADER, [1, 2], 1),
        (Role.PRINCIPAL_LEADER, [], 0),
        (Role.DISCIPLINE, [1], 1),
        (Role.ADMINISTRATOR, [], 0),
    ],
)
def test_role_problems(role, department_institutions, problems):
    assert len(role_problems(role, 1, department_institutions)) == problems


@pytest.mark.parametrize(
    ("role", "held", "refused"),
    [
        (Role.ADMINISTRATOR, [], False),
        (Role.ADMINISTRATOR, [Role.ADMINISTRATOR], False),  # the same role again (its departments replaced)
        (Role.ADMINISTRATOR, [Role.DISCIPLINE], True),
        (Role.SECURITY_ADMIN, [Role.ADMINISTRATOR], True),
        (Role.AUDITOR, [Role.SECURITY_ADMIN], True),
        (Role.DISCIPLINE, [Role.AUDITOR], True),
        (Role.PRINCIPAL_LEADER, [Role.ADMINISTRATOR], True),
        (Role.DISCIPLINE, [Role.PRINCIPAL_LEADER], False),
    ],
)
def test_the_three_administrators_hold_no_other_role(role, held, refused):
    assert bool(role_problems(role, 1, [], held)) is refused


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(2027, 1, datetime.date(2027, 1, 31)), (2028, 2, datetime.date(2028, 2, 29)),
     (2027, 2, datetime.date(2027, 2, 28)), (2027, 12, datetime.date(2027, 12, 31))],
)  # fmt: skip
def test_a_yearly_duty_owed_by_the_end_of_a_month_is_due_on_its_last_day(year, month, day):
    assert month_end(year, month) == day
