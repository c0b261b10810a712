"""An archive's canonical data: a stable, language-free form of what it shows, which its document hash is taken of.

Only the records' own values go in — codes rather than their translated labels, ids rather than the names of
departments or posts kept elsewhere — so the hash does not depend on the language of the page, the template, or a
department's later renaming, and changes only when a record the archive shows changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from archives.queries import Archive


def _rows(objects: Iterable, *fields: str) -> list[list]:
    return [[getattr(obj, field) for field in fields] for obj in objects]


def _declaration(d: Any) -> list:
    shown = d.has_yes or d.conflict_explanation or d.conflict_decision or not d.submitted_at
    if not shown:
        return [d.pk]
    answers = _rows((a for a in d.answers.all() if a.answer), "question_text", "details", "handling")
    return [
        d.pk, d.case_id, d.submitted_at, answers, d.conflict_explanation, d.conflict_decision, d.review_status,
        d.reviewed_by_id, d.review_comment,
    ]  # fmt: skip


def _integrity(s: dict, layout: int) -> dict:
    data = {
        "post_history": _rows(s["post_history"], "pk", "post_id", "started_on", "ended_on", "note"),
        "relations": _rows(s["relations"], "pk", "relation", "name", "occupation", "employer"),
        "matters": _rows(s["matters"], "pk", "changed_on", "kind", "details", "amount", "status"),
        "risk_tables": [
            [t.pk, t.post_id, t.status, t.pledge_signed_on, _rows(t.items.all(), "description", "measures")]
            for t in s["risk_tables"]
        ],
        "checks": [
            [row["check"].pk, row["check"].period, row["status"], row["check"].submitted_at] for row in s["checks"]
        ],
        "declarations": [_declaration(d) for d in s["declarations"]],
        "warnings": [
            [w.pk, w.proposed_at, w.level, w.facts, w.status, _rows(w.actions.all(), "kind", "result")]
            for w in s["warnings"]
        ],
        "talks": _rows(s["talks"], "pk", "held_on", "kind", "occasion", "held_by", "content"),
        "clues": [
            [c.pk, c.received_on, c.kind, c.status, c.outcome, c.clarification.text if c.outcome == "untrue" else ""]
            for c in s["clues"]
        ],
        "discipline": _rows(s["discipline"], "pk", "occurred_on", "title", "effective_until"),
        "grades": _rows(s["grades"], "pk", "quarter", "score", "grade", "barred_until"),
        "bar_overrides": _rows(
            s["bar_overrides"], "pk", "granted_at", "granted_by_id", "reason", "used_for_id", "used_for_record_id"
        ),
        "lights": _rows(s["lights"], "pk", "at", "from_colour", "to_colour", "why"),
    }
    if layout >= 4:
        data["duty_accounts"] = [
            [a.pk, a.year, a.status, a.reviewed_by_id, a.review_comment, _rows(a.statements.all(), "pk", "text")]
            for a in s["duty_accounts"]
        ]
    return data


def _performance(s: dict, layout: int) -> dict:
    data = {
        "cases": _rows(s["cases"], "pk", "number", "title", "case_type", "due_on", "closed_on", "quality_score"),
        "overdue": [c.pk for c in s["overdue"]],
        "closed": s["closed"],
        "on_time_rate": s["on_time_rate"],
        "quality": s["quality"],
    }
    for key in ("rewards", "punishments", "petitions", "visits", "praise", "complaints"):
        data[key] = _rows(s[key], "pk", "occurred_on", "title", "case_number", "details")
    if layout >= 2:
        data["assessments"] = [
            [a.pk, a.submitted_at, a.case_id, a.stage_id, a.occasion, a.colour, a.status, a.on_time]
            for a in s["assessments"]
        ]
        data["assessment_returns"] = s["assessment_returns"]
        data["assessment_feedback"] = s["assessment_feedback"]
    return data


def archive_data(archive: Archive, layout: int) -> dict:
    """What the archive shows, as plain data: its holder and period, then each section."""
    officer = archive.officer
    head = {
        "kind": archive.kind, "officer": officer.pk, "full_name": officer.full_name,
        "staff_number": officer.staff_number, "institution": officer.institution_id,
        "department": officer.department_id, "post": officer.post_id,
        "start": archive.start, "end": archive.end, "layout": layout,
    }  # fmt: skip
    sections = (
        _performance(archive.sections, layout)
        if archive.kind == "performance"
        else _integrity(archive.sections, layout)
    )
    return {"head": head, "sections": sections}
