"""``course selfgrade`` on what a learner alone may hand it: a mock, a broken file, a stranger's notebook.

That it gives the points ``course grade`` gives, lesson by lesson, is in
``test_lessons.py``, beside the graded cohorts it compares with.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from course_under_test import ROOT
from rich.console import Console

from course.cli import main
from course.context import Course
from course.drills import load_bank, variant_answers
from course.layout import CourseError
from course.record import load_record
from course.selfgrade import _mock_drills, _table, selfgrade
from course.submissions import fill, reference_answers


def test_a_mock_is_graded_with_the_hidden_tests_of_the_drills_it_drew(tmp_path: Path) -> None:
    bank = {drill.slug: drill for drill in load_bank(ROOT)}
    assert main(["mock", "--seed", "2", "--problems", str(min(2, len(bank))), "--out", str(tmp_path)]) == 0
    blank_path = tmp_path / "mock_seed2.ipynb"
    blank = nbformat.read(blank_path, as_version=4)
    drawn = [bank[slug] for slug in blank.metadata["course_mock"]["drills"]]

    graded_blank = selfgrade(Course.open(ROOT), blank_path)
    assert graded_blank.autograded[1] > 0 and graded_blank.autograded[0] == 0
    assert {row.grade_id for row in graded_blank.rows} == {grade_id for drill in drawn for grade_id in drill.grade_ids}

    answered = tmp_path / "answered" / blank_path.name
    answered.parent.mkdir()
    nbformat.write(fill(blank, blank_path.name, variant_answers(blank_path.name, drawn, {})), answered)
    graded = selfgrade(Course.open(ROOT), answered)
    assert graded.autograded[0] == graded.autograded[1]
    assert graded.feedback is not None and graded.feedback.is_file()
    assert load_record(answered.parent)["mock_seed2"]["selfgrade"]["autograded"] == graded.autograded[0]


def test_a_broken_file_is_not_graded_and_says_why(tmp_path: Path) -> None:
    path = tmp_path / "00_warmup.ipynb"
    path.write_text('{"cells": [', encoding="utf-8")
    result = selfgrade(Course.open(ROOT), path)
    assert result.status == "rejected"
    assert "JSON" in result.message or "notebook" in result.message
    assert main(["selfgrade", str(path)]) == 1


def test_a_notebook_of_no_lesson_asks_which_lesson(tmp_path: Path) -> None:
    path = tmp_path / "my_notes.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), path)
    with pytest.raises(CourseError, match="--lesson"):
        selfgrade(Course.open(ROOT), path)


def test_a_renamed_download_is_recognised_by_its_cells(tmp_path: Path) -> None:
    path = tmp_path / "Copy of my work (2).ipynb"
    path.write_bytes((ROOT / "release" / "00_warmup" / "00_warmup.ipynb").read_bytes())
    assert selfgrade(Course.open(ROOT), path).assignment == "00_warmup"


def test_a_lesson_sharing_cells_with_a_drill_is_not_taken_for_a_mock(tmp_path: Path) -> None:
    """Lesson 03's k-means++ cells are also a drill; without mock metadata the lesson must still win."""
    bank = {drill.slug: drill for drill in load_bank(ROOT)}
    lesson = (ROOT / "source" / "03_clustering" / "03_clustering.ipynb").read_bytes()
    assert any(b'"grade_id": "%s"' % grade_id.encode() in lesson for grade_id in bank["kmeans_plus_plus"].grade_ids)
    assert _mock_drills(ROOT, lesson, nbformat.reads(lesson.decode(), as_version=4)) == []

    assert main(["mock", "--seed", "3", "--problems", "2", "--out", str(tmp_path)]) == 0
    mock = nbformat.read(tmp_path / "mock_seed3.ipynb", as_version=4)
    drawn = mock.metadata.pop("course_mock")["drills"]
    stripped = nbformat.writes(mock).encode()
    assert sorted(_mock_drills(ROOT, stripped, mock)) == sorted(drawn)


def test_self_scores_are_checked_kept_and_shown_in_the_debrief(tmp_path: Path) -> None:
    path = tmp_path / "00_warmup.ipynb"
    answers = reference_answers(ROOT, "00_warmup")
    nbformat.write(
        fill(nbformat.read(ROOT / "release" / "00_warmup" / "00_warmup.ipynb", as_version=4), path.name, answers), path
    )
    written = [grade_id for _, grade_id in answers if grade_id.startswith(("understanding-", "communication-"))]
    with pytest.raises(CourseError, match="no written answer"):
        selfgrade(Course.open(ROOT), path, self_scores={"understanding-no_such_answer": 1.0})
    with pytest.raises(CourseError, match="between 0 and"):
        selfgrade(Course.open(ROOT), path, self_scores={written[0]: 1000.0})
    result = selfgrade(Course.open(ROOT), path, self_scores={written[0]: 1.0})
    page = result.feedback.read_text(encoding="utf-8")
    assert 'id="debrief"' in page and written[0] in page
    selfgrade(Course.open(ROOT), path)  # a later run without scores keeps the earlier ones
    assert load_record(tmp_path)["00_warmup"]["selfgrade"]["self_assessed"] == {written[0]: 1.0}
    by_category, by_cell = _table(result)
    shown = Console(width=200, record=True)
    shown.print(by_category, by_cell)
    text = shown.export_text()
    assert f"{written[0]}" in text and "self-assessed" in text
