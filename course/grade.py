"""Autograde a folder (or zip) of submissions with nbgrader and write the reports.

Each student goes through intake (:mod:`course.intake`), repair or rejection
(:mod:`course.repair`), an integrity scan (:mod:`course.integrity`) and
nbgrader's autograde in a hardened kernel. Whatever one submission does, the
others are graded; ``submissions.csv`` says what happened to each.
"""

from __future__ import annotations

import csv
import enum
import multiprocessing
import os
import shutil
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import nbformat
from nbgrader.apps import NbGraderAPI
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from .cells import grade_ids
from .context import Course
from .execution import harden, limits_hit
from .gradebook import ensure_assignment, export_grades, graded_students, read_scores, set_flag
from .intake import DEFAULT_NAMING, Handed, collect
from .integrity import Finding, edited_locked_cells, scan
from .layout import CourseError, closest_lesson, notebooks
from .ledger import Entry, Ledger, grader_fingerprint, submission_fingerprint
from .repair import NotThisLesson, Rejected, repair
from .scores import ScoreRow, spreadsheet_safe, write_scores


class Status(enum.StrEnum):
    """What became of one student's submission (``submissions.csv``'s status column)."""

    GRADED = "graded"
    REPAIRED = "repaired"  # graded after its notebook was normalised; the message says how
    REJECTED = "rejected"  # not graded; the message says why and what to hand in
    FLAGGED = "flagged"  # graded, with points withheld after the integrity scan


STATUSES = tuple(Status)
SUBMISSION_COLUMNS = ["student_id", "status", "message"]


@dataclass(frozen=True)
class Outcome:
    """What happened to one student's submission."""

    student_id: str
    status: Status
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
    resumed: list[str] = field(default_factory=list)

    @property
    def students(self) -> list[str]:
        return sorted({row.student_id for row in self.rows})

    @property
    def problems(self) -> dict[str, str]:
        """Students who could not be graded, with the reason."""
        return {outcome.student_id: outcome.message for outcome in self.outcomes if outcome.status == Status.REJECTED}


def write_outcomes(outcomes: list[Outcome], path: Path) -> Path:
    """Write ``submissions.csv``: one row per student, sorted by id, text made :func:`spreadsheet_safe`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(SUBMISSION_COLUMNS)
        for outcome in sorted(outcomes, key=lambda outcome: outcome.student_id):
            writer.writerow(
                [spreadsheet_safe(value) for value in (outcome.student_id, outcome.status, outcome.message)]
            )
    return path


def autograde(api: NbGraderAPI, lesson: str, student: str) -> str | None:
    """Run nbgrader's autograde for one student; return why it failed, if it did."""
    result = api.autograde(lesson, student, force=True, create=True)
    if result.get("success"):
        return None
    log = ((result.get("log") or "") + (result.get("error") or "")).strip().splitlines()
    return "nbgrader could not grade this submission: " + (log[-1] if log else "no log")


def _which_lesson(course: Course, lesson: str, handed: dict[str, bytes]) -> str:
    """A hint naming the other lesson whose graded cells the files carry, if any."""
    found = set().union(*(grade_ids(data) for data in handed.values()))
    best, _ = closest_lesson(course.root, found, among=[other for other in course.lessons if other != lesson])
    return f" It looks like {best}'s notebook." if best else ""


@dataclass(frozen=True)
class Prepared:
    """A submission repaired and scanned, ready for nbgrader.

    ``files`` is what goes into ``submitted/<student>/<lesson>``: the repaired
    notebooks (named in ``notebooks``) and nbgrader's own files (the
    timestamp); ``changes`` says how the notebooks were repaired;
    ``findings`` are the integrity scan's.
    """

    student: str
    files: dict[str, bytes]
    notebooks: tuple[str, ...]
    changes: list[str]
    findings: list[Finding]


