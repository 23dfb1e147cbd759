"""The main job: build the course, grade a small synthetic cohort, show the gradebook,
and write the cohort reports and the learners' feedback."""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .build import build
from .cohorts import write_cohort
from .feedback import generate_feedback
from .grade import GradeRun, grade
from .layout import lesson_names
from .mutants import load_library
from .report import build_report
from .rubric import LABELS, WEIGHTS
from .scores import ScoreRow

AUTOGRADED_CATEGORIES = ["correctness", "code_quality", "edge_cases"]


def gradebook_table(runs: list[GradeRun]) -> Table:
    """Students as rows; each lesson's autograded score and the rubric categories as columns."""
    rows: list[ScoreRow] = [row for run in runs for row in run.rows]
    students = sorted({row.student_id for row in rows})
    table = Table(title="Demo cohort: autograded points (written answers await a person)")
    table.add_column("student")
    for run in runs:
        table.add_column(run.lesson, justify="right")
    for category in AUTOGRADED_CATEGORIES:
        table.add_column(f"{LABELS[category]} ({WEIGHTS[category]:.0%})", justify="right")
    table.add_column("written answers", justify="right")
    for student in students:
        mine = [row for row in rows if row.student_id == student]
        cells = []
        for run in runs:
            auto = [row for row in run.rows if row.student_id == student and row.graded_by == "auto"]
            cells.append(f"{sum(r.score or 0 for r in auto):g}/{sum(r.max_score for r in auto):g}")
        by_category: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
        for row in mine:
            by_category[row.category][0] += row.score or 0.0
            by_category[row.category][1] += row.max_score
        for category in AUTOGRADED_CATEGORIES:
            got, most = by_category[category]
            cells.append(f"{got / most:.0%}" if most else "-")
        pending = sum(row.max_score for row in mine if row.graded_by == "manual" and row.score is None)
        cells.append(f"{pending:g} pts to grade")
        table.add_row(student, *cells)
    return table


def run_demo(root: Path, console: Console | None = None) -> list[GradeRun]:
    """Build every lesson, grade the demo cohort, print the gradebook and the file paths."""
    console = console or Console()
    lessons = lesson_names(root)
    console.print(f"[bold]Building[/] {len(lessons)} lessons into release/ with nbgrader ...")
    build(root, lessons)
    library = load_library(root)
    cohort = root / "demo_cohort"
    if cohort.exists():
        shutil.rmtree(cohort)
    runs = []
    for lesson in lessons:
        write_cohort(root, lesson, cohort, library.get(lesson, []), every_mutant=False)
        console.print(f"[bold]Grading[/] {lesson} ...")
        runs.append(grade(root, lesson, cohort))
    console.print(gradebook_table(runs))
    for run in runs:
        for student, reason in run.problems.items():
            console.print(f"[red]{run.lesson} {student}: {reason}[/]")
    console.print(f"Submissions: {cohort.relative_to(root)}/   autograded notebooks: autograded/")
    for run in runs:
        console.print(f"{run.lesson}: {run.scores_csv.relative_to(root)}, {run.grades_csv.relative_to(root)}")
        report, feedback = build_report(root, run.lesson), generate_feedback(root, run.lesson)
        console.print(f"  cohort report: {report.html.relative_to(root)}   feedback: feedback/<student>/{run.lesson}/")
        for student, reason in feedback.problems.items():
            console.print(f"[red]{run.lesson} {student}: {reason}[/]")
    console.print("Written answers: grade them in JupyterLab's Formgrader (make lab), then rerun `course grade`.")
    return runs
