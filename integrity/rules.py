"""Pure rules of the organisation: functions of their inputs, tested without a database."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Sequence

from django.utils.translation import gettext as _

from integrity.choices import Role


def role_problems(
    role: str, institution_id: int, department_institution_ids: Sequence[int], held: Sequence[str] = ()
) -> list[str]:
    """What is wrong with granting ``role`` in an institution over departments of the given institutions, to an
    officer who already holds the roles ``held`` (elsewhere or here)."""
    problems = []
    others = set(held) - {role}
    if role in Role.administrators() and others:
        problems.append(_("An administrator holds no other role (三员分立)."))
    elif others & Role.administrators():
        problems.append(_("An administrator cannot take on another role (三员分立)."))
    if role == Role.DISCIPLINE_LEAD and Role.DISCIPLINE not in held:
        problems.append(_("A discipline lead is one of the discipline staff: grant that role first."))
    if role in Role.with_departments() and not department_institution_ids:
        problems.append(_("A department head or deputy leader must be given at least one department."))
    if role == Role.DEPARTMENT_HEAD and len(department_institution_ids) > 1:
        problems.append(_("A department head leads one department."))
    if role not in Role.with_departments() and department_institution_ids:
        problems.append(_("This role holds over the whole institution, not over departments."))
    if any(i != institution_id for i in department_institution_ids):
        problems.append(_("The departments must belong to the institution of the role."))
    return problems


def month_end(year: int, month: int) -> datetime.date:
    """The last day of ``month`` in ``year``: the day a yearly duty owed by the end of a policy's month is due."""
    return datetime.date(year, month, calendar.monthrange(year, month)[1])
