"""Per-student feedback: each test's result and message, never the hidden tests."""

from __future__ import annotations

import csv
import dataclasses
import html
import re
from pathlib import Path

import injections
import nbformat
import pytest
from course_under_test import ROOT
from nbconvert.exporters import HTMLExporter
from nbgrader.server_extensions.formgrader.formgrader import FormgradeExtension
from scratch import ScratchCourses

from course import feedback
from course.cells import REGION
from course.cohorts import mutant_student, write_cohort
from course.context import Course
from course.feedback import generate_feedback, page_text
from course.grade import grade
from course.mutants import Mutant, load_library
from course.rubric import LABELS
from course.submissions import reference_answers, write_submission

LESSON = "00_warmup"
LIBRARY = {mutant.name: mutant for mutant in load_library(ROOT)[LESSON]}
FAILING = mutant_student(LIBRARY["no_length_check"])  # fails only the edge-case cell
# A learner who passes every test but prints whatever the tests call mse_rmse with.
PEEKER = "peeks_at_inputs"
PEEK = Mutant(
    PEEKER,
    "prints the inputs the tests pass",
    "mse_rmse",
    "residuals = y_true - y_pred",
    'print("PEEK", y_true.tolist())\n    residuals = y_true - y_pred',
)
ROW = re.compile(r'<tr data-grade-id="([^"]+)">(.*?)</tr>', re.DOTALL)
CELL = re.compile(r"<td[^>]*>(.*?)</td>", re.DOTALL)


@pytest.fixture(scope="module")
def course(scratch_courses: ScratchCourses) -> Path:
    """A scratch course with a graded cohort of 00_warmup and its feedback pages."""
    scratch = scratch_courses(LESSON, "feedback")
    work, root = scratch.work, scratch.root
    cohort = work / "cohort"
    write_cohort(root, LESSON, cohort, [LIBRARY["sum_not_mean"], LIBRARY["no_length_check"]], every_mutant=True)
    write_submission(root, LESSON, PEEK.apply(LESSON, reference_answers(root, LESSON)), cohort / PEEKER / LESSON)
    grade(Course.open(root), LESSON, cohort)
    run = generate_feedback(Course.open(root), LESSON)
    assert not run.problems
    return root


def page(course: Path, student: str) -> str:
    return (course / "feedback" / student / LESSON / f"{LESSON}.html").read_text(encoding="utf-8")


def summary(text: str) -> dict[str, list[str]]:
    """The feedback's table: grade id -> [category, points, result, message], as displayed."""
    return {
        grade_id: [html.unescape(re.sub(r"<[^>]+>", "", cell)) for cell in CELL.findall(body)][1:]
        for grade_id, body in ROW.findall(text)
    }


def hidden_test_lines() -> set[str]:
    """Lines only the hidden tests of the lesson's source hold (at least 16 characters)."""
    source = nbformat.read(ROOT / "source" / LESSON / f"{LESSON}.ipynb", as_version=4)
    hidden: set[str] = set()
    elsewhere: set[str] = set()
    for cell in source.cells:
        for match in REGION.finditer(cell.source):
            (hidden if match.group(1) == "HIDDEN TESTS" else elsewhere).update(
                line.strip() for line in match.group(2).splitlines()
            )
        elsewhere.update(line.strip() for line in REGION.sub("", cell.source).splitlines())
    return {line for line in hidden - elsewhere if len(line) >= 16}


def shown_lines(text: str) -> set[str]:
    """The lines a browser shows (highlighted code is split into tags token by token),
    also without the line numbers a traceback puts in front of the code it quotes."""
    lines = {line.strip() for line in html.unescape(re.sub(r"<[^>]+>", "", text)).splitlines()}
    return lines | {re.sub(r"^(?:-*>)?\s*\d+\s+", "", line) for line in lines}


