"""The trusted process: runs the instructor's setup and test cells, never the learner's code.

The grader starts one per notebook (``python -m course.harness.trusted``) and
talks to it in JSON lines on its standard input and output:

* ``{"op": "connect", "info": ...}``: the kernel's connection information;
* ``{"op": "setup", "source": ...}``: a locked setup cell of the instructor's,
  run here as well as in the kernel, so data generators and helpers exist on
  this side; its errors are the kernel's business and are ignored here;
* ``{"op": "test", "source": ..., "seconds": ...}``: a test cell; the answer
  is its record: what it printed, its last expression, and the error that
  failed it, if any.

Before a cell runs, each global name it reads that the instructor's cells did
not define here is looked up in the kernel and bound to the learner's value:
data as data, anything else as a :class:`~course.harness.link.Remote`.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import sys
import time
import traceback
import warnings
from typing import Any

from . import probes
from .link import KernelStopped, Link

ERROR_CHARS = 2000


class TrustedSession:
    """The namespace of the instructor's cells, and the names it borrowed from the kernel."""

    def __init__(self, link: Link) -> None:
        self.link = link
        self.namespace: dict[str, Any] = {"__name__": "__main__", "__builtins__": builtins}
        self.borrowed: dict[str, Any] = {}

    def _borrow(self, tree: ast.Module) -> None:
        """Bind the learner's values for the names this cell reads and the instructor's cells never set."""
        wanted = sorted(
            name
            for name in _read_names(tree)
            if not hasattr(builtins, name)
            and (name not in self.namespace or self.borrowed.get(name, _NOTHING) is self.namespace[name])
        )
        if not wanted:
            return
        for name, value in self.link.lookup(wanted).items():
            if isinstance(name, str) and name.isidentifier():
                self.namespace[name] = self.borrowed[name] = value

    def run(self, source: str, name: str, seconds: float | None) -> dict:
        """Run one cell; its record.

        ``stdout``, ``stderr``, ``result`` (the final expression's text), ``error``
        (name, message), ``origin`` (who raised it: ``test``, ``learner``,
        ``library`` or ``grader``), ``function`` (the learner's, if it raised)
        and ``kernel`` (why the kernel must be restarted, if it must).
        """
        self.link.deadline = time.monotonic() + seconds if seconds else float("inf")
        self.link.stopped = None  # the grader restarted the kernel after the last stop
        record: dict[str, Any] = {
            "stdout": "",
            "stderr": "",
            "result": None,
            "error": None,
            "kernel": None,
            "origin": None,
        }
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            # A test's verdict is its assertions: a warning its own comparisons raise
            # (NaN against NaN, say) must not cost the learner the cell.
            warnings.simplefilter("ignore")
            try:
                tree = ast.parse(_python_source(source), filename=name)
                self._borrow(tree)
                record["result"] = self._execute(tree, name)
            except KernelStopped as stop:
                record.update(error=["KernelStopped", str(stop)], origin="grader")
            except BaseException as error:  # the test's failure is the record, whatever it raised
                kind = getattr(error, "learner_type", None) or type(error).__name__
                record.update(error=[str(kind), _message(error)], **_origin(error, name))
            finally:
                self.link.finish()
        record.update(stdout=out.getvalue(), stderr=err.getvalue(), kernel=self.link.stopped)
        return record

    def _execute(self, tree: ast.Module, name: str) -> str | None:
        """Run the cell as IPython would: the value of a final expression is its result."""
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = ast.Module(body=tree.body[:-1] if last else tree.body, type_ignores=[])
        exec(compile(body, name, "exec"), self.namespace)
        if last is None:
            return None
        value = eval(compile(ast.Expression(last.value), name, "eval"), self.namespace)
        return None if value is None else repr(value)


_NOTHING = object()


def _python_source(source: str) -> str:
    """The cell as plain Python: IPython's magics and shell escapes become calls that fail here."""
    from IPython.core.inputtransformer2 import TransformerManager

    return str(TransformerManager().transform_cell(source))


def _read_names(tree: ast.Module) -> set[str]:
    """Names the cell reads anywhere and never binds itself."""
    read: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (read if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
    return read - bound


def _origin(error: BaseException, cell: str) -> dict[str, str]:
    """Who raised ``error``: the learner's code (and which function), the test's own line, or a library it called."""
    function = getattr(error, "raised_in", None)
    if isinstance(function, str):
        return {"origin": "learner", "function": function}
    frames = traceback.extract_tb(error.__traceback__)
    return {"origin": "test" if frames and frames[-1].filename == cell else "library"}


def _message(error: BaseException) -> str:
    text = str(error)
    if isinstance(error, SyntaxError) or not text:
        text = "".join(traceback.format_exception_only(type(error), error)).strip()
    return text if len(text) <= ERROR_CHARS else text[:ERROR_CHARS] + " ..."


def main() -> None:
    """Serve the grader: one JSON request per line in, one JSON record per line out."""
    # The protocol keeps the real standard output; anything else printing to it
    # (a C library, a stray print) goes to the null device instead.
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - the process's own stdout, for its whole life
    session: TrustedSession | None = None
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "connect":
            session = TrustedSession(Link(request["info"]))
            probes.LINK = session.link
            answer: dict[str, Any] = {"ok": True}
        elif session is None:
            answer = {"error": ["RuntimeError", "not connected to a kernel"]}
        else:
            answer = session.run(request["source"], request.get("name", "<cell>"), request.get("seconds"))
        channel.write(json.dumps(answer) + "\n")


if __name__ == "__main__":
    main()
