"""The cohort report, and written answers graded by hand flowing into it."""

from __future__ import annotations

import csv
import html
import re
from collections import defaultdict
from pathlib import Path

import injections
import pytest
from course_under_test import ROOT
from nbgrader.api import Gradebook
from scratch import ScratchCourses

from course.cli import main
from course.cohorts import REFERENCE, STUB, mutant_student, write_cohort
from course.context import Course
from course.feedback import generate_feedback
from course.grade import grade
from course.mutants import load_library
from course.report import build_report

LESSON = "00_warmup"
LIBRARY = {mutant.name: mutant for mutant in load_library(ROOT)[LESSON]}
FAILING = LIBRARY["no_length_check"]
FLAGGED = LIBRARY["uses_sklearn"]  # the integrity scan flags the import
BROKEN = "empty_file"  # an empty notebook file is rejected
WRITTEN = "understanding-follow_ups"
ROW = re.compile(r'<tr data-student="([^"]+)">(.*?)</tr>', re.DOTALL)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.DOTALL)


@pytest.fixture(scope="module")
def course(scratch_courses: ScratchCourses) -> Path:
    """A graded 00_warmup cohort; the reference's first written answer graded by hand (4 of 5)."""
    scratch = scratch_courses(LESSON, "report")
    work, root = scratch.work, scratch.root
    cohort = work / "cohort"
    write_cohort(root, LESSON, cohort, [FAILING, FLAGGED], every_mutant=True)
    (cohort / BROKEN / LESSON).mkdir(parents=True)
    (cohort / BROKEN / LESSON / f"{LESSON}.ipynb").write_bytes(b"")
    course = Course.open(root)
    grade(course, LESSON, cohort)
    scores_csv = root / "reports" / LESSON / "scores.csv"
    assert "" in {row["score"] for row in read_csv(scores_csv) if row["grade_id"] == WRITTEN}
    # What the Formgrader does when an instructor scores a written answer.
    with Gradebook(course.db_url) as gradebook:
        gradebook.find_grade(WRITTEN, LESSON, LESSON, REFERENCE).manual_score = 4.0
        gradebook.db.commit()
    build_report(course, LESSON)  # exports the gradebook to scores.csv again (course.gradebook.read_scores)
    return root


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def student_rows(page: str) -> dict[str, list[str]]:
    """The report's student table: id -> [status, points, share, categories...]."""
    return {
        student: [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in CELL.findall(body)][1:]
        for student, body in ROW.findall(page)
    }


def page(course: Path) -> str:
    return (course / "reports" / LESSON / "report.html").read_text(encoding="utf-8")


def test_report_shows_plots_students_and_problem_submissions(course: Path) -> None:
    text = page(course)
    images = re.findall(r'<img src="([^"]+)"', text)
    assert len(images) == 3
    for image in images:
        assert (course / "reports" / LESSON / image).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    outcomes = {row["student_id"]: row for row in read_csv(course / "reports" / LESSON / "submissions.csv")}
    shown = student_rows(text)
    assert set(shown) == set(outcomes) == {REFERENCE, STUB, mutant_student(FAILING), mutant_student(FLAGGED), BROKEN}
    assert outcomes[BROKEN]["status"] == "rejected" and shown[BROKEN][:2] == ["rejected", "not graded"]
    assert outcomes[mutant_student(FLAGGED)]["status"] == "flagged"
    for student in (BROKEN, mutant_student(FLAGGED)):
        assert html.escape(outcomes[student]["message"]) in text


def test_numbers_match_scores_csv(course: Path) -> None:
    rows = read_csv(course / "reports" / LESSON / "scores.csv")
    points: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        points[row["student_id"]][0] += float(row["score"] or 0)
        points[row["student_id"]][1] += float(row["max_score"])
    shown = student_rows(page(course))
    for student, (got, most) in points.items():
        assert shown[student][1] == f"{got:g} / {most:g}", student
        assert shown[student][2] == f"{got / most:.0%}", student
    text = page(course)
    for grade_id in {row["grade_id"] for row in rows if row["graded_by"] == "auto"}:
        mine = [row for row in rows if row["grade_id"] == grade_id]
        rate = sum(float(row["score"]) == float(row["max_score"]) for row in mine) / len(mine)
        assert re.search(rf'data-grade-id="{grade_id}">.*?<td class="num">{rate:.0%}</td>', text, re.DOTALL), grade_id


def test_most_frequent_failure_is_listed(course: Path) -> None:
    failures = read_csv(course / "reports" / LESSON / "failures.csv")
    mine = [row for row in failures if row["student_id"] == mutant_student(FAILING)]
    assert [row["grade_id"] for row in mine] == ["edge_cases-mse_rmse_invalid_input"]
    assert html.escape(mine[0]["message"]) in page(course)


def test_a_hand_graded_answer_reaches_scores_report_and_feedback(course: Path) -> None:
    rows = read_csv(course / "reports" / LESSON / "scores.csv")
    (written,) = [row for row in rows if row["student_id"] == REFERENCE and row["grade_id"] == WRITTEN]
    assert (written["score"], written["graded_by"]) == ("4.0", "manual")
    auto = sum(float(row["max_score"]) for row in rows if row["student_id"] == REFERENCE and row["graded_by"] == "auto")
    status, points, share, correctness, understanding, *_ = student_rows(page(course))[REFERENCE]
    assert points.startswith(f"{auto + 4:g} / ")
    assert (correctness, understanding) == ("100%", "80%")
    (feedback,) = generate_feedback(Course.open(course), LESSON, REFERENCE).pages
    assert re.search(
        rf'data-grade-id="{WRITTEN}">.*?<td>4 / 5</td>\s*<td class="status">graded</td>',
        feedback.read_text(encoding="utf-8"),
        re.DOTALL,
    )


def test_cli_writes_the_report(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    html_path = course / "reports" / LESSON / "report.html"
    html_path.unlink()
    monkeypatch.chdir(course)
    assert main(["report", LESSON]) == 0
    assert html_path.is_file()


def test_no_learner_text_can_run_in_the_report() -> None:
    """A failure message and a rejected file's name carry markup: shown as text, and no script may run."""
    text = injections.hostile_course().report.read_text(encoding="utf-8")
    assert injections.runnable(text) == []
    shown = html.unescape(re.sub(r"<[^>]+>", "", text))
    assert injections.payload("exception_name") in shown and injections.payload("file_name") in shown
    # Should a value ever reach the page unescaped, the page itself forbids scripts.
    policy = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
    assert policy and "script-src 'none'" in [directive.strip() for directive in policy.group(1).split(";")]
