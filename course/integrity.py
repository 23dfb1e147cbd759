"""Second line of defence against submissions that fake a pass or harm the grader.

The hidden tests are written to resist tampering; this module adds a static
scan of the learner's code (the kernel's limits are in :mod:`course.execution`).
A finding comes from what code does, never from a word it prints:

* **strong** findings cost points: a patch of a module the hidden tests use
  (``numpy``, ``math``, ``builtins``), a hook into the kernel (trace and
  profile functions, ``sys.modules``, import hooks, IPython's event, error
  and transformer hooks, a rebound ``__builtins__``), an ``__eq__`` that is
  always true, a banned import, and a file operation (``open``, pathlib,
  ``os.listdir``, ``shutil``, ``np.load``, ``pd.read_*``, a shell command)
  on a literal path that points at the grader's files;
* **weak** findings are notes for the instructor and cost nothing: a string
  naming the grader's files that nothing opens, a path opened outside the
  course, and code the scan cannot read (``exec``/``eval`` of computed text,
  ``getattr`` or ``__import__`` with a computed name).

Paths and code built from pieces at run time are beyond a static scan; the
sandbox (:mod:`course.sandbox`) is what stops them. Locked cells are not
scanned, as nbgrader grades the instructor's version of them;
:func:`edited_locked_cells` reports the ones a learner changed.
"""

from __future__ import annotations

import ast
import enum
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from IPython.core.inputtransformer2 import TransformerManager
from nbformat import NotebookNode

from .cells import grade_id_of, is_locked, is_solution
from .integrity_rules import (
    BANNED_IMPORT_COSTS,
    BANNED_MODULES,
    CODE_RUNNERS,
    DEFAULT_NAMES,
    FILE_CALLS,
    IMPORTERS,
    IPYTHON_HOOKS,
    MAX_NESTING,
    MUTATORS,
    PATH_JOINS,
    PATH_SAME,
    PATH_TYPES,
    PROTECTED_MODULES,
    SHELL_CALLS,
    SYS_HOOKS,
    TRACE_HOOKS,
    UNKNOWN,
    Reach,
    reach,
)


class Strength(enum.Enum):
    """How much a finding weighs in grading."""

    STRONG = "strong"  # points withheld until the instructor clears them
    WEAK = "weak"  # a note for the instructor, no points withheld


@dataclass(frozen=True)
class Finding:
    """One suspicious construct: where it is, why it matters, what it costs.

    ``strength`` says whether it costs points at all; ``costs`` is then the
    rubric category whose autograded points are withheld, or ``None`` for all
    of them (tampering puts every test result in doubt). ``cell`` is empty
    when the reason names its cell itself.
    """

    cell: str
    reason: str
    strength: Strength = Strength.STRONG
    costs: str | None = None

    @property
    def costs_points(self) -> bool:
        return self.strength is Strength.STRONG

    def describe(self) -> str:
        """The finding as one phrase of a report."""
        return f"{self.cell}: {self.reason}" if self.cell else self.reason


def _strong(reason: str, costs: str | None = None) -> Finding:
    return Finding("", reason, Strength.STRONG, costs)


def _weak(reason: str) -> Finding:
    return Finding("", reason, Strength.WEAK)


@dataclass
class _Code:
    """One parsed cell and what the scan knows about its names."""

    tree: ast.Module
    course: str | None
    names: dict[str, str] = field(default_factory=dict)  # name -> the module (or module.attribute) it binds
    bindings: dict[str, ast.AST] = field(default_factory=dict)  # name assigned once -> its value
    path_strings: set[int] = field(default_factory=set)  # ids of strings used as paths of file operations

    def __post_init__(self) -> None:
        self.names = _qualified_names(self.tree)
        self.bindings = _single_assignments(self.tree)

    def nodes(self, *kinds: type) -> Iterator:
        return (node for node in ast.walk(self.tree) if isinstance(node, kinds))

    def dotted(self, node: ast.AST) -> str | None:
        """``np.testing.x`` as ``numpy.testing.x`` (subscripts as ``[]``), or ``None`` for other expressions."""
        if isinstance(node, ast.Name):
            return self.names.get(node.id, node.id)
        if isinstance(node, (ast.Attribute, ast.Subscript)):
            base = self.dotted(node.value)
            return base and (f"{base}.{node.attr}" if isinstance(node, ast.Attribute) else f"{base}[]")
        return None

    def called(self, node: ast.Call) -> str:
        """The dotted name of the function a call calls ("" when it is computed)."""
        return self.dotted(node.func) or ""


