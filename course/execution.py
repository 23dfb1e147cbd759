"""The grading kernel's limits: memory, working directory, warnings, restarts and the sandbox.

nbgrader executes each submission with its ``Execute`` preprocessor; :func:`harden`
configures it with the limits below and swaps in :class:`RestartingExecute`,
and :func:`limits_hit` reads back which cells a limit stopped.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from jupyter_client import KernelManager
from nbclient.exceptions import DeadKernelError
from nbclient.util import ensure_async, run_sync
from nbformat import NotebookNode
from nbformat.v4 import new_output
from nbgrader.converters import Autograde
from nbgrader.preprocessors import Execute
from traitlets import Bool
from traitlets.config import Config

from .repair import nbgrader_meta
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


class RestartingExecute(Execute):
    """nbgrader's ``Execute``, except that a cell which kills the kernel costs only itself.

    Plain nbgrader gives up on the whole notebook when the kernel dies
    (``os._exit``, a segfault, the OOM killer). Here the dead cell gets an
    error output (so its grade cell, if it is one, scores zero), the kernel
    is restarted, the cells before it are replayed to rebuild the state, and
    grading goes on. With ``sandbox`` set, kernels start in
    :mod:`course.sandbox`'s sandbox.
    """

    sandbox = Bool(False, help="Start every kernel with course.sandbox.SandboxedKernelManager.").tag(config=True)

    def create_kernel_manager(self) -> KernelManager:
        # nbgrader's Execute passes its kernel manager class as an argument,
        # which beats any configuration of it; so it is replaced here.
        if self.sandbox:
            self.kernel_manager_class = SandboxedKernelManager
        return super().create_kernel_manager()

    def preprocess_cell(self, cell: NotebookNode, resources: dict, index: int) -> tuple[NotebookNode, dict]:
        self._seal()
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            cell.outputs = [new_output("error", ename="DeadKernelError", evalue="the kernel died running this cell",
                                       traceback=["DeadKernelError: the kernel died running this cell "
                                                  "(os._exit, a crash, or the memory limit)"])]
            run_sync(self._restart_and_replay)(index)
            return cell, self.resources

    def _seal(self) -> None:
        """Take the sandboxed kernel's socket folder back before learner code runs in it."""
        if isinstance(self.km, SandboxedKernelManager):
            self.km.seal()

    async def _restart_and_replay(self, index: int) -> None:
        await ensure_async(self.km.restart_kernel(now=True))
        await ensure_async(self.kc.wait_for_ready(timeout=self.startup_timeout))
        self._seal()
        for earlier, cell in enumerate(self.nb.cells[:index]):
            killed = any(output.get("ename") == "DeadKernelError" for output in cell.get("outputs", []))
            if cell.cell_type == "code" and not killed:
                # A copy: the replay's outputs must not replace what was graded.
                await self.async_execute_cell(copy.deepcopy(cell), earlier, store_history=False)


def harden(config: Config, memory_bytes: int = DEFAULT_MEMORY_BYTES) -> Config:
    """Add the grading kernel's limits to an nbgrader configuration.

    The per-cell time limit is nbgrader's own ``Execute.timeout`` (in
    ``nbgrader_config.py``) and the output limit its ``LimitOutput``; this adds
    the memory cap, the private working directory and the restart after a
    dead kernel, lets a harmless warning through, and, when the grader runs as
    root, the sandbox (:func:`course.sandbox.use_sandbox`, which raises
    :class:`course.sandbox.SandboxError` when it cannot be had).
    """
    root = config.CourseDirectory.get("root")
    config.RestartingExecute.sandbox = use_sandbox(Path(root) if root else None)
    config.SandboxedKernelManager.course_root = str(root or "")
    prelude = _KERNEL_PRELUDE.format(limit=int(memory_bytes))
    arguments = list(config.Execute.get("extra_arguments", []))
    config.Execute.extra_arguments = [*arguments, f"--IPKernelApp.exec_lines={json.dumps([prelude])}"]
    config.IgnorePattern.enabled = True
    config.IgnorePattern.pattern = WARNING_LINE
    config.Autograde.autograde_preprocessors = [
        RestartingExecute if step is Execute else step for step in Autograde.autograde_preprocessors.default()]
    return config


# What a grade cell's error says about a limit it hit, in words for the report.
_LIMIT_ERRORS = {
    "CellTimeoutError": "hit the per-cell time limit",
    "MemoryError": "ran out of memory (the kernel's memory limit)",
    "SystemExit": "called sys.exit()",
    "DeadKernelError": "killed the kernel",
}


def limits_hit(notebook: NotebookNode) -> list[str]:
    """Cells of an autograded notebook stopped by a limit, with why."""
    hits: list[str] = []
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code":
            continue
        label = nbgrader_meta(cell).get("grade_id") or f"cell {index}"
        for output in cell.get("outputs", []):
            reason = _LIMIT_ERRORS.get(output.get("ename", "")) if output.get("output_type") == "error" else None
            if output.get("output_type") == "stream" and "... Output truncated ..." in output.get("text", ""):
                reason = "printed more output than the grader keeps"
            if reason:
                hits.append(f"{label} {reason}")
                break
    return hits
