"""Autograde a folder (or zip) of submissions with nbgrader and write the reports.

Each student goes through intake (:mod:`course.intake`), repair or rejection
(:mod:`course.repair`), an integrity scan (:mod:`course.integrity`) and
nbgrader's autograde in a hardened kernel. Whatever one submission does, the
others are graded; ``submissions.csv`` says what happened to each.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook, MissingEntry
from nbgrader.apps import NbGraderAPI

from .integrity import Finding, harden, limits_hit, scan
from .intake import DEFAULT_NAMING, collect
from .layout import CourseError, lesson_names, notebooks, require_lesson
from .nbgrader_api import check, db_url, load_config, open_api
from .repair import NotThisLesson, Rejected, grade_ids, repair
from .rubric import category_of
from .scores import ScoreRow, export_grades, read_scores, write_scores

STATUSES = ("graded", "repaired", "rejected", "flagged")
SUBMISSION_COLUMNS = ["student_id", "status", "message"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one student's submission."""

    student_id: str
    status: str
    message: str = ""


@dataclass
class GradeRun:
    """What one ``course grade`` run produced."""

    lesson: str
    rows: list[ScoreRow]
    scores_csv: Path
    grades_csv: Path
    submissions_csv: Path
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def students(self) -> list[str]:
        return sorted({row.student_id for row in self.rows})

    @property
    def problems(self) -> dict[str, str]:
        """Students who could not be graded, with the reason."""
        return {outcome.student_id: outcome.message for outcome in self.outcomes if outcome.status == "rejected"}


def ensure_assignment(root: Path, lesson: str) -> None:
    """Make sure the gradebook knows ``lesson`` (it does after ``course build``)."""
    with Gradebook(db_url(root)) as gradebook:
        try:
            gradebook.find_assignment(lesson)
            return
        except MissingEntry:
            pass
    check(open_api(root).generate_assignment(lesson, force=True, create=True), f"nbgrader generate_assignment {lesson}")


def write_outcomes(outcomes: list[Outcome], path: Path) -> Path:
    """Write ``submissions.csv``: one row per student, sorted by id."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SUBMISSION_COLUMNS)
        for outcome in sorted(outcomes, key=lambda outcome: outcome.student_id):
            writer.writerow([outcome.student_id, outcome.status, outcome.message])
    return path


FLAG_COMMENT = "Flagged by the integrity check: "


def set_flag(url: str, lesson: str, student: str, findings: list[Finding]) -> None:
    """Withhold or give back a student's autograded points after the integrity scan.

    With findings, each autograded cell in a category they cost (see
    :class:`course.integrity.Finding`) gets a manual score of 0, and the
    comments on the answer code cells (nbgrader keeps none on test cells) say
    why. nbgrader's own autograde score stays in place, so an instructor who
    clears the manual score in the Formgrader gives the points back. A flag
    left by an earlier run, known by its comment, is cleared first; comments on
    written answers are never touched.
    """
    comment = FLAG_COMMENT + "; ".join(f"{finding.cell}: {finding.reason}" for finding in findings)
    costs = {finding.costs for finding in findings}
    with Gradebook(url) as gradebook:
        for notebook in gradebook.find_submission(lesson, student).notebooks:
            written = {grade.name for grade in notebook.grades if grade.cell_type != "code"}
            notes = [note for note in notebook.comments if note.name not in written]
            flagged_before = any((note.manual_comment or "").startswith(FLAG_COMMENT) for note in notes)
            for grade in notebook.grades:
                if grade.cell_type != "code":
                    continue
                if None in costs or category_of(grade.name) in costs:
                    grade.manual_score = 0.0
                elif flagged_before:
                    grade.manual_score = None
            for note in notes:
                if findings:
                    note.manual_comment = comment
                elif flagged_before and (note.manual_comment or "").startswith(FLAG_COMMENT):
                    note.manual_comment = None
        gradebook.db.commit()


def _autograde(api: NbGraderAPI, lesson: str, student: str) -> str | None:
    """Run nbgrader's autograde for one student; return why it failed, if it did."""
    result = api.autograde(lesson, student, force=True, create=True)
    if result.get("success"):
        return None
    log = ((result.get("log") or "") + (result.get("error") or "")).strip().splitlines()
    return "nbgrader could not grade this submission: " + (log[-1] if log else "no log")


