"""The course a command works on: its folder, its nbgrader configuration and its gradebook.

The command line opens the course once (:meth:`Course.open`) and hands the
same :class:`Course` to every command, which hands it on. So the
configuration is read once, a ``--db`` override is checked and applied once,
and every nbgrader object the run makes writes to the same gradebook. The
object is immutable and picklable: grading workers receive it instead of
reading the configuration again.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from nbgrader.coursedir import CourseDirectory
from traitlets.config import Config

from .layout import find_root, lesson_names, require_lesson
from .nbgrader_api import check_database, load_config


@dataclass(frozen=True)
class Course:
    """One course directory, opened.

    Attributes
    ----------
    root : Path
        The course directory (it holds ``nbgrader_config.py`` and ``source/``).
    config : Config
        ``nbgrader_config.py``, rooted at ``root`` and pointing at ``db_url``.
        Read it; to change settings for one job, change a copy from
        :meth:`nbgrader_config`.
    db_url : str
        The gradebook's database URL: ``--db`` when given, else the configured one.
    lessons : tuple of str
        The lessons in ``source/``, in course order, when the course was opened.
    """

    root: Path
    config: Config = field(repr=False, compare=False)
    db_url: str
    lessons: tuple[str, ...]

    @classmethod
    def open(cls, root: Path, database: str | None = None) -> Course:
        """Read the course in ``root``; ``database`` (checked first) replaces the configured gradebook.

        The URL stays in this object rather than in the environment, which
        the grading kernels inherit: a database password must not reach
        learner code.
        """
        root = root.resolve()
        if database is not None:
            check_database(database)
        config = load_config(root)
        if database is not None:
            config.CourseDirectory.db_url = database
        url = CourseDirectory(config=config).db_url
        config.CourseDirectory.db_url = url
        return cls(root=root, config=config, db_url=url, lessons=tuple(lesson_names(root)))

    @classmethod
    def find(cls, start: Path | None = None, database: str | None = None) -> Course:
        """:meth:`open` the nearest course directory at or above ``start`` (default: here)."""
        return cls.open(find_root(start), database)

    def nbgrader_config(self) -> Config:
        """A copy of :attr:`config` that one job may change (preprocessors, limits)."""
        return copy.deepcopy(self.config)

    def api(self, config: Config | None = None) -> NbGraderAPI:
        """An nbgrader API on this course, with ``config`` (a changed :meth:`nbgrader_config`) if given."""
        return NbGraderAPI(config=config if config is not None else self.nbgrader_config())

    def require_lesson(self, lesson: str) -> str:
        """``lesson`` if the course has it, else a :class:`~course.layout.CourseError` naming the closest."""
        return require_lesson(self.root, lesson, known=self.lessons)

    def require_lessons(self, lessons: Sequence[str]) -> list[str]:
        """Every one of ``lessons`` checked by :meth:`require_lesson`; all the course's lessons when empty."""
        return [self.require_lesson(lesson) for lesson in lessons] or list(self.lessons)
