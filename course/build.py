"""Build student notebooks from ``source/`` and check them for leaks and staleness."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nbformat

from .cells import MARKER, secret_lines
from .layout import CONFIG_FILE, CourseError, lesson_names, notebooks
from .nbgrader_api import check, open_api


class LeakError(CourseError):
    """A released notebook shows solution code or hidden-test text."""


def build(root: Path, lessons: list[str] | None = None) -> list[Path]:
    """Generate ``release/<lesson>`` for every lesson and check it for leaks.

    Returns the released notebooks.
    """
    api = open_api(root)
    released: list[Path] = []
    for lesson in lessons or lesson_names(root):
        check(api.generate_assignment(lesson, force=True, create=True), f"nbgrader generate_assignment {lesson}")
        problems = find_leaks(root, lesson)
        if problems:
            raise LeakError(f"release/{lesson} leaks what the learner must not see:\n" + "\n".join(problems))
        released += notebooks(root, "release", lesson)
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
        lessons = lesson_names(fresh)
        build(fresh, lessons)
        for lesson in lessons:
            built = {path.name: _comparable(path) for path in notebooks(fresh, "release", lesson)}
            committed = {path.name: _comparable(path) for path in notebooks(root, "release", lesson)}
            if built != committed:
                stale.append(lesson)
    return stale
