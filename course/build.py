"""Build student notebooks from ``source/`` and check them for leaks and staleness."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nbformat

from .cells import MARKER, secret_lines
from .context import Course
from .layout import CONFIG_FILE, CourseError, notebooks
from .nbgrader_api import require_success


class LeakError(CourseError):
    """A released notebook shows solution code or hidden-test text."""


def build(course: Course, lessons: list[str] | None = None) -> list[Path]:
    """Generate ``release/<lesson>`` for ``lessons`` (default: every lesson) and check it for leaks.

    Returns the released notebooks.
    """
    api = course.api()
    released: list[Path] = []
    for lesson in lessons or course.lessons:
        require_success(
            api.generate_assignment(lesson, force=True, create=True), f"nbgrader generate_assignment {lesson}"
        )
        problems = find_leaks(course.root, lesson)
        if problems:
            raise LeakError(f"release/{lesson} leaks what the learner must not see:\n" + "\n".join(problems))
        released += notebooks(course.root, "release", lesson)
    return released


def find_leaks(root: Path, lesson: str) -> list[str]:
    """Say where the release of ``lesson`` shows markers, solutions or hidden tests."""
    problems: list[str] = []
    for released in notebooks(root, "release", lesson):
        source_path = root / "source" / lesson / released.name
        secret = secret_lines(nbformat.read(source_path, as_version=4)) if source_path.exists() else set()
        for index, cell in enumerate(nbformat.read(released, as_version=4).cells):
            if MARKER.search(cell.source):
                problems.append(f"{released.name} cell {index}: an nbgrader marker is still there")
            leaked = secret & {line.strip() for line in cell.source.splitlines()}
            if leaked:
                problems.append(f"{released.name} cell {index}: {len(leaked)} line(s) of solution or hidden test")
    return problems


def _comparable(path: Path) -> list[tuple[str, str, str]]:
    notebook = nbformat.read(path, as_version=4)
    return [
        (cell.cell_type, cell.source, repr(sorted(cell.metadata.get("nbgrader", {}).items())))
        for cell in notebook.cells
    ]


def stale_release(root: Path) -> list[str]:
    """Lessons whose committed ``release/`` differs from a fresh build of ``source/``."""
    stale: list[str] = []
    with tempfile.TemporaryDirectory(prefix="course-build-") as scratch:
        fresh = Path(scratch)
        shutil.copy(root / CONFIG_FILE, fresh / CONFIG_FILE)
        shutil.copytree(root / "source", fresh / "source")
        built_course = Course.open(fresh)
        build(built_course)
        for lesson in built_course.lessons:
            built = {path.name: _comparable(path) for path in notebooks(fresh, "release", lesson)}
            committed = {path.name: _comparable(path) for path in notebooks(root, "release", lesson)}
            if built != committed:
                stale.append(lesson)
    return stale
