"""Drawing helpers: one badge for every coloured choice, and the power-flow chart as server-side SVG."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django import template

from risks.choices import Grade
from risks.models import FlowStep

register = template.Library()

GRADE_FILL = {"high": "#dc3545", "medium": "#ffc107", "low": "#0dcaf0", None: "#f8f9fa"}


@dataclass
class ChartStep:
    order: int
    name: str
    actor: str
    grade: str | None
    risk_count: int
    x: int = 0
    y: int = 0


@register.inclusion_tag("risks/includes/flow_chart.svg")
def flow_chart(steps: Iterable[FlowStep], worst_grades: dict[int, str], risk_counts: dict[int, int]) -> dict:
    """权力运行流程图: the steps top to bottom, each coloured by the grade of its worst risk point."""
    box_w, box_h, gap = 320, 56, 30
    chart = []
    for n, step in enumerate(steps):
        grade = worst_grades.get(step.pk)
        chart.append(
            ChartStep(
                step.order, step.name, step.actor, grade, risk_counts.get(step.pk, 0), x=20, y=20 + n * (box_h + gap)
            )
        )
    return {
        "steps": chart,
        "width": box_w + 40,
        "height": 40 + len(chart) * (box_h + gap) - gap,
        "box_w": box_w,
        "box_h": box_h,
        "gap": gap,
        "fills": GRADE_FILL,
        "grades": {g.value: g.label for g in Grade},
    }


@register.filter
def grade_fill(grade: str | None) -> str:
    return GRADE_FILL.get(grade, GRADE_FILL[None])
