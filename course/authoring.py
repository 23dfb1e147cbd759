"""Turn a lesson written as a jupytext percent script into an nbgrader notebook.

Lessons are easier to write and review as text. A cell header carries the
nbgrader role in short form, and this module expands it into the metadata
nbgrader's "Create Assignment" toolbar would write::

    # %% nbgrader="solution" grade_id="mse_rmse"
    # %% nbgrader="tests" grade_id="correctness-mse_rmse_values" points=3
    # %% [markdown] nbgrader="answer" grade_id="understanding-follow_ups" points=5
    # %% nbgrader="locked" grade_id="setup"

A cell whose ``nbgrader`` metadata is already a full dictionary passes through
unchanged, so ``jupytext --to py:percent`` of a source notebook followed by
``python -m course author`` is a lossless round trip.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jupytext
import nbformat

from .layout import CourseError

SCHEMA_VERSION = 3

ROLES: dict[str, dict[str, bool]] = {
    "solution": {"solution": True, "grade": False, "locked": False, "task": False},
    "tests": {"solution": False, "grade": True, "locked": True, "task": False},
    "answer": {"solution": True, "grade": True, "locked": False, "task": False},
    "locked": {"solution": False, "grade": False, "locked": True, "task": False},
}


class AuthoringError(CourseError, ValueError):
    """A lesson script whose cell headers cannot be turned into nbgrader cells."""


def expand_cell_metadata(metadata: dict[str, Any], index: int) -> dict[str, Any]:
    """Return the cell metadata with a short ``nbgrader`` role expanded."""
    role = metadata.get("nbgrader")
    if role is None or isinstance(role, dict):
        return metadata
    if role not in ROLES:
        raise AuthoringError(f"cell {index}: unknown nbgrader role {role!r}; use one of {sorted(ROLES)}")
    grade_id = metadata.pop("grade_id", None)
    if not grade_id:
        raise AuthoringError(f'cell {index}: an nbgrader cell needs grade_id="..."')
    full: dict[str, Any] = {**ROLES[role], "grade_id": grade_id, "schema_version": SCHEMA_VERSION}
    points = metadata.pop("points", None)
    if full["grade"]:
        if points is None:
            raise AuthoringError(f"cell {index} ({grade_id}): a graded cell needs points=N")
        full["points"] = points
    elif points is not None:
        raise AuthoringError(f"cell {index} ({grade_id}): points on a cell that is not graded")
    return {**metadata, "nbgrader": full}


def script_to_notebook(script: Path) -> nbformat.NotebookNode:
    """Read a percent script and return the nbgrader source notebook."""
    notebook = jupytext.read(script, fmt="py:percent")
    for index, cell in enumerate(notebook.cells):
        cell.metadata = expand_cell_metadata(dict(cell.metadata), index)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    notebook.metadata = nbformat.from_dict(
        {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        }
    )
    return notebook


def author(script: Path, output: Path) -> Path:
    """Write the notebook for ``script`` to ``output`` and return its path."""
    notebook = script_to_notebook(script)
    output.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(notebook)
    nbformat.write(notebook, output)
    return output
