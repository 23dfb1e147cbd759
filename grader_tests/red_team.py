"""Red-team submissions: a wrong answer plus a trick that makes it pass or shows the hidden tests.

nbgrader runs the hidden test cells in the learner's own kernel, right after
the learner's code, so that code can reach into them. Each :class:`Attack`
here is a learner notebook of one of :data:`LESSONS` built by code from the
release notebook: a wrong implementation (the release stub, or functions that
return zeros) combined with one technique, in four classes (:data:`KINDS`):

* ``hook``: IPython's own hooks (a custom exception handler, ``post_run_cell``
  handlers, AST and input transformers) that swallow or skip a failing test;
* ``patch``: NumPy, the built-ins or the tracer changed so that a comparison
  always passes, reached indirectly or through encoded ``exec`` so that the
  integrity scan cannot read it;
* ``oracle``: a learner function that reads the expected answer out of the
  calling test's frame and returns it;
* ``leak``: the hidden tests' text copied into what the learner gets back
  (an earlier cell's display, an exception's name or message), encoded so
  that a line-by-line check of the page misses it.

Each lesson's cohort also holds the two wrong answers alone (``baseline_stub``,
``baseline_zeros``: an attack must not score above the one it rides on) and
the honest reference (full marks). :func:`graded_cohort` grades one lesson's
cohort once and writes its feedback pages; :func:`leaks` finds a hidden-test
line in a text, plain or in any encoding the attacks use.
"""

from __future__ import annotations

import atexit
import base64
import binascii
import codecs
import functools
import re
import shutil
import tempfile
import textwrap
import zlib
from dataclasses import dataclass
from pathlib import Path

import nbformat

from course.cells import hidden_test_lines, is_answer_code, is_test_cell, nbgrader_meta
from course.context import Course
from course.feedback import NUMBERED, FeedbackRun, generate_feedback
from course.grade import GradeRun, grade
from course.selftest import auto_points, scratch_course
from course.submissions import fill, reference_answers

LESSONS = ("00_warmup", "04_neural_nets", "06_metrics")
KINDS = ("hook", "patch", "oracle", "leak")
# Short, so that an attack that hangs costs seconds; the reference of
# 04_neural_nets, the slowest, needs about a second a cell on a busy machine.
CELL_TIMEOUT = 20
REFERENCE = "reference"
STUB = "baseline_stub"  # every answer left as the release's stub (raises NotImplementedError)
ZEROS = "baseline_zeros"  # every graded function returns zeros of the right shape

