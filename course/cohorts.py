"""Synthetic cohorts: the reference answer, the untouched stub, and learners who err."""

from __future__ import annotations

import shutil
from pathlib import Path

from .mutants import Mutant, demo_mistakes
from .submissions import reference_answers, write_submission

REFERENCE = "reference"
STUB = "untouched_stub"
MISTAKEN = "typical_mistakes"


def mutant_student(mutant: Mutant) -> str:
    """The student id under which a mutant is graded."""
    return f"mutant-{mutant.name}"


def add_stub(root: Path, lesson: str, cohort: Path, student: str = STUB) -> None:
    """The release notebooks handed in as they were given out."""
    target = cohort / student / lesson
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(root / "release" / lesson, target)


def write_cohort(root: Path, lesson: str, cohort: Path, mutants: list[Mutant], *, every_mutant: bool) -> list[str]:
    """Write a cohort of ``lesson`` submissions under ``cohort``; return the student ids.

    The cohort holds the reference answers, the untouched stub, and either one
    learner with the lesson's typical mistakes (the demo) or one learner per
    mutant (the self-check).
    """
    answers = reference_answers(root, lesson)
    write_submission(root, lesson, answers, cohort / REFERENCE / lesson)
    add_stub(root, lesson, cohort)
    students = [REFERENCE, STUB]
    if every_mutant:
        for mutant in mutants:
            student = mutant_student(mutant)
            write_submission(root, lesson, mutant.apply(lesson, answers), cohort / student / lesson)
            students.append(student)
    elif mutants:
        write_submission(root, lesson, demo_mistakes(lesson, mutants, answers), cohort / MISTAKEN / lesson)
        students.append(MISTAKEN)
    return students
