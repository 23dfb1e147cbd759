"""A learner's progress across lessons, read from their working copy.

``python -m course progress [FOLDER]`` looks at every release notebook under
FOLDER (the learner's copies, filled in or not) and reports, per lesson:

* which graded functions are still stubs (``raise NotImplementedError`` is
  still in the solution cell);
* which visible checks pass: a copy of the notebook runs with nbclient and the
  check cells' outputs are read for errors (the hidden tests are not in a
  release notebook, so only the visible part of each check runs);
* the time spent in mock interviews, from ``mock_interview_times.json``
  (lesson 09's timer) and ``mock_times.json`` (the timer of ``course mock``),
  beside the notebooks;
* the latest ``course selfgrade`` result of each lesson (autograded points)
  and the learner's own scores of their written answers, from the learner's
  record (:mod:`course.record`), and the hints opened (:mod:`course.hints`);
* in a clone of the course, the day of the study plan (:mod:`course.plan`)
  that comes next: the first whose lessons and drills are not yet selfgraded
  with full marks.

It prints a table and writes a small plot.
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from rich.console import Console
from rich.table import Table

from .cells import grade_id_of, is_answer_code, is_test_cell
from .hints import opened_hints
from .layout import CONFIG_FILE, LESSON_NAME, CourseError, find_root
from .plan import Day, Kind, load_plan
from .record import RECORD_FILE, drills_done, full_marks, load_record, self_assessed

TIMES_FILE = "mock_interview_times.json"
MOCK_TIMES_FILE = "mock_times.json"
RAISES_NOT_IMPLEMENTED = re.compile(r"^[ \t]*raise[ \t]+NotImplementedError\b", re.MULTILINE)
DEFINITION = re.compile(r"^(?:def|class)[ \t]+([A-Za-z_]\w*)", re.MULTILINE)
# A visible check is quick; this only stops a learner's endless loop.
CELL_TIMEOUT = 120
SHOWN = 3  # failing checks named per lesson; the rest are counted


@dataclass
class Answer:
    """One graded solution cell of a notebook."""

    grade_id: str
    names: list[str]  # the functions and classes the cell defines
    stub: bool

    @property
    def label(self) -> str:
        return ", ".join(self.names) or self.grade_id


@dataclass
class Check:
    """One visible check (an nbgrader test cell) and how it fared."""

    grade_id: str
    passed: bool | None  # None: not run
    error: str = ""  # the exception's name when it failed


@dataclass
class Interview:
    """Minutes spent and budgeted per mock-interview problem."""

    minutes: dict[str, float]
    budget: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.minutes.values())

    @property
    def total_budget(self) -> float:
        return sum(self.budget.values())


@dataclass
class LessonProgress:
    """What :func:`lesson_progress` found in one notebook."""

    lesson: str
    notebook: Path
    answers: list[Answer]
    checks: list[Check]
    interview: Interview | None = None
    problems: list[str] = field(default_factory=list)
    selfgraded: tuple[float, float] | None = None  # (points, maximum) of the latest selfgrade
    self_assessed: tuple[float, float] | None = None  # the learner's own points for written answers
    hints: int = 0  # hint levels opened with hint(...)

    @property
    def written(self) -> int:
        return sum(not answer.stub for answer in self.answers)

    @property
    def passing(self) -> int:
        return sum(check.passed is True for check in self.checks)


def answers_of(notebook: nbformat.NotebookNode) -> list[Answer]:
    """The notebook's graded code answers, each marked stub or written."""
    found: list[Answer] = []
    for cell in notebook.cells:
        if is_answer_code(cell):
            found.append(
                Answer(
                    grade_id_of(cell) or "",
                    DEFINITION.findall(cell.source),
                    bool(RAISES_NOT_IMPLEMENTED.search(cell.source)),
                )
            )
    return found


