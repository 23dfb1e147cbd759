"""Second line of defence against submissions that fake a pass or harm the grader.

The hidden tests are written to resist tampering; this module adds a static
scan of the learner's code, flagged in the report (the kernel's limits are in
:mod:`course.execution`). The scan is a tripwire: see the README's "Grading
that never breaks" for what remains possible.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from IPython.core.inputtransformer2 import TransformerManager
from nbformat import NotebookNode

from .repair import nbgrader_meta

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