def prepare(
    course: Course, lesson: str, handed: Handed, release: dict[str, nbformat.NotebookNode]
) -> Prepared | Outcome:
    """Repair and scan one student's files: a :class:`Prepared` submission, or the rejection saying why."""
    student = handed.student
    try:
        repaired = repair(handed.notebooks, release)
    except NotThisLesson as reason:
        return Outcome(student, Status.REJECTED, f"{reason}{_which_lesson(course, lesson, handed.notebooks)}")
    except Rejected as reason:
        return Outcome(student, Status.REJECTED, str(reason))
    files = dict(handed.nbgrader_files)
    findings: list[Finding] = []
    for name, notebook in repaired.notebooks.items():
        files[name] = (nbformat.writes(notebook) + "\n").encode("utf-8")
        findings += scan(notebook, course.root) + edited_locked_cells(notebook, release[name])
    return Prepared(student, files, tuple(repaired.notebooks), repaired.changes, findings)


def stage(root: Path, lesson: str, student: str, files: dict[str, bytes]) -> None:
    """Put a student's files where nbgrader's autograde reads them, replacing any earlier ones."""
    target = root / "submitted" / student / lesson
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for name, content in files.items():
        (target / name).write_bytes(content)


def finish(course: Course, lesson: str, prepared: Prepared) -> Outcome:
    """The outcome of a submission nbgrader has autograded: limits hit, integrity flags, repairs."""
    student = prepared.student
    limits = [
        hit
        for name in prepared.notebooks
        for hit in limits_hit(nbformat.read(course.root / "autograded" / student / lesson / name, as_version=4))
    ]
    notes = prepared.changes + limits
    # Weak findings cost nothing: nbgrader's score stands, the instructor reads why to look closer.
    noted = [finding.describe() for finding in prepared.findings if not finding.costs_points]
    if noted:
        notes.append("note for the instructor: " + "; ".join(noted))
    flagged = [finding for finding in prepared.findings if finding.costs_points]
    set_flag(course.db_url, lesson, student, prepared.findings)
    if flagged:
        withheld = (
            "autograded points withheld for review"
            if any(f.costs is None for f in flagged)
            else "points of " + ", ".join(sorted({f.costs for f in flagged if f.costs})) + " withheld for review"
        )
        return Outcome(student, Status.FLAGGED, "; ".join([f.describe() for f in flagged] + [withheld] + notes))
    return Outcome(student, Status.REPAIRED if prepared.changes else Status.GRADED, "; ".join(notes))


def grade_one(
    api: NbGraderAPI, course: Course, lesson: str, handed: Handed, release: dict[str, nbformat.NotebookNode]
) -> Outcome:
    """Repair, scan and autograde one student's files; never raises for their content."""
    prepared = prepare(course, lesson, handed, release)
    if isinstance(prepared, Outcome):
        return prepared
    stage(course.root, lesson, prepared.student, prepared.files)
    failure = autograde(api, lesson, prepared.student)
    if failure:
        return Outcome(prepared.student, Status.REJECTED, failure)
    return finish(course, lesson, prepared)


def _grade_safely(
    api: NbGraderAPI, course: Course, lesson: str, handed: Handed, release: dict[str, nbformat.NotebookNode]
) -> Outcome:
    """:func:`grade_one`, with an unexpected error costing this student alone."""
    try:
        return grade_one(api, course, lesson, handed, release)
    except Exception as error:  # noqa: BLE001 - one submission must never stop the batch
        return Outcome(
            handed.student,
            Status.REJECTED,
            f"the grader failed on this submission ({type(error).__name__}: {error}); please report it",
        )


def _grader(course: Course, lesson: str) -> tuple[NbGraderAPI, dict[str, nbformat.NotebookNode]]:
    """nbgrader, hardened and writing to the course's gradebook, and the release notebooks to repair against."""
    release = {path.name: nbformat.read(path, as_version=4) for path in notebooks(course.root, "release", lesson)}
    if not release:
        raise CourseError(f"release/{lesson} holds no notebook; run `course build {lesson}` first")
    return course.api(harden(course.nbgrader_config())), release


# How grading workers start: macOS's system libraries are not safe to fork.
START_METHOD = "fork" if sys.platform.startswith("linux") else "spawn"
# One grading worker process's state, set once by _start_worker.
_worker_state: tuple[NbGraderAPI, Course, str, dict[str, nbformat.NotebookNode]] | None = None