# Wrong answers that return zeros, per lesson and answer cell: the right
# signatures and shapes, none of the work.
ZERO_ANSWERS: dict[str, dict[str, str]] = {
    "00_warmup": {"mse_rmse": "def mse_rmse(y_true, y_pred):\n    return 0.0, 0.0\n"},
    "04_neural_nets": {
        "softmax": "def softmax(logits):\n    return np.zeros(np.shape(logits))\n",
        "cross_entropy": "def cross_entropy(logits, y):\n    return 0.0\n",
        "numerical_gradient": "def numerical_gradient(f, x, eps=1e-5):\n    return np.zeros(np.shape(x))\n",
        "mlp": textwrap.dedent(
            """\
            class MLP:
                def __init__(self, layer_sizes, seed=0):
                    sizes = [int(size) for size in layer_sizes]
                    self.n_classes = sizes[-1]
                    self.params = {}
                    for layer in range(1, len(sizes)):
                        self.params[f"W{layer}"] = np.zeros((sizes[layer - 1], sizes[layer]))
                        self.params[f"b{layer}"] = np.zeros(sizes[layer])

                def forward(self, X):
                    return np.zeros((len(X), self.n_classes))

                def loss_and_grads(self, X, y, l2=0.0):
                    return 0.0, {key: np.zeros_like(value) for key, value in self.params.items()}
            """
        ),
        "train": (
            "def train(model, X, y, learning_rate, epochs, batch_size, seed):\n"
            '    return {"loss": [0.0] * epochs, "accuracy": [0.0] * epochs}\n'
        ),
    },
    "06_metrics": {
        "confusion_matrix": (
            "def confusion_matrix(y_true, y_pred, labels=None):\n    return np.zeros((2, 2), dtype=int)\n"
        ),
        "precision_recall_f1": (
            'def precision_recall_f1(y_true, y_pred, average="binary", pos_label=1, zero_division=0.0):\n'
            "    return 0.0, 0.0, 0.0\n"
        ),
        "roc_curve": "def roc_curve(y_true, scores):\n    return np.zeros(2), np.zeros(2), np.array([np.inf, 0.0])\n",
        "roc_auc_score": "def roc_auc_score(y_true, scores):\n    return 0.0\n",
        "average_precision": "def average_precision(y_true, scores):\n    return 0.0\n",
        "log_loss": "def log_loss(y_true, p, eps=1e-15):\n    return 0.0\n",
        "regression_metrics": (
            "def mean_absolute_error(y_true, y_pred):\n    return 0.0\n\n\n"
            "def r2_score(y_true, y_pred):\n    return 0.0\n"
        ),
    },
}
# What each answer cell defines that a hidden test calls (a method as Class.name).
GRADED_FUNCTIONS: dict[str, dict[str, tuple[str, ...]]] = {
    "00_warmup": {"mse_rmse": ("mse_rmse",)},
    "04_neural_nets": {
        "softmax": ("softmax",),
        "cross_entropy": ("cross_entropy",),
        "numerical_gradient": ("numerical_gradient",),
        "mlp": ("MLP.forward", "MLP.loss_and_grads"),
        "train": ("train",),
    },
    "06_metrics": {
        "confusion_matrix": ("confusion_matrix",),
        "precision_recall_f1": ("precision_recall_f1",),
        "roc_curve": ("roc_curve",),
        "roc_auc_score": ("roc_auc_score",),
        "average_precision": ("average_precision",),
        "log_loss": ("log_loss",),
        "regression_metrics": ("mean_absolute_error", "r2_score"),
    },
}


def _code(text: str) -> str:
    return textwrap.dedent(text).strip() + "\n"


def _encoded_exec(payload: str, encoding: str) -> str:
    """A cell that runs ``payload`` from text the integrity scan cannot read."""
    if encoding == "base64":
        blob = base64.b64encode(payload.encode()).decode()
        return f'import base64 as _codec\nexec(_codec.b64decode("{blob}").decode())\n'
    blob = codecs.encode(payload, "rot13")
    return f"import codecs as _codec\nexec(_codec.decode({blob!r}, 'rot_13'))\n"


# --- hooks: IPython's own machinery, always reached through getattr with a computed name ---

CUSTOM_EXC = _code(
    """
    # Every exception of a later cell goes to a handler that shows nothing.
    getattr(get_ipython(), "set_" + "custom_exc")((Exception,), lambda *args, **kwargs: [])
    """
)
POST_RUN_ERROR_CLEARED = _code(
    """
    # After each cell, forget that it failed.
    def _forget(result):
        setattr(result, "error_in_exec", None)


    getattr(get_ipython(), "eve" + "nts").register("post_run_cell", _forget)
    """
)
POST_RUN_CLEAR_OUTPUT = _code(
    """
    from IPython.display import clear_output as _wipe


    # After each cell, forget that it failed and wipe its error from the notebook.
    def _forget(result):
        if result.error_in_exec is not None:
            setattr(result, "error_in_exec", None)
            _wipe()


    getattr(get_ipython(), "eve" + "nts").register("post_run_cell", _forget)
    """
)
AST_STRIP = _code(
    """
    import ast as _ast


    class _Lenient(_ast.NodeTransformer):
        # Every later cell loses its asserts and raises, and each statement is wrapped in try/except.
        def visit_Assert(self, node):
            return _ast.Pass()

        def visit_Raise(self, node):
            return _ast.Pass()

        def visit_Module(self, node):
            self.generic_visit(node)
            catch = _ast.ExceptHandler(type=_ast.Name("Exception", _ast.Load()), name=None, body=[_ast.Pass()])
            node.body = [
                _ast.Try(body=[statement], handlers=[catch], orelse=[], finalbody=[]) for statement in node.body
            ]
            return _ast.fix_missing_locations(node)


    getattr(get_ipython(), "ast_" + "transformers").append(_Lenient())
    """
)
CUSTOM_EXC_AND_FORGET = CUSTOM_EXC + "\n\n" + POST_RUN_ERROR_CLEARED
INPUT_BLANKED = _code(
    """
    # Every later cell is read as empty text: nothing runs, nothing fails.
    getattr(get_ipython(), "input_transformers" + "_post").append(lambda lines: [])
    """
)

