"""Text a learner chose (student ids, file names, code, exception names) in what the batch writes.

The terminal must print it as typed, not read it as rich's markup, and the
CSV reports must hand it to a spreadsheet as text, never as a formula. One
small 00_warmup cohort is graded once through the command line:

* ``markup`` hands in the reference plus a line that sets an attribute of
  NumPy named with rich's markup and emoji codes, which the integrity scan
  flags, quoting the line in the student's message;
* ``formula``'s function raises an exception whose class is named like a
  spreadsheet formula, so the failure message of every test cell begins with
  ``=``;
* a flat file named like a formula gives a student id intake rejects;
* ``alice`` hands in an empty notebook named ``@evil.ipynb``, so her rejection
  message begins with ``@``.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from scratch import ScratchCourses

from course.scores import GradedBy, ScoreRow, spreadsheet_safe, write_scores
from course.submissions import reference_answers, write_submission

LESSON = "00_warmup"
MARKUP = "[/bogus] [bold]x :thumbs_up:"
FORMULA_ID = '=HYPERLINK("evil.example","open_me")'
FORMULA_ERROR = '=HYPERLINK("evil.example","see why")'
EMPTY_NOTEBOOK = "@evil.ipynb"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def graded(scratch_courses: ScratchCourses) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The course after ``course grade`` and ``course report``, and what ``course grade`` printed."""
    scratch = scratch_courses(LESSON, "learner-text")
    work, course = scratch.work, scratch.root
    cohort = work / "cohort"
    answers = reference_answers(course, LESSON)
    key = (f"{LESSON}.ipynb", "mse_rmse")
    write_submission(
        course,
        LESSON,
        {**answers, key: answers[key] + f"\nsetattr(np, {MARKUP!r}, None)\n"},
        cohort / "markup" / LESSON,
    )
    raising = f"def mse_rmse(y_true, y_pred):\n    raise type({FORMULA_ERROR!r}, (Exception,), {{}})()\n"
    write_submission(course, LESSON, {**answers, key: raising}, cohort / "formula" / LESSON)
    (cohort / f"{FORMULA_ID}.ipynb").write_bytes((cohort / "formula" / LESSON / f"{LESSON}.ipynb").read_bytes())
    (cohort / "alice").mkdir()
    (cohort / "alice" / EMPTY_NOTEBOOK).write_bytes(b"")
    command = [sys.executable, "-m", "course", "grade", LESSON, str(cohort), "--workers", "1"]
    printed = subprocess.run(command, cwd=course, capture_output=True, text=True, timeout=900)
    report = subprocess.run(
        [sys.executable, "-m", "course", "report", LESSON], cwd=course, capture_output=True, text=True, timeout=300
    )
    assert report.returncode == 0, report.stderr
    return course, printed


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def formula_cells(rows: list[dict[str, str]]) -> list[str]:
    """Every field a spreadsheet would evaluate as a formula."""
    return [value for row in rows for value in row.values() if value.startswith(FORMULA_STARTS)]


def test_grade_prints_learner_text_as_typed(graded: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    _, printed = graded
    assert printed.returncode == 0, printed.stderr
    assert MARKUP in printed.stdout, printed.stdout
    assert FORMULA_ID in printed.stdout and EMPTY_NOTEBOOK in printed.stdout


def test_submissions_csv_keeps_formulas_inert(graded: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    course, _ = graded
    rows = {row["student_id"]: row for row in read_rows(course / "reports" / LESSON / "submissions.csv")}
    assert not formula_cells(list(rows.values()))
    assert rows["'" + FORMULA_ID]["status"] == "rejected", "the id is not kept, as text, after a quote"
    assert rows["alice"]["message"].startswith("'" + EMPTY_NOTEBOOK)
    assert rows["markup"]["status"] == "flagged" and MARKUP in rows["markup"]["message"]


def test_failures_csv_keeps_formulas_inert(graded: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    course, _ = graded
    rows = read_rows(course / "reports" / LESSON / "failures.csv")
    messages = {row["message"] for row in rows if row["student_id"] == "formula"}
    assert messages and not formula_cells(rows)
    assert all(message.startswith("'" + FORMULA_ERROR) for message in messages), messages


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_scores_csv_quotes_text_that_starts_like_a_formula_but_not_numbers(tmp_path: Path, start: str) -> None:
    # Intake lets no such id through to grading, but the writer must not rely on it.
    student = f"{start}1+1"
    path = write_scores(
        [ScoreRow(student, f"{LESSON}.ipynb", "correctness-x", "correctness", -1.5, 2.0, GradedBy.AUTO)],
        tmp_path / "scores.csv",
    )
    (row,) = read_rows(path)
    assert row["student_id"] == "'" + student
    assert row["score"] == "-1.5" and row["max_score"] == "2.0", "a number was turned into text"


def test_only_text_that_starts_like_a_formula_changes() -> None:
    assert spreadsheet_safe("alice-1") == "alice-1"
    assert spreadsheet_safe("-") == "'-"
    assert spreadsheet_safe(-3) == -3 and spreadsheet_safe(None) is None and spreadsheet_safe("") == ""
