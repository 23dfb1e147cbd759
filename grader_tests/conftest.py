"""Shared fixtures and the mutant kill-rate summary (scheduling is in the root conftest)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

import pytest
from course_under_test import LIBRARY, MUTANT_RESULT, ROOT
from scratch import ScratchCourse, ScratchCourses, make_scratch_course

from course.context import Course
from course.selftest import LessonCheck, check_lesson

_kills: list[tuple[str, str, bool]] = []


@pytest.fixture(scope="session")
def checked(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], LessonCheck]:
    """Grade a lesson's reference, stub and mutants once per session and worker."""
    cache: dict[str, LessonCheck] = {}

    def get(lesson: str) -> LessonCheck:
        if lesson not in cache:
            cache[lesson] = check_lesson(
                Course.open(ROOT), lesson, LIBRARY.get(lesson, []), tmp_path_factory.mktemp(lesson)
            )
        return cache[lesson]

    return get


@pytest.fixture(scope="session")
def scratch_courses(tmp_path_factory: pytest.TempPathFactory) -> ScratchCourses:
    """Make a scratch course: ``scratch_courses(lesson, name)``, in a fresh folder named after ``name``."""

    def make(lesson: str, name: str) -> ScratchCourse:
        return make_scratch_course(tmp_path_factory.mktemp(name), lesson)

    return make


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when == "call":
        _kills.extend(value for key, value in report.user_properties if key == MUTANT_RESULT)  # type: ignore[misc]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _kills:
        return
    per_lesson: dict[str, list[bool]] = defaultdict(list)
    for lesson, _, killed in _kills:
        per_lesson[lesson].append(killed)
    terminalreporter.section("mutant kill rate")
    for lesson, results in sorted(per_lesson.items()):
        terminalreporter.write_line(
            f"{lesson:24s} {sum(results):3d}/{len(results):<3d} {sum(results) / len(results):6.1%}"
        )
    total = [killed for _, _, killed in _kills]
    terminalreporter.write_line(f"{'all lessons':24s} {sum(total):3d}/{len(total):<3d} {sum(total) / len(total):6.1%}")
    for lesson, name, killed in sorted(_kills):
        if not killed:
            terminalreporter.write_line(f"survivor: {lesson} {name}")