def check_cells(notebook: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell index, grade_id) of every autograded test cell."""
    return [(index, grade_id_of(cell) or "") for index, cell in enumerate(notebook.cells) if is_test_cell(cell)]


def run_checks(notebook: nbformat.NotebookNode) -> list[Check]:
    """Run a copy of ``notebook`` top to bottom and read each visible check's outcome.

    The copy runs in an empty temporary folder: running lesson 09 there starts
    and stops its timer, and must not overwrite the learner's real record of
    minutes. Cells keep running after an error (``allow_errors``), as a
    learner's later checks do not depend on an earlier one passing.
    """
    executed = nbformat.from_dict(json.loads(json.dumps(notebook)))
    with tempfile.TemporaryDirectory(prefix="course-progress-") as folder:
        # Quiet kernel (no warning about its local TCP link), and no history file written.
        client = NotebookClient(
            executed,
            timeout=CELL_TIMEOUT,
            allow_errors=True,
            kernel_name="python3",
            resources={"metadata": {"path": folder}},
            extra_arguments=["--IPKernelApp.log_level=ERROR", "--HistoryManager.hist_file=:memory:"],
        )
        client.execute()
    checks: list[Check] = []
    for index, grade_id in check_cells(executed):
        outputs = executed.cells[index].get("outputs", [])
        errors = [output for output in outputs if output.get("output_type") == "error"]
        ran = executed.cells[index].get("execution_count") is not None
        checks.append(Check(grade_id, passed=ran and not errors, error=errors[0].get("ename", "") if errors else ""))
    return checks


def read_interview(folder: Path, name: str = TIMES_FILE) -> Interview | None:
    """The mock-interview times a timer saved in ``folder`` (lesson 09's by default), if any."""
    path = folder / name
    if not path.is_file():
        return None
    try:
        times = json.loads(path.read_text(encoding="utf-8"))
        return Interview(
            {name: float(entry["minutes"]) for name, entry in times.items()},
            {name: float(entry["budget"]) for name, entry in times.items()},
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CourseError(f"{path} is not a timer record ({error}); delete it to start the timer afresh") from error


def lesson_of(path: Path) -> str:
    """A notebook's lesson: its folder's name in release layout, else its own name."""
    return path.parent.name if LESSON_NAME.match(path.parent.name) else path.stem


def find_notebooks(folder: Path) -> list[Path]:
    """Course notebooks (with nbgrader answer cells) under ``folder``, in lesson order."""
    if not folder.is_dir():
        raise CourseError(f"the folder {folder} does not exist")
    found = []
    for path in sorted(folder.rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        try:
            notebook = nbformat.read(path, as_version=4)
        except (OSError, ValueError):
            continue  # not a notebook we can read: not one of ours
        if answers_of(notebook):
            found.append(path)
    if not found:
        raise CourseError(f"no course notebook (one with graded answer cells) under {folder}")
    return sorted(found, key=lambda path: (lesson_of(path), path.name))


def lesson_progress(path: Path, run: bool = True) -> LessonProgress:
    """Progress in one notebook; ``run=False`` skips executing the visible checks."""
    notebook = nbformat.read(path, as_version=4)
    progress = LessonProgress(lesson_of(path), path, answers_of(notebook), [])
    if run:
        try:
            progress.checks = run_checks(notebook)
        except Exception as error:  # a dead kernel or a timeout: report it, keep the other lessons
            progress.problems.append(f"could not run the checks: {type(error).__name__}: {str(error)[:200]}")
    if not progress.checks:
        progress.checks = [Check(grade_id, passed=None) for _, grade_id in check_cells(notebook)]
    progress.interview = read_interview(path.parent)
    record = load_record(path.parent)
    progress.hints = opened_hints(path.parent, progress.lesson)
    progress.self_assessed = self_assessed(record, progress.lesson)
    entry = record.get(progress.lesson, {})
    graded = entry.get("selfgrade") if isinstance(entry, dict) else None
    if isinstance(graded, dict) and graded.get("autograded_max"):
        progress.selfgraded = (float(graded.get("autograded", 0)), float(graded["autograded_max"]))
    return progress


def progress_table(lessons: list[LessonProgress]) -> Table:
    table = Table(title="Progress")  # columns fold rather than cut: every name stays readable
    for column in (
        "lesson",
        "answers written",
        "still stubs",
        "visible checks",
        "failing checks",
        "selfgrade",
        "written (self-assessed)",
        "hints opened",
    ):
        table.add_column(column, overflow="fold")
    for item in lessons:
        stubs = ", ".join(answer.label for answer in item.answers if answer.stub) or "-"
        ran = any(check.passed is not None for check in item.checks)
        checks = f"{item.passing}/{len(item.checks)} pass" if ran else f"{len(item.checks)} not run"
        failed = [check for check in item.checks if check.passed is False]
        failing = ", ".join(check.grade_id for check in failed[:SHOWN]) + (
            f" +{len(failed) - SHOWN} more" if len(failed) > SHOWN else ""
        )
        errors = sorted({check.error for check in failed if check.error})
        failing = f"{failing} ({', '.join(errors)})" if errors else failing or "-"
        graded = f"{item.selfgraded[0]:g}/{item.selfgraded[1]:g}" if item.selfgraded else "-"
        written = f"{item.self_assessed[0]:g}/{item.self_assessed[1]:g}" if item.self_assessed else "-"
        table.add_row(
            item.lesson, f"{item.written}/{len(item.answers)}", stubs, checks, failing, graded, written, str(item.hints)
        )
    return table


def interview_table(interview: Interview) -> Table:
    table = Table(title="Mock interview: minutes spent against the budget")
    for column in ("problem", "minutes", "budget"):
        table.add_column(column)
    for name, minutes in interview.minutes.items():
        over = minutes > interview.budget[name]
        table.add_row(name, f"[red]{minutes:.1f}[/]" if over else f"{minutes:.1f}", f"{interview.budget[name]:g}")
    table.add_row("total", f"{interview.total:.1f}", f"{interview.total_budget:g}")
    return table


def plot_progress(lessons: list[LessonProgress], path: Path) -> Path:
    """A small PNG: the share of answers written and of checks passing per lesson,
    and the interview's minutes against the budget when there are any."""
    import matplotlib

    matplotlib.use("Agg")  # a file, never a window: this runs from a terminal
    import matplotlib.pyplot as plt

    interview = next((item.interview for item in lessons if item.interview), None)
    columns = 2 if interview else 1
    fig, axes = plt.subplots(1, columns, figsize=(5.5 * columns, 1.6 + 0.4 * max(len(lessons), 2)), squeeze=False)
    ax = axes[0][0]
    names = [item.lesson for item in lessons]
    rows = range(len(lessons))
    written = [item.written / len(item.answers) if item.answers else 0.0 for item in lessons]
    passing = [item.passing / len(item.checks) if item.checks else 0.0 for item in lessons]
    ax.barh([r - 0.2 for r in rows], written, height=0.4, color="tab:blue", label="answers written")
    ax.barh([r + 0.2 for r in rows], passing, height=0.4, color="tab:green", label="visible checks passing")
    ax.set(yticks=list(rows), yticklabels=names, xlim=(0, 1), xlabel="share done", title="Lessons")
    ax.invert_yaxis()
    # Legends below the axes, where they hide no bar.
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2, fontsize="small")
    if interview:
        ax = axes[0][1]
        problems = list(interview.minutes)
        ax.barh(problems, [interview.budget[p] for p in problems], color="lightgrey", label="budget")
        ax.barh(
            problems,
            [interview.minutes[p] for p in problems],
            height=0.5,
            label="time spent",
            color=["tab:red" if interview.minutes[p] > interview.budget[p] else "tab:green" for p in problems],
        )
        ax.set(xlabel="minutes", title="Mock interview")
        ax.invert_yaxis()
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.3), ncol=2, fontsize="small")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path


