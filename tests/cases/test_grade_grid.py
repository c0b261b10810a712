"""The assessment list's grades by body and department: counted once per viewer and filter, read from the cache
until an assessment or a case is written — and every such write counts them again."""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import actions, assessments
from cases.choices import AssessmentStatus
from cases.importing import import_cases
from cases.queries import current_assessment, visible_assessments
from tests.cases.records import assess, make_case

pytestmark = [pytest.mark.django_db, pytest.mark.today("2026-11-20")]
STATUSES = ["", AssessmentStatus.DRAFT, AssessmentStatus.PENDING, AssessmentStatus.APPROVED, AssessmentStatus.CLOSED]


def shown(client, **params) -> dict[str, dict[str, int]]:
    """The grid the list draws (one body: by department)."""
    return dict(client.get(reverse("cases:assessment_list"), params).context["grid"])


def counted(user, **filters) -> dict[str, dict[str, int]]:
    """The same grid counted from the records, one by one."""
    cells: dict[str, Counter] = {}
    for assessment in visible_assessments(user).filter(**filters).select_related("case__department"):
        cells.setdefault(assessment.case.department.name, Counter())[assessment.colour] += 1
    return {name: dict(colours) for name, colours in cells.items()}


def grouped(queries) -> list[str]:
    return [q["sql"] for q in queries if "GROUP BY" in q["sql"] and "colour" in q["sql"]]


def test_the_grades_are_counted_once_then_read_from_the_cache_until_an_assessment_is_written(
    client_for, world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assess(make_case(world.prosecution, [world.officer]), world.officer)
    client = client_for(world.inspector)
    with CaptureQueriesContext(connection) as first:
        before = shown(client, institution=world.city.pk)
    with CaptureQueriesContext(connection) as again:
        assert shown(client, institution=world.city.pk) == before == {"公诉处": {"blue": 1}}
    assert len(grouped(first.captured_queries)) == 1 and grouped(again.captured_queries) == []
    # Another filter, another viewer: counted for them.
    with CaptureQueriesContext(connection) as other:
        assert shown(client, institution=world.city.pk, status=AssessmentStatus.APPROVED) == {}
        assert shown(client_for(world.depthead)) == before
    assert len(grouped(other.captured_queries)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(world.investigation, [world.colleague])
        assess(case, world.colleague, score_factors=["涉众型案件，涉及人数众多"])
    now = shown(client, institution=world.city.pk)
    assert now == counted(world.inspector, case__institution=world.city) and len(now) == 2 and now != before


def test_every_write_the_grades_count_moves_them(client_for, world, django_capture_on_commit_callbacks):
    """Each write is made after the grids were drawn (and cached): each viewer's grid, under each status, is the one
    counted from the records after it — an assessment filed, submitted, approved, closed, re-opened; a handler
    replaced; the case moved to another department by an import."""
    case = make_case(world.prosecution, [world.officer])
    clients = {viewer: client_for(viewer) for viewer in (world.inspector, world.officer, world.colleague)}

    def drawn_and_counted(name: str) -> None:
        """Every grid drawn (and so cached) is the one counted from the records."""
        for viewer, client in clients.items():
            for status in STATUSES:
                expected = counted(viewer, **({"status": status} if status else {}))
                assert shown(client, institution=world.city.pk, status=status) == expected, (name, viewer, status)

    def current():
        return current_assessment(case)

    def moved_by_import():
        row = [case.number, case.title, case.case_type, "侦查监督处", "王芳", str(case.received_on), "受理", "", ""]
        header = ["案号", "案件名称", "案件类型", "承办部门", "承办人", "受理日期", "当前环节", "当事人", "代理人"]
        content = "\n".join(",".join(r) for r in [header, row]).encode("utf-8")
        assert import_cases(world.city, content, "cases.csv", acting_user=world.admin).updated == 1

    writes = {
        "filed": lambda: assessments.save_assessment(case, factors=[], plan="释法说理", acting_user=world.officer),
        "submitted": lambda: assessments.submit_assessment(current(), acting_user=world.officer),
        "approved": lambda: assessments.decide_assessment(current(), approve=True, acting_user=world.depthead),
        "closed": lambda: assessments.file_feedback(current(), feedback="风险已化解", acting_user=world.officer),
        "re-opened": lambda: assessments.mark_facts_changed(case, reason="出现新证据", acting_user=world.depthead),
        "handler replaced": lambda: actions.replace_handler(
            case, world.officer, world.colleague, reason="回避", acting_user=world.depthead
        ),
        "moved by import": moved_by_import,
    }
    drawn_and_counted("before")
    for name, write in writes.items():
        with django_capture_on_commit_callbacks(execute=True):
            write()
        drawn_and_counted(name)
    case.refresh_from_db()
    assert case.department == world.investigation and counted(world.colleague) == {"侦查监督处": {"blue": 2}}


def test_a_departing_handler_no_longer_counts_the_cases_handed_over(
    client_for, world, django_capture_on_commit_callbacks
):
    case = make_case(world.prosecution, [world.officer, world.colleague])
    with django_capture_on_commit_callbacks(execute=True):
        assess(case, world.officer)
    client = client_for(world.officer)
    assert shown(client) == {"公诉处": {"blue": 1}}
    with django_capture_on_commit_callbacks(execute=True):
        actions.hand_over_cases(world.officer, world.colleague, acting_user=world.admin)
    assert shown(client) == counted(world.officer) == {}
