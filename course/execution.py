"""The grading kernel's limits: memory, time, output, working directory, warnings, restarts and the sandbox.

nbgrader executes each submission with its ``Execute`` preprocessor; :func:`harden`
configures it with the limits below and swaps in :class:`RestartingExecute`,
and :func:`limits_hit` reads back which cells a limit stopped.
"""

from __future__ import annotations

import copy
import json
import math
import time
from pathlib import Path

from jupyter_client import KernelManager
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer
from traitlets.config import Config

from .cells import grade_id_of, is_grade, is_locked, is_solution, is_test_cell, visible_part
from .harness.link import STOPPED_DIED, STOPPED_TIMED_OUT
from .harness.runner import KERNEL_STOPPED, TestRecord, TrustedProcess, TrustedProcessFailed
from .sandbox import SandboxedKernelManager, use_sandbox

# The kernel's limits, applied by the kernel itself before any learner code
# runs: an address-space cap turns a memory bomb into a MemoryError in its own
# cell, and a fresh empty working directory (removed when the kernel exits)
# keeps relative paths away from the course. Soft and hard limits are equal, so an unprivileged kernel cannot lift
# them again.
DEFAULT_MEMORY_BYTES = 3 * 2**30
_KERNEL_PRELUDE = (
    "import atexit as _a, os as _o, resource as _r, shutil as _s, tempfile as _t; "
    "_r.setrlimit(_r.RLIMIT_AS, ({limit}, {limit})); "
    "_d = _t.mkdtemp(prefix='grading-'); _o.chdir(_d); _a.register(_s.rmtree, _d, True); "
    "del _a, _o, _r, _s, _t, _d"
)
# A Python warning as printed on stderr ("file.py:12: RuntimeWarning: ...").
# nbgrader zeroes a test cell with any stderr, so a correct answer that warns
# would lose its points; errors still fail the cell as error outputs.
WARNING_LINE = r"(?m)^\S.*:\d+: \w*Warning: "
# Output kept, counted in bytes while it streams in: nbgrader's own limit
# counts lines, and a few lines of a megabyte each made notebooks and feedback
# pages of hundreds of megabytes.
CELL_OUTPUT_BYTES = 256 * 2**10
NOTEBOOK_OUTPUT_BYTES = 4 * 2**20
TRUNCATED = "... output truncated by the grader ..."
# Output messages that add to or replace a cell's outputs.
_OUTPUT_MESSAGES = frozenset({"stream", "display_data", "execute_result", "update_display_data", "error"})
# An error is kept whatever its size, as it decides a grade; its value and
# each traceback line are cut to ERROR_CHARS characters, the traceback to its
# first and last lines, ERROR_LINES in all.
ERROR_CHARS = 2000
ERROR_LINES = 200
# The whole notebook's time: NOTEBOOK_TIMEOUT_CELLS per-cell limits, and at
# least NOTEBOOK_SECONDS (the course's 120 s per cell gives 10 minutes).
NOTEBOOK_SECONDS = 600
NOTEBOOK_TIMEOUT_CELLS = 5
# Kernel restarts per notebook: each replays every earlier cell, so without a
# cap a notebook killing its kernel in every cell costs quadratic time.
MAX_RESTARTS = 3
DEAD = "DeadKernelError"
TIMED_OUT = "CellTimeoutError"
# The error given to a test cell the trusted process could not run.
GRADER_ERROR = "GraderError"
# The error given to a cell left unrun because the notebook's time or restarts ran out.
NOT_RUN = "CellNotRun"
_UNFINISHED = frozenset({DEAD, TIMED_OUT, NOT_RUN})