def progress(folder: Path, run: bool = True) -> list[LessonProgress]:
    """Progress for every course notebook under ``folder``."""
    return [lesson_progress(path, run) for path in find_notebooks(folder)]


def working_folder(folder: Path) -> Path:
    """The folder to look in: a clone's ``release/`` when given the clone itself.

    A learner who works in a clone of the course edits ``release/`` in place;
    the clone's ``source/`` holds the solutions and must not count as progress.
    """
    if (folder / CONFIG_FILE).is_file() and (folder / "release").is_dir():
        return folder / "release"
    return folder


def next_day(root: Path, folder: Path, lessons: list[LessonProgress]) -> tuple[Day, set[str]] | None:
    """The first day of ``root``'s study plan not yet done in ``folder``, and what is done on it.

    A lesson is done when its latest selfgrade had full marks; a drill, when a
    selfgraded mock answered it with full marks. Rounds, mocks and rest count
    as done once everything gradable that day is.
    """
    days = load_plan(root)
    records = [
        load_record(path)
        for path in {
            folder,
            *(item.notebook.parent for item in lessons),
            *(path.parent for path in folder.rglob(RECORD_FILE)),
        }
    ]
    lessons_done = {item.lesson for item in lessons if item.selfgraded and item.selfgraded[0] >= item.selfgraded[1]}
    lessons_done |= {lesson for record in records for lesson in record if full_marks(record, lesson)}
    drills = set().union(*(drills_done(record) for record in records))
    for day in days:
        done = {
            item.ref
            for item in day.items
            if (item.kind is Kind.LESSON and item.ref in lessons_done)
            or (item.kind is Kind.DRILL and item.ref in drills)
        }
        gradable = {item.ref for item in day.items if item.kind in (Kind.LESSON, Kind.DRILL)}
        if not gradable <= done:
            return day, done
    return None


