"""Make submissions the way a learner would: answers typed into a release notebook."""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat

from .cells import is_solution, nbgrader_meta, without_solution_markers
from .layout import notebooks

# (notebook file name, grade_id) -> the cell's new source
Answers = dict[tuple[str, str], str]


def reference_answers(root: Path, lesson: str) -> Answers:
    """The instructor's answers: every solution cell of the source, markers removed."""
    answers: Answers = {}
    for path in notebooks(root, "source", lesson):
        for cell in nbformat.read(path, as_version=4).cells:
            if is_solution(cell):
                answers[(path.name, nbgrader_meta(cell)["grade_id"])] = without_solution_markers(cell.source)
    return answers


def fill(release: nbformat.NotebookNode, notebook_name: str, answers: Answers) -> nbformat.NotebookNode:
    """A copy of a release notebook with the given answers typed into its cells."""
    filled = copy.deepcopy(release)
    for cell in filled.cells:
        key = (notebook_name, nbgrader_meta(cell).get("grade_id", ""))
        if is_solution(cell) and key in answers:
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
