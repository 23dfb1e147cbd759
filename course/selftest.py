"""Prove that a lesson grades: full marks for the reference, zero for the stub,
and points lost by every mutant."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .build import build
from .cohorts import REFERENCE, STUB, mutant_student, write_cohort
from .grade import grade
from .layout import CONFIG_FILE
from .mutants import Mutant
from .scores import ScoreRow


def auto_points(rows: list[ScoreRow], student: str) -> tuple[float, float]:
    """(score, maximum) over the autograded cells of one student."""
    mine = [row for row in rows if row.student_id == student and row.graded_by == "auto"]
    return sum(row.score or 0.0 for row in mine), sum(row.max_score for row in mine)


@dataclass
class LessonCheck:
    """The outcome of :func:`check_lesson`."""

    lesson: str
    rows: list[ScoreRow]
    mutants: list[Mutant]
    problems: dict[str, str] = field(default_factory=dict)

    def score(self, student: str) -> float:
        return auto_points(self.rows, student)[0]

    @property
    def max_auto(self) -> float:
        return auto_points(self.rows, REFERENCE)[1]

    @property
    def reference(self) -> float:
        return self.score(REFERENCE)

    @property
    def stub(self) -> float:
        return self.score(STUB)

    def mutant_score(self, mutant: Mutant) -> float:
        return self.score(mutant_student(mutant))

    def killed(self, mutant: Mutant) -> bool:
        """A mutant is killed when it scores below the reference's full marks."""
        return self.mutant_score(mutant) < self.max_auto

    def failed_cells(self, student: str) -> list[str]:
        return [row.grade_id for row in self.rows
                if row.student_id == student and row.graded_by == "auto" and (row.score or 0.0) < row.max_score]

    @property
    def kill_rate(self) -> float:
        return sum(map(self.killed, self.mutants)) / len(self.mutants) if self.mutants else 0.0


def scratch_course(root: Path, lesson: str, workdir: Path) -> Path:
    """A private course directory holding only ``lesson``'s source, freshly built."""
    course = workdir / "course"
    if course.exists():
        shutil.rmtree(course)
    (course / "source").mkdir(parents=True)
    shutil.copy(root / CONFIG_FILE, course / CONFIG_FILE)
    shutil.copytree(root / "source" / lesson, course / "source" / lesson)
    build(course, [lesson])
    return course


def check_lesson(root: Path, lesson: str, mutants: list[Mutant], workdir: Path) -> LessonCheck:
    """Grade the reference, the stub and every mutant of ``lesson`` in ``workdir``."""
    course = scratch_course(root, lesson, workdir)
    cohort = workdir / "cohort"
    write_cohort(course, lesson, cohort, mutants, every_mutant=True)
    run = grade(course, lesson, cohort)
    return LessonCheck(lesson=lesson, rows=run.rows, mutants=mutants, problems=run.problems)
