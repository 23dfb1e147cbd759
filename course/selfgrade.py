"""``course selfgrade``: a learner grades their own notebook as an instructor would.

The notebook is handed in to a private scratch course built from this
repository's ``source/`` (or, for a mock interview, from the drills it drew)
and graded by :func:`course.grade.grade`, the instructor's own path: the same
repair, integrity scan, sandbox and hidden tests, so the points are the ones
``course grade`` would give. The feedback page is nbgrader's, as
:func:`course.feedback.generate_feedback` writes it for a cohort, and is
copied beside the notebook. Each result is kept in the learner's record
(:mod:`course.record`) for ``course progress``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from .build import build
from .cells import grade_id_of, grade_ids, is_grade, is_test_cell, is_written_answer
from .context import Course
from .debrief import Debrief, append_to_page, debrief_html, debriefs
from .drills import DRILLS_FOLDER, MOCK_MINUTES, Drill, MockPlan, load_bank, mock_source
from .feedback import diagnostic, generate_feedback
from .grade import Status, grade
from .layout import (
    CONFIG_FILE,
    CourseError,
    closest_lesson,
    lesson_names,
    notebooks,
)
from .record import SelfGradeRecord, save_selfgrade
from .rubric import LABELS, WEIGHTS
from .scores import GradedBy, ScoreRow

LEARNER = "me"
# Mock interviews are graded as an assignment of their own; nbgrader's names
# in the scratch course follow the lessons' pattern.
MOCK_ASSIGNMENT = "90_mock"
# What browsers and Colab put around a downloaded file's name.
_COPY_OF = re.compile(r"^(?:Copy of |Kopie von )?(?P<stem>.+?)(?: ?\(\d+\))?$")


@dataclass
class SelfGrade:
    """A learner's notebook, graded: the status, the rows of ``scores.csv`` and the feedback page."""

    assignment: str
    notebook: Path
    status: Status
    message: str
    rows: list[ScoreRow]
    feedback: Path | None
    messages: dict[str, str] = field(default_factory=dict)
    # The learner's own points for written answers (``--self-score``), by grade id.
    self_assessed: dict[str, float] = field(default_factory=dict)

    @property
    def autograded(self) -> tuple[float, float]:
        auto = [row for row in self.rows if row.graded_by == GradedBy.AUTO]
        return sum(row.score or 0.0 for row in auto), sum(row.max_score for row in auto)


def _named_lesson(root: Path, path: Path) -> str | None:
    """The lesson a notebook's file name gives (Colab's and browsers' "Copy of"/"(1)" forms too)."""
    stem = _COPY_OF.match(path.stem)
    return stem.group("stem") if stem and stem.group("stem") in lesson_names(root) else None


def _mock_drills(root: Path, data: bytes, notebook: nbformat.NotebookNode) -> list[str]:
    """The drills a mock notebook holds: from its metadata, else from its graded cells (Colab may drop metadata).

    Some drills share grade ids with a lesson (lesson 03's k-means++ is also a
    drill), so without metadata the notebook counts as a mock only when the
    drills cover more of its graded cells than any one lesson does.
    """
    about = notebook.metadata.get("course_mock")
    drawn = about.get("drills") if isinstance(about, dict) else None
    if isinstance(drawn, list) and drawn:
        return [str(slug) for slug in drawn]
    if not (root / DRILLS_FOLDER).is_dir():
        return []
    found = grade_ids(data)
    drills = [drill for drill in load_bank(root) if found & set(drill.grade_ids)]
    covered = len(found & set().union(*(drill.grade_ids for drill in drills)))
    return [drill.slug for drill in drills] if covered > closest_lesson(root, found)[1] else []


def which_lesson(root: Path, path: Path, data: bytes) -> str | None:
    """The lesson a notebook belongs to: by its file name, else by the graded cells it shares with a release."""
    return _named_lesson(root, path) or closest_lesson(root, grade_ids(data))[0]


def written_answers(course: Path, assignment: str) -> dict[str, str]:
    """The learner's written answers, by grade id, as graded."""
    return {
        grade_id_of(cell) or "": cell.source
        for graded in sorted((course / "autograded" / LEARNER / assignment).glob("*.ipynb"))
        for cell in nbformat.read(graded, as_version=4).cells
        if is_written_answer(cell)
    }


def _checked_scores(found: list[Debrief], scores: dict[str, float]) -> dict[str, float]:
    """Self-scores of written answers that exist, within their points; a clear error otherwise."""
    most = {debrief.grade_id: debrief.points for debrief in found}
    for grade_id, points in scores.items():
        if grade_id not in most:
            raise CourseError(
                f"--self-score {grade_id}: this notebook has no written answer of that name "
                f"(it has {', '.join(most) or 'none'})"
            )
        if not 0 <= points <= most[grade_id]:
            raise CourseError(f"--self-score {grade_id}={points:g}: between 0 and {most[grade_id]:g}")
    return scores


