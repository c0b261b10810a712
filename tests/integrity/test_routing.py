"""Who reviews whom (四级), as a table over every role: nobody is ever their own reviewer."""

from __future__ import annotations

import pytest

from integrity.choices import Role
from integrity.routing import Chain, Person, RoleRow, discipline_for, reviewer

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


# The grade's chain: 1 → the head only (blue, yellow), 2 → up to the deputy (orange), 3 → up to the chief (red).
@pytest.mark.parametrize(
    ("author", "required", "approvers"),
    [
        (Person(1001, 10, 1), 1, [101]),  # a member's blue: their head
        (Person(1001, 10, 1), 3, [101, 201, 301]),  # a member's red: head, deputy in charge, chief
        (Person(101, 10, 1), 1, [201]),  # the head's own: the deputy in charge stands in at level 1
        (Person(101, 10, 1), 3, [201, 301]),  # … and is not asked again at level 2
        (Person(1002, 11, 1), 2, [201]),  # a department without a head: the deputy, once
        (Person(201, 12, 1), 3, [301]),  # the deputy's own red: the chief, once
        (Person(301, 12, 1), 3, [401]),  # the chief's own: the discipline staff
        (Person(321, 20, 2), 2, [401]),  # the district chief's own: the city's discipline staff
    ],
)
def test_an_assessment_is_approved_up_the_four_levels_by_nobody_twice_and_never_by_its_author(
    author, required, approvers
):
    from cases.rules import approval_route

    walked, done = [], set()
    level, approver = approval_route(author, CHAIN, 1, required)
    while level is not None:
        walked.append(approver)
        done.add(approver)
        level, approver = approval_route(author, CHAIN, level + 1 if level < required else None, required, done)
    assert walked == approvers


@pytest.mark.parametrize(
    ("institution", "subject", "excluding", "expected"),
    [
        (1, None, frozenset(), 401),  # the body's discipline staff (the longest-serving)
        (1, 401, frozenset(), 402),  # about one of them, at the top: a colleague
        (1, None, frozenset({401}), 402),  # passing over the proposer
        (2, 1201, frozenset(), 401),  # a body without discipline staff: the body above
        (1, 401, frozenset({402}), None),  # nobody left
    ],
)
def test_discipline_matters_go_to_the_bodys_staff_and_about_one_of_them_up(institution, subject, excluding, expected):
    assert discipline_for(institution, CHAIN, subject=subject, excluding=excluding) == expected


def test_a_matter_about_a_district_discipline_officer_goes_to_the_city():
    chain = Chain.build([*ROLES, RoleRow(421, Role.DISCIPLINE, 2), RoleRow(422, Role.DISCIPLINE, 2)], {1: None, 2: 1})
    assert discipline_for(2, chain, subject=1201) == 421
    assert discipline_for(2, chain, subject=421) == 401  # not the colleague next door
