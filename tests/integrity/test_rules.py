"""Pure rules, no database."""

import pytest

from integrity.choices import Role
from integrity.rules import role_problems


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
