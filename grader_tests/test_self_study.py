"""A lesson ready for study alone: its opening line, its debriefs and the hints its text points to.

A lesson counts as ready once it has a ``hints.toml``; from then on a learner
without an instructor relies on three more things, checked here: the opening
line says how long the lesson takes (in step with the study plan) and what it
teaches, every written answer has a model answer and a checklist that adds up
to its points, and every ``hint("...")`` the text suggests names a hint that
exists.
"""

from __future__ import annotations

import re

import nbformat
import pytest
from course_under_test import LESSONS, ROOT
from nbformat import NotebookNode

from course.debrief import checklist_problems, debriefs
from course.hints import load_hints
from course.layout import notebooks
from course.plan import Kind, load_plan

READY = LESSONS  # every lesson is meant for study alone

TIME_LINE = re.compile(
    r"\*\*Time:\*\* about (?:(?P<minutes>\d+) minutes|(?P<hours>\d*)(?P<fraction>[¼½¾]?) hours?)\b"
    r".*?·\s*\*\*Afterwards you can:\*\*\s*\S",
    re.DOTALL,
)
FRACTIONS = {"": 0, "¼": 15, "½": 30, "¾": 45}
# The opening line rounds to a quarter of an hour; the plan may be more precise.
PLAN_TOLERANCE_MINUTES = 15
SUGGESTED_HINT = re.compile(r"""hint\(\s*["']([A-Za-z_]\w*)["']\s*\)""")  # not a placeholder such as <function>


def source_notebook(lesson: str) -> NotebookNode:
    [path] = notebooks(ROOT, "source", lesson)[:1]
    return nbformat.read(path, as_version=4)


def stated_minutes(notebook: NotebookNode) -> int | None:
    """Minutes the first markdown cell's "**Time:** about ..." line promises, or None without one."""
    opening = next((cell.source for cell in notebook.cells if cell.cell_type == "markdown"), "")
    match = TIME_LINE.search(opening)
    if match is None:
        return None
    if match["minutes"]:
        return int(match["minutes"])
    return 60 * int(match["hours"] or 0) + FRACTIONS[match["fraction"]]


def planned_minutes(lesson: str) -> int | None:
    minutes = [
        item.minutes for day in load_plan(ROOT) for item in day.items if item.kind is Kind.LESSON and item.ref == lesson
    ]
    return sum(minutes) if minutes else None


def suggested_hints(notebook: NotebookNode) -> set[str]:
    """Names the lesson's text tells a learner to pass to ``hint``."""
    return {
        name for cell in notebook.cells if cell.cell_type == "markdown" for name in SUGGESTED_HINT.findall(cell.source)
    }


@pytest.mark.parametrize("lesson", READY)
def test_the_lesson_opens_with_its_time_in_step_with_the_plan_and_what_it_teaches(lesson: str) -> None:
    minutes = stated_minutes(source_notebook(lesson))
    assert minutes, f"{lesson}: the first markdown cell needs '**Time:** about N hours · **Afterwards you can:** ...'"
    planned = planned_minutes(lesson)
    assert planned is not None, f"{lesson} is missing from docs/plan.toml"
    assert abs(minutes - planned) <= PLAN_TOLERANCE_MINUTES, (
        f"{lesson} says about {minutes} minutes, the plan gives it {planned}: change one of them"
    )


@pytest.mark.parametrize("lesson", READY)
def test_every_written_answer_has_a_model_answer_and_a_checklist_that_adds_up(lesson: str) -> None:
    found = debriefs(source_notebook(lesson))
    assert found, f"{lesson} has no written answers"
    assert checklist_problems(found) == []


@pytest.mark.parametrize("lesson", READY)
def test_the_text_points_to_hints_that_exist(lesson: str) -> None:
    suggested = suggested_hints(source_notebook(lesson))
    assert suggested, f"{lesson}: say under a stub 'Stuck? Run `hint(\"<grade_id>\")` in a new cell.'"
    missing = suggested - set(load_hints(ROOT / "source" / lesson))
    assert not missing, f"{lesson} suggests hint() for {sorted(missing)}, which hints.toml does not have"
