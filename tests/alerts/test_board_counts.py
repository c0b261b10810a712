"""The board's counts put together from each body's: the viewer's own light taken out, whatever the cache holds."""

import pytest

from alerts.board import Counts
from cases.models import SupervisionNotice


def body(institution_id: int, *rows: tuple[int | None, str, int]) -> Counts:
    counts = Counts(generation="")
    counts.add((institution_id, f"院{institution_id}", department, f"科{department}", colour, n)
               for department, colour, n in rows)  # fmt: skip
    return counts


def test_bodies_merge_into_one_viewers_counts_and_the_viewers_own_light_is_taken_out():
    counts = Counts(generation="g")
    counts.merge(body(1, (10, "green", 3), (11, "red", 1)))
    counts.merge(body(2, (20, "yellow", 2)))
    assert counts.totals == {"green": 3, "red": 1, "yellow": 2}
    assert counts.department_names == {10: "科10", 11: "科11", 20: "科20"}
    counts.take_one(1, 11, "red")  # the viewer: alone in their department, which is no longer a row
    assert counts.totals == {"green": 3, "red": 0, "yellow": 2} and set(counts.by_department[1]) == {10}
    counts.take_one(2, 20, "yellow")
    counts.take_one(2, 20, "yellow")  # a body left with none is no longer a row either
    assert set(counts.by_institution) == set(counts.by_department) == {1}


def test_a_viewers_light_the_bodys_counts_do_not_hold_yet_is_left_alone():
    """The body's counts were read before the viewer's light changed colour (or they moved department): the change
    moves the body's generation and both are read again; until then nothing is taken out, and nothing fails."""
    counts = Counts(generation="g")
    counts.merge(body(1, (10, "green", 3)))
    for institution_id, department_id, colour in ((1, 10, "red"), (1, 12, "green"), (3, 30, "green")):
        counts.take_one(institution_id, department_id, colour)
    assert counts.totals == {"green": 3} and counts.by_department == {1: {10: {"green": 3}}}


@pytest.mark.django_db
def test_counts_an_earlier_release_kept_under_the_old_name_are_not_read_back(client_for, world):
    """After an upgrade the generations in the cache stay where they were: counts kept under the name the earlier
    release used, in the shape it used, would be read back at the same generation and fail to draw."""
    from django.core.cache import cache
    from django.urls import reverse

    from alerts.board import LIGHTS, generation_for
    from alerts.engine import compute_lights
    from integrity import generations

    compute_lights()
    generation = generation_for(world.inspector)
    old = f"{LIGHTS}:{generation}:board:{world.inspector.pk}:{generations.scope_key(world.inspector)}"
    cache.set(old, object())  # no counts of this release's shape
    page = client_for(world.inspector).get(reverse("alerts:board"))
    assert page.status_code == 200 and 'data-testid="by-institution"' in page.content.decode()


@pytest.mark.django_db
def test_an_officer_counted_no_more_moves_their_bodys_boards_or_every_board_when_the_body_is_not_known(
    world, django_capture_on_commit_callbacks
):
    from alerts.board import LIGHTS, counted_no_more
    from integrity import generations

    def moved(officer_ids: set[int]) -> set[str]:
        names = [LIGHTS, *(f"{LIGHTS}:{body.pk}" for body in (world.city, world.dh, world.xs))]
        before = generations.several(names)
        with django_capture_on_commit_callbacks(execute=True):
            counted_no_more(officer_ids)
        return {name for name, was, now in zip(names, before, generations.several(names), strict=True) if was != now}

    assert moved({world.dh_officer.pk}) == {f"{LIGHTS}:{world.dh.pk}"}
    assert LIGHTS in moved({world.dh_officer.pk, 987654})  # an account no longer on record: its body is not known