def _python(source: str) -> ast.Module | None:
    """The cell as Python (IPython magics translated), or ``None`` if it does not parse."""
    try:
        return ast.parse(TransformerManager().transform_cell(source))
    except (SyntaxError, ValueError):
        return None  # it fails at run time and costs its own points


def _qualified_names(tree: ast.Module) -> dict[str, str]:
    """What each imported name stands for: ``xp`` -> ``numpy``, ``modules`` -> ``sys.modules``."""
    names = dict(DEFAULT_NAMES)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                names[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.update({alias.asname or alias.name: f"{node.module}.{alias.name}" for alias in node.names})
    return names


def _single_assignments(tree: ast.Module) -> dict[str, ast.AST]:
    """Names the cell binds exactly once, by a plain ``name = value``, with that value."""
    counts: Counter[str] = Counter()
    values: dict[str, ast.AST] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = node.value
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            counts[node.id] += 1
    return {name: value for name, value in values.items() if counts[name] == 1}


def _always_true(function: ast.FunctionDef | ast.Lambda) -> bool:
    """Whether every return of ``function`` is a truthy constant."""
    if isinstance(function, ast.Lambda):
        return isinstance(function.body, ast.Constant) and bool(function.body.value)
    returns = [node for node in ast.walk(function) if isinstance(node, ast.Return)]
    return bool(returns) and all(isinstance(node.value, ast.Constant) and bool(node.value.value) for node in returns)


def _docstrings(tree: ast.Module) -> set[int]:
    """Ids of string nodes that are prose (docstrings), not values the code uses."""
    return {
        id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }


def _text(node: ast.AST) -> str | None:
    """The value of a string literal, or ``None``."""
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


# --- paths ---


def _path(code: _Code, node: ast.AST, seen: frozenset[str] = frozenset()) -> str:
    """The path an expression spells out, with :data:`UNKNOWN` for the pieces known only at run time."""
    text = _text(node)
    if text is not None:
        code.path_strings.add(id(node))
        return text
    if isinstance(node, ast.JoinedStr):
        code.path_strings.update(id(piece) for piece in node.values)
        return "".join(_text(piece) or UNKNOWN for piece in node.values)
    if isinstance(node, ast.Name) and node.id in code.bindings and node.id not in seen:
        return _path(code, code.bindings[node.id], seen | {node.id})
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        return _joined([_path(code, node.left, seen), _path(code, node.right, seen)])
    if isinstance(node, ast.Call):
        name = _function_name(node)
        method_of = [node.func.value] if isinstance(node.func, ast.Attribute) else []
        if name in PATH_TYPES or code.called(node) in PATH_JOINS:
            return _joined([_path(code, part, seen) for part in node.args])
        if name == "joinpath":
            return _joined([_path(code, part, seen) for part in method_of + node.args])
        if name in PATH_SAME and (node.args or method_of):
            return _path(code, (node.args or method_of)[0], seen)
    return UNKNOWN


def _function_name(node: ast.Call) -> str:
    """The last name of what a call calls: ``read_text`` in ``Path(p).read_text()``."""
    return node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")


def _joined(parts: list[str]) -> str:
    """Path pieces joined as ``os.path.join`` does: an absolute piece starts again."""
    joined = ""
    for part in parts:
        joined = part if part.startswith("/") or not joined else f"{joined.rstrip('/')}/{part}"
    return joined


def _file_paths(code: _Code, node: ast.Call) -> list[str]:
    """The literal paths a call opens, reads, lists, copies or runs a command on."""
    name = _function_name(node)
    arguments = node.args + [keyword.value for keyword in node.keywords]
    if name in SHELL_CALLS:
        values = [
            element
            for argument in arguments
            for element in (argument.elts if isinstance(argument, (ast.List, ast.Tuple)) else [argument])
        ]
        return [token for value in values for token in _path(code, value).split()]
    if name not in FILE_CALLS and not name.startswith("read_"):
        return []
    paths = [_path(code, argument) for argument in arguments]
    if isinstance(node.func, ast.Attribute):
        receiver = _path(code, node.func.value)  # Path(...).read_text(), Path(...).glob("*")
        paths.append(_joined([receiver, paths[0]]) if name in {"glob", "rglob"} and paths else receiver)
    return paths


def _file_access(code: _Code) -> Iterator[Finding]:
    """One finding per file operation, the strongest its paths deserve."""
    for node in code.nodes(ast.Call):
        paths = {path.replace(UNKNOWN, "..."): reach(path, code.course) for path in _file_paths(code, node)}
        into = [path for path, where in paths.items() if where is Reach.COURSE]
        outside = [path for path, where in paths.items() if where is Reach.ELSEWHERE]
        if into:
            yield _strong(f"reaches for the grader's files: {_function_name(node)}() on {into[0][:80]!r}")
        elif outside:
            yield _weak(f"opens {outside[0][:60]!r}, which names a course folder but is outside the course")


def _grader_words(code: _Code, prose: set[int]) -> Iterator[Finding]:
    """Strings naming the grader's files or mode that no file operation uses."""
    for node in code.nodes(ast.Constant):
        if _text(node) is None or id(node) in prose or id(node) in code.path_strings:
            continue
        if re.fullmatch(r"NBGRADER_\w+", node.value):
            yield _weak(f"names the grader's mode variable {node.value}")
        tokens = [token.strip("\"'()[]{}").rstrip(".,;:!?") for token in node.value.split()]
        named = [token for token in tokens if token and reach(token, code.course) is Reach.COURSE]
        if named:
            yield _weak(f"names the grader's files ({named[0][:60]!r}) without opening them")


# --- patches and hooks ---


def _changed(code: _Code, node: ast.AST) -> list[tuple[str, ast.AST]]:
    """What a statement or call changes, as (dotted name, the code that changes it)."""
    targets: list[ast.expr] = []
    if isinstance(node, (ast.Assign, ast.Delete)):
        targets = list(node.targets)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        targets = [node.target]
    while any(isinstance(target, (ast.Tuple, ast.List)) for target in targets):
        targets = [
            element
            for target in targets
            for element in (target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target])
        ]
    changed: list[tuple[str, ast.AST]] = []
    for target in targets:
        if (
            isinstance(target, ast.Name)
            and target.id == "__builtins__"
            or isinstance(target, ast.Subscript)
            and isinstance(target.value, ast.Call)
            and getattr(target.value.func, "id", "") in {"globals", "vars"}
            and _text(target.slice) == "__builtins__"
        ):
            changed.append(("builtins", target))
        elif isinstance(target, (ast.Attribute, ast.Subscript)):
            changed.append((code.dotted(target) or "", target))
    if not isinstance(node, ast.Call):
        return changed
    called = code.called(node)
    if called in {"setattr", "delattr", "builtins.setattr", "builtins.delattr"} and node.args:
        changed.append((f"{code.dotted(node.args[0])}.?", node))
    elif re.search(r"(^|\.)patch(\.object|\.dict|\.multiple)?$", called) and node.args:  # unittest.mock
        changed.append((_text(node.args[0]) or code.dotted(node.args[0]) or "", node))
    elif isinstance(node.func, ast.Attribute) and node.func.attr in MUTATORS:
        receiver = code.dotted(node.func.value) or ""
        if receiver.endswith(".__dict__") or receiver.startswith("sys."):
            changed.append((receiver + "[]", node))
    return changed