def _start_worker(course: Course, lesson: str) -> None:
    """Set up a grading worker from the course the parent opened (pickled, when workers are spawned)."""
    global _worker_state
    api, release = _grader(course, lesson)
    _worker_state = (api, course, lesson, release)


def _grade_in_worker(handed: Handed) -> Outcome:
    assert _worker_state is not None, "the worker was started without _start_worker"
    api, course, lesson, release = _worker_state
    return _grade_safely(api, course, lesson, handed, release)


def _grade_and_send(course: Course, lesson: str, handed: Handed, sender: Connection) -> None:
    """The body of :func:`_grade_alone`'s process: grade one student, send back the outcome."""
    _start_worker(course, lesson)
    sender.send(_grade_in_worker(handed))
    sender.close()


def _how_it_ended(exitcode: int | None) -> str:
    """A process's end in words: ``exit code 1``, ``killed by SIGKILL``."""
    if exitcode is None or exitcode >= 0:
        return f"exit code {exitcode}"
    if -exitcode == signal.SIGKILL:
        return "killed by SIGKILL, which is how the operating system stops a process that runs out of memory"
    try:
        return f"killed by {signal.Signals(-exitcode).name}"
    except ValueError:
        return f"killed by signal {-exitcode}"


def _grade_alone(course: Course, lesson: str, handed: Handed) -> Outcome:
    """Grade one student in a new process of their own, so that if it dies, their submission did it.

    The outcome comes back through a pipe; a process that ends without
    sending one died while grading, and the student is rejected with how it
    ended (the OOM killer's SIGKILL, most likely).
    """
    context = multiprocessing.get_context(START_METHOD)
    receiver, sender = context.Pipe(duplex=False)
    # typeshed's BaseContext leaves out Process, which every real context has.
    process = context.Process(  # type: ignore[attr-defined]
        target=_grade_and_send, args=(course, lesson, handed, sender), name=f"grade-{handed.student}"
    )
    process.start()
    sender.close()  # this process's copy: the pipe reports EOF once the grading process is gone
    try:
        outcome: Outcome | None = receiver.recv()
    except EOFError:
        outcome = None
    finally:
        receiver.close()
    process.join()
    if outcome is not None:
        return outcome
    return Outcome(
        handed.student,
        Status.REJECTED,
        "its grading worker died while this submission was being graded on its own "
        f"({_how_it_ended(process.exitcode)}); "
        "the other submissions were graded. Check that the notebook runs from top to bottom in a "
        "fresh kernel without using all the memory, then hand it in again",
    )


def _in_parallel(
    course: Course, lesson: str, todo: list[Handed], workers: int, done: Callable[[Outcome], None]
) -> None:
    """Grade ``todo`` in ``workers`` processes, calling ``done`` in this process as each student ends.

    nbgrader keeps each student's files apart and its gradebook writes are
    transactions, so students can be graded side by side. On Linux workers
    are forked: a spawned one spends about 2 s of a core importing nbgrader
    again, a tenth of a small cohort's grading time. Forking is safe here
    because no gradebook connection is open at this point and the only other
    thread, rich's progress refresher, is never used by a worker.

    A worker that dies (the operating system's OOM killer, say) breaks the
    whole pool, and nothing tells which of the students in flight killed it.
    So every student the pool did not finish is then graded on their own,
    one at a time, each in a process of its own (:func:`_grade_alone`): the
    one whose process dies again is rejected with the reason, and everyone
    else is graded.
    """
    pending = {handed.student: handed for handed in todo}
    context = multiprocessing.get_context(START_METHOD)
    with ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=_start_worker, initargs=(course, lesson)
    ) as pool:
        futures = {pool.submit(_grade_in_worker, handed): handed.student for handed in pending.values()}
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:
                continue
            del pending[futures[future]]
            done(outcome)
    for handed in pending.values():
        done(_grade_alone(course, lesson, handed))


def _resumable(course: Course, lesson: str, fingerprints: dict[str, str]) -> dict[str, Outcome]:
    """Students an earlier run finished with the same inputs, whose grades the gradebook still holds."""
    entries = Ledger(course.root, lesson, course.db_url).entries()
    in_gradebook = graded_students(course.db_url, lesson)
    return {
        student: Outcome(student, Status(entry.status), entry.message)
        for student, entry in entries.items()
        if fingerprints.get(student) == entry.fingerprint
        and student in in_gradebook
        and (course.root / "autograded" / student / lesson).is_dir()
    }