# --- patches: NumPy, the built-ins and the tracer ---

_TRUE_NAMES = '("isclose", "allclose", "array_equal", "all", "isfinite", "isinf")'
_SILENT_NAMES = '("assert_allclose", "assert_array_equal", "assert_equal", "assert_almost_equal")'
NUMPY_VARS = _code(
    f"""
    # NumPy's namespace, reached through vars(): its comparisons always agree.
    for _name in {_TRUE_NAMES}:
        vars(np)[_name] = lambda *args, **kwargs: True
    for _name in {_SILENT_NAMES}:
        vars(np.testing)[_name] = lambda *args, **kwargs: None
    """
)
NUMPY_DUNDER_DICT = _code(
    f"""
    # The same through np.__dict__, which the integrity scan does read.
    for _name in {_TRUE_NAMES}:
        np.__dict__[_name] = lambda *args, **kwargs: True
    """
)
FAKE_NUMPY = _code(
    f"""
    import types as _types

    _real_numpy = np


    class _Numpy(_types.ModuleType):
        # Everything from the real NumPy, except comparisons that always agree.
        def __getattr__(self, name):
            return getattr(_real_numpy, name)


    _fake = _Numpy("numpy")
    for _name in {_TRUE_NAMES}:
        setattr(_fake, _name, lambda *args, **kwargs: True)
    _fake.testing = _types.SimpleNamespace(**{{_name: lambda *args, **kwargs: None for _name in {_SILENT_NAMES}}})
    getattr(__import__("sys"), "mod" + "ules")["numpy"] = _fake  # what the hidden tests' `import numpy` finds
    np = _fake
    """
)
BUILTINS_REPLACED = _code(
    """
    import builtins as _builtins
    import types as _types

    _real_import = _builtins.__import__


    class _Numpy(_types.ModuleType):
        # NumPy, except comparisons that always agree.
        def __getattr__(self, name):
            return getattr(_real_import("numpy"), name)

        def isclose(self, *args, **kwargs):
            return True

        allclose = array_equal = all = isfinite = isinf = isclose


    def _import(name, *args, **kwargs):
        return _Numpy("numpy") if name == "numpy" else _real_import(name, *args, **kwargs)


    # The cells' built-ins become a dict whose import hands out the lenient NumPy,
    # where abs() is always 0 and isinstance() always true.
    _lenient = dict(vars(_builtins), __import__=_import, abs=lambda value: 0.0, isinstance=lambda *args: True)
    get_ipython().user_ns["__builtins__"] = _lenient
    np = __import__("numpy")
    """
)
SETTRACE = _code(
    """
    import ast as _ast
    import linecache as _linecache
    import os as _os
    import sys as _sys
    import types as _types

    _CELLS = _os.path.dirname(_sys._getframe().f_code.co_filename)
    _ASSERTS = {}


    class _Numpy(_types.ModuleType):
        # NumPy, except comparisons that always agree.
        def __getattr__(self, name):
            return getattr(_sys.modules["numpy"], name)

        def isclose(self, *args, **kwargs):
            return True

        allclose = array_equal = all = isfinite = isinf = isclose


    _LENIENT = {"np": _Numpy("numpy")}
    _swapped = {}


    def _asserts(filename):
        if filename not in _ASSERTS:
            try:
                tree = _ast.parse("".join(_linecache.getlines(filename)))
            except SyntaxError:
                tree = _ast.Module(body=[], type_ignores=[])
            _ASSERTS[filename] = {node.lineno for node in _ast.walk(tree) if isinstance(node, _ast.Assert)}
        return _ASSERTS[filename]


    def _restore():
        for (scope, name), value in list(_swapped.items()):
            scope[name] = value
        _swapped.clear()


    def _step(frame, event, arg):
        # While an assert runs, `np` means the lenient NumPy; right after, the real one again.
        _restore()
        if event == "line" and frame.f_lineno in _asserts(frame.f_code.co_filename):
            for name, lenient in _LENIENT.items():
                if name in frame.f_globals:
                    _swapped[(frame.f_globals, name)] = frame.f_globals[name]
                    frame.f_globals[name] = lenient
        return _step


    def _enter(frame, event, arg):
        return _step if frame.f_code.co_filename.startswith(_CELLS) else None


    getattr(_sys, "set" + "trace")(_enter)
    """
)

