"""Make submissions the way a learner would: answers typed into a release notebook."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from .layout import notebooks
# One reading of a cell's nbgrader metadata for every module, robust to learners' damaged files.
from .repair import nbgrader_meta

SOLUTION_MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.MULTILINE)

# (notebook file name, grade_id) -> the cell's new source
Answers = dict[tuple[str, str], str]


def reference_answers(root: Path, lesson: str) -> Answers:
    """The instructor's answers: every solution cell of the source, markers removed."""
    answers: Answers = {}
    for path in notebooks(root, "source", lesson):
        for cell in nbformat.read(path, as_version=4).cells:
            meta = nbgrader_meta(cell)
            if meta.get("solution"):
                answers[(path.name, meta["grade_id"])] = SOLUTION_MARKER.sub("", cell.source)
    return answers


def fill(release: nbformat.NotebookNode, notebook_name: str, answers: Answers) -> nbformat.NotebookNode:
    """A copy of a release notebook with the given answers typed into its cells."""
    filled = copy.deepcopy(release)
    for cell in filled.cells:
        meta = nbgrader_meta(cell)
        key = (notebook_name, meta.get("grade_id", ""))
        if meta.get("solution") and key in answers:
            cell.source = answers[key]
    return filled


def write_submission(root: Path, lesson: str, answers: Answers, folder: Path) -> list[Path]:
    """Write ``lesson``'s release notebooks, filled with ``answers``, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for path in notebooks(root, "release", lesson):
        filled = fill(nbformat.read(path, as_version=4), path.name, answers)
        nbformat.write(filled, folder / path.name)
        written.append(folder / path.name)
    return written
