"""Hints for every graded function, opened one level at a time, and counted.

A lesson's hints are written in ``source/<lesson>/hints.toml``, two or three
levels per graded answer cell (a nudge, the method, the tricky line)::

    [standardize]
    hints = ["What must hold for every column after scaling?", "...", "..."]

``course hints LESSON`` turns them into a locked cell right after the setup
cell, ``grade_id="hints"``, which defines ``hint(name)``: each call shows the
next level as plain text (the cell needs only the standard library, so it
runs alike in JupyterLab, Colab, VS Code or a plain script) and notes it in
``hints_opened.json`` beside the notebook, which ``course progress`` counts.
The texts are base64-encoded in that cell only so that they stay out of sight
until asked for; they are no secret.
"""

from __future__ import annotations

import argparse
import base64
import json
import tomllib
from pathlib import Path

import nbformat
from nbformat import NotebookNode
from rich.console import Console

from .cells import grade_id_of, is_answer_code
from .context import Course
from .layout import CourseError, notebooks

HINTS_FILE = "hints.toml"
HINTS_CELL = "hints"
OPENED_FILE = "hints_opened.json"
MIN_LEVELS, MAX_LEVELS = 2, 3

_CELL = """\
# Stuck? hint("{example}") shows a first hint for that function; call it again for the next.
# The hints are encoded only to stay out of sight until you ask. Each one you open is noted
# in {opened} beside this notebook, and `python -m course progress` counts them.
import base64 as _base64
import json as _json
from pathlib import Path as _Path

_HINTS = _json.loads(_base64.b64decode("{encoded}").decode("utf-8"))


def hint(name):
    levels = _HINTS.get(name)
    if levels is None:
        print(f"no hints for {{name!r}}; there are hints for: {{', '.join(_HINTS)}}")
        return
    record = _Path("{opened}")
    try:
        opened = _json.loads(record.read_text())
    except (OSError, ValueError):
        opened = {{}}
    lesson = opened.setdefault("{lesson}", {{}})
    level = min(lesson.get(name, 0) + 1, len(levels))
    lesson[name] = level
    try:
        record.write_text(_json.dumps(opened, indent=1))
    except OSError:
        pass  # a read-only folder loses the count, not the hint
    print(f"Hint {{level}} of {{len(levels)}} for {{name}}: {{levels[level - 1]}}")"""


def graded_answers(notebook: NotebookNode) -> list[str]:
    """Grade ids of the notebook's graded code answers (the functions a learner writes)."""
    return [grade_id_of(cell) or "" for cell in notebook.cells if is_answer_code(cell)]


def load_hints(folder: Path) -> dict[str, list[str]]:
    """``hints.toml`` of a lesson's source folder; empty when there is none."""
    path = folder / HINTS_FILE
    if not path.is_file():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise CourseError(f"{path}: {error}") from None
    return {
        name: [str(text) for text in entry.get("hints", [])] for name, entry in raw.items() if isinstance(entry, dict)
    }


def hint_problems(notebook: NotebookNode, hints: dict[str, list[str]]) -> list[str]:
    """Graded answers without two or three hints, and hints for answers that do not exist."""
    answers = graded_answers(notebook)
    problems = [
        f"{name}: {len(hints.get(name, []))} hint(s), wanted {MIN_LEVELS} to {MAX_LEVELS}"
        for name in answers
        if not MIN_LEVELS <= len(hints.get(name, [])) <= MAX_LEVELS
    ]
    problems += [
        f"{name}: hints for an answer cell the notebook does not have" for name in hints if name not in answers
    ]
    return problems


def hints_cell_source(lesson: str, hints: dict[str, list[str]]) -> str:
    encoded = base64.b64encode(json.dumps(hints, ensure_ascii=False).encode("utf-8")).decode("ascii")
    return _CELL.format(example=next(iter(hints), ""), opened=OPENED_FILE, encoded=encoded, lesson=lesson)


def with_hints_cell(notebook: NotebookNode, lesson: str, hints: dict[str, list[str]]) -> NotebookNode:
    """``notebook`` with its hints cell written (replaced, or put right after the setup cell)."""
    cell = nbformat.v4.new_code_cell(hints_cell_source(lesson, hints))
    cell.metadata["nbgrader"] = {
        "grade": False,
        "grade_id": HINTS_CELL,
        "locked": True,
        "schema_version": 3,
        "solution": False,
        "task": False,
    }
    ids = [grade_id_of(existing) for existing in notebook.cells]
    if HINTS_CELL in ids:
        notebook.cells[ids.index(HINTS_CELL)] = cell
    else:
        notebook.cells.insert(ids.index("setup") + 1 if "setup" in ids else 0, cell)
    return notebook


def hints_cell(notebook: NotebookNode) -> str | None:
    """The source of the notebook's hints cell, if it has one."""
    return next((cell.source for cell in notebook.cells if grade_id_of(cell) == HINTS_CELL), None)


def write_hints(root: Path, lesson: str) -> Path:
    """Write ``source/<lesson>``'s hints cell from its ``hints.toml``; raise when a hint is missing."""
    folder = root / "source" / lesson
    hints = load_hints(folder)
    [path] = notebooks(root, "source", lesson)[:1]
    notebook = nbformat.read(path, as_version=4)
    problems = hint_problems(notebook, hints)
    if problems:
        raise CourseError(f"{folder / HINTS_FILE}: " + "; ".join(problems))
    nbformat.write(with_hints_cell(notebook, lesson, hints), path)
    return path


def opened_hints(folder: Path, lesson: str) -> int:
    """How many hint levels the learner opened in ``lesson``, from the record beside the notebook."""
    try:
        opened = json.loads((folder / OPENED_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return 0
    levels = opened.get(lesson) if isinstance(opened, dict) else None
    return sum(level for level in levels.values() if isinstance(level, int)) if isinstance(levels, dict) else 0


def _command(args: argparse.Namespace, console: Console, course: Course) -> int:
    root = course.root
    for lesson in args.lessons:
        console.print(
            f"wrote the hints cell of {write_hints(root, course.require_lesson(lesson)).relative_to(root)}"
            f"; run `course build {lesson}` to release it",
            highlight=False,
        )
    return 0


def register(commands: argparse._SubParsersAction) -> None:
    """Add ``hints`` to the course CLI's sub-commands."""
    command = commands.add_parser("hints", help="write a lesson's hints cell from source/<lesson>/hints.toml")
    command.add_argument("lessons", nargs="+")
    command.set_defaults(run=_command)
