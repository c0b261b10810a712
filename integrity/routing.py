"""Who answers for whom (四级): one pure function for every review and every rectification owner.

An officer's items go to their department head; a head's own items to the deputy in charge of the department; a
deputy's to the principal leader; the principal leader's to the institution's discipline inspection staff, or the
upper institution's. A level nobody holds is passed over to the next one up, and nobody is ever their own reviewer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import IntEnum

from integrity.choices import Role
from integrity.models import Officer


class Level(IntEnum):
    MEMBER = 0
    HEAD = 1
    DEPUTY = 2
    PRINCIPAL = 3


# The level each leading role gives over what it leads.
ROLE_LEVELS: dict[str, Level] = {
    Role.DEPARTMENT_HEAD: Level.HEAD,
    Role.DEPUTY_LEADER: Level.DEPUTY,
    Role.PRINCIPAL_LEADER: Level.PRINCIPAL,
}


@dataclass(frozen=True)
class Person:
    officer_id: int
    department_id: int | None
    institution_id: int | None

    @classmethod
    def of(cls, officer: Officer) -> Person:
        """The routing's view of an officer (anything with ``pk``, ``department_id`` and ``institution_id``)."""
        return cls(officer.pk, officer.department_id, officer.institution_id)


@dataclass(frozen=True)
class RoleRow:
    """One role an officer holds: over a department (heads, deputies) or over an institution (``department_id``
    None)."""

    officer_id: int
    role: str
    institution_id: int
    department_id: int | None = None


_EMPTY: frozenset[int] = frozenset()


@dataclass(frozen=True)
class Chain:
    """The role holders of a deployment, indexed for ``reviewer``."""

    heads: Mapping[int, frozenset[int]] = field(default_factory=dict)  # department -> heads
    deputies: Mapping[int, frozenset[int]] = field(default_factory=dict)  # department -> deputies in charge
    principals: Mapping[int, frozenset[int]] = field(default_factory=dict)  # institution -> principal leaders
    discipline: Mapping[int, frozenset[int]] = field(default_factory=dict)  # institution -> discipline staff
    levels: Mapping[tuple[int, int], Level] = field(default_factory=dict)  # (officer, institution) -> highest level
    parents: Mapping[int, int | None] = field(default_factory=dict)  # institution -> the body above it
    leads: Mapping[int, frozenset[int]] = field(default_factory=dict)  # institution -> discipline leads (纪检组长)

    @classmethod
    def build(cls, rows: Iterable[RoleRow], parents: Mapping[int, int | None]) -> Chain:
        groups: dict[str, defaultdict[int, set[int]]] = {name: defaultdict(set) for name in ("h", "d", "p", "k", "l")}
        levels: dict[tuple[int, int], Level] = {}
        for row in rows:
            key = (row.officer_id, row.institution_id)
            level = ROLE_LEVELS.get(row.role)
            if level is not None:
                levels[key] = max(levels.get(key, Level.MEMBER), level)
            if row.role == Role.DEPARTMENT_HEAD and row.department_id:
                groups["h"][row.department_id].add(row.officer_id)
            elif row.role == Role.DEPUTY_LEADER and row.department_id:
                groups["d"][row.department_id].add(row.officer_id)
            elif row.role == Role.PRINCIPAL_LEADER:
                groups["p"][row.institution_id].add(row.officer_id)
            elif row.role == Role.DISCIPLINE:
                groups["k"][row.institution_id].add(row.officer_id)
            elif row.role == Role.DISCIPLINE_LEAD:
                groups["l"][row.institution_id].add(row.officer_id)
        frozen = {name: {k: frozenset(v) for k, v in group.items()} for name, group in groups.items()}
        return cls(frozen["h"], frozen["d"], frozen["p"], frozen["k"], levels, dict(parents), frozen["l"])

    def level(self, person: Person) -> Level:
        if person.institution_id is None:
            return Level.MEMBER
        return self.levels.get((person.officer_id, person.institution_id), Level.MEMBER)


def _upward(person: Person, chain: Chain) -> Iterator[tuple[int, frozenset[int]]]:
    """The groups that could answer for ``person``, nearest first, each with the level it answers at."""
    level = chain.level(person)
    department = person.department_id
    if department is not None:
        if level < Level.HEAD:
            yield Level.HEAD, chain.heads.get(department, _EMPTY)
        if level < Level.DEPUTY:
            yield Level.DEPUTY, chain.deputies.get(department, _EMPTY)
    institution = person.institution_id
    if institution is None:
        return
    if level < Level.PRINCIPAL:
        yield Level.PRINCIPAL, chain.principals.get(institution, _EMPTY)
    seen: set[int] = set()
    while institution is not None and institution not in seen:  # the discipline staff here, then above
        seen.add(institution)
        yield Level.PRINCIPAL + 1, chain.discipline.get(institution, _EMPTY)
        institution = chain.parents.get(institution)


def discipline_for(
    institution_id: int | None, chain: Chain, *, subject: int | None = None, excluding: frozenset[int] = _EMPTY
) -> int | None:
    """The discipline officer who answers for a matter of ``institution_id`` (assigning a clue, reviewing a
    personal matters report, a warning about a principal leader): its discipline staff; when the matter is about
    one of them, the staff of the body above (at the top, a colleague); where a body has none, the body above.
    Never ``subject``, nor anyone ``excluding`` names."""
    seen: set[int] = set()
    while institution_id is not None and institution_id not in seen:
        seen.add(institution_id)
        group = chain.discipline.get(institution_id, _EMPTY) - excluding
        parent = chain.parents.get(institution_id)
        if subject in group and parent is not None:
            institution_id = parent
            continue
        if others := group.difference({subject}):
            return min(others)
        institution_id = parent
    return None


def discipline_lead_for(institution_id: int, chain: Chain, *, excluding: frozenset[int] = _EMPTY) -> int | None:
    """The discipline lead (纪检组长) of ``institution_id`` who may act, or None when it has none but those
    ``excluding`` names."""
    others = chain.leads.get(institution_id, _EMPTY) - excluding
    return min(others) if others else None


def reviewer(
    person: Person, chain: Chain, *, at_least: Level = Level.HEAD, excluding: frozenset[int] = _EMPTY
) -> int | None:
    """Who reviews ``person``'s items (and owns a rectification about them): never the person themselves. Among
    several holders of the same level, the one who has held an account longest (lowest id) is chosen.

    ``at_least`` starts higher up: a serious warning is answered for by the deputy in charge at least, a critical
    one by the principal leader. ``excluding`` passes over people who may not act (the proposer of a warning)."""
    for level, group in _upward(person, chain):
        others = group - {person.officer_id} - excluding
        if level >= at_least and others:
            return min(others)
    return None