def _patches_and_hooks(code: _Code) -> Iterator[Finding]:
    for node in code.nodes(ast.stmt, ast.Call):
        for dotted, where in _changed(code, node):
            parts = re.split(r"[.\[\]]+", dotted)
            shown = ast.unparse(where)[:60]
            if parts[0] in PROTECTED_MODULES:
                yield _strong(f"changes {shown}, which the hidden tests rely on")
            elif parts[0] == "sys" and len(parts) > 1 and parts[1] in SYS_HOOKS:
                yield _strong(f"changes {shown}, a hook into how the kernel imports modules or shows errors")
    for node in code.nodes(ast.Call):
        if code.called(node) in TRACE_HOOKS:
            yield _strong(f"installs {code.called(node)}, a hook that sees and can change every test")
        if code.called(node) in {"getattr", "setattr"} and len(node.args) > 1 and _text(node.args[1]) in IPYTHON_HOOKS:
            yield _strong(f"uses IPython's {node.args[1].value}, a hook into how the grader runs cells")
    for node in code.nodes(ast.Attribute):
        events = (
            node.attr in {"register", "unregister"}
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "events"
        )
        if node.attr in IPYTHON_HOOKS or events:
            name = f"events.{node.attr}" if events else node.attr
            yield _strong(f"uses IPython's {name}, a hook into how the grader runs cells")
    for node in code.nodes(ast.FunctionDef, ast.Assign):
        if (
            isinstance(node, ast.FunctionDef)
            and node.name == "__eq__"
            and _always_true(node)
            or isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Lambda)
            and _always_true(node.value)
            and any(getattr(target, "id", "") == "__eq__" for target in node.targets)
        ):
            yield _strong("defines an __eq__ that is always true, which would make any comparison pass")