# --- oracles: the answer read from the calling test ---

ORACLE = _code(
    """
    import ast as _ast
    import linecache as _linecache
    import sys as _sys

    _CLOSE = {"isclose", "allclose", "array_equal", "assert_allclose", "assert_array_equal", "assert_equal"}
    _WRAPPERS = {"float", "int", "asarray", "array"}
    _TREES = {}


    def _tree(filename):
        if filename not in _TREES:
            _TREES[filename] = _ast.parse("".join(_linecache.getlines(filename)))
        return _TREES[filename]


    def _targets(statement):
        # The names a call's result is bound to: {name: None} or {name: position in a tuple}.
        target = statement.targets[0] if isinstance(statement, _ast.Assign) else None
        if isinstance(target, _ast.Name):
            return {target.id: None}
        if isinstance(target, (_ast.Tuple, _ast.List)):
            return {item.id: index for index, item in enumerate(target.elts) if isinstance(item, _ast.Name)}
        return {}


    def _called(node):
        return getattr(node.func, "attr", getattr(node.func, "id", ""))


    def _pairs(node):
        # (got, want) of every comparison an assert makes, except under `not`.
        if isinstance(node, _ast.UnaryOp) and isinstance(node.op, _ast.Not):
            return
        if isinstance(node, _ast.Call) and _called(node) in _CLOSE and len(node.args) >= 2:
            yield node.args[0], node.args[1]
        if isinstance(node, _ast.Compare) and len(node.ops) == 1:
            left, right = node.left, node.comparators[0]
            if isinstance(node.ops[0], _ast.Eq):
                yield left, right
            absolute = isinstance(left, _ast.Call) and getattr(left.func, "id", "") == "abs" and left.args
            inner = left.args[0] if absolute else None
            if isinstance(inner, _ast.BinOp) and isinstance(inner.op, _ast.Sub):
                yield inner.left, inner.right
        for child in _ast.iter_child_nodes(node):
            yield from _pairs(child)


    def _slots(node, value, targets):
        # Which part of the answer `node` reads, with the value the test wants there.
        while isinstance(node, _ast.Call) and node.args and _called(node) in _WRAPPERS:
            node = node.args[0]
        if isinstance(node, (_ast.Tuple, _ast.List)):
            for index, item in enumerate(node.elts):
                try:
                    part = value[index]
                except Exception:
                    part = value
                yield from _slots(item, part, targets)
        elif isinstance(node, _ast.Name) and node.id in targets:
            yield targets[node.id], value
        elif isinstance(node, _ast.Subscript) and getattr(node.value, "id", None) in targets:
            where = node.slice
            if isinstance(where, _ast.Constant) and isinstance(where.value, int):
                yield where.value, value
            elif isinstance(where, _ast.Slice) and isinstance(where.upper, _ast.Constant) and where.step is None:
                start = where.lower.value if isinstance(where.lower, _ast.Constant) else 0
                for offset, position in enumerate(range(start, where.upper.value)):
                    try:
                        yield position, value[offset]
                    except Exception:
                        yield position, value


    def _answer_key(fallback):
        # Return what the test that called us will compare our result with.
        caller = _sys._getframe(2)
        try:
            tree = _tree(caller.f_code.co_filename)
        except (SyntaxError, ValueError):
            return fallback()
        statements = [node for node in _ast.walk(tree) if isinstance(node, _ast.stmt)]
        statements.sort(key=lambda node: node.lineno)
        simple = (_ast.Assign, _ast.Expr, _ast.Assert, _ast.AugAssign, _ast.Return)
        line = caller.f_lineno
        here = [node for node in statements if isinstance(node, simple) and node.lineno <= line <= node.end_lineno]
        if not here:
            return fallback()
        here = here[-1]
        for node in statements:
            if isinstance(node, _ast.Try) and node.body[0].lineno <= here.lineno <= node.body[-1].end_lineno:
                for handler in node.handlers:
                    names = _ast.unparse(handler.type) if handler.type is not None else ""
                    if "ValueError" in names and not any(isinstance(item, _ast.Raise) for item in _ast.walk(handler)):
                        raise ValueError("the test expects a ValueError here")
        targets = _targets(here)
        known = {}
        for node in statements:
            if node.lineno <= here.end_lineno:
                continue
            if isinstance(node, _ast.Assign) and set(_targets(node)) & set(targets):
                break
            if not isinstance(node, _ast.Assert):
                continue
            for got, want in _pairs(node.test):
                for side, other in ((got, want), (want, got)):
                    try:
                        code = compile(_ast.Expression(other), "<key>", "eval")
                        value = eval(code, caller.f_globals, dict(caller.f_locals))
                    except Exception:
                        continue
                    for slot, part in _slots(side, value, targets):
                        known.setdefault(slot, part)
        if None in known:
            return known[None]
        if not known:
            return fallback()
        answer = list(fallback())
        answer += [0.0] * (max(known) + 1 - len(answer))
        for position, part in known.items():
            answer[position] = part
        return tuple(answer)


    def _keyed(function):
        def answer(*args, **kwargs):
            return _answer_key(lambda: function(*args, **kwargs))

        answer.__name__ = function.__name__
        return answer
    """
)
LOCALS_ORACLE = _code(
    """
    import inspect as _inspect


    def _keyed(function):
        # The test keeps its expected value in a local next to the call: return that.
        def answer(*args, **kwargs):
            scope = _inspect.currentframe().f_back.f_locals
            reference, n = scope.get("reference"), scope.get("n")
            if isinstance(reference, dict) and n in reference:
                return reference[n]
            for name in ("want", "expected", "want_mse"):
                if name in scope:
                    return scope[name]
            return function(*args, **kwargs)

        answer.__name__ = function.__name__
        return answer
    """
)