def _course_of(folder: Path) -> Path | None:
    """The course clone holding ``folder``, or the one the command runs in; None for a notebook on its own."""
    for start in (folder, None):
        try:
            return find_root(start)
        except CourseError:
            continue
    return None


def plan_table(day: Day, done: set[str]) -> Table:
    table = Table(title=f"Next in the plan: day {day.day}, {day.theme}")
    for column in ("", "what", "minutes", "afterwards you can"):
        table.add_column(column, overflow="fold")
    for item in day.items:
        table.add_row("done" if item.ref in done else "", f"{item.kind.value} {item.ref}", str(item.minutes), item.goal)
    return table


def _command(args: argparse.Namespace, console: Console) -> int:
    folder = working_folder(Path(args.folder).resolve())
    lessons = progress(folder, run=not args.no_run)
    console.print(progress_table(lessons))
    for item in lessons:
        for problem in item.problems:
            console.print(f"[yellow]{item.lesson}[/]: {problem}", soft_wrap=True)
    interviews = {item.notebook.parent: item.interview for item in lessons if item.interview}
    for interview in interviews.values():
        console.print(interview_table(interview))
    for times in sorted(folder.rglob(MOCK_TIMES_FILE)):
        mock = read_interview(times.parent, MOCK_TIMES_FILE)
        if mock:
            table = interview_table(mock)
            table.title = f"Mock in {times.parent.name}: minutes spent against the budget"
            console.print(table)
    root = _course_of(folder)
    upcoming = next_day(root, folder, lessons) if root else None
    if upcoming:
        console.print(plan_table(*upcoming))
    plot = Path(args.plot).resolve() if args.plot else folder / "progress.png"
    console.print(f"plot: {plot_progress(lessons, plot)}", soft_wrap=True)
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``progress`` to the course CLI's sub-commands."""
    command = commands.add_parser("progress", help="a learner's progress across lessons in a working copy")
    command.add_argument(
        "folder",
        nargs="?",
        default=".",
        help="folder holding your lesson notebooks (default: here; in a clone of the course, its release/)",
    )
    command.add_argument("--plot", help="where to write the PNG plot (default: FOLDER/progress.png)")
    command.add_argument("--no-run", action="store_true", help="do not run the notebooks; report stubs only")
    command.set_defaults(run=_command, anywhere=True)
