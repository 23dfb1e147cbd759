"""The main job: build the course, grade a small synthetic cohort, show the gradebook,
and write the cohort reports and the learners' feedback."""

from __future__ import annotations

import shutil
from collections import defaultdict

from rich.console import Console
from rich.table import Table

from .build import build
from .cohorts import write_cohort
from .context import Course
from .feedback import generate_feedback
from .grade import GradeRun, default_workers, grade
from .mutants import load_library
from .report import build_report
from .rubric import LABELS, WEIGHTS
from .scores import GradedBy, ScoreRow

AUTOGRADED_CATEGORIES = ["correctness", "code_quality", "edge_cases"]


def _points(rows: list[ScoreRow], student: str) -> tuple[float, float]:
    """(score, maximum) of one student's autograded cells."""
    auto = [row for row in rows if row.student_id == student and row.graded_by == GradedBy.AUTO]
    return sum(row.score or 0.0 for row in auto), sum(row.max_score for row in auto)


def _awaiting(rows: list[ScoreRow], student: str) -> float:
    """Points of ``student``'s written answers that nobody has graded yet."""
    return sum(
        row.max_score
        for row in rows
        if row.student_id == student and row.graded_by == GradedBy.MANUAL and row.score is None
    )


def gradebook_tables(runs: list[GradeRun]) -> tuple[Table, Table]:
    """The gradebook, narrow enough for a terminal or a CI log.

    The first table has a row per lesson and a column per student (autograded
    points); the second the share of points per rubric category and the
    written-answer points that still wait for a person.
    """
    rows: list[ScoreRow] = [row for run in runs for row in run.rows]
    students = sorted({row.student_id for row in rows})
    by_lesson = Table(title="Demo cohort: autograded points per lesson")
    by_lesson.add_column("lesson")
    for student in students:
        by_lesson.add_column(student, justify="right")
    for run in runs:
        by_lesson.add_row(
            run.lesson, *(f"{got:g}/{most:g}" for got, most in (_points(run.rows, student) for student in students))
        )
    by_lesson.add_row(
        "all lessons",
        *(f"{got:g}/{most:g}" for got, most in (_points(rows, student) for student in students)),
        style="bold",
    )

    by_category = Table(title="Share of autograded points per rubric category")
    by_category.add_column("category")
    for student in students:
        by_category.add_column(student, justify="right")
    totals: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in rows:
        totals[row.student_id, row.category][0] += row.score or 0.0
        totals[row.student_id, row.category][1] += row.max_score
    for category in AUTOGRADED_CATEGORIES:
        by_category.add_row(
            f"{LABELS[category]} ({WEIGHTS[category]:.0%})",
            *(f"{got / most:.0%}" if most else "-" for got, most in (totals[s, category] for s in students)),
        )
    by_category.add_row(
        "written answers to grade",
        *(f"{_awaiting(rows, s):g} pts" for s in students),
    )
    return by_lesson, by_category


def run_demo(course: Course, console: Console | None = None) -> list[GradeRun]:
    """Build every lesson, grade the demo cohort, print the gradebook and the file paths."""
    console = console or Console()
    root, lessons = course.root, list(course.lessons)
    console.print(f"[bold]Building[/] {len(lessons)} lessons into release/ with nbgrader ...")
    build(course, lessons)
    library = load_library(root)
    cohort = root / "demo_cohort"
    if cohort.exists():
        shutil.rmtree(cohort)
    runs = []
    for lesson in lessons:
        write_cohort(root, lesson, cohort, library.get(lesson, []), every_mutant=False)
        console.print(f"[bold]Grading[/] {lesson} ...")
        runs.append(grade(course, lesson, cohort, workers=default_workers()))
    for table in gradebook_tables(runs):
        console.print(table)
    for run in runs:
        for student, reason in run.problems.items():
            console.print(f"[red]{run.lesson} {student}: {reason}[/]")
    console.print(f"Submissions: {cohort.relative_to(root)}/   autograded notebooks: autograded/")
    for run in runs:
        console.print(f"{run.lesson}: {run.scores_csv.relative_to(root)}, {run.grades_csv.relative_to(root)}")
        report, feedback = build_report(course, run.lesson), generate_feedback(course, run.lesson)
        console.print(f"  cohort report: {report.html.relative_to(root)}   feedback: feedback/<student>/{run.lesson}/")
        for student, reason in feedback.problems.items():
            console.print(f"[red]{run.lesson} {student}: {reason}[/]")
    console.print("Written answers: grade them in JupyterLab's Formgrader (make lab), then rerun `course grade`.")
    return runs