def _which_lesson(root: Path, lesson: str, handed: dict[str, bytes]) -> str:
    """A hint naming the other lesson whose graded cells the files carry, if any."""
    found = set().union(*(grade_ids(data) for data in handed.values()))
    overlap = {other: len(found & set().union(*(grade_ids(path.read_bytes()) for path in notebooks(root, "release", other))))
               for other in lesson_names(root) if other != lesson}
    best = max(overlap, key=overlap.__getitem__, default=None)
    return f" It looks like {best}'s notebook." if best and overlap[best] else ""


def grade_one(api: NbGraderAPI, root: Path, lesson: str, student: str, handed: dict[str, bytes],
              release: dict[str, nbformat.NotebookNode]) -> Outcome:
    """Repair, scan and autograde one student's files; never raises for their content."""
    try:
        repaired = repair(handed, release)
    except NotThisLesson as reason:
        return Outcome(student, "rejected", f"{reason}{_which_lesson(root, lesson, handed)}")
    except Rejected as reason:
        return Outcome(student, "rejected", str(reason))
    target = root / "submitted" / student / lesson
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    findings: list[Finding] = []
    for name, notebook in repaired.notebooks.items():
        nbformat.write(notebook, target / name)
        findings += scan(notebook)
    failure = _autograde(api, lesson, student)
    if failure:
        return Outcome(student, "rejected", failure)
    limits = [hit for name in repaired.notebooks
              for hit in limits_hit(nbformat.read(root / "autograded" / student / lesson / name, as_version=4))]
    notes = repaired.changes + limits
    set_flag(db_url(root), lesson, student, findings)
    if findings:
        flags = [f"{finding.cell}: {finding.reason}" for finding in findings]
        withheld = "autograded points withheld for review" if any(f.costs is None for f in findings) \
            else "points of " + ", ".join(sorted({f.costs for f in findings})) + " withheld for review"
        return Outcome(student, "flagged", "; ".join(flags + [withheld] + notes))
    return Outcome(student, "repaired" if repaired.changes else "graded", "; ".join(notes))


def grade(root: Path, lesson: str, submissions: Path, reports: Path | None = None,
          naming: str = DEFAULT_NAMING) -> GradeRun:
    """Autograde every student's submission of ``lesson`` found in ``submissions``.

    Parameters
    ----------
    root : Path
        The course directory.
    lesson : str
        The lesson (nbgrader assignment) to grade.
    submissions : Path
        A folder or LMS ``.zip`` in any shape :func:`course.intake.collect` reads;
        it is only read, never changed.
    reports : Path, optional
        Where ``<lesson>/scores.csv``, ``grades.csv`` and ``submissions.csv``
        go (default ``root / "reports"``).
    naming : str
        The naming rule for student ids (see :mod:`course.intake`).

    Returns
    -------
    GradeRun
        The score rows, the report paths and one outcome per student.
    """
    lesson = require_lesson(root, lesson)
    intake = collect(submissions, lesson, naming)
    ensure_assignment(root, lesson)
    api = NbGraderAPI(config=harden(load_config(root)))
    release = {path.name: nbformat.read(path, as_version=4) for path in notebooks(root, "release", lesson)}
    if not release:
        raise CourseError(f"release/{lesson} holds no notebook; run `course build {lesson}` first")
    outcomes = [Outcome(student, "rejected", reason) for student, reason in intake.rejected.items()]
    for handed in intake.handed:
        try:
            outcomes.append(grade_one(api, root, lesson, handed.student, handed.notebooks, release))
        except Exception as error:  # noqa: BLE001 - one submission must never stop the batch
            outcomes.append(Outcome(handed.student, "rejected", f"the grader failed on this submission ({type(error).__name__}: {error}); please report it"))
    out = (reports or root / "reports") / lesson
    url = db_url(root)
    graded = sorted(outcome.student_id for outcome in outcomes if outcome.status != "rejected")
    rows = read_scores(url, lesson, graded)
    return GradeRun(
        lesson=lesson,
        rows=rows,
        scores_csv=write_scores(rows, out / "scores.csv"),
        grades_csv=export_grades(url, lesson, graded, out / "grades.csv"),
        submissions_csv=write_outcomes(outcomes, out / "submissions.csv"),
        outcomes=outcomes,
        skipped=intake.skipped,
    )