@pytest.mark.django_db
def test_a_boards_generation_reads_its_bodies_again_only_once_a_generation_moved(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    """A province's board counts 121 bodies: their generations are read once and the board's kept until one of
    the lights' generations moves, not read at every request and poll."""
    from alerts.board import LIGHTS, generation_for, lights_changed
    from integrity import generations

    first = generation_for(world.dh_inspector)
    reads = []
    several = generations.several

    def reading(names: list[str]) -> list[int]:
        if any(name.startswith(f"{LIGHTS}:") and name[len(LIGHTS) + 1 :].isdigit() for name in names):
            reads.append(names)  # the bodies' generations
        return several(names)

    monkeypatch.setattr(generations, "several", reading)
    assert generation_for(world.dh_inspector) == first and not reads  # nothing moved: nothing read again
    with django_capture_on_commit_callbacks(execute=True):
        generations.moved("assessments")  # what no board shows
    assert generation_for(world.dh_inspector) == first and not reads
    with django_capture_on_commit_callbacks(execute=True):
        lights_changed([world.xs.pk])  # a body her board does not show
    assert generation_for(world.dh_inspector) == first and len(reads) == 1  # read again, and the same
    with django_capture_on_commit_callbacks(execute=True):
        lights_changed([world.dh.pk])
    assert generation_for(world.dh_inspector) != first


@pytest.mark.django_db
def test_a_board_drawn_from_the_cache_does_not_read_its_counts_back(client_for, world, monkeypatch):
    """The drawn fragment is kept per generation: until the lights change, a board draws nothing from the counts
    (a province's 1,300 cells), and reads only which bodies it shows, to drill into one."""
    from django.urls import reverse

    from alerts import board
    from alerts.engine import compute_lights

    compute_lights()
    reads = []
    counts_for = board.counts_for
    monkeypatch.setattr(board, "counts_for", lambda *args: reads.append(args) or counts_for(*args))
    client = client_for(world.inspector)
    first = client.get(reverse("alerts:board")).content.decode()
    assert reads and 'data-testid="by-institution"' in first
    drawing = len(reads)
    again = client.get(reverse("alerts:board")).content.decode()
    assert len(reads) == drawing and again.split('data-count="green"')[1] == first.split('data-count="green"')[1]
    drilled = client.get(reverse("alerts:board"), {"institution": world.dh.pk}).content.decode()
    assert len(reads) > drawing and 'data-testid="by-department"' in drilled  # another fragment: drawn afresh


@pytest.mark.django_db
@pytest.mark.today("2026-11-20")
def test_the_boards_open_notices_are_kept_until_a_notice_is_issued_or_closed_or_a_case_changes_hands(
    client_for, world, django_capture_on_commit_callbacks, monkeypatch
):
    """The open notices are counted once per viewer and kept: the board counts them again after a notice is issued
    or closed, or a case's handlers changed (who sees the notices on it); the ten oldest are read afresh each time."""
    import re

    from django.urls import reverse
    from django.utils import timezone

    from alerts import board
    from cases import actions, notices
    from cases.grades import assessments_changed
    from tests.cases.records import assess, make_case

    case = make_case(world.prosecution, [world.officer])
    on_his_case = assess(case, world.officer)

    def issue(record_id: int, addressed_to_id: int | None = None, assessment_id: int | None = None):
        notice = notices.NoticeData(
            "test", record_id, world.city.pk, addressed_to_id, None, "督办", "/", "督办", assessment_id
        )
        with django_capture_on_commit_callbacks(execute=True):
            notices.issue_notices([notice], timezone.localdate())
        return SupervisionNotice.objects.get(kind="test", record_id=record_id)

    first = issue(1, assessment_id=on_his_case.pk)
    second = issue(2, addressed_to_id=world.colleague.pk)
    counted = []
    to_count = board.open_notices_to_count
    monkeypatch.setattr(board, "open_notices_to_count", lambda user: counted.append(user) or to_count(user))
    client = client_for(world.inspector)

    def shown() -> tuple[int, str]:
        section = client.get(reverse("alerts:board")).content.decode().split('data-testid="open-notices"')[1]
        return int(re.search(r'data-count="(\d+)"', section)[1]), section

    assert shown()[0] == 2 and len(counted) == 1
    assert shown()[0] == 2 and len(counted) == 1  # kept
    with django_capture_on_commit_callbacks(execute=True):
        assessments_changed()  # an assessment written: who sees which notice is the same
    assert shown()[0] == 2 and len(counted) == 1
    notices.acknowledge_notice(second, acting_user=world.colleague)
    count, section = shown()
    assert count == 2 and 'data-value="acknowledged"' in section and len(counted) == 1  # the rows read afresh
    third = issue(3)
    assert shown()[0] == 3 and third.number in shown()[1] and len(counted) == 2
    with django_capture_on_commit_callbacks(execute=True):
        notices.close_met_notices("test", still_open={1, 2})
    assert shown()[0] == 2 and third.number not in shown()[1] and len(counted) == 3

    assert board.open_notices(world.officer) == (1, [first.pk])  # on the case he handles
    with django_capture_on_commit_callbacks(execute=True):
        actions.replace_handler(case, world.officer, world.colleague, reason="回避", acting_user=None)
    assert board.open_notices(world.officer) == (0, [])


@pytest.mark.django_db
@pytest.mark.today("2026-11-20")
def test_a_case_an_import_moves_to_another_department_takes_its_notice_off_the_heads_board(
    world, django_capture_on_commit_callbacks
):
    from alerts.board import open_notices
    from cases.importing import import_cases
    from tests.cases.records import assess, make_case

    case = make_case(world.prosecution, [world.officer])
    notice = SupervisionNotice.objects.create(
        institution=world.city, assessment=assess(case, world.officer), record_id=1, year=2026, serial=1, text="督办"
    )
    assert open_notices(world.depthead) == (1, [notice.pk])  # a case of the department she heads
    row = [case.number, case.title, case.case_type, "侦查监督处", "王芳", str(case.received_on)]
    content = "\n".join(["案号,案件名称,案件类型,承办部门,承办人,受理日期", ",".join(row)]).encode("gbk")
    with django_capture_on_commit_callbacks(execute=True):
        assert import_cases(world.city, content, "案件.csv", acting_user=world.admin).updated == 1
    assert open_notices(world.depthead) == (0, [])


def test_the_boards_notice_rows_escape_what_they_show_and_give_the_day_in_the_viewers_time_zone():
    import datetime

    from django.urls import reverse
    from django.utils import timezone, translation

    from alerts.templatetags.board_rows import notice_rows
    from integrity.models import Institution

    body = Institution(name="东湖区人民检察院", short_name="<i>东湖</i>")
    # Reads no clock: the day shown is the notice's own, in the viewer's time zone (1 December in Shanghai).
    issued = datetime.datetime(2026, 11, 30, 17, 0, tzinfo=datetime.UTC)
    notices = [
        SupervisionNotice(pk=7, title="<script>x</script>", institution=body, year=2026, serial=3, issued_at=issued),
        SupervisionNotice(
            pk=8, title="逾期", institution=body, year=2026, serial=4, issued_at=issued, closed_at=issued
        ),
    ]
    with timezone.override("Asia/Shanghai"), translation.override("zh-hans"):
        html = str(notice_rows(notices))
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert "&lt;i&gt;东湖&lt;/i&gt;督〔2026〕3号" in html
    assert f'href="{reverse("cases:notice_detail", args=[7])}"' in html
    assert html.count("<td>—</td>") == 2  # addressed to nobody
    assert html.count("<td>2026-12-01</td>") == 2
    assert 'data-value="issued"' in html and 'data-value="closed"' in html
