"""Typical wrong answers ("mutants") that the hidden tests must catch.

The library is course content, like the lessons it belongs to: it lives in
``mutants/<lesson>.py`` at the top of the course, and each file
defines ``MUTANTS``, a list of :class:`Mutant`. A mutant rewrites one solution
cell of the reference answers, by exact text replacement, so that it keeps
working only while the reference solution still contains the text it changes.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path

from .layout import CourseError
from .submissions import Answers

LIBRARY_FOLDER = "mutants"


class MutantError(CourseError):
    """A mutant that no longer applies to the reference solution."""


@dataclass(frozen=True)
class Mutant:
    """One typical mistake, as a change to one solution cell.

    Attributes
    ----------
    name : str
        Short identifier, unique within the lesson.
    mistake : str
        The mistake in a learner's words, shown in reports.
    cell : str
        ``grade_id`` of the solution cell it changes.
    find, replace : str
        ``find`` must occur exactly once in the cell; it becomes ``replace``.
        With ``find=""`` the whole cell becomes ``replace``.
    notebook : str
        File name of the notebook; empty means ``<lesson>.ipynb``.
    in_demo : bool
        Whether the demo's mistaken learner makes this mistake.
    """

    name: str
    mistake: str
    cell: str
    find: str
    replace: str
    notebook: str = ""
    in_demo: bool = False

    def apply(self, lesson: str, answers: Answers) -> Answers:
        """Return a copy of ``answers`` with this mistake made."""
        key = (self.notebook or f"{lesson}.ipynb", self.cell)
        if key not in answers:
            raise MutantError(f"mutant {self.name!r}: {key[0]} has no solution cell {self.cell!r}")
        source = answers[key]
        if not self.find:
            return {**answers, key: self.replace}
        found = source.count(self.find)
        if found != 1:
            raise MutantError(
                f"mutant {self.name!r}: the text to replace occurs {found} times in {self.cell!r} "
                "(it must occur exactly once: update the mutant to the current solution)"
            )
        return {**answers, key: source.replace(self.find, self.replace)}


def load_library(root: Path) -> dict[str, list[Mutant]]:
    """Every lesson's mutants, from ``mutants/<lesson>.py``."""
    library: dict[str, list[Mutant]] = {}
    for path in sorted((root / LIBRARY_FOLDER).glob("[0-9][0-9]_*.py")):
        spec = importlib.util.spec_from_file_location(f"course_mutants_{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        mutants: list[Mutant] = list(module.MUTANTS)
        names = [mutant.name for mutant in mutants]
        if len(names) != len(set(names)):
            raise MutantError(f"{path}: two mutants share a name")
        library[path.stem] = mutants
    return library


def demo_mistakes(lesson: str, mutants: list[Mutant], answers: Answers) -> Answers:
    """The answers of a learner who makes the lesson's ``in_demo`` mistakes."""
    for mutant in [m for m in mutants if m.in_demo] or mutants[:1]:
        answers = mutant.apply(lesson, answers)
    return answers