class RestartingExecute(Execute):
    """nbgrader's ``Execute`` with a kernel that cannot take the grader down with it.

    * A cell that kills the kernel (``os._exit``, a segfault, the OOM killer)
      costs only itself, where plain nbgrader gives up on the whole notebook:
      it gets an error output (so its grade cell, if it is one, scores zero),
      the kernel is restarted, the cells before it are replayed to rebuild
      the state, and grading goes on, for at most ``max_restarts`` restarts.
    * The whole notebook gets ``notebook_timeout`` seconds, replays and
      restarts included, on top of nbgrader's per-cell ``timeout``: a cell
      never runs longer than what is left.
    * Output is counted in bytes as it arrives: at most ``cell_output_bytes``
      per cell and ``notebook_output_bytes`` per notebook are kept (256 KiB and
      4 MiB by default; text as UTF-8, images and other data as their JSON
      text). The rest is dropped before it is stored, and the cell shows
      :data:`TRUNCATED` once. Errors are always kept, shortened, since they
      decide a grade cell's score.

    Once the time budget or the restarts are used up, the remaining code cells
    are not run: each gets a ``CellNotRun`` error saying why, so their grade
    cells score zero. With ``sandbox`` set, kernels start in
    :mod:`course.sandbox`'s sandbox.
    """

    sandbox = Bool(False, help="Start every kernel with course.sandbox.SandboxedKernelManager.").tag(config=True)
    trusted_tests = Bool(
        False,
        help="Run test cells in a trusted process (course.harness), never in the learner's kernel; "
        "the instructor's locked setup cells run in both.",
    ).tag(config=True)
    max_restarts = Integer(
        MAX_RESTARTS, help="Kernel restarts allowed per notebook; after one more death the remaining cells are not run."
    ).tag(config=True)
    notebook_timeout = Integer(
        None,
        allow_none=True,
        help="Seconds the whole notebook may run; by default "
        "NOTEBOOK_TIMEOUT_CELLS per-cell time limits, and at least NOTEBOOK_SECONDS.",
    ).tag(config=True)
    cell_output_bytes = Integer(CELL_OUTPUT_BYTES, help="Bytes of output kept per cell.").tag(config=True)
    notebook_output_bytes = Integer(NOTEBOOK_OUTPUT_BYTES, help="Bytes of output kept per notebook.").tag(config=True)

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        # nbclient's public hook for a cell's time limit: here, capped by what the notebook has left.
        self.timeout_func = self._cell_timeout

    @property
    def time_budget(self) -> float:
        """The whole notebook's time budget, in seconds."""
        if self.notebook_timeout is not None:
            return float(self.notebook_timeout)
        return float(max(NOTEBOOK_SECONDS, NOTEBOOK_TIMEOUT_CELLS * (self.timeout or 0)))

    def reset_execution_trackers(self) -> None:
        super().reset_execution_trackers()
        self._started: float | None = None
        self._deaths = 0
        self._stop: str | None = None
        self._replaying = False
        self._notebook_bytes = 0
        self._cell_bytes = 0
        self._cell_truncated = False
        self._trusted: TrustedProcess | None = None

    def create_kernel_manager(self) -> KernelManager:
        # nbgrader's Execute passes its kernel manager class as an argument,
        # which beats any configuration of it; so it is replaced here.
        if self.sandbox:
            self.kernel_manager_class = SandboxedKernelManager
        return super().create_kernel_manager()

    # --- time and restarts ---

    def _time_left(self) -> float:
        if self._started is None:
            self._started = time.monotonic()
        return self.time_budget - (time.monotonic() - self._started)

    def _cell_timeout(self, cell: NotebookNode) -> int | None:
        """nbgrader's per-cell limit, or less when the notebook has less left (at least 1 s)."""
        left = max(1, math.ceil(self._time_left()))
        return left if not self.timeout or self.timeout < 0 else min(self.timeout, left)

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        if self._stop is None and self._time_left() <= 0:
            self._stop = f"the notebook used its whole time budget ({self.time_budget:g} s)"
        if self._stop is not None:
            if cell.cell_type == "code" and cell.source.strip():
                cell.outputs = [_error(NOT_RUN, self._stop)]
            return cell, self.resources
        self._seal()
        try:
            if self.trusted_tests and is_test_cell(cell):
                return self._test_in_trusted_process(cell, index), self.resources
            cell, resources = super().preprocess_cell(cell, resources, index)
            if self.trusted_tests and _is_setup(cell):
                self._setup_in_trusted_process(cell)
            return cell, resources
        except DeadKernelError:
            cell.outputs = [_error(DEAD, "the kernel died running this cell (os._exit, a crash, or the memory limit)")]
        except CellTimeoutError:
            # nbclient raises this when the cell is still busy after the
            # interrupt at its time limit: only a new kernel stops it.
            cell.outputs = [
                _error(TIMED_OUT, "the cell went on after the interrupt at its time limit, so the kernel was restarted")
            ]
        self._recover(index)
        return cell, self.resources

    def _recover(self, index: int) -> None:
        """Restart the dead or hung kernel and replay the cells before ``index``, within the restart cap."""
        while True:
            self._deaths += 1
            if self._deaths > self.max_restarts:
                self._stop = f"the kernel died {self._deaths} times"
                return
            try:
                run_sync(self._restart_and_replay)(index)
                return
            except (DeadKernelError, CellTimeoutError):
                continue  # a replayed cell killed or hung it again, which counts as one more death

    def _seal(self) -> None:
        """Take the sandboxed kernel's socket folder back before learner code runs in it."""
        if isinstance(self.km, SandboxedKernelManager):
            self.km.seal()

    async def _restart_and_replay(self, index: int) -> None:
        await ensure_async(self.km.restart_kernel(now=True))
        await ensure_async(self.kc.wait_for_ready(timeout=self.startup_timeout))
        self._seal()
        self._replaying = True
        try:
            for earlier, cell in enumerate(self.nb.cells[:index]):
                # A cell that never finished is not run again: it would cost its time or the kernel once more.
                unfinished = any(output.get("ename") in _UNFINISHED for output in cell.get("outputs", []))
                if cell.cell_type == "code" and not unfinished and self._time_left() > 0:
                    # A copy: the replay's outputs must not replace what was graded.
                    replay = copy.deepcopy(cell)
                    if self.trusted_tests and is_test_cell(cell):
                        replay.source = visible_part(cell.source)  # as the kernel ran it
                    if replay.source.strip():
                        try:
                            await self.async_execute_cell(replay, earlier, store_history=False)
                        finally:
                            self.nb.cells[earlier] = cell  # nbclient stores the copy it ran; the graded cell stays
        finally:
            self._replaying = False

    # --- the trusted process ---

    def preprocess(self, nb: NotebookNode, resources: dict | None = None, km: KernelManager | None = None) -> tuple:
        try:
            return super().preprocess(nb, resources, km)
        finally:
            self._close_trusted_process()

    def _trusted_process(self) -> TrustedProcess:
        if self._trusted is None:
            self._trusted = TrustedProcess(self.km.get_connection_info())
        return self._trusted

    def _close_trusted_process(self) -> None:
        if self._trusted is not None:
            self._trusted.close()
            self._trusted = None

    def _run_unrecorded(self, source: str, cell: NotebookNode, index: int) -> None:
        """Run code in the kernel as a copy of ``cell``, keeping none of its outputs."""
        if not source.strip():
            return
        shadow = copy.deepcopy(cell)
        shadow.source = source
        self._replaying = True  # its output does not count against the notebook's budget
        try:
            self.execute_cell(shadow, index, store_history=False)
        finally:
            self._replaying = False
            self.nb.cells[index] = cell  # nbclient puts the cell it ran into the notebook: the shadow goes

    def _setup_in_trusted_process(self, cell: NotebookNode) -> None:
        try:
            self._trusted_process().setup(cell.source, _cell_name(cell), self._cell_timeout(cell))
        except TrustedProcessFailed:
            # The test cells after it will say so: each starts a fresh trusted process.
            self._close_trusted_process()

    def _test_in_trusted_process(self, cell: NotebookNode, index: int) -> NotebookNode:
        """Run a test cell in the trusted process; its outputs are the harness's record of it.

        Its visible part runs in the kernel first, outputs dropped: a later cell
        of the lesson may use a name it defines (``leaks = find_leaky(...)``),
        and the learner has seen that code anyway. It decides nothing.
        """
        self._run_unrecorded(visible_part(cell.source), cell, index)
        try:
            record = self._trusted_process().test(cell.source, _cell_name(cell), self._cell_timeout(cell))
        except TrustedProcessFailed as failure:
            self._close_trusted_process()
            cell.outputs = [_error(GRADER_ERROR, f"{failure}; this test could not be run")]
            return cell
        cell.outputs = _record_outputs(record, self.cell_output_bytes)
        if record.error is not None:
            cell.metadata["harness"] = {"origin": record.origin, "function": record.function}
        if record.kernel_stopped:
            self._recover(index)
        return cell

    # --- output ---

    async def async_execute_cell(
        self, cell: NotebookNode, cell_index: int, execution_count: int | None = None, store_history: bool = True
    ) -> NotebookNode:
        self._cell_bytes = 0
        self._cell_truncated = False
        return await super().async_execute_cell(cell, cell_index, execution_count, store_history)

    # nbclient binds the synchronous version to its own coroutine; it must reach this one.
    execute_cell = run_sync(async_execute_cell)

    def process_message(self, msg: dict, cell: NotebookNode, cell_index: int) -> NotebookNode | None:
        if msg["msg_type"] not in _OUTPUT_MESSAGES:
            return super().process_message(msg, cell, cell_index)
        kept, cut = self._fit_output(msg)
        output = super().process_message(msg, cell, cell_index) if kept else None
        if cut and not self._cell_truncated:
            cell.outputs.append(new_output("stream", name="stdout", text=f"\n{TRUNCATED}\n"))
            self._cell_truncated = True
        return output

    def clear_output(self, outs: list[NotebookNode], msg: dict, cell_index: int) -> None:
        super().clear_output(outs, msg, cell_index)
        # The marker may be gone with the rest; the next output beyond the cap puts it back.
        self._cell_truncated = False

    def _fit_output(self, msg: dict) -> tuple[bool, bool]:
        """Whether an output message is kept, and whether anything of it was cut, counting what is kept.

        Errors are always kept, shortened. A stream that does not fit in what
        is left keeps its first bytes; anything else that does not fit is
        dropped.
        """
        content = msg["content"]
        if msg["msg_type"] == "error":
            content["evalue"] = _shortened(str(content.get("evalue", "")))
            content["traceback"] = [_shortened(str(line)) for line in _ends(content.get("traceback", []))]
        size = _output_bytes(msg)
        left = self.cell_output_bytes - self._cell_bytes
        if not self._replaying:
            left = min(left, self.notebook_output_bytes - self._notebook_bytes)
        kept, cut = msg["msg_type"] == "error" or size <= left, False
        if not kept:
            cut = True
            if msg["msg_type"] == "stream" and left > 0:
                content["text"] = content.get("text", "").encode()[:left].decode(errors="ignore")
                kept, size = True, left
        if kept:
            self._cell_bytes += size
            self._notebook_bytes += 0 if self._replaying else size
        return kept, cut