def _scratch(root: Path, workdir: Path) -> Path:
    course = workdir / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(root / CONFIG_FILE, course / CONFIG_FILE)
    return course


def selfgrade(
    course: Course,
    path: Path,
    lesson: str | None = None,
    out: Path | None = None,
    self_scores: dict[str, float] | None = None,
) -> SelfGrade:
    """Grade the learner's notebook at ``path`` with the hidden tests; write its feedback page.

    Parameters
    ----------
    course : Course
        This repository (the course directory with ``source/`` and ``drills/``); the
        notebook is graded in a scratch copy of it, never in its own gradebook.
    path : Path
        The learner's notebook: a lesson or a mock from ``course mock``.
    lesson : str, optional
        The lesson, when neither the file name nor the notebook's cells tell it.
    out : Path, optional
        Where the feedback page goes (default: beside the notebook, as
        ``<name>.feedback.html``).
    self_scores : dict, optional
        The learner's own points for written answers, by grade id, checked
        against each answer's maximum and kept in the record as self-assessed.

    Raises
    ------
    CourseError
        When the file is missing, or it is not clear which lesson it belongs to.
    """
    if not path.is_file():
        raise CourseError(f"no notebook at {path}")
    data = path.read_bytes()
    try:
        parsed = nbformat.reads(data.decode("utf-8-sig"), as_version=4)
    except Exception:  # noqa: BLE001 - whatever the file is, grading says why it cannot be read
        parsed = nbformat.v4.new_notebook()
    root = course.root
    named = lesson or _named_lesson(root, path)
    drills = [] if named else _mock_drills(root, data, parsed)
    drawn: list[Drill] = []
    with tempfile.TemporaryDirectory(prefix="course-selfgrade-") as scratch:
        scratch_root = _scratch(root, Path(scratch))
        if drills:
            assignment = MOCK_ASSIGNMENT
            bank = {drill.slug: drill for drill in load_bank(root)}
            missing = [slug for slug in drills if slug not in bank]
            if missing:
                raise CourseError(f"this mock uses drills this copy of the course does not have: {', '.join(missing)}")
            about = parsed.metadata.get("course_mock")
            about = about if isinstance(about, dict) else {}
            drawn = [bank[slug] for slug in drills]
            plan = MockPlan(
                seed=int(about.get("seed", 0)), drills=drawn, minutes=int(about.get("minutes", MOCK_MINUTES))
            )
            (scratch_root / "source" / assignment).mkdir()
            nbformat.write(mock_source(plan), scratch_root / "source" / assignment / f"{assignment}.ipynb")
        else:
            assignment = lesson or which_lesson(root, path, data) or ""
            if assignment not in course.lessons:
                raise CourseError(
                    f"cannot tell which lesson {path.name} is: keep the lesson's file name "
                    f"(e.g. 01_regression.ipynb) or say it with --lesson"
                )
            shutil.copytree(root / "source" / assignment, scratch_root / "source" / assignment)
        scratch_course = Course.open(scratch_root)
        build(scratch_course, [assignment])
        [released] = notebooks(scratch_root, "release", assignment)
        handed = Path(scratch) / "handed" / LEARNER / assignment
        handed.mkdir(parents=True)
        (handed / released.name).write_bytes(data)
        run = grade(scratch_course, assignment, handed.parent.parent, reports=Path(scratch) / "reports", workers=1)
        [outcome] = run.outcomes
        page = None
        found: list[Debrief] = []
        messages: dict[str, str] = {}  # in the notebook's order, which the learner reads in
        for graded in sorted((scratch_root / "autograded" / LEARNER / assignment).glob("*.ipynb")):
            messages.update(
                {
                    grade_id_of(cell) or "": diagnostic(cell) if is_test_cell(cell) else ""
                    for cell in nbformat.read(graded, as_version=4).cells
                    if is_grade(cell)
                }
            )
        if outcome.status != Status.REJECTED:
            pages = generate_feedback(scratch_course, assignment, LEARNER).pages
            found = [
                debrief
                for source in notebooks(scratch_root, "source", assignment)
                for debrief in debriefs(nbformat.read(source, as_version=4))
            ]
            scores = _checked_scores(found, self_scores or {})
            if pages:
                page = out or path.with_name(f"{path.stem}.feedback.html")
                page.parent.mkdir(parents=True, exist_ok=True)
                section = debrief_html(found, written_answers(scratch_root, assignment), scores) if found else ""
                page.write_text(append_to_page(pages[0].read_text(encoding="utf-8"), section), encoding="utf-8")
    order = list(messages)
    rows = sorted(run.rows, key=lambda row: order.index(row.grade_id) if row.grade_id in order else len(order))
    result = SelfGrade(
        assignment=assignment,
        notebook=path,
        status=outcome.status,
        message=outcome.message,
        rows=rows,
        feedback=page,
        messages=messages,
        self_assessed=dict(self_scores or {}),
    )
    if result.rows:
        got, most = result.autograded
        per_drill = {}
        for drill in drawn:
            mine = [
                row for row in result.rows if row.grade_id in set(drill.grade_ids) and row.graded_by == GradedBy.AUTO
            ]
            per_drill[drill.slug] = (sum(row.score or 0.0 for row in mine), sum(row.max_score for row in mine))
        save_selfgrade(
            path.parent,
            SelfGradeRecord(
                lesson=path.stem if drills else assignment,
                autograded=got,
                autograded_max=most,
                drills=per_drill,
                self_assessed=dict(self_scores or {}),
                written_max=sum(debrief.points for debrief in found),
            ),
        )
    return result


