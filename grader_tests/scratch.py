"""Scratch copies of the course for tests that build or grade, made one way.

A test that grades never touches the course under test: it grades a copy
holding one lesson, built by nbgrader, in a folder of its own. The
``scratch_courses`` fixture (in ``conftest``) makes them with pytest's
temporary folders; this module holds what it returns.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from course_under_test import ROOT

from course.context import Course
from course.selftest import scratch_course


@dataclass(frozen=True)
class ScratchCourse:
    """A built copy of one lesson's course.

    ``root`` is the course directory; ``work`` the folder around it, where a
    test puts its cohorts, exchange and other files, outside the course.
    """

    root: Path
    work: Path

    def open(self) -> Course:
        """The copy opened as a command opens a course, with its own gradebook."""
        return Course.open(self.root)


def make_scratch_course(work: Path, lesson: str) -> ScratchCourse:
    """A :class:`ScratchCourse` of ``lesson`` in ``work`` (the folder must be the test's own)."""
    return ScratchCourse(root=scratch_course(ROOT, lesson, work), work=work)


# What the fixture gives a test: lesson and folder name in, a fresh scratch course out.
ScratchCourses = Callable[[str, str], ScratchCourse]
