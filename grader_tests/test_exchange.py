"""nbgrader's exchange, end to end, with ``course grade`` and ``course feedback`` in the middle.

The instructor releases a lesson into an exchange in a temporary directory,
two learners fetch it in their own home folders, one answers it and both
submit; the instructor collects, grades the course's ``submitted/`` folder with
``course grade``, writes the feedback with ``course feedback`` and releases it
with nbgrader; each learner fetches their own page. Every nbgrader step runs
as the command a person types (``nbgrader release_assignment`` ...), in a
scratch copy of the course, so the repository is never touched.
"""

from __future__ import annotations

import html
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from scratch import ScratchCourses

from course.cells import hidden_test_lines
from course.context import Course
from course.feedback import generate_feedback, leaked_lines
from course.grade import GradeRun, grade
from course.scores import ScoreRow
from course.submissions import fill, reference_answers

LESSON = "00_warmup"
NOTEBOOK = f"{LESSON}.ipynb"
ANSWERS, UNTOUCHED = "alice", "bob"
NBGRADER = str(Path(sys.executable).parent / "nbgrader")
# nbgrader writes these into every submission; release_feedback needs them
# beside the feedback page to find the learner's copy in the exchange.
SUBMISSION_FILES = ("timestamp.txt", "submission_secret.txt")


@dataclass
class Exchange:
    """The course, the exchange, the learners' homes and what each step did."""

    course: Path
    root: Path
    homes: dict[str, Path]
    course_id: str
    steps: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)
    collected: dict[str, list[str]] = field(default_factory=dict)
    run: GradeRun | None = None

    def nbgrader(self, step: str, command: str, who: str | None = None) -> None:
        """Run ``nbgrader COMMAND LESSON`` as the instructor (``who=None``) or as a learner.

        A learner runs in their own home, with their own Jupyter folders (so
        their own submission cache) and without the course's configuration:
        like a JupyterHub user, they name the course and the exchange on the
        command line and are known by ``CourseDirectory.student_id``.
        """
        cwd = self.course if who is None else self.homes[who]
        home = self.course.parent / "instructor" if who is None else self.homes[who]
        env = dict(
            os.environ,
            HOME=str(home),
            JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
            JUPYTER_DATA_DIR=str(home / ".local" / "share" / "jupyter"),
        )
        args = [NBGRADER, command, LESSON, f"--Exchange.root={self.root}"]
        if who is not None:
            args += [f"--course={self.course_id}", f"--CourseDirectory.student_id={who}"]
        self.steps[step] = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)

    def failed(self, *steps: str) -> dict[str, str]:
        """The steps among ``steps`` that did not succeed, with the end of their log."""
        return {step: self.steps[step].stderr[-1500:] for step in steps if self.steps[step].returncode}

    def rows(self, student: str) -> list[ScoreRow]:
        return [row for row in self.run.rows if row.student_id == student]

    def fetched_feedback(self, student: str) -> list[Path]:
        return sorted((self.homes[student] / LESSON / "feedback").glob(f"*/{LESSON}.html"))


@pytest.fixture(scope="module")
def exchange(scratch_courses: ScratchCourses) -> Exchange:
    """Run the whole round once; the tests read what each step left behind."""
    scratch = scratch_courses(LESSON, "exchange")
    work, course = scratch.work, scratch.root
    root = work / "exchange"
    root.mkdir()
    # nbgrader's docs: the exchange is shared by every user ("chmod ugo+rw").
    root.chmod(0o777)
    homes = {student: work / "home" / student for student in (ANSWERS, UNTOUCHED)}
    for home in homes.values():
        home.mkdir(parents=True)
    (work / "instructor").mkdir()
    ex = Exchange(course, root, homes, Course.open(course).config.CourseDirectory.course_id)

    ex.nbgrader("release", "release_assignment")
    for student in homes:
        ex.nbgrader(f"fetch {student}", "fetch_assignment", student)
    # What JupyterLab saves after the learner typed the reference answers.
    fetched = homes[ANSWERS] / LESSON / NOTEBOOK
    nbformat.write(fill(nbformat.read(fetched, as_version=4), NOTEBOOK, reference_answers(course, LESSON)), fetched)
    for student in homes:
        ex.nbgrader(f"submit {student}", "submit", student)
    ex.nbgrader("collect", "collect")
    ex.collected = {
        student: sorted(path.name for path in (course / "submitted" / student / LESSON).glob("*")) for student in homes
    }

    ex.run = grade(Course.open(course), LESSON, course / "submitted")
    generate_feedback(Course.open(course), LESSON)
    ex.nbgrader("release feedback", "release_feedback")
    for student in homes:
        ex.nbgrader(f"fetch feedback {student}", "fetch_feedback", student)
    return ex


def test_the_learners_fetch_the_release_and_the_instructor_collects_their_work(exchange: Exchange) -> None:
    steps = ["release", "collect"] + [f"{step} {student}" for step in ("fetch", "submit") for student in exchange.homes]
    assert not exchange.failed(*steps)
    release = nbformat.read(exchange.course / "release" / LESSON / NOTEBOOK, as_version=4)
    untouched = nbformat.read(exchange.homes[UNTOUCHED] / LESSON / NOTEBOOK, as_version=4)
    assert [(cell.source, cell.metadata) for cell in untouched.cells] == [
        (cell.source, cell.metadata) for cell in release.cells
    ]
    for student in exchange.homes:
        assert exchange.collected[student] == sorted([NOTEBOOK, *SUBMISSION_FILES]), student


def test_course_grade_grades_what_collect_put_in_submitted(exchange: Exchange) -> None:
    assert {outcome.student_id: outcome.status for outcome in exchange.run.outcomes} == {
        ANSWERS: "graded",
        UNTOUCHED: "graded",
    }
    auto = {student: [row for row in exchange.rows(student) if row.graded_by == "auto"] for student in exchange.homes}
    assert auto[ANSWERS] and [row.grade_id for row in auto[ANSWERS]] == [row.grade_id for row in auto[UNTOUCHED]]
    # The reference answers earn every point, the untouched notebook none.
    assert all(row.score == row.max_score > 0 for row in auto[ANSWERS]), auto[ANSWERS]
    assert all(row.score == 0 for row in auto[UNTOUCHED]), auto[UNTOUCHED]


def test_grading_keeps_nbgraders_submission_files(exchange: Exchange) -> None:
    for student in exchange.homes:
        kept = {path.name for path in (exchange.course / "submitted" / student / LESSON).iterdir()}
        assert set(SUBMISSION_FILES) <= kept, student


def test_each_learner_fetches_a_feedback_page_with_their_score_and_no_hidden_test(exchange: Exchange) -> None:
    assert not exchange.failed("release feedback", *(f"fetch feedback {student}" for student in exchange.homes))
    secret = hidden_test_lines(nbformat.read(exchange.course / "source" / LESSON / NOTEBOOK, as_version=4))
    assert secret
    for student in exchange.homes:
        (page,) = exchange.fetched_feedback(student)
        text = page.read_text(encoding="utf-8")
        assert f"Feedback for {student}" in text
        for row in exchange.rows(student):
            shown = "-" if row.score is None else f"{row.score:g}"
            cells = text.split(f'<tr data-grade-id="{html.escape(row.grade_id)}">', 1)[1].split("</tr>", 1)[0]
            assert f"{shown} / {row.max_score:g}" in cells, (student, row)
        assert not leaked_lines(text, secret) and "HIDDEN TESTS" not in text, student