def _table(result: SelfGrade) -> tuple[Table, Table]:
    by_category = Table(title=f"{result.notebook.name}: points per rubric category")
    for column in ("category", "weight", "points", "share"):
        by_category.add_column(column)
    for category in WEIGHTS:
        rows = [row for row in result.rows if row.category == category]
        if not rows:
            continue
        if all(row.graded_by == GradedBy.MANUAL for row in rows):
            scored = [result.self_assessed[row.grade_id] for row in rows if row.grade_id in result.self_assessed]
            most = sum(row.max_score for row in rows)
            by_category.add_row(
                LABELS[category],
                f"{WEIGHTS[category]:.0%}",
                f"{sum(scored):g} / {most:g}" if scored else f"- / {most:g}",
                f"self-assessed, {len(scored)} of {len(rows)} answers" if scored else "written: grade it yourself",
            )
            continue
        got, most = sum(row.score or 0.0 for row in rows), sum(row.max_score for row in rows)
        by_category.add_row(
            LABELS[category], f"{WEIGHTS[category]:.0%}", f"{got:g} / {most:g}", f"{got / most:.0%}" if most else "-"
        )
    by_test = Table(title="Every graded cell")
    for column in ("cell", "points", "result", "what the test says"):
        by_test.add_column(column)
    for row in result.rows:
        if row.graded_by == GradedBy.MANUAL and row.grade_id in result.self_assessed:
            by_test.add_row(
                row.grade_id, f"{result.self_assessed[row.grade_id]:g} / {row.max_score:g}", "self-assessed", ""
            )
        elif row.graded_by == GradedBy.MANUAL:
            by_test.add_row(row.grade_id, f"- / {row.max_score:g}", "written answer: see the debrief", "")
        else:
            passed = (row.score or 0.0) >= row.max_score
            by_test.add_row(
                row.grade_id,
                f"{row.score or 0.0:g} / {row.max_score:g}",
                "pass" if passed else "[red]fail[/]",
                Text(result.messages.get(row.grade_id, "")),
            )
    return by_category, by_test


def _command(args: argparse.Namespace, console: Console, course: Course) -> int:
    result = selfgrade(
        course,
        Path(args.notebook).resolve(),
        args.lesson,
        Path(args.out).resolve() if args.out else None,
        dict(args.self_score or []),
    )
    if result.status == Status.REJECTED:
        console.print(f"[red]not graded:[/] {escape(result.message)}", highlight=False)
        return 1
    for table in _table(result):
        console.print(table)
    got, most = result.autograded
    console.print(f"autograded: {got:g} / {most:g}", highlight=False)
    if result.message:
        console.print(f"[yellow]{result.status}:[/] {escape(result.message)}", highlight=False)
    if result.feedback:
        console.print(f"feedback page (messages of the failing tests): {result.feedback}", highlight=False)
    return 0


def _self_score(text: str) -> tuple[str, float]:
    grade_id, _, points = text.partition("=")
    try:
        return grade_id.strip(), float(points)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: write GRADE_ID=POINTS, e.g. understanding-follow_ups=3") from None


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``selfgrade`` to the course CLI's sub-commands."""
    command = commands.add_parser(
        "selfgrade", help="grade your own notebook with the hidden tests, as an instructor's `course grade` would"
    )
    command.add_argument(
        "notebook",
        help="your notebook: a lesson (e.g. release/01_regression/01_regression.ipynb) or a mock from `course mock`",
    )
    command.add_argument("--lesson", help="the lesson, when the file name does not say it")
    command.add_argument("--out", help="where to write the feedback page (default: beside the notebook)")
    command.add_argument(
        "--self-score",
        action="append",
        type=_self_score,
        metavar="GRADE_ID=POINTS",
        help="your own points for a written answer, after reading the debrief's checklist "
        "(repeat for each answer); kept in your progress as self-assessed",
    )
    command.set_defaults(run=_command)
