"""Prove that a lesson grades: full marks for the reference, zero for the stub,
and points lost by every mutant."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .build import build
from .cohorts import REFERENCE, STUB, add_stub, mutant_student, write_cohort
from .context import Course
from .drills import Drill, bank_source, variant_answers
from .grade import grade
from .layout import CONFIG_FILE
from .mutants import Mutant
from .scores import GradedBy, ScoreRow
from .submissions import write_submission


def auto_points(rows: list[ScoreRow], student: str) -> tuple[float, float]:
    """(score, maximum) over the autograded cells of one student."""
    mine = [row for row in rows if row.student_id == student and row.graded_by == GradedBy.AUTO]
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
        return [
            row.grade_id
            for row in self.rows
            if row.student_id == student and row.graded_by == GradedBy.AUTO and (row.score or 0.0) < row.max_score
        ]

    @property
    def kill_rate(self) -> float:
        return sum(map(self.killed, self.mutants)) / len(self.mutants) if self.mutants else 0.0


def scratch_course(root: Path, lesson: str, workdir: Path) -> Path:
    """A private course directory, ``workdir / "course"``, holding only ``lesson``'s source, freshly built.

    ``root`` is the course to copy it from; open the copy with :meth:`Course.open` to grade in it.
    """
    course = workdir / "course"
    if course.exists():
        shutil.rmtree(course)
    (course / "source").mkdir(parents=True)
    shutil.copy(root / CONFIG_FILE, course / CONFIG_FILE)
    shutil.copytree(root / "source" / lesson, course / "source" / lesson)
    build(Course.open(course), [lesson])
    return course


def check_lesson(course: Course, lesson: str, mutants: list[Mutant], workdir: Path) -> LessonCheck:
    """Grade the reference, the stub and every mutant of ``course``'s ``lesson`` in a scratch course in ``workdir``."""
    scratch = scratch_course(course.root, lesson, workdir)
    cohort = workdir / "cohort"
    write_cohort(scratch, lesson, cohort, mutants, every_mutant=True)
    run = grade(Course.open(scratch), lesson, cohort)
    return LessonCheck(lesson=lesson, rows=run.rows, mutants=mutants, problems=run.problems)


# The drill bank is graded as one assignment: a kernel per learner, not per drill.
BANK = "90_drill_bank"


def mistake_student(index: int) -> str:
    return f"mistake-{index}"


def alternative_student(index: int) -> str:
    return f"alternative-{index}"


@dataclass
class BankCheck:
    """The outcome of :func:`check_drill_bank`: points per drill for each synthetic learner."""

    drills: list[Drill]
    rows: list[ScoreRow]
    problems: dict[str, str] = field(default_factory=dict)

    def points(self, student: str, drill: Drill) -> tuple[float, float]:
        """(score, maximum) of one learner's autograded cells of one drill."""
        ids = set(drill.grade_ids)
        mine = [
            row
            for row in self.rows
            if row.student_id == student and row.grade_id in ids and row.graded_by == GradedBy.AUTO
        ]
        return sum(row.score or 0.0 for row in mine), sum(row.max_score for row in mine)


def check_drill_bank(source: Course, drills: list[Drill], workdir: Path) -> BankCheck:
    """Grade every drill's reference, blank, mistakes and alternatives in one scratch course.

    Learner ``mistake-i`` makes each drill's i-th typical mistake at once (the
    drills do not share names, so one drill's mistake cannot move another's
    points), and ``alternative-i`` writes each drill's i-th alternative answer;
    drills with fewer variants keep the reference.
    """
    scratch_root = workdir / "course"
    if scratch_root.exists():
        shutil.rmtree(scratch_root)
    (scratch_root / "source" / BANK).mkdir(parents=True)
    shutil.copy(source.root / CONFIG_FILE, scratch_root / CONFIG_FILE)
    nbformat.write(bank_source(drills), scratch_root / "source" / BANK / f"{BANK}.ipynb")
    scratch = Course.open(scratch_root)
    build(scratch, [BANK])
    cohort = workdir / "cohort"
    name = f"{BANK}.ipynb"
    write_submission(scratch_root, BANK, variant_answers(name, drills, {}), cohort / REFERENCE / BANK)
    add_stub(scratch_root, BANK, cohort)
    for index in range(max((len(drill.mistakes) for drill in drills), default=0)):
        pick: dict[str, Mutant | None] = {
            drill.slug: drill.mistakes[index] for drill in drills if index < len(drill.mistakes)
        }
        write_submission(
            scratch_root, BANK, variant_answers(name, drills, pick), cohort / mistake_student(index) / BANK
        )
    for index in range(max((len(drill.alternatives) for drill in drills), default=0)):
        pick = {drill.slug: drill.alternatives[index] for drill in drills if index < len(drill.alternatives)}
        write_submission(
            scratch_root, BANK, variant_answers(name, drills, pick), cohort / alternative_student(index) / BANK
        )
    run = grade(scratch, BANK, cohort)
    return BankCheck(drills=drills, rows=run.rows, problems=run.problems)
