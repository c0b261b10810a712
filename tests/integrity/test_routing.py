"""Who reviews whom (四级), as a table over every role: nobody is ever their own reviewer."""

from __future__ import annotations

import pytest

from integrity.choices import Role
from integrity.routing import Chain, Person, RoleRow, reviewer

# Two bodies: the city (1) above a district (2). City departments 10 (公诉, head 101, deputy 201 over 10 and 11),
# 11 (侦监, no head of its own), 12 (院领导: the chief 301, the deputy 201), 13 (纪检: discipline 401, 402); the
# district's department 20 (head 121) with no deputy, its chief 321 and no discipline staff of its own.
ROLES = [
    RoleRow(101, Role.DEPARTMENT_HEAD, 1, 10),
    RoleRow(201, Role.DEPUTY_LEADER, 1, 10),
    RoleRow(201, Role.DEPUTY_LEADER, 1, 11),
    RoleRow(301, Role.PRINCIPAL_LEADER, 1),
    RoleRow(401, Role.DISCIPLINE, 1),
    RoleRow(402, Role.DISCIPLINE, 1),
    RoleRow(121, Role.DEPARTMENT_HEAD, 2, 20),
    RoleRow(321, Role.PRINCIPAL_LEADER, 2),
    RoleRow(501, Role.ADMINISTRATOR, 1),
]
CHAIN = Chain.build(ROLES, {1: None, 2: 1})


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        (Person(1001, 10, 1), 101),  # a member → the head of the department
        (Person(101, 10, 1), 201),  # the head → the deputy in charge of the department
        (Person(1002, 11, 1), 201),  # a member of a department without a head → the deputy in charge
        (Person(201, 12, 1), 301),  # the deputy → the principal leader
        (Person(301, 12, 1), 401),  # the principal leader → the discipline staff (the longest-serving one)
        (Person(401, 13, 1), 301),  # discipline staff in a department without a head → up to the chief
        (Person(501, 14, 1), 301),  # the administrator is an officer like any other: no head, no deputy → chief
        (Person(1201, 20, 2), 121),  # a district member → the district head
        (Person(121, 20, 2), 321),  # a district head with no deputy over the department → the district chief
        (Person(321, 20, 2), 401),  # the district chief, no discipline staff in the district → the city's
        (Person(1003, None, 1), 301),  # an officer with no department → the principal leader
    ],
)
def test_each_level_goes_one_up(who, expected):
    assert reviewer(who, CHAIN) == expected


def test_nobody_reviews_themselves_even_alone_at_the_top():
    alone = Chain.build([RoleRow(7, Role.PRINCIPAL_LEADER, 1), RoleRow(7, Role.DISCIPLINE, 1)], {1: None})
    assert reviewer(Person(7, 3, 1), alone) is None
    for row in ROLES:
        assert reviewer(Person(row.officer_id, row.department_id, row.institution_id), CHAIN) != row.officer_id


def test_a_head_of_two_levels_answers_at_the_higher():
    """A deputy who also heads a department is reviewed as a deputy: by the principal leader."""
    chain = Chain.build([*ROLES, RoleRow(101, Role.DEPUTY_LEADER, 1, 11)], {1: None, 2: 1})
    assert reviewer(Person(101, 10, 1), chain) == 301