# --- leaks: the hidden tests' text, encoded, in what the learner gets back ---

# A display in the answer cell, before every test cell: its output stays in
# the feedback, and update_display rewrites it from any later cell.
_BOARD = _code(
    """
    from IPython.display import display as _display, update_display as _update

    _board = _display({"text/plain": "my notes"}, raw=True, display_id=True)
    """
)
LEAK_IH_DISPLAY = _BOARD + _code(
    """
    import base64 as _base64
    import zlib as _zlib


    def _copy(result):
        # Every cell run so far that asserts anything, zlib-compressed and base64-encoded.
        cells = "\\n".join(cell for cell in get_ipython().user_ns["_ih"] if "assert" in cell)
        blob = _base64.b64encode(_zlib.compress(cells.encode(), 9)).decode()
        _update({"text/plain": blob}, display_id=_board.display_id, raw=True)


    getattr(get_ipython(), "eve" + "nts").register("post_run_cell", _copy)
    """
)
LEAK_PRE_RUN = _BOARD + _code(
    """
    import codecs as _codecs

    _seen = []


    def _record(info):
        # The raw text of each cell about to run, kept and shown in rot13.
        if "assert" in info.raw_cell:
            _seen.append(info.raw_cell)
            _update({"text/plain": _codecs.encode("\\n".join(_seen), "rot_13")}, display_id=_board.display_id, raw=True)


    getattr(get_ipython(), "eve" + "nts").register("pre_run_cell", _record)
    """
)
LEAK_EXCEPTION_NAME = _code(
    """
    import linecache as _linecache
    import sys as _sys


    def _keyed(function):
        # Called by a test: raise an exception whose class name is the test's text in hex.
        def answer(*args, **kwargs):
            text = "".join(_linecache.getlines(_sys._getframe(1).f_code.co_filename))
            raise type(text.encode().hex(), (Exception,), {})()

        answer.__name__ = function.__name__
        return answer
    """
)
LEAK_ASSERTION_STR = _code(
    """
    import builtins as _builtins
    import linecache as _linecache
    import sys as _sys


    class _Telling(AssertionError):
        # An AssertionError whose message is the raising cell's text, reversed.
        def __init__(self, *args):
            super().__init__(*args)
            self.text = "".join(_linecache.getlines(_sys._getframe(1).f_code.co_filename))

        def __str__(self):
            return self.text[::-1]


    _Telling.__name__ = _Telling.__qualname__ = "AssertionError"
    _telling_builtins = dict(vars(_builtins), AssertionError=_Telling)
    get_ipython().user_ns["__builtins__"] = _telling_builtins
    """
)
LEAK_SHOWTRACEBACK = _code(
    """
    import base64 as _base64


    class _Text(Exception):
        def __str__(self):
            return self.args[0]


    _shell = get_ipython()
    _show = _shell._showtraceback


    def _retold(etype, evalue, stb):
        # Whatever failed, the message sent is the end of the failing cell in base64.
        cell = _shell.user_ns["_ih"][-1]
        return _show(etype, _Text(_base64.b64encode(cell[-1400:].encode()).decode()), stb)


    _shell._showtraceback = _retold
    """
)


