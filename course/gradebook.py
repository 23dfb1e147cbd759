"""Every read and write of nbgrader's gradebook that the course makes itself.

nbgrader's own steps (``generate_assignment``, ``autograde``,
``generate_feedback``) write the gradebook too; this module holds what the
course adds around them: making sure a lesson is there before grading, who
was graded, the integrity flags, the scores as rows, and nbgrader's grades
export. Each function takes the course (:class:`course.context.Course`) or
its gradebook's URL, and opens the database for as long as it needs it.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins.export import CsvExportPlugin

from .context import Course
from .integrity import Finding
from .nbgrader_api import require_success
from .rubric import category_of
from .scores import GradedBy, ScoreRow

# How a flag's comment starts, so that a later run knows the flags it left.
FLAG_COMMENT = "Flagged by the integrity check: "


def ensure_assignment(course: Course, lesson: str) -> None:
    """Make sure the gradebook knows ``lesson`` (it does after ``course build``)."""
    with Gradebook(course.db_url) as gradebook:
        try:
            gradebook.find_assignment(lesson)
            return
        except MissingEntry:
            pass
    require_success(
        course.api().generate_assignment(lesson, force=True, create=True), f"nbgrader generate_assignment {lesson}"
    )


def graded_students(url: str, lesson: str) -> set[str]:
    """Students whose submission of ``lesson`` the gradebook holds with its notebooks."""
    with Gradebook(url) as gradebook:
        return {
            submission.student_id
            for submission in gradebook.find_assignment(lesson).submissions
            if submission.notebooks
        }


def set_flag(url: str, lesson: str, student: str, findings: list[Finding]) -> None:
    """Withhold or give back a student's autograded points after the integrity scan.

    With findings that cost points (strong ones, see
    :class:`course.integrity.Finding`; weak ones are ignored here), each
    autograded cell in a category they cost gets a manual score of 0, and the
    comments on the answer code cells (nbgrader keeps none on test cells) say
    why. nbgrader's own autograde score stays in place, so an instructor who
    clears the manual score in the Formgrader gives the points back. A flag
    left by an earlier run, known by its comment, is cleared first; comments on
    written answers are never touched.
    """
    findings = [finding for finding in findings if finding.costs_points]
    comment = FLAG_COMMENT + "; ".join(finding.describe() for finding in findings)
    costs = {finding.costs for finding in findings}
    with Gradebook(url) as gradebook:
        for notebook in gradebook.find_submission(lesson, student).notebooks:
            written = {cell.name for cell in notebook.grades if cell.cell_type != "code"}
            notes = [note for note in notebook.comments if note.name not in written]
            flagged_before = any((note.manual_comment or "").startswith(FLAG_COMMENT) for note in notes)
            for cell in notebook.grades:
                if cell.cell_type != "code":
                    continue
                if None in costs or category_of(cell.name) in costs:
                    cell.manual_score = 0.0
                elif flagged_before:
                    cell.manual_score = None
            for note in notes:
                if findings:
                    note.manual_comment = comment
                elif flagged_before and (note.manual_comment or "").startswith(FLAG_COMMENT):
                    note.manual_comment = None
        gradebook.db.commit()


def read_scores(url: str, lesson: str, students: list[str]) -> list[ScoreRow]:
    """Rows for ``students``' submissions of ``lesson``; students never graded are skipped."""
    rows: list[ScoreRow] = []
    with Gradebook(url) as gradebook:
        for student in students:
            try:
                submission = gradebook.find_submission(lesson, student)
            except MissingEntry:
                continue
            for notebook in submission.notebooks:
                for cell in notebook.grades:
                    pending = cell.needs_manual_grade and cell.manual_score is None
                    rows.append(
                        ScoreRow(
                            student_id=student,
                            notebook=notebook.name,
                            grade_id=cell.name,
                            category=category_of(cell.name),
                            score=None if pending else float(cell.score),
                            max_score=float(cell.max_score),
                            graded_by=GradedBy.AUTO if cell.cell_type == "code" else GradedBy.MANUAL,
                        )
                    )
    return sorted(rows, key=lambda row: (row.student_id, row.notebook, row.grade_id))


def export_grades(url: str, lesson: str, students: list[str], path: Path) -> Path:
    """nbgrader's own grades CSV for ``lesson`` and ``students``, written to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Gradebook(url) as gradebook:
        CsvExportPlugin(to=str(path), assignment=[lesson], student=students).export(gradebook)
    return path
