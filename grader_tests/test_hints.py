"""Hints: two or three per graded function, released as written, shown one level at a time and counted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from course_under_test import LESSONS, ROOT
from scratch import ScratchCourses

from course.hints import (
    HINTS_CELL,
    HINTS_FILE,
    OPENED_FILE,
    hint_problems,
    hints_cell,
    hints_cell_source,
    load_hints,
    opened_hints,
)
from course.layout import notebooks

WITH_HINTS = [lesson for lesson in LESSONS if load_hints(ROOT / "source" / lesson)]


def test_every_lesson_has_hints() -> None:
    """A learner alone can ask for a hint in every lesson, not only in the ones written first."""
    assert WITH_HINTS == LESSONS


@pytest.mark.parametrize("lesson", WITH_HINTS)
def test_every_graded_function_has_two_or_three_hints_and_the_cell_is_current(lesson: str) -> None:
    [source] = notebooks(ROOT, "source", lesson)[:1]
    notebook = nbformat.read(source, as_version=4)
    hints = load_hints(ROOT / "source" / lesson)
    assert hint_problems(notebook, hints) == []
    assert hints_cell(notebook) == hints_cell_source(lesson, hints), f"run `course hints {lesson}`"
    [released] = notebooks(ROOT, "release", lesson)[:1]
    assert hints_cell(nbformat.read(released, as_version=4)) == hints_cell(notebook), f"run `course build {lesson}`"


@pytest.mark.parametrize("lesson", WITH_HINTS[:1])
def test_hint_shows_the_next_level_each_time_and_counts_it(lesson: str, tmp_path: Path) -> None:
    hints = load_hints(ROOT / "source" / lesson)
    name = next(iter(hints))
    script = tmp_path / "learner.py"
    script.write_text(
        hints_cell_source(lesson, hints)
        + "\n"
        + "\n".join([f"hint({name!r})"] * (len(hints[name]) + 1) + ["hint('no_such_function')"]),
        encoding="utf-8",
    )
    run = subprocess.run([sys.executable, script.name], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    assert "no hints for 'no_such_function'" in run.stdout
    assert json.loads((tmp_path / OPENED_FILE).read_text()) == {lesson: {name: len(hints[name])}}, (
        "each call opens the next level, and the last one stays open"
    )
    assert opened_hints(tmp_path, lesson) == len(hints[name])


def test_a_missing_hint_is_named() -> None:
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("def f(): pass")])
    notebook.cells[0].metadata["nbgrader"] = {"solution": True, "grade": False, "grade_id": "f", "locked": False}
    assert hint_problems(notebook, {"f": ["only one"], "g": ["a", "b"]}) == [
        "f: 1 hint(s), wanted 2 to 3",
        "g: hints for an answer cell the notebook does not have",
    ]
    assert HINTS_CELL == "hints"


def test_the_hints_file_is_not_released(scratch_courses: ScratchCourses) -> None:
    """nbgrader copies a lesson's files into release/: the hints go out only inside their cell."""
    lesson = WITH_HINTS[0]
    course = scratch_courses(lesson, "hints").root
    assert (course / "source" / lesson / HINTS_FILE).is_file()
    assert not (course / "release" / lesson / HINTS_FILE).exists()