# --- imports and code the scan cannot read ---


def _imported(code: _Code, node: ast.AST) -> list[str | None]:
    """Top-level modules an import statement or call loads (``None``: a computed name)."""
    if isinstance(node, ast.Import):
        return [alias.name.split(".")[0] for alias in node.names]
    if isinstance(node, ast.ImportFrom) and node.level == 0:
        return [(node.module or "").split(".")[0]]
    if isinstance(node, ast.Call) and node.args and code.called(node) in IMPORTERS:
        name = _text(node.args[0])
        return [name.split(".")[0] if name is not None else None]
    return []


def _imports_and_opaque_code(code: _Code, label: str, depth: int) -> Iterator[Finding]:
    for node in ast.walk(code.tree):
        modules = _imported(code, node)
        banned = sorted({module for module in modules if module is not None} & BANNED_MODULES)
        if banned:
            yield _strong(
                f"imports {banned[0]}, which this from-scratch lesson does not allow "
                "(NumPy, pandas and matplotlib only)",
                BANNED_IMPORT_COSTS,
            )
        if None in modules:
            yield _weak(
                f"imports a module whose name is computed ({ast.unparse(node)[:60]}), which the scan cannot check"
            )
        if not isinstance(node, ast.Call) or not node.args:
            continue
        called = code.called(node)
        if called in CODE_RUNNERS or _function_name(node) == "run_cell":
            text = _text(node.args[0])
            if text is not None and depth < MAX_NESTING:
                yield from scan_source(text, label, code.course, depth + 1)
            else:
                yield _weak(f"runs code built at run time ({ast.unparse(node)[:60]}), which the scan cannot read")
        if called not in {"getattr", "builtins.getattr"} or len(node.args) < 2 or _text(node.args[1]) is not None:
            continue
        module = re.split(r"[.\[\]]+", code.dotted(node.args[0]) or "")[0]
        if module in PROTECTED_MODULES | {"sys"}:
            yield _weak(
                f"looks up a computed name on {module} ({ast.unparse(node)[:60]}), which the scan cannot follow"
            )


def scan_source(source: str, label: str = "", course: str | os.PathLike | None = None, depth: int = 0) -> list[Finding]:
    """The findings in one cell of learner code, attributed to ``label``.

    Parameters
    ----------
    source : str
        The cell's text (IPython magics allowed).
    label : str
        Where the cell is, for the report (its grade_id or ``cell N``).
    course : str or path-like, optional
        The course directory: an absolute path into it is the grader's.
    depth : int
        How many literal ``exec`` texts deep this source is.
    """
    tree = _python(source)
    if tree is None:
        return []
    code = _Code(tree, os.fspath(course) if course is not None else None)
    found = [
        *_imports_and_opaque_code(code, label, depth),
        *_patches_and_hooks(code),
        *_file_access(code),
        *_grader_words(code, _docstrings(tree)),
    ]
    return list(dict.fromkeys(replace(finding, cell=label) for finding in found))


def scan_cell(source: str) -> list[str]:
    """Reasons to distrust one cell of learner code, weak or strong (empty when it looks honest)."""
    return [finding.reason for finding in scan_source(source)]


def scan(notebook: NotebookNode, course: str | os.PathLike | None = None) -> list[Finding]:
    """Findings in the learner's code cells (locked cells are the instructor's)."""
    findings: list[Finding] = []
    for index, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type != "code" or is_locked(cell):
            continue
        label = (grade_id_of(cell) if is_solution(cell) else None) or f"cell {index}"
        findings += scan_source(cell.source, label, course)
    return findings


def _squeezed(source: str) -> str:
    return re.sub(r"\s+", "", source)


def edited_locked_cells(notebook: NotebookNode, release: NotebookNode) -> list[Finding]:
    """Locked cells (setup, tests) whose text differs from the release's, whitespace aside.

    nbgrader grades the instructor's version of these cells whatever the
    learner wrote, so an edit costs nothing; it is reported, weak, because
    the instructor may want to know (a cheat in a locked cell has no effect).
    """
    instructor = {grade_id_of(cell): cell.source for cell in release.cells if is_locked(cell) and grade_id_of(cell)}
    edited = [
        name
        for cell in notebook.cells
        if is_locked(cell)
        and (name := grade_id_of(cell)) in instructor
        and _squeezed(cell.source) != _squeezed(instructor[name])
    ]
    return [_weak(f"locked cell {name} was edited; nbgrader graded the instructor's version") for name in edited]
