"""Autograde a folder of submissions with nbgrader and write the reports."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry

from .layout import CourseError, require_lesson
from .nbgrader_api import check, db_url, open_api
from .scores import ScoreRow, export_grades, read_scores, write_scores

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")


@dataclass
class GradeRun:
    """What one ``course grade`` run produced."""

    lesson: str
    rows: list[ScoreRow]
    scores_csv: Path
    grades_csv: Path
    problems: dict[str, str] = field(default_factory=dict)

    @property
    def students(self) -> list[str]:
        return sorted({row.student_id for row in self.rows})


def find_submissions(submissions: Path, lesson: str) -> tuple[dict[str, Path], dict[str, str]]:
    """Student folders in nbgrader's ``<student>/<lesson>/*.ipynb`` layout.

    Returns the usable submissions by student id, and a reason for each folder
    that cannot be graded.
    """
    if not submissions.is_dir():
        raise CourseError(f"the submissions folder {submissions} does not exist")
    found: dict[str, Path] = {}
    problems: dict[str, str] = {}
    for folder in sorted(path for path in submissions.iterdir() if path.is_dir()):
        student = folder.name
        if not STUDENT_ID.match(student):
            problems[student] = "the folder name is not a valid student id (letters, digits, _ . @ + -)"
        elif not any((folder / lesson).glob("*.ipynb")):
            problems[student] = f"no notebook in {folder.name}/{lesson}/"
        else:
            found[student] = folder / lesson
    if not found and not problems:
        raise CourseError(
            f"{submissions} holds no student folders; expected <student>/{lesson}/<notebook>.ipynb"
        )
    return found, problems


def ensure_assignment(root: Path, lesson: str) -> None:
    """Make sure the gradebook knows ``lesson`` (it does after ``course build``)."""
    with Gradebook(db_url(root)) as gradebook:
        try:
            gradebook.find_assignment(lesson)
            return
        except MissingEntry:
            pass
    check(open_api(root).generate_assignment(lesson, force=True, create=True), f"nbgrader generate_assignment {lesson}")


def grade(root: Path, lesson: str, submissions: Path, reports: Path | None = None) -> GradeRun:
    """Autograde every student's submission of ``lesson`` found in ``submissions``.

    The submissions are copied into the course's ``submitted/`` folder, never
    changed where they are. Writes ``reports/<lesson>/scores.csv`` and nbgrader's
    ``reports/<lesson>/grades.csv``.
    """
    lesson = require_lesson(root, lesson)
    found, problems = find_submissions(submissions, lesson)
    ensure_assignment(root, lesson)
    api = open_api(root)
    graded: list[str] = []
    for student, folder in found.items():
        target = root / "submitted" / student / lesson
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(folder, target)
        result = api.autograde(lesson, student, force=True, create=True)
        if result.get("success"):
            graded.append(student)
        else:
            problems[student] = "nbgrader could not autograde this submission: " + (
                (result.get("log") or "").strip().splitlines() or ["no log"])[-1]
    out = (reports or root / "reports") / lesson
    url = db_url(root)
    rows = read_scores(url, lesson, graded)
    return GradeRun(
        lesson=lesson,
        rows=rows,
        scores_csv=write_scores(rows, out / "scores.csv"),
        grades_csv=export_grades(url, lesson, graded, out / "grades.csv"),
        problems=problems,
    )
