"""What a notebook cell is to nbgrader, told the same way everywhere.

nbgrader marks each cell's role in ``metadata.nbgrader``: ``solution`` (the
learner writes it), ``grade`` (it earns points), ``locked`` (restored from the
source when graded), with a ``grade_id``. :mod:`nbgrader.utils` asks these
questions of trusted notebooks; a learner's file may carry a string or a list
where the mapping should be, so every question here first reads the metadata
through :func:`nbgrader_meta`, which turns anything else into ``{}``.

The roles a lesson uses:

* a **graded answer** (:func:`is_answer_code`): a code cell the learner fills in;
* a **test cell** (:func:`is_test_cell`): a code grade cell that is not an answer;
* a **written answer** (:func:`is_written_answer`): a markdown cell that is both.

Inside the source, ``### BEGIN SOLUTION`` and ``### BEGIN HIDDEN TESTS``
regions hold what the release must not show (:data:`REGION`); the lines they
hold that are long enough to be telling are :func:`secret_lines`.
"""

from __future__ import annotations

import json
import re

from nbformat import NotebookNode
from nbgrader import utils

# A source region nbgrader removes from the release: its kind and its text.
REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.DOTALL)
# Any of nbgrader's markers, left over in a release that should have none.
MARKER = re.compile(r"(BEGIN|END) (SOLUTION|HIDDEN TESTS|MARK SCHEME)")
# The solution markers of a source cell, each on its own line.
SOLUTION_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)
# The text nbgrader puts in a written answer's stub.
STUB_ANSWER = "YOUR ANSWER HERE"
# Shorter lines ("else:", "return x", "pass") also occur in stubs, visible
# checks and explanations, so they tell nothing about a hidden region.
MIN_SECRET_LINE = 16


def nbgrader_meta(cell: object) -> dict:
    """The cell's nbgrader metadata, or an empty dict when it is missing or not a mapping.

    Learners' files are read as they come, so ``metadata`` or its ``nbgrader``
    entry may hold a string or a list.
    """
    metadata = cell.get("metadata") if isinstance(cell, dict) else None
    meta = metadata.get("nbgrader") if isinstance(metadata, dict) else None
    return meta if isinstance(meta, dict) else {}


def grade_id_of(cell: object) -> str | None:
    """The cell's ``grade_id``, if it has one."""
    found = nbgrader_meta(cell).get("grade_id")
    return found if isinstance(found, str) else None


def _checked(cell: object) -> NotebookNode:
    """The cell, or a stand-in without nbgrader metadata when its metadata is malformed.

    :mod:`nbgrader.utils` indexes ``cell.metadata["nbgrader"]`` as a mapping;
    a learner's file must not make it raise.
    """
    if isinstance(cell, NotebookNode) and nbgrader_meta(cell) and isinstance(cell.get("metadata"), NotebookNode):
        return cell
    return NotebookNode(cell_type=_type(cell), metadata=NotebookNode(), source="")


def _type(cell: object) -> object:
    return cell.get("cell_type") if isinstance(cell, dict) else None


def is_solution(cell: object) -> bool:
    return bool(utils.is_solution(_checked(cell)))


def is_grade(cell: object) -> bool:
    return bool(utils.is_grade(_checked(cell)))


def is_locked(cell: object) -> bool:
    """Whether nbgrader restores the cell from the source when it grades (test cells included)."""
    return bool(utils.is_locked(_checked(cell)))


def has_role(cell: object) -> bool:
    """Whether nbgrader treats the cell specially (answer, test, locked or task)."""
    checked = _checked(cell)
    return bool(
        utils.is_grade(checked) or utils.is_solution(checked) or utils.is_locked(checked) or utils.is_task(checked)
    )


def is_answer_code(cell: object) -> bool:
    """A code cell the learner writes (graded or not)."""
    return _type(cell) == "code" and is_solution(cell)


def is_test_cell(cell: object) -> bool:
    """An autograded test cell (a grade cell that is not the learner's answer)."""
    return _type(cell) == "code" and is_grade(cell) and not is_solution(cell)


def is_written_answer(cell: object) -> bool:
    """A markdown answer an instructor (or the learner, self-assessing) grades by hand."""
    return _type(cell) == "markdown" and is_solution(cell) and is_grade(cell)


def without_solution_markers(source: str) -> str:
    """A solution cell's source as a learner would type it: the marker lines removed."""
    return SOLUTION_MARKER.sub("", source)


def visible_part(source: str) -> str:
    """A test cell's source as the learner sees it: its hidden-test regions removed."""
    hidden = re.compile(r"[ \t]*### BEGIN HIDDEN TESTS\n.*?### END HIDDEN TESTS[ \t]*\n?", re.DOTALL)
    return hidden.sub("", source)


def secret_lines(source: NotebookNode, kinds: tuple[str, ...] = ("SOLUTION", "HIDDEN TESTS")) -> set[str]:
    """Telling lines of a source notebook's ``kinds`` of hidden regions.

    A line that also occurs anywhere else (outside those regions, or in a
    region of another kind, such as a reference solution a learner may well
    write too) is left out, and so is one shorter than :data:`MIN_SECRET_LINE`.
    """
    secret: set[str] = set()
    elsewhere: set[str] = set()
    for cell in source.cells:
        for match in REGION.finditer(cell.source):
            target = secret if match.group(1) in kinds else elsewhere
            target.update(line.strip() for line in match.group(2).splitlines())
        elsewhere.update(line.strip() for line in REGION.sub("", cell.source).splitlines())
    return {line for line in secret - elsewhere if len(line) >= MIN_SECRET_LINE}


def hidden_test_lines(source: NotebookNode) -> set[str]:
    """Telling lines of a source notebook's hidden tests, which no feedback page may show."""
    return secret_lines(source, ("HIDDEN TESTS",))


def grade_ids(data: bytes) -> set[str]:
    """The grade_ids a file's cells carry; empty when it is no readable notebook."""
    try:
        cells = json.loads(data.decode("utf-8-sig")).get("cells", [])
    except (ValueError, AttributeError):
        return set()
    if not isinstance(cells, list):
        return set()
    return {found for cell in cells if (found := grade_id_of(cell))}