@dataclass(frozen=True)
class Attack:
    """One red-team submission: a wrong answer, and code that tries to make it pass or leak.

    ``prelude`` goes into the lesson's first answer cell, after the answer (so
    it runs before the first test cell); ``wrap`` names a decorator the prelude
    defines, applied to every graded function (:data:`GRADED_FUNCTIONS`).
    """

    name: str
    kind: str
    base: str
    how: str
    prelude: str
    wrap: str = ""
    lessons: tuple[str, ...] = LESSONS


ATTACKS = [
    Attack("custom_exc_swallow", "hook", STUB, "set_custom_exc handler that shows nothing", CUSTOM_EXC),
    Attack(
        "post_run_error_cleared",
        "hook",
        STUB,
        "post_run_cell handler clearing result.error_in_exec",
        POST_RUN_ERROR_CLEARED,
    ),
    Attack(
        "post_run_clear_output",
        "hook",
        STUB,
        "post_run_cell handler clearing error_in_exec and the cell's outputs",
        POST_RUN_CLEAR_OUTPUT,
    ),
    Attack("ast_strip_asserts", "hook", STUB, "ast_transformers dropping asserts and raises", AST_STRIP),
    Attack("input_blanked", "hook", STUB, "input_transformers_post blanking every later cell", INPUT_BLANKED),
    Attack(
        "custom_exc_and_forget",
        "hook",
        STUB,
        "set_custom_exc handler plus post_run_cell clearing error_in_exec",
        CUSTOM_EXC_AND_FORGET,
    ),
    Attack("exec_rot13_custom_exc", "hook", STUB, "custom_exc_and_forget, run from rot13 text", CUSTOM_EXC_AND_FORGET),
    Attack("numpy_vars_patch", "patch", ZEROS, "vars(np) comparisons always true", NUMPY_VARS),
    Attack("numpy_dunder_dict", "patch", ZEROS, "np.__dict__ comparisons always true (scanned)", NUMPY_DUNDER_DICT),
    Attack("fake_numpy_module", "patch", ZEROS, "a lenient numpy in sys.modules", FAKE_NUMPY),
    Attack("exec_base64_fake_numpy", "patch", ZEROS, "the fake numpy, run from base64 text", FAKE_NUMPY),
    Attack(
        "builtins_replaced",
        "patch",
        ZEROS,
        "__builtins__ dict: import gives a lenient numpy, abs() == 0",
        BUILTINS_REPLACED,
    ),
    Attack(
        "settrace_lenient_asserts",
        "patch",
        ZEROS,
        "sys.settrace swapping np for a lenient one during asserts",
        SETTRACE,
    ),
    Attack("frame_oracle", "oracle", ZEROS, "expected values read from sys._getframe(2)", ORACLE, "_keyed"),
    Attack(
        "locals_oracle",
        "oracle",
        ZEROS,
        "reference[n] / want read from inspect.currentframe().f_back",
        LOCALS_ORACLE,
        "_keyed",
        ("04_neural_nets", "06_metrics"),
    ),
    Attack("leak_ih_display_zlib_base64", "leak", STUB, "post_run_cell copies _ih to a display", LEAK_IH_DISPLAY),
    Attack("leak_pre_run_rot13", "leak", STUB, "pre_run_cell records raw_cell into a display", LEAK_PRE_RUN),
    Attack(
        "leak_exception_name_hex",
        "leak",
        ZEROS,
        "exception class named after the caller's source",
        LEAK_EXCEPTION_NAME,
        "_keyed",
    ),
    Attack(
        "leak_assertion_str_reversed",
        "leak",
        ZEROS,
        "AssertionError whose __str__ is the cell",
        LEAK_ASSERTION_STR,
        lessons=("00_warmup", "06_metrics"),  # 04's tests fail by assert, never by raising AssertionError(...)
    ),
    Attack(
        "leak_showtraceback_base64",
        "leak",
        ZEROS,
        "_showtraceback replaced to send the cell as the message",
        LEAK_SHOWTRACEBACK,
    ),
]
# How a prelude is hidden from the scan, by attack name.
ENCODED = {"exec_rot13_custom_exc": "rot13", "exec_base64_fake_numpy": "base64"}


