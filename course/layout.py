"""Where things live in a course directory, and which lessons it holds."""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from pathlib import Path

from .cells import grade_ids

LESSON_NAME = re.compile(r"^\d{2}_[a-z0-9_]+$")
CONFIG_FILE = "nbgrader_config.py"


class CourseError(Exception):
    """A problem the user can fix, reported without a traceback by the CLI."""


def find_root(start: Path | None = None) -> Path:
    """Return the nearest directory at or above ``start`` holding the course.

    A course directory has ``nbgrader_config.py`` and a ``source/`` folder.
    """
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if (candidate / CONFIG_FILE).is_file() and (candidate / "source").is_dir():
            return candidate
    raise CourseError(f"no course directory (with {CONFIG_FILE} and source/) at or above {here}")


def lesson_names(root: Path) -> list[str]:
    """Lessons in ``source/``, in course order."""
    return sorted(
        path.name
        for path in (root / "source").iterdir()
        if path.is_dir() and LESSON_NAME.match(path.name) and any(path.glob("*.ipynb"))
    )


def require_lesson(root: Path, lesson: str, known: Sequence[str] | None = None) -> str:
    """Return ``lesson`` if the course has it, or raise with the closest names.

    ``known`` is the course's lessons when the caller has them already (default: read ``source/``).
    """
    known = lesson_names(root) if known is None else list(known)
    if lesson in known:
        return lesson
    close = difflib.get_close_matches(lesson, known, n=3, cutoff=0.3)
    hint = f" Did you mean {', '.join(close)}?" if close else f" Lessons: {', '.join(known)}."
    raise CourseError(f"there is no lesson {lesson!r} in {root / 'source'}.{hint}")


def notebooks(root: Path, step: str, lesson: str) -> list[Path]:
    """Notebooks of ``lesson`` in one nbgrader step folder (``source``, ``release``...)."""
    return sorted((root / step / lesson).glob("*.ipynb"))


def closest_lesson(root: Path, found: set[str], among: list[str] | None = None) -> tuple[str | None, int]:
    """The lesson whose graded cells share the most grade ids with ``found``, and how many it shares.

    ``(None, 0)`` when no lesson (of ``among``, default all) shares any.
    """
    overlap = {
        lesson: len(found & set().union(*(grade_ids(path.read_bytes()) for path in notebooks(root, "source", lesson))))
        for lesson in (lesson_names(root) if among is None else among)
    }
    best = max(overlap, key=overlap.__getitem__, default=None)
    return (best, overlap[best]) if best and overlap[best] else (None, 0)
