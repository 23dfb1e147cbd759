"""Grading on a Dask cluster: one task per student, every record written on this machine.

``course grade LESSON SUBMISSIONS --cluster tcp://HOST:8786`` repairs and scans
each submission here, as a run on one machine does, then sends one task per
student to the scheduler. A worker runs that student's sandboxed autograde in
a private copy of its own course (:func:`grade_on_worker`) and sends back the
graded notebooks. Back here, nbgrader's autograde runs once more with its
execution step replaced by :class:`ReplayOutputs`, which takes the cells'
outputs from the worker's notebook: nbgrader itself saves the scores, and this
machine alone writes the gradebook, the ledger and the reports.

Dask's scheduler gives a lost worker's tasks to another worker, and its
dashboard shows the run. A worker whose grader (the lesson's notebooks,
``nbgrader_config.py`` and the ``course`` package) differs from this machine's
gets no task, and a run where none matches stops with a message saying so.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode
from nbgrader.preprocessors import CheckCellMetadata, NbGraderPreprocessor, SaveAutoGrades
from nbgrader.preprocessors.latesubmissions import AssignLatePenalties
from traitlets import Unicode

from .context import Course
from .execution import harden
from .grade import Outcome, Prepared, Status, autograde, finish, prepare, stage
from .intake import Handed
from .layout import CourseError, find_root
from .ledger import grader_fingerprint, submission_fingerprint
from .selftest import scratch_course

# Where a worker finds its course: this variable, else the folder it was started in.
WORKER_ROOT = "COURSE_WORKER_ROOT"
# Seconds to wait for the scheduler to answer before giving up on the address.
CONNECT_SECONDS = 30


@dataclass(frozen=True)
class Identity:
    """What decides a grade on one machine, besides the submission.

    ``grader`` is :func:`course.ledger.grader_fingerprint` (the lesson's notebooks
    and ``nbgrader_config.py``), ``package`` a digest of the ``course`` package's
    files; ``commit`` (the git commit, when there is one) only names it in messages.
    """

    grader: str
    package: str
    commit: str

    def matches(self, other: Identity) -> bool:
        return (self.grader, self.package) == (other.grader, other.package)


@functools.cache
def package_digest() -> str:
    """A digest of the ``course`` package's source and templates, as this process first read them.

    Taken once per process, so it describes the code the process runs: a clone
    updated under running workers still differs until they are restarted.
    """
    folder = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and path.suffix in {".py", ".html"}:
            digest.update(f"{path.relative_to(folder)}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def identity(root: Path, lesson: str) -> Identity:
    """This machine's :class:`Identity` for grading ``lesson`` of the course in ``root``."""
    found = subprocess.run(
        ["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    commit = found.stdout.strip() if found.returncode == 0 else "not a git checkout"
    return Identity(grader_fingerprint(root, lesson), package_digest(), commit)


class WrongCourse(CourseError):
    """A worker's course differs from the coordinator's."""


# -- on a worker ---------------------------------------------------------------


@dataclass(frozen=True)
class Executed:
    """What a worker sends back for one student: the autograded notebooks, or why nbgrader failed."""

    student: str
    notebooks: dict[str, bytes]
    failure: str | None


# One private course per lesson and grader in each worker process, built on its first task:
# a worker whose clone is updated between runs builds a new one.
_scratch: dict[tuple[str, str], Course] = {}


def worker_root() -> Path:
    """The course directory of this worker: :data:`WORKER_ROOT`, else the one it was started in."""
    return find_root(Path(os.environ.get(WORKER_ROOT) or Path.cwd()))


def worker_identity(lesson: str) -> Identity:
    """This worker's :class:`Identity` for ``lesson`` (run on every worker before a run)."""
    return identity(worker_root(), lesson)


def grade_on_worker(lesson: str, student: str, files: dict[str, bytes], expected: Identity) -> Executed:
    """Autograde one student's prepared files in this worker's private copy of the course.

    Raises :class:`WrongCourse` when this worker's course is not ``expected``.
    The copy has its own gradebook, whose scores are thrown away: only the
    graded notebooks go back.
    """
    root = worker_root()
    mine = identity(root, lesson)
    if not mine.matches(expected):
        raise WrongCourse(_mismatch(socket.gethostname(), root, mine, expected))
    if (lesson, mine.grader) not in _scratch:
        work = Path(tempfile.mkdtemp(prefix=f"course-worker-{lesson}-"))
        _scratch[lesson, mine.grader] = Course.open(scratch_course(root, lesson, work))
    course = _scratch[lesson, mine.grader]
    stage(course.root, lesson, student, files)
    failure = autograde(course.api(harden(course.nbgrader_config())), lesson, student)
    graded = course.root / "autograded" / student / lesson
    notebooks = {} if failure else {path.name: path.read_bytes() for path in sorted(graded.glob("*.ipynb"))}
    for step in ("submitted", "autograded"):
        shutil.rmtree(course.root / step / student, ignore_errors=True)
    return Executed(student, notebooks, failure)


def _mismatch(host: str, root: Path, worker: Identity, expected: Identity) -> str:
    parts = [
        part
        for part, field in (("the lesson's grader", "grader"), ("the course package", "package"))
        if getattr(worker, field) != getattr(expected, field)
    ]
    return (
        f"the worker on {host} ({root}) grades with a different course: {' and '.join(parts)} differ "
        f"(worker at {worker.commit}, this machine at {expected.commit}); check out the same commit there "
        "and restart its workers"
    )


# -- back on the coordinator -----------------------------------------------------


class ReplayOutputs(NbGraderPreprocessor):
    """nbgrader's execution step, replaced: each cell takes its outputs from a worker's graded notebook.

    The worker ran the same nbgrader steps on the same files with the same
    grader, so its notebook has the same cells with the same sources; a
    notebook that does not is refused, and the student is not graded.
    """

    folder = Unicode(help="Where the workers' notebooks are, as <student>/<notebook>.ipynb.").tag(config=True)

    def preprocess(self, nb: NotebookNode, resources: dict[str, Any]) -> tuple[NotebookNode, dict[str, Any]]:
        about = resources["nbgrader"]
        path = Path(self.folder) / about["student"] / f"{about['notebook']}.ipynb"
        executed = nbformat.read(path, as_version=4)
        if [(cell.cell_type, cell.source) for cell in executed.cells] != [
            (cell.cell_type, cell.source) for cell in nb.cells
        ]:
            raise ValueError(
                f"the worker's graded {path.name} has other cells than this machine's: "
                "the worker's course is not at this machine's commit"
            )
        for cell, ran in zip(nb.cells, executed.cells, strict=True):
            cell.metadata = ran.metadata
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = ran.outputs, ran.execution_count
        nb.metadata = executed.metadata
        return nb, resources


def replay_api(course: Course, folder: Path) -> Any:
    """An nbgrader API whose autograde saves the scores of the workers' notebooks in ``folder``."""
    config = course.nbgrader_config()
    config.ReplayOutputs.folder = str(folder)
    config.Autograde.autograde_preprocessors = [ReplayOutputs, SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
    return course.api(config)


def _record(course: Course, lesson: str, prepared: Prepared, executed: Executed, api: Any, folder: Path) -> Outcome:
    """Stage the submission here, save the worker's grades with nbgrader, and finish as a local run does."""
    if executed.failure:
        return Outcome(prepared.student, Status.REJECTED, executed.failure)
    received = folder / prepared.student
    received.mkdir(parents=True, exist_ok=True)
    for name, content in executed.notebooks.items():
        (received / name).write_bytes(content)
    stage(course.root, lesson, prepared.student, prepared.files)
    failure = autograde(api, lesson, prepared.student)
    shutil.rmtree(received, ignore_errors=True)
    if failure:
        return Outcome(prepared.student, Status.REJECTED, failure)
    return finish(course, lesson, prepared)


def _task_key(lesson: str, prepared: Prepared, expected: Identity) -> str:
    """The task's name on the scheduler: the same only for the same files and grader, so never shared wrongly."""
    return f"grade-{lesson}-{prepared.student}-{submission_fingerprint(expected.grader, prepared.files)[:16]}"


def matching_workers(client: Any, lesson: str, expected: Identity, tell: Callable[[str], None]) -> list[str]:
    """The workers whose course is this machine's; a warning for each other one, an error if none."""
    found: dict[str, Identity] = client.run(worker_identity, lesson)
    if not found:
        raise CourseError("the cluster has no worker: start some with `make worker SCHEDULER=ADDRESS`")
    matching = [address for address, theirs in found.items() if theirs.matches(expected)]
    for address, theirs in found.items():
        if not theirs.matches(expected):
            tell(f"refused worker {address}: " + _mismatch(address, Path("its course"), theirs, expected))
    if not matching:
        raise WrongCourse(f"no worker of the cluster has this machine's course (commit {expected.commit})")
    return matching


def grade_on_cluster(
    address: str,
    course: Course,
    lesson: str,
    todo: list[Handed],
    release: dict[str, NotebookNode],
    done: Callable[[Outcome], None],
    tell: Callable[[str], None],
) -> None:
    """Grade ``todo`` on the Dask cluster whose scheduler is at ``address``, calling ``done`` as each ends."""
    try:
        from distributed import Client, as_completed
        from distributed.scheduler import KilledWorker
    except ImportError as missing:
        raise CourseError(
            f"--cluster needs Dask's distributed ({missing}): pip install -r requirements.txt"
        ) from missing
    expected = identity(course.root, lesson)
    try:
        client = Client(address, timeout=CONNECT_SECONDS)
    except OSError as error:
        raise CourseError(f"no Dask scheduler answered at {address}: {error}") from error
    with client, tempfile.TemporaryDirectory(prefix="course-received-") as received:
        workers = matching_workers(client, lesson, expected, tell)
        tell(f"grading on {len(workers)} workers; the cluster's dashboard: {client.dashboard_link}")
        prepared: dict[Any, Prepared] = {}
        for handed in todo:
            ready = prepare(course, lesson, handed, release)
            if isinstance(ready, Outcome):
                done(ready)
                continue
            future = client.submit(
                grade_on_worker,
                lesson,
                ready.student,
                ready.files,
                expected,
                key=_task_key(lesson, ready, expected),
                workers=workers,
                allow_other_workers=False,
            )
            prepared[future] = ready
        api = replay_api(course, Path(received))
        for future in as_completed(list(prepared)):
            ready = prepared[future]
            try:
                outcome = _record(course, lesson, ready, future.result(), api, Path(received))
            except KilledWorker:
                outcome = Outcome(
                    ready.student,
                    Status.REJECTED,
                    "every worker that graded this submission died while grading it; the other submissions "
                    "were graded. Check that the notebook runs from top to bottom in a fresh kernel without "
                    "using all the memory, then hand it in again",
                )
            except WrongCourse as error:
                outcome = Outcome(ready.student, Status.REJECTED, f"not graded: {error}")
            except Exception as error:  # noqa: BLE001 - one submission must never stop the batch
                outcome = Outcome(
                    ready.student,
                    Status.REJECTED,
                    f"the grader failed on this submission ({type(error).__name__}: {error}); please report it",
                )
            done(outcome)