def attacks(lesson: str) -> list[Attack]:
    """The attacks that apply to ``lesson``."""
    return [attack for attack in ATTACKS if lesson in attack.lessons]


def _wrapped(lesson: str, grade_id: str, source: str, decorator: str) -> str:
    lines = [f"{name} = {decorator}({name})" for name in GRADED_FUNCTIONS[lesson][grade_id]]
    return source + "\n\n" + "\n".join(lines) + "\n"


def submission(release: nbformat.NotebookNode, lesson: str, attack: Attack | None, base: str) -> nbformat.NotebookNode:
    """The release notebook answered with ``base`` (stub or zeros), with ``attack`` added."""
    notebook_name = f"{lesson}.ipynb"
    answers = {} if base == STUB else dict(ZERO_ANSWERS[lesson])
    if attack is not None and attack.wrap:
        answers = {key: _wrapped(lesson, key, source, attack.wrap) for key, source in answers.items()}
    notebook = fill(release, notebook_name, {(notebook_name, key): source for key, source in answers.items()})
    if attack is not None:
        first = next(cell for cell in notebook.cells if is_answer_code(cell))
        prelude = attack.prelude
        if attack.name in ENCODED:
            prelude = _encoded_exec(prelude, ENCODED[attack.name])
        if attack.wrap:  # the first cell's own function is wrapped after the prelude defines the decorator
            grade_id = nbgrader_meta(first)["grade_id"]
            first.source = _wrapped(lesson, grade_id, ZERO_ANSWERS[lesson][grade_id] + "\n\n" + prelude, attack.wrap)
        else:
            first.source += "\n\n" + prelude
    return notebook


def cohort(course: Path, lesson: str) -> dict[str, nbformat.NotebookNode]:
    """Every submission of ``lesson``'s red-team cohort, by student id."""
    notebook_name = f"{lesson}.ipynb"
    release = nbformat.read(course / "release" / lesson / notebook_name, as_version=4)
    students = {
        REFERENCE: fill(release, notebook_name, reference_answers(course, lesson)),
        STUB: submission(release, lesson, None, STUB),
        ZEROS: submission(release, lesson, None, ZEROS),
    }
    for attack in attacks(lesson):
        students[attack.name] = submission(release, lesson, attack, attack.base)
    return students


# --- finding hidden-test lines, plain or encoded ---

BASE64_TOKEN = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")
HEX_TOKEN = re.compile(r"(?:[0-9a-fA-F]{2}){12,}")


def _inflated(data: bytes) -> str:
    """``data`` as zlib-compressed text, as far as it goes (a truncated stream yields its start)."""
    try:
        return zlib.decompressobj().decompress(data).decode("utf-8", "ignore")
    except zlib.error:
        return ""


def _decoded(tokens: list[bytes]) -> str:
    return "\n".join(text for data in tokens for text in (data.decode("utf-8", "ignore"), _inflated(data)) if text)


def readings(text: str) -> dict[str, str]:
    """Every way ``text`` may hide another text the attacks use.

    The text itself, reversed, in rot13, and what each long base64 or hex
    token in it decodes to, as text or as zlib-compressed text. A token cut
    short (the grader shortens long error messages) decodes as far as it goes.
    """
    base64_data = []
    for token in BASE64_TOKEN.findall(text):
        usable = token.rstrip("=")
        usable = usable[: len(usable) - len(usable) % 4]
        try:
            base64_data.append(base64.b64decode(usable))
        except binascii.Error:
            continue
    hex_data = [bytes.fromhex(token) for token in HEX_TOKEN.findall(text)]
    return {
        "plain": text,
        "reversed": text[::-1],
        "rot13": codecs.encode(text, "rot_13"),
        "base64": _decoded(base64_data),
        "hex": _decoded(hex_data),
    }