def harden(config: Config, memory_bytes: int = DEFAULT_MEMORY_BYTES) -> Config:
    """Add the grading kernel's limits to an nbgrader configuration.

    The per-cell time limit is nbgrader's own ``Execute.timeout`` (in
    ``nbgrader_config.py``), and nbgrader's ``LimitOutput`` still cuts a
    cell's output to 1000 lines; this adds the memory cap, the private
    working directory, :class:`RestartingExecute`'s budgets (output bytes,
    the notebook's time, restarts), lets a harmless warning through, and,
    when the grader runs as root, the sandbox (:func:`course.sandbox.use_sandbox`, which raises
    :class:`course.sandbox.SandboxError` when it cannot be had).
    """
    root = config.CourseDirectory.get("root")
    config.RestartingExecute.sandbox = use_sandbox(Path(root) if root else None)
    config.RestartingExecute.trusted_tests = True
    config.SandboxedKernelManager.course_root = str(root or "")
    prelude = _KERNEL_PRELUDE.format(limit=int(memory_bytes))
    arguments = list(config.Execute.get("extra_arguments", []))
    config.Execute.extra_arguments = [*arguments, f"--IPKernelApp.exec_lines={json.dumps([prelude])}"]
    config.IgnorePattern.enabled = True
    config.IgnorePattern.pattern = WARNING_LINE
    config.Autograde.autograde_preprocessors = [
        RestartingExecute if step is Execute else step for step in Autograde.autograde_preprocessors.default()
    ]
    return config