def scores(course: Path) -> list[dict[str, str]]:
    with (course / "reports" / LESSON / "scores.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_failing_student_sees_the_message_and_category(course: Path) -> None:
    student = FAILING
    autograded = nbformat.read(course / "autograded" / student / LESSON / f"{LESSON}.ipynb", as_version=4)
    (failing,) = [cell for cell in autograded.cells if any(o.output_type == "error" for o in cell.get("outputs", []))]
    grade_id = failing.metadata.nbgrader["grade_id"]
    (error,) = [o for o in failing.outputs if o.output_type == "error"]

    category, points, result, message = summary(page(course, student))[grade_id]
    assert result == "fail" and points == "0 / 3"
    assert category == LABELS["edge_cases"]
    assert error.evalue and error.evalue in message
    assert summary(page(course, student))["correctness-mse_rmse_values"][2] == "pass"


def test_no_page_shows_a_hidden_test_line(course: Path) -> None:
    secret = hidden_test_lines()
    assert len(secret) > 20
    pages = sorted((course / "feedback").glob(f"*/{LESSON}/*.html"))
    assert len(pages) == 5
    for path in pages:
        text = path.read_text(encoding="utf-8")
        assert not secret & shown_lines(text), path
        assert "HIDDEN TESTS" not in text
        assert "most recent call last" not in text, "a traceback quotes the lines around the failure"


def test_hidden_inputs_printed_by_the_learner_are_not_shown(course: Path) -> None:
    text = page(course, PEEKER)
    autograded = (course / "autograded" / PEEKER / LESSON / f"{LESSON}.ipynb").read_text(encoding="utf-8")
    assert "PEEK" in autograded, "the peeking learner's prints did not run"
    assert "PEEK" not in shown_lines(text) and "PEEK [" not in text
    assert all(row[2] == "pass" for grade_id, row in summary(text).items() if "-mse_rmse" in grade_id)


def test_pass_or_fail_matches_scores_csv(course: Path) -> None:
    rows = scores(course)
    for student in {row["student_id"] for row in rows}:
        shown = summary(page(course, student))
        for row in (r for r in rows if r["student_id"] == student):
            category, points, result, _ = shown[row["grade_id"]]
            assert category == LABELS[row["category"]]
            if row["graded_by"] == "auto":
                expected = "pass" if float(row["score"]) == float(row["max_score"]) else "fail"
                assert (result, points) == (expected, f"{float(row['score']):g} / {float(row['max_score']):g}"), (
                    student,
                    row,
                )
            elif row["score"] == "":
                assert result == "awaiting a grader"


def test_nbgraders_own_feedback_would_leak_and_is_deleted(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the redaction, nbgrader's page shows the hidden tests: the guard catches it."""
    with monkeypatch.context() as patch:
        patch.setattr(
            feedback,
            "FEEDBACK_PREPROCESSORS",
            feedback.FEEDBACK_PREPROCESSORS[:1] + feedback.FEEDBACK_PREPROCESSORS[-1:],
        )
        run = generate_feedback(Course.open(course), LESSON, "reference")
    assert "hidden-test line" in run.problems["reference"] and not run.pages
    assert not (course / "feedback" / "reference" / LESSON / f"{LESSON}.html").exists()
    assert generate_feedback(Course.open(course), LESSON, "reference").pages


def formgrader_page(root: Path, student: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A submission as nbgrader's Formgrader renders it for the instructor.

    The same steps as its server extension and its submission handler: the
    extension's configuration (nbgrader's ``formgrade`` template, then the
    course's ``nbgrader_config.py`` found in the working directory), an
    ``HTMLExporter`` built from it, and the autograded notebook.
    """
    monkeypatch.chdir(root)
    extension = FormgradeExtension()
    extension.initialize([])
    exporter = HTMLExporter(config=extension.config)
    resources = {
        "assignment_id": LESSON,
        "notebook_id": LESSON,
        "submission_id": "1",
        "index": 0,
        "total": 1,
        "base_url": "/",
        "student": student,
        "last_name": None,
        "first_name": None,
        "notebook_path": f"autograded/{student}/{LESSON}/{LESSON}.ipynb",
    }
    page, _ = exporter.from_filename(
        str(root / "autograded" / student / LESSON / f"{LESSON}.ipynb"), resources=resources
    )
    return page


def test_no_learner_payload_can_run_in_the_feedback_page() -> None:
    """Script in a markdown cell, a written answer, an output or an attachment stays inert text."""
    hostile = injections.hostile_course()
    assert not hostile.feedback.problems
    text = hostile.page.read_text(encoding="utf-8")
    assert injections.runnable(text) == []
    # The payloads did reach the page, as text a grader can read.
    shown = page_text(text)
    assert "markdown_script" in shown and "answer_svg" in shown and "html_output_script" in shown


def test_the_sanitised_feedback_keeps_formatting_math_and_plots() -> None:
    text = injections.hostile_course().page.read_text(encoding="utf-8")
    assert re.search(r"<h2[^>]*>My notes", text) and "<strong>through</strong>" in text
    assert "<em>large</em>" in text, "the written answer lost its markdown"
    assert r"$\mathrm{MSE} = \frac{1}{n}\sum_i (y_i - \hat y_i)^2$" in html.unescape(text), "the math was changed"
    assert "$0 \\le a &lt; b$" in text
    assert re.search(r'<img[^>]+src="data:image/png;base64,', text), "the learner's plot is missing"
    assert re.search(r'<img[^>]+src="data:image/svg\+xml;base64,', text), "the pasted SVG is missing"


def test_the_formgrader_renders_a_hostile_submission_inert(monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = injections.hostile_course()
    text = formgrader_page(hostile.root, injections.HOSTILE, monkeypatch)
    assert 'class="btn btn-success full-credit"' in text, "not the Formgrader's page"
    assert injections.runnable(injections.notebook_part(text)) == []
    assert "<em>large</em>" in text and re.search(r'<img[^>]+src="data:image/png;base64,', text)


def test_a_page_that_would_run_learner_script_is_deleted() -> None:
    """Should the sanitising ever be configured away, the last check still keeps the page from anyone."""
    hostile = injections.hostile_course()
    course = Course.open(hostile.root)
    unsanitised = course.nbgrader_config()
    unsanitised.HTMLExporter.sanitize_html = False
    unsanitised.HTMLExporter.filters = {}
    run = generate_feedback(dataclasses.replace(course, config=unsanitised), LESSON, injections.HOSTILE)
    assert "would run the submission's script" in run.problems[injections.HOSTILE] and not run.pages
    assert not hostile.page.exists()
    assert generate_feedback(course, LESSON, injections.HOSTILE).pages


def test_one_page_that_cannot_be_rendered_costs_that_student_alone(course: Path) -> None:
    """A markdown cell naming an attachment it does not carry stops nbconvert: the others still get pages."""
    autograded = course / "autograded" / PEEKER / LESSON / f"{LESSON}.ipynb"
    kept = autograded.read_bytes()
    notebook = nbformat.read(autograded, as_version=4)
    notebook.cells.append(nbformat.v4.new_markdown_cell("My plot: ![plot](attachment:nothere.png)"))
    nbformat.write(notebook, autograded)
    try:
        run = generate_feedback(Course.open(course), LESSON)
        assert set(run.problems) == {PEEKER}, run.problems
        assert "could not be rendered" in run.problems[PEEKER]
        assert {path.parts[-3] for path in run.pages} >= {"reference", FAILING}
    finally:
        autograded.write_bytes(kept)
        assert generate_feedback(Course.open(course), LESSON, PEEKER).pages