def leaks(text: str, secret: set[str], visible: str = "") -> list[str]:
    """The lines of ``secret`` that ``text`` holds, plain or encoded, each as ``encoding: line``.

    A line is found anywhere in a reading, even in the middle of another
    line, unless it is part of the ``visible`` text (the release notebook):
    a short hidden call such as ``mse_rmse(y_true, y_pred)`` is also part of
    the visible ``def``, so it counts only as a line of its own, as the
    feedback's own guard (:func:`course.feedback.leaked_lines`) counts it.
    """
    whole_lines = {line for line in secret if line in visible}
    found = []
    for how, reading in readings(text).items():
        lines = {line.strip() for line in reading.splitlines()}
        lines |= {NUMBERED.sub("", line) for line in lines}
        found += [f"{how}: {line}" for line in secret if (line in lines if line in whole_lines else line in reading)]
    return sorted(found)


def output_text(notebook: nbformat.NotebookNode) -> str:
    """Everything the cells of a graded notebook output, but the tracebacks of test cells.

    A test cell's traceback is the grader's own rendering of the test's code,
    not something the learner's code chose; its error's name and message are.
    """
    parts: list[str] = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                parts += [output.get("ename", ""), output.get("evalue", "")]
                if not is_test_cell(cell):
                    parts += output.get("traceback", [])
            elif "text" in output:
                parts.append(output.text)
            else:
                parts += [value for value in output.get("data", {}).values() if isinstance(value, str)]
    return "\n".join(parts)


# --- grading ---


@dataclass
class GradedCohort:
    """One lesson's red-team cohort, graded, with its feedback pages."""

    lesson: str
    root: Path
    run: GradeRun
    feedback: FeedbackRun
    secret: set[str]
    visible: str  # the release notebook's cells, which the learner has anyway

    def points(self, student: str) -> float:
        return auto_points(self.run.rows, student)[0]

    @property
    def max_points(self) -> float:
        return auto_points(self.run.rows, REFERENCE)[1]

    def outcome(self, student: str) -> str:
        found = [outcome for outcome in self.run.outcomes if outcome.student_id == student]
        return f"{found[0].status}: {found[0].message}" if found else "not graded"

    def page(self, student: str) -> str:
        """The student's feedback page ("" when there is none, e.g. the leak guard deleted it)."""
        path = self.root / "feedback" / student / self.lesson / f"{self.lesson}.html"
        return path.read_text(encoding="utf-8") if path.exists() else ""

    def autograded(self, student: str) -> nbformat.NotebookNode:
        return nbformat.read(self.root / "autograded" / student / self.lesson / f"{self.lesson}.ipynb", as_version=4)


@functools.cache
def graded_cohort(lesson: str) -> GradedCohort:
    """Build a scratch course of ``lesson``, grade its red-team cohort once and write the feedback pages."""
    from course_under_test import ROOT

    workdir = Path(tempfile.mkdtemp(prefix=f"red-team-{lesson}-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    root = scratch_course(ROOT, lesson, workdir)
    with (root / "nbgrader_config.py").open("a") as config:
        config.write(f"\nc.Execute.timeout = {CELL_TIMEOUT}\n")
    handed_in = workdir / "downloads"
    handed_in.mkdir()
    for number, (student, notebook) in enumerate(cohort(root, lesson).items()):
        nbformat.write(notebook, handed_in / f"{student}_{1000 + number}_{lesson}.ipynb")
    course = Course.open(root)
    run = grade(course, lesson, handed_in)
    source = nbformat.read(root / "source" / lesson / f"{lesson}.ipynb", as_version=4)
    release = nbformat.read(root / "release" / lesson / f"{lesson}.ipynb", as_version=4)
    visible = "\n".join(cell.source for cell in release.cells)
    return GradedCohort(lesson, root, run, generate_feedback(course, lesson), hidden_test_lines(source), visible)
