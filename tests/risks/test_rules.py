"""The risks app's pure rules at their boundaries: no database."""

import datetime
from types import SimpleNamespace

import pytest

from integrity.choices import Role
from risks.choices import CheckStatus, Grade
from risks.rules import (
    DEFAULT_GRADE_WORDS,
    check_status,
    due_date,
    effective_grade,
    grade_for,
    normalise_grade_word,
    responsible_role,
    split_numbered,
)

# The dates below are November 2026's; the clock stands on the day these tests were written against.
pytestmark = pytest.mark.today("2026-11-20")

DEFAULT = SimpleNamespace(
    high_threshold=15, medium_threshold=8, check_due_day=0, due_soon_days=5, time_zone="Asia/Shanghai"
)
UTC = datetime.UTC


@pytest.mark.parametrize(
    ("likelihood", "impact", "grade"),
    [
        (5, 5, Grade.HIGH),
        (3, 5, Grade.HIGH),
        (5, 3, Grade.HIGH),
        (4, 4, Grade.HIGH),
        (3, 4, Grade.MEDIUM),
        (2, 4, Grade.MEDIUM),
        (4, 2, Grade.MEDIUM),
        (1, 5, Grade.LOW),
        (2, 3, Grade.LOW),
        (1, 1, Grade.LOW),
    ],
)
def test_grade_from_likelihood_times_impact_with_the_default_policy(likelihood, impact, grade):
    # 15 and above is high, 8 to 14 medium, below 8 low
    assert grade_for(likelihood, impact, DEFAULT) == grade


def test_the_thresholds_are_the_policys():
    strict = SimpleNamespace(high_threshold=12, medium_threshold=4)
    assert grade_for(3, 4, strict) == Grade.HIGH
    assert grade_for(2, 2, strict) == Grade.MEDIUM
    assert grade_for(1, 3, strict) == Grade.LOW


def test_a_collective_grade_holds_until_the_risk_is_scored():
    assert effective_grade(None, None, "high", DEFAULT) == Grade.HIGH
    assert effective_grade(1, 1, "high", DEFAULT) == Grade.LOW
    with pytest.raises(ValueError):
        effective_grade(None, None, "", DEFAULT)


@pytest.mark.parametrize(
    ("grade", "role"),
    [(Grade.HIGH, Role.PRINCIPAL_LEADER), (Grade.MEDIUM, Role.DEPUTY_LEADER), (Grade.LOW, Role.DEPARTMENT_HEAD)],
)
def test_who_answers_for_each_grade(grade, role):
    assert responsible_role(grade) == role


@pytest.mark.parametrize(
    ("period", "day", "due"),
    [
        (datetime.date(2026, 11, 1), 0, datetime.date(2026, 11, 30)),
        (datetime.date(2024, 2, 1), 0, datetime.date(2024, 2, 29)),
        (datetime.date(2026, 4, 1), 31, datetime.date(2026, 4, 30)),
        (datetime.date(2026, 4, 1), 25, datetime.date(2026, 4, 25)),
    ],
)
def test_due_date(period, day, due):
    assert due_date(period, day) == due


def check(submitted_at=None, due_on=datetime.date(2026, 11, 30)):
    return SimpleNamespace(due_on=due_on, submitted_at=submitted_at)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (datetime.date(2026, 11, 1), CheckStatus.NOT_DUE),
        (datetime.date(2026, 11, 24), CheckStatus.NOT_DUE),  # the 6th day before
        (datetime.date(2026, 11, 25), CheckStatus.DUE_SOON),  # the 5th day before
        (datetime.date(2026, 11, 30), CheckStatus.DUE_SOON),  # the due day itself
        (datetime.date(2026, 12, 1), CheckStatus.OVERDUE),  # the day after
    ],
)
def test_status_of_an_unfiled_check_by_day(today, status):
    assert check_status(check(), DEFAULT, today) == status


def test_the_yellow_window_is_policy():
    wide = SimpleNamespace(**{**vars(DEFAULT), "due_soon_days": 10})
    assert check_status(check(), wide, datetime.date(2026, 11, 20)) == CheckStatus.DUE_SOON
    assert check_status(check(), wide, datetime.date(2026, 11, 19)) == CheckStatus.NOT_DUE


