"""The cohort report: one HTML page with PNG plots for a graded lesson.

Built from what ``course grade`` wrote to ``reports/<lesson>/``: ``scores.csv``
(the gradebook's points, exported again first so that written answers graded
in the Formgrader since then count) and, if
present, ``submissions.csv`` (who was graded, repaired, rejected or flagged,
and why). The failure messages come from the autograded notebooks through
:func:`course.feedback.diagnostic`, the same redacted text the learners'
feedback shows, and are kept next to the others as ``failures.csv``.

Student ids, failure messages and rejection reasons come from what learners
handed in (a file's name, an exception's name): the template escapes every
value, and the page's content security policy forbids scripts, so a value
that slipped through would still not run.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .cells import grade_id_of, is_test_cell
from .context import Course
from .feedback import diagnostic
from .grade import Status
from .gradebook import read_scores
from .layout import CourseError
from .pages import render
from .rubric import LABELS, UNCATEGORISED, WEIGHTS
from .scores import GradedBy, spreadsheet_safe, write_scores

FAILURE_COLUMNS = ["student_id", "notebook", "grade_id", "message"]
TOP_MESSAGES = 10


@dataclass(frozen=True)
class Report:
    """The files :func:`build_report` wrote."""

    html: Path
    plots: list[Path]
    failures_csv: Path


def percent(value: float | None) -> str:
    """``"42 %"``, or ``"-"`` where nothing is graded yet."""
    return "-" if value is None or pd.isna(value) else f"{value:.0%}"


def read_scores_csv(path: Path) -> pd.DataFrame:
    """``scores.csv`` with ``score`` as float (NaN while a written answer awaits a grader)."""
    if not path.is_file():
        raise CourseError(f"{path} does not exist; run `course grade` first")
    frame = pd.read_csv(path, dtype={"student_id": str, "notebook": str, "grade_id": str, "category": str})
    frame["score"] = pd.to_numeric(frame["score"], errors="coerce")
    return frame


def read_outcomes(path: Path) -> pd.DataFrame:
    """``submissions.csv``, or an empty frame with its columns if there is none."""
    if not path.is_file():
        return pd.DataFrame(columns=["student_id", "status", "message"])
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def collect_failures(root: Path, lesson: str, students: list[str], path: Path) -> pd.DataFrame:
    """The diagnostic of every failing test cell in the autograded notebooks; written to ``path``."""
    rows = []
    for student in students:
        for notebook_path in sorted((root / "autograded" / student / lesson).glob("*.ipynb")):
            notebook = nbformat.read(notebook_path, as_version=4)
            for cell in notebook.cells:
                message = diagnostic(cell) if is_test_cell(cell) else ""
                if message:
                    rows.append([student, notebook_path.stem, grade_id_of(cell), message])
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FAILURE_COLUMNS)
        writer.writerows([spreadsheet_safe(value) for value in row] for row in rows)
    return pd.DataFrame(rows, columns=FAILURE_COLUMNS)


def student_totals(scores: pd.DataFrame) -> pd.DataFrame:
    """Points per student; a written answer that awaits a grader counts 0 of its maximum."""
    totals = scores.assign(points=scores["score"].fillna(0.0)).groupby("student_id")[["points", "max_score"]].sum()
    return totals.assign(share=totals["points"] / totals["max_score"])


def category_shares(scores: pd.DataFrame) -> pd.DataFrame:
    """Each student's share of each category's graded points (students as rows, NaN if nothing graded)."""
    graded = scores.dropna(subset=["score"])
    sums = graded.groupby(["student_id", "category"])[["score", "max_score"]].sum()
    return (sums["score"] / sums["max_score"]).unstack("category")


def cell_stats(scores: pd.DataFrame) -> pd.DataFrame:
    """Per grade cell: how many students got full marks, and the mean share, over graded rows."""
    graded = scores.dropna(subset=["score"]).assign(
        full=lambda f: f["score"] >= f["max_score"], share=lambda f: f["score"] / f["max_score"]
    )
    stats = graded.groupby(["notebook", "grade_id"]).agg(pass_rate=("full", "mean"), mean_share=("share", "mean"))
    cells = scores.groupby(["notebook", "grade_id"]).agg(
        category=("category", "first"), graded_by=("graded_by", "first"), max_score=("max_score", "first")
    )
    return cells.join(stats)


def _save(figure: Figure, path: Path) -> Path:
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    return path


def plot_distribution(totals: pd.DataFrame, path: Path) -> Path:
    figure = Figure(figsize=(6, 3.5))
    axes = figure.subplots()
    axes.hist(totals["share"] * 100, bins=range(0, 101, 10), color="#4c72b0", edgecolor="white")
    axes.set(xlabel="score (% of all points)", ylabel="students", title="Score distribution", xlim=(0, 100))
    axes.yaxis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True))
    return _save(figure, path)


def plot_pass_rates(cells: pd.DataFrame, path: Path) -> Path:
    auto = cells[cells["graded_by"] == GradedBy.AUTO].reset_index()
    figure = Figure(figsize=(6, 1.2 + 0.45 * max(len(auto), 1)))
    axes = figure.subplots()
    axes.barh(auto["grade_id"], auto["pass_rate"] * 100, color="#55a868")
    axes.invert_yaxis()
    axes.set(xlabel="students with full marks (%)", title="Pass rate per test", xlim=(0, 100))
    return _save(figure, path)


def plot_categories(averages: pd.Series, path: Path) -> Path:
    figure = Figure(figsize=(6, 3.5))
    axes = figure.subplots()
    labels = [LABELS.get(category, category) for category in averages.index]
    axes.bar(labels, averages.fillna(0.0) * 100, color="#c44e52")
    axes.set(ylabel="average (%)", title="Rubric categories (graded cells only)", ylim=(0, 100))
    axes.tick_params(axis="x", labelrotation=20)
    return _save(figure, path)


def build_report(course: Course, lesson: str, reports: Path | None = None, refresh: bool = True) -> Report:
    """Write ``<reports>/<lesson>/report.html`` and its PNG plots.

    Parameters
    ----------
    course : Course
        The course (its ``autograded/`` holds the failure messages; its gradebook the points).
    lesson : str
        The graded lesson.
    reports : Path, optional
        The folder ``course grade`` wrote to (default ``reports/`` in the course).
    refresh : bool
        Export the gradebook to ``scores.csv`` again first, for the students
        it lists, so that written answers graded in the Formgrader since
        ``course grade`` count (as nbgrader's ``manual_score``).

    Returns
    -------
    Report
        The page, the plots (beside it in ``plots/``) and ``failures.csv``.
    """
    lesson, root = course.require_lesson(lesson), course.root
    folder = (reports or root / "reports") / lesson
    scores = read_scores_csv(folder / "scores.csv")
    if refresh:
        graded = sorted(scores["student_id"].unique())
        scores = read_scores_csv(write_scores(read_scores(course.db_url, lesson, graded), folder / "scores.csv"))
    outcomes = read_outcomes(folder / "submissions.csv")
    students = sorted(scores["student_id"].unique())
    failures = collect_failures(root, lesson, students, folder / "failures.csv")
    totals, shares, cells = student_totals(scores), category_shares(scores), cell_stats(scores)
    order = [c for c in [*WEIGHTS, UNCATEGORISED] if c in set(scores["category"])]
    averages = shares.reindex(columns=order).mean()

    (folder / "plots").mkdir(exist_ok=True)
    plots = [
        plot_distribution(totals, folder / "plots" / "distribution.png"),
        plot_pass_rates(cells, folder / "plots" / "pass_rates.png"),
        plot_categories(averages, folder / "plots" / "categories.png"),
    ]

    status = dict(zip(outcomes["student_id"], outcomes["status"], strict=True))
    table = [
        {
            "student_id": student,
            "status": status.get(student, Status.GRADED),
            "points": f"{totals.at[student, 'points']:g} / {totals.at[student, 'max_score']:g}",
            "share": percent(totals.at[student, "share"]),
            "categories": [percent(shares.at[student, c] if c in shares.columns else None) for c in order],
        }
        for student in students
    ]
    table += [
        {
            "student_id": row.student_id,
            "status": row.status,
            "points": "not graded",
            "share": "-",
            "categories": ["-"] * len(order),
        }
        for row in outcomes.itertuples()
        if row.student_id not in totals.index
    ]
    common = (
        failures.groupby("message")
        .agg(count=("student_id", "nunique"), cells=("grade_id", lambda ids: ", ".join(sorted(set(ids)))))
        .sort_values(["count"], ascending=False, kind="stable")
        .head(TOP_MESSAGES)
        .reset_index()
    )
    page = render(
        "report.html",
        lesson=lesson,
        students=students,
        outcomes=outcomes.to_dict("records"),
        status_counts=outcomes["status"].value_counts().to_dict(),
        mean_share=float(totals["share"].mean()),
        max_points=float(totals["max_score"].max()),
        pending=int(scores["score"].isna().sum()),
        plots=[plot.relative_to(folder).as_posix() for plot in plots],
        categories=[
            {
                "category": c,
                "label": LABELS.get(c, c),
                "weight": percent(WEIGHTS.get(c)),
                "average": percent(averages[c]),
                "graded": int(shares[c].notna().sum()) if c in shares else 0,
            }
            for c in order
        ],
        cells=[
            {
                "grade_id": grade_id,
                "label": LABELS.get(row.category, row.category),
                "graded_by": row.graded_by,
                "max_score": row.max_score,
                "pass_rate": percent(row.pass_rate),
                "mean": percent(row.mean_share),
            }
            for (_, grade_id), row in cells.iterrows()
        ],
        failures=common.to_dict("records"),
        attention=outcomes[outcomes["status"].isin([Status.REJECTED, Status.FLAGGED])].to_dict("records"),
        table=table,
    )
    html_path = folder / "report.html"
    html_path.write_text(page, encoding="utf-8")
    return Report(html=html_path, plots=plots, failures_csv=folder / "failures.csv")
