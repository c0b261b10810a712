"""Database triggers for what must never change once filed (PostgreSQL; django-pgtrigger installs them with the
migrations). The product itself never makes these changes: the triggers stop an edit made in SQL or through a
future bug, while the review decisions and amendments, which are separate facts, still record normally."""

from __future__ import annotations

import functools
import operator

import pgtrigger


def filed_content(name: str, *, filed: str, fields: list[str]) -> list[pgtrigger.Protect]:
    """Refuse, once ``filed`` (a date-time field) is set, any change to ``fields`` or to ``filed`` itself, and the
    row's deletion."""
    changed = functools.reduce(
        operator.or_, (pgtrigger.Q(**{f"old__{field}__df": pgtrigger.F(f"new__{field}")}) for field in [filed, *fields])
    )
    is_filed = pgtrigger.Q(**{f"old__{filed}__isnull": False})
    return [
        pgtrigger.Protect(name=f"{name}_content", operation=pgtrigger.Update, condition=is_filed & changed),
        pgtrigger.Protect(name=f"{name}_kept", operation=pgtrigger.Delete, condition=is_filed),
    ]


def never_changed(name: str) -> pgtrigger.Protect:
    """Refuse any UPDATE or DELETE: rows written once, with the record they belong to, in the filing transaction."""
    return pgtrigger.Protect(name=name, operation=pgtrigger.Update | pgtrigger.Delete)