# What a grade cell's error says about a limit it hit, in words for the report.
_LIMIT_ERRORS = {
    TIMED_OUT: "hit the time limit",
    "MemoryError": "ran out of memory (the kernel's memory limit)",
    "SystemExit": "called sys.exit()",
    DEAD: "killed the kernel",
}
# The markers of cut output: the grader's own, and nbgrader's LimitOutput's.
_TRUNCATION_MARKERS = (TRUNCATED, "... Output truncated ...")


def limits_hit(notebook: NotebookNode) -> list[str]:
    """Cells of an autograded notebook stopped by a limit, with why.

    Cells left unrun once the notebook's time or restarts ran out are told
    once, after the last cell that ran.
    """
    hits: list[str] = []
    last_run = ""
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code" or not cell.source.strip():
            continue
        label = grade_id_of(cell) or f"cell {index}"
        outputs = cell.get("outputs", [])
        stop = next((output for output in outputs if output.get("ename") == NOT_RUN), None)
        if stop is not None:
            hits.append(
                f"{stop.get('evalue')}; " + (f"cells after {last_run} were not run" if last_run else "no cell was run")
            )
            break
        last_run = label
        for output in outputs:
            reason = _LIMIT_ERRORS.get(output.get("ename", "")) if output.get("output_type") == "error" else None
            text = output.get("text", "") if output.get("output_type") == "stream" else ""
            if any(marker in text for marker in _TRUNCATION_MARKERS):
                reason = "printed more output than the grader keeps"
            if reason:
                hits.append(f"{label} {reason}")
                break
    return hits


