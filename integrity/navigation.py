"""The navigation: each entry says who may use it, so every role sees only what it can open."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from integrity.queries import Scope


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    shown_to: Callable[[Scope], bool]


def _everyone(scope: Scope) -> bool:
    return True


NAVIGATION: list[NavItem] = [
    NavItem(_("Workbench"), "home", _everyone),
    NavItem(
        _("Warning board"), "alerts:board", lambda s: s.is_superuser or s.watches_institution or bool(s.department_ids)
    ),
    NavItem(
        _("Warnings"),
        "alerts:warning_list",
        lambda s: s.is_superuser or s.watches_institution or bool(s.department_ids),
    ),
    NavItem(_("Clues"), "alerts:clue_list", lambda s: s.is_superuser or s.watches_institution),
    NavItem(_("My risk table"), "risks:my_table", _everyone),
    NavItem(_("Monthly check"), "risks:my_check", _everyone),
    NavItem(_("Cases"), "cases:case_list", _everyone),
    NavItem(_("Power catalog"), "risks:power_item_list", _everyone),
    NavItem(_("Risk points"), "risks:risk_point_list", _everyone),
    NavItem(_("Review"), "risks:review_queue", lambda s: bool(s.headed_department_ids)),
    NavItem(_("Case review"), "cases:review_queue", lambda s: bool(s.department_ids) or s.has_role("principal_leader")),
    NavItem(_("Assessments"), "cases:assessment_list", lambda s: s.watches_institution or bool(s.department_ids)),
    NavItem(_("Check completion"), "risks:completion", lambda s: s.watches_institution or bool(s.department_ids)),
    NavItem(_("Officers"), "integrity:officer_list", lambda s: s.sees_others),
    NavItem(_("Institutions"), "integrity:institution_list", lambda s: s.is_superuser or bool(s.overseen_paths)),
]


def items_for(scope: Scope) -> list[NavItem]:
    return [item for item in NAVIGATION if item.shown_to(scope)]