def default_workers() -> int:
    """The number of cores this process may use."""
    return len(os.sched_getaffinity(0))


def grade(
    course: Course,
    lesson: str,
    submissions: Path,
    reports: Path | None = None,
    naming: str = DEFAULT_NAMING,
    workers: int = 1,
    force: bool = False,
    progress: bool = False,
    cluster: str | None = None,
) -> GradeRun:
    """Autograde every student's submission of ``lesson`` found in ``submissions``.

    Parameters
    ----------
    course : Course
        The course, opened with the gradebook to write to (``--db``).
    lesson : str
        The lesson (nbgrader assignment) to grade.
    submissions : Path
        A folder or LMS ``.zip`` in any shape :func:`course.intake.collect` reads;
        it is only read, never changed.
    reports : Path, optional
        Where ``<lesson>/scores.csv``, ``grades.csv`` and ``submissions.csv``
        go (default ``reports/`` in the course).
    naming : str
        The naming rule for student ids (see :mod:`course.intake`).
    workers : int
        Students graded at once, each in its own process; the grades do not
        depend on it.
    force : bool
        Grade every student again, even those an earlier run already graded
        from the same files (see :mod:`course.ledger`).
    progress : bool
        Show a progress bar on stderr.
    cluster : str, optional
        A Dask scheduler's address: grade one student per task on its
        workers (:mod:`course.cluster`) instead of ``workers`` processes here.

    Returns
    -------
    GradeRun
        The score rows, the report paths and one outcome per student.
    """
    if workers < 1:
        raise CourseError(f"--workers must be at least 1, not {workers}")
    lesson = course.require_lesson(lesson)
    intake = collect(submissions, lesson, naming)
    ensure_assignment(course, lesson)
    api, release = _grader(course, lesson)
    grader = grader_fingerprint(course.root, lesson)
    fingerprints = {
        handed.student: submission_fingerprint(grader, {**handed.notebooks, **handed.nbgrader_files})
        for handed in intake.handed
    }
    ledger = Ledger(course.root, lesson, course.db_url)
    resumed = {} if force else _resumable(course, lesson, fingerprints)
    outcomes = [Outcome(student, Status.REJECTED, reason) for student, reason in intake.rejected.items()]
    outcomes += resumed.values()
    todo = [handed for handed in intake.handed if handed.student not in resumed]
    with Progress(
        TextColumn(f"grading {lesson}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("students"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        disable=not progress,
    ) as bar:
        students = bar.add_task("grading", total=len(intake.handed), completed=len(resumed))

        def done(outcome: Outcome) -> None:
            outcomes.append(outcome)
            if outcome.status != Status.REJECTED:
                ledger.record(
                    Entry(outcome.student_id, fingerprints[outcome.student_id], outcome.status, outcome.message)
                )
            bar.advance(students)

        if cluster and todo:
            from .cluster import grade_on_cluster  # Dask is needed for --cluster only

            grade_on_cluster(
                cluster,
                course,
                lesson,
                todo,
                release,
                done,
                lambda text: bar.console.print(escape(text), highlight=False),
            )
        elif workers == 1 or len(todo) < 2:
            for handed in todo:
                done(_grade_safely(api, course, lesson, handed, release))
        else:
            _in_parallel(course, lesson, todo, min(workers, len(todo)), done)
    out = (reports or course.root / "reports") / lesson
    graded = sorted(outcome.student_id for outcome in outcomes if outcome.status != Status.REJECTED)
    rows = read_scores(course.db_url, lesson, graded)
    return GradeRun(
        lesson=lesson,
        rows=rows,
        scores_csv=write_scores(rows, out / "scores.csv"),
        grades_csv=export_grades(course.db_url, lesson, graded, out / "grades.csv"),
        submissions_csv=write_outcomes(outcomes, out / "submissions.csv"),
        outcomes=sorted(outcomes, key=lambda outcome: outcome.student_id),
        skipped=intake.skipped,
        resumed=sorted(resumed),
    )