def _is_setup(cell: NotebookNode) -> bool:
    """A locked code cell of the instructor's that is neither an answer nor a test."""
    return cell.cell_type == "code" and is_locked(cell) and not is_grade(cell) and not is_solution(cell)


def _cell_name(cell: NotebookNode) -> str:
    return f"<cell {grade_id_of(cell) or 'unnamed'}>"


def _record_outputs(record: TestRecord, limit: int) -> list[NotebookNode]:
    """A test cell's outputs, from the trusted process's record of it (nothing the kernel printed)."""
    outputs = []
    for name, text in (("stdout", record.stdout), ("stderr", record.stderr)):
        if text:
            kept = text.encode()[:limit].decode(errors="ignore")
            outputs.append(new_output("stream", name=name, text=kept + ("" if kept == text else f"\n{TRUNCATED}\n")))
    if record.error is not None and record.error[0] == KERNEL_STOPPED:
        name = {STOPPED_TIMED_OUT: TIMED_OUT, STOPPED_DIED: DEAD}.get(record.error[1], TIMED_OUT)
        outputs.append(_error(name, f"{record.error[1]} during this test, so the kernel was restarted"))
    elif record.error is not None:
        outputs.append(_error(record.error[0], _shortened(record.error[1])))
    elif record.result is not None:
        outputs.append(
            new_output("execute_result", data={"text/plain": _shortened(record.result)}, execution_count=None)
        )
    return outputs


def _error(name: str, why: str) -> NotebookNode:
    """An error output the grader gives a cell, as a kernel would."""
    return new_output("error", ename=name, evalue=why, traceback=[f"{name}: {why}"])


def _ends(lines: list) -> list:
    """The first and last ERROR_LINES // 2 lines: where the cell called, and where it failed."""
    half = ERROR_LINES // 2
    return lines if len(lines) <= ERROR_LINES else [*lines[:half], "...", *lines[-half:]]


def _shortened(text: str) -> str:
    return text if len(text) <= ERROR_CHARS else text[:ERROR_CHARS] + " ..."


def _output_bytes(msg: dict) -> int:
    """The size an output message would add to the notebook: its text, or its data and metadata as JSON."""
    content = msg["content"]
    if msg["msg_type"] == "stream":
        return len(content.get("text", "").encode())
    return len(json.dumps({key: value for key, value in content.items() if key != "transient"}, default=str))
