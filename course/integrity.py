"""Second line of defence against submissions that fake a pass or harm the grader.

The hidden tests are written to resist tampering (COURSE.md); this module adds
a static scan of the learner's code, flagged in the report, and the limits the
grading kernel runs under (as root, in :mod:`course.sandbox`). The scan is a
tripwire: see the README's "Grading that never breaks" for what remains possible.
"""

from __future__ import annotations

import ast
import copy
import json
import re
from dataclasses import dataclass
from pathlib import Path

from IPython.core.inputtransformer2 import TransformerManager
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

# The from-scratch rule of every lesson (COURSE.md): these do the work for you.
BANNED_MODULES = frozenset({"sklearn", "torch", "tensorflow", "keras", "jax"})
# Modules whose functions the hidden tests call; changing them changes the tests.
PROTECTED_MODULES = frozenset({"numpy", "math", "builtins"})
# Names bound to those modules in every lesson's setup cell or by Python itself.
PROTECTED_NAMES = frozenset({"np", "numpy", "math", "builtins", "__builtins__"})
# Strings that only code looking for the grader's files or mode would contain.
GRADER_TRACES = re.compile(
    r"gradebook\.db|nbgrader|autograded|submitted[/\\]|source[/\\]|release[/\\]|(^|[/\\])\.\.([/\\]|$)",
    re.IGNORECASE)

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


# A banned import breaks the from-scratch rule, which the rubric scores under
# code quality; the correctness of the numbers is not in doubt.
BANNED_IMPORT_COSTS = "code_quality"


@dataclass(frozen=True)
class Finding:
    """One suspicious construct: where it is, why it matters, what it costs.

    ``costs`` is the rubric category whose autograded points are withheld, or
    ``None`` for all of them (tampering puts every test result in doubt).
    """

    cell: str
    reason: str
    costs: str | None = None


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
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            cell.outputs = [new_output("error", ename="DeadKernelError", evalue="the kernel died running this cell",
                                       traceback=["DeadKernelError: the kernel died running this cell "
                                                  "(os._exit, a crash, or the memory limit)"])]
            run_sync(self._restart_and_replay)(index)
            return cell, self.resources

    async def _restart_and_replay(self, index: int) -> None:
        await ensure_async(self.km.restart_kernel(now=True))
        await ensure_async(self.kc.wait_for_ready(timeout=self.startup_timeout))
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


def _python(source: str) -> ast.Module | None:
    """The cell as Python (IPython magics translated), or ``None`` if it does not parse."""
    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return None  # it fails at run time and costs its own points


def _root(node: ast.AST) -> str | None:
    """The name at the root of ``a.b.c`` or ``a["b"]``."""
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _module_aliases(tree: ast.Module) -> set[str]:
    """Names the cell binds to a protected module (``import numpy as xp``)."""
    names = set(PROTECTED_NAMES)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.asname or alias.name.split(".")[0] for alias in node.names
                      if alias.name.split(".")[0] in PROTECTED_MODULES}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in PROTECTED_MODULES:
            names |= {alias.asname or alias.name for alias in node.names}
    return names


def _imported(node: ast.AST) -> list[str]:
    """Top-level modules an import statement or ``__import__``/``import_module`` call loads."""
    if isinstance(node, ast.Import):
        return [alias.name.split(".")[0] for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0:
        return [(node.module or "").split(".")[0]]
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant) \
            and isinstance(node.args[0].value, str):
        called = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
        if called in {"__import__", "import_module"}:
            return [node.args[0].value.split(".")[0]]
    return []


def _always_true(function: ast.FunctionDef | ast.Lambda) -> bool:
    """Whether every return of ``function`` is a truthy constant."""
    if isinstance(function, ast.Lambda):
        return isinstance(function.body, ast.Constant) and bool(function.body.value)
    returns = [node for node in ast.walk(function) if isinstance(node, ast.Return)]
    return bool(returns) and all(isinstance(node.value, ast.Constant) and bool(node.value.value) for node in returns)


def _docstrings(tree: ast.Module) -> set[int]:
    """Ids of string nodes that are prose (docstrings), not values the code uses."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}


def scan_cell(source: str) -> list[str]:
    """Reasons to distrust one cell of learner code (empty when it looks honest)."""
    return [finding.reason for finding in _scan_cell(source, "")]


def _scan_cell(source: str, label: str) -> list[Finding]:
    """The findings in one cell, attributed to ``label``."""
    tree = _python(source)
    if tree is None:
        return []
    found: list[Finding] = []
    reasons: list[str] = []
    protected = _module_aliases(tree)
    prose = _docstrings(tree)
    for node in ast.walk(tree):
        banned = sorted(set(_imported(node)) & BANNED_MODULES)
        if banned:
            found.append(Finding(label, f"imports {banned[0]}, which this from-scratch lesson does not allow "
                                        "(NumPy, pandas and matplotlib only)", BANNED_IMPORT_COSTS))
        targets: list[ast.AST] = []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = list(node.targets)
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        changed = [target for target in targets
                   if isinstance(target, (ast.Attribute, ast.Subscript)) and _root(target) in protected]
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") in {"setattr", "delattr"} and node.args \
                and _root(ast.Attribute(value=node.args[0], attr="_")) in protected:
            changed.append(node)
        reasons += [f"changes {ast.unparse(target)[:60]}, which the hidden tests rely on" for target in changed]
        if isinstance(node, ast.FunctionDef) and node.name == "__eq__" and _always_true(node):
            reasons.append("defines an __eq__ that is always true, which would make any comparison pass")
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda) and _always_true(node.value) \
                and any(getattr(target, "id", "") == "__eq__" for target in node.targets):
            reasons.append("defines an __eq__ that is always true, which would make any comparison pass")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in prose \
                and GRADER_TRACES.search(node.value):
            reasons.append(f"refers to the grader's files or mode ({node.value[:40]!r})")
    found += [Finding(label, reason) for reason in reasons]
    return list(dict.fromkeys(found))


def scan(notebook: NotebookNode) -> list[Finding]:
    """Findings in the learner's code cells (locked cells are the instructor's)."""
    findings: list[Finding] = []
    for index, cell in enumerate(notebook.cells, start=1):
        meta = nbgrader_meta(cell)
        if cell.cell_type != "code" or meta.get("locked"):
            continue
        label = meta.get("grade_id") if meta.get("solution") else f"cell {index}"
        findings += _scan_cell(cell.source, label)
    return findings


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
