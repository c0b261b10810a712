"""The navigation: each entry says who may use it, so every role sees only what it can open.

Entries with a group are drawn as one dropdown per group, in the order the groups first appear.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from integrity.queries import Scope


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    shown_to: Callable[[Scope], bool]
    group: str | Promise = ""

    @property
    def url(self) -> str:
        """Its address, reversed once per process (for the prefix the site is served under): every page draws
        some thirty of them, and reversing each every time cost about 2 ms a page."""
        return _address(get_script_prefix(), self.url_name)


@functools.cache
def _address(prefix: str, url_name: str) -> str:
    return reverse(url_name)


@dataclass
class NavGroup:
    label: str | Promise
    items: list[NavItem]


def _everyone(scope: Scope) -> bool:
    return True


def _leaders(scope: Scope) -> bool:
    """Those who account for their duty each year (述责述廉), those who review them, and those who oversee them."""
    return (
        scope.is_superuser
        or scope.watches_institution
        or bool(scope.headed_department_ids)
        or scope.has_role("deputy_leader")
        or scope.has_role("principal_leader")
    )


def _watchers(scope: Scope) -> bool:
    return scope.watches_officers


RISKS, CASES, ALERTS, ORGANISATION = _("Risk control"), _("Cases"), _("Warnings"), _("Organisation")

NAVIGATION: list[NavItem] = [
    NavItem(_("Workbench"), "home", _everyone),
    NavItem(_("Warning board"), "alerts:board", _watchers, ALERTS),
    NavItem(_("Integrity warnings"), "alerts:warning_list", _watchers, ALERTS),
    NavItem(_("Petition intake"), "alerts:intake", lambda s: s.has_role("petition_intake"), ALERTS),
    NavItem(_("Petitions and clues"), "alerts:clue_list", lambda s: s.is_superuser or s.watches_institution, ALERTS),
    NavItem(_("Circulated notices"), "alerts:circular_list", _everyone, ALERTS),
    NavItem(_("Inspections"), "inspections:list", lambda s: s.is_superuser or s.watches_institution, ALERTS),
    NavItem(_("Statistics report"), "reports:report", lambda s: s.is_superuser or s.watches_institution, ALERTS),
    NavItem(_("My risk table"), "risks:my_table", _everyone, RISKS),
    NavItem(_("Monthly check"), "risks:my_check", _everyone, RISKS),
    NavItem(_("Propose a risk point"), "risks:proposals", _everyone, RISKS),
    NavItem(_("Power catalog"), "risks:power_item_list", _everyone, RISKS),
    NavItem(_("Risk points"), "risks:risk_point_list", _everyone, RISKS),
    NavItem(_("Review"), "risks:review_queue", lambda s: s.may_review, RISKS),
    NavItem(_("Check completion"), "risks:completion", _watchers, RISKS),
    NavItem(_("Cases"), "cases:case_list", _everyone, CASES),
    NavItem(
        _("Case review"),
        "cases:review_queue",
        lambda s: bool(s.department_ids) or s.has_role("principal_leader"),
        CASES,
    ),
    NavItem(_("Assessments"), "cases:assessment_list", lambda s: _watchers(s) or bool(s.case_institution_ids), CASES),
    NavItem(_("Supervision notices"), "cases:notice_list", _everyone, CASES),
    NavItem(_("Declared relations"), "cases:relations", _everyone, CASES),
    NavItem(_("Personal matters reports"), "archives:matters", _everyone, ORGANISATION),
    NavItem(_("Accounts of duty and integrity"), "archives:duty_accounts", _leaders, ORGANISATION),
    NavItem(_("Report an abnormal situation"), "alerts:abnormal_report", _everyone, ORGANISATION),
    NavItem(
        _("Officers"),
        "integrity:officer_list",
        lambda s: s.sees_others or s.is_administrator or s.is_security_administrator,
        ORGANISATION,
    ),
    NavItem(_("Quarterly assessment"), "archives:quarters", _watchers, ORGANISATION),
    NavItem(_("Talk round"), "archives:talk_round", _watchers, ORGANISATION),
    NavItem(_("Print archives"), "archives:batch", lambda s: s.is_superuser or s.watches_institution, ORGANISATION),
    NavItem(_("Verify a printed archive"), "archives:verify", _everyone, ORGANISATION),
    NavItem(_("Audit log"), "integrity:audit_log", lambda s: s.has_role("auditor"), ORGANISATION),
    NavItem(_("Import officers"), "integrity:officer_import", lambda s: s.is_administrator, ORGANISATION),
    NavItem(_("Role requests"), "integrity:role_requests", lambda s: s.is_security_administrator, ORGANISATION),
    NavItem(
        _("Institutions"),
        "integrity:institution_list",
        lambda s: s.is_superuser or bool(s.overseen_paths),
        ORGANISATION,
    ),
]


def items_for(scope: Scope) -> list[NavItem]:
    return [item for item in NAVIGATION if item.shown_to(scope)]


def drawn_menu(scope: Scope, path: str) -> str:
    """The menu's HTML for ``scope``, the entry at ``path`` marked active. Drawn once per process for each set of
    entries, marked entry, language and prefix the site is served under: every page drew its thirty-odd entries
    through the template engine, 1–2 ms a page on the project's machine."""
    items = items_for(scope)
    active = next((item.url_name for item in items if item.url == path), "")
    return _drawn(tuple(item.url_name for item in items), active, get_language(), get_script_prefix())


@functools.lru_cache(maxsize=512)
def _drawn(names: tuple[str, ...], active: str, language: str, prefix: str) -> str:
    # ``language`` and ``prefix`` are the ones active while it draws: in the arguments, they key the cache.
    shown = set(names)
    return render_to_string("includes/menu.html", {"menu": _grouped(i for i in NAVIGATION if i.url_name in shown),
                                                    "active": active})  # fmt: skip


def _grouped(items: Iterable[NavItem]) -> list[NavItem | NavGroup]:
    """Top-level entries and dropdown groups, in order."""
    menu: list[NavItem | NavGroup] = []
    groups: dict[str, NavGroup] = {}
    for item in items:
        if not item.group:
            menu.append(item)
            continue
        key = str(item.group)
        if key not in groups:
            groups[key] = NavGroup(item.group, [])
            menu.append(groups[key])
        groups[key].items.append(item)
    return menu