def test_days_turn_at_midnight_in_shanghai_not_utc():
    last_second = datetime.datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC)  # 23:59:59 in Shanghai
    first_second = datetime.datetime(2026, 11, 30, 16, 0, 0, tzinfo=UTC)  # 00:00:00 on 1 December
    assert check_status(check(), DEFAULT, last_second) == CheckStatus.DUE_SOON
    assert check_status(check(), DEFAULT, first_second) == CheckStatus.OVERDUE
    sixth_day_end = datetime.datetime(2026, 11, 24, 15, 59, 59, tzinfo=UTC)
    assert check_status(check(), DEFAULT, sixth_day_end) == CheckStatus.NOT_DUE
    assert check_status(check(), DEFAULT, sixth_day_end + datetime.timedelta(seconds=1)) == CheckStatus.DUE_SOON


def test_filed_on_time_or_late_by_the_local_day():
    on_due_day = datetime.datetime(2026, 11, 30, 15, 59, tzinfo=UTC)  # 23:59 in Shanghai
    after_midnight = datetime.datetime(2026, 11, 30, 16, 1, tzinfo=UTC)  # 00:01 the next day
    later = datetime.date(2027, 1, 15)
    assert check_status(check(on_due_day), DEFAULT, later) == CheckStatus.FILED
    assert check_status(check(after_midnight), DEFAULT, later) == CheckStatus.FILED_LATE
    early = datetime.datetime(2026, 11, 3, 2, 0, tzinfo=UTC)
    assert check_status(check(early), DEFAULT, datetime.date(2026, 11, 3)) == CheckStatus.FILED


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError):
        check_status(check(), DEFAULT, datetime.datetime(2026, 11, 30, 12, 0))


def test_status_colours_feed_the_lights():
    assert CheckStatus.DUE_SOON.light == "yellow" and CheckStatus.OVERDUE.light == "red"
    assert {CheckStatus.FILED.light, CheckStatus.FILED_LATE.light, CheckStatus.NOT_DUE.light} == {"green"}


@pytest.mark.parametrize(
    ("cell", "parts"),
    [
        ("1.收受财物；2.违规会见 3、泄露案情", ["收受财物", "违规会见", "泄露案情"]),
        ("（1）甲 （2）乙", ["甲", "乙"]),
        ("①甲②乙", ["甲", "乙"]),
        ("一、甲 二、乙", ["甲", "乙"]),
        ("只有一条风险", ["只有一条风险"]),
        ("延长2.5倍的期限", ["延长2.5倍的期限"]),
        ("", []),
    ],
)
def test_numbered_cells_split_into_entries(cell, parts):
    assert split_numbered(cell) == parts


def test_the_grade_words_institutions_use():
    words = {normalise_grade_word(k): v for k, v in DEFAULT_GRADE_WORDS.items()}
    assert [words[normalise_grade_word(w)] for w in ("高", "中级", "三级", "A", "较大", "一般风险")] == [
        Grade.HIGH,
        Grade.MEDIUM,
        Grade.LOW,
        Grade.HIGH,
        Grade.MEDIUM,
        Grade.LOW,
    ]


def test_the_flow_chart_speaks_chinese_with_its_plurals():
    """The SVG templates are in the catalogue too (``make messages`` reads .svg): a step's risk count and the empty
    chart are translated."""
    from django.template.loader import render_to_string
    from django.utils import translation

    step = {"order": 1, "name": "受理", "x": 0, "y": 0, "actor": "", "risk_count": 2, "grade": "high"}
    context = {"steps": [step], "width": 340, "height": 80, "box_w": 320, "box_h": 60, "gap": 20, "fills": {}}
    with translation.override("zh-hans"):
        assert "2 个廉政风险点" in render_to_string("risks/includes/flow_chart.svg", context)
        assert "尚无流程环节" in render_to_string("risks/includes/flow_chart.svg", context | {"steps": []})
