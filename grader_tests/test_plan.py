"""The 14-day plan: every day covered, every lesson, drill and round it names exists, the page is current."""

from __future__ import annotations

import shlex

from course_under_test import LESSONS, ROOT

from course.cli import parser
from course.plan import PAGE_FILE, Kind, load_plan, render


def test_the_plan_covers_fourteen_days_and_every_lesson() -> None:
    days = load_plan(ROOT)  # raises on a lesson, drill or round the course does not have
    assert [day.day for day in days] == list(range(1, 15))
    assert {item.ref for day in days for item in day.items if item.kind is Kind.LESSON} == set(LESSONS)
    kinds = {item.kind for day in days for item in day.items}
    assert {Kind.DRILL, Kind.MOCK, Kind.ROUND} <= kinds, "drills, mocks and rounds without code are interleaved"
    assert all(item.minutes > 0 for day in days for item in day.items if item.kind is not Kind.REST)


def test_every_mock_in_the_plan_is_a_valid_course_mock_command() -> None:
    for day in load_plan(ROOT):
        for item in day.items:
            if item.kind is Kind.MOCK:
                args = parser().parse_args(["mock", *shlex.split(item.ref), "--out", "mocks"])
                assert args.problems >= 1, item.ref


def test_plan_page_is_rendered_from_the_plan() -> None:
    assert (ROOT / PAGE_FILE).read_text(encoding="utf-8") == render(load_plan(ROOT)), (
        "run `python -m course plan --write`"
    )
