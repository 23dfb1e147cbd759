"""One way in to nbgrader: its Python API, configured from the course directory."""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from nbgrader.apps import NbGraderAPI
from sqlalchemy import create_engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError, SAWarning
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .layout import CONFIG_FILE, CourseError


def _prepare_nbgrader() -> None:
    """What nbgrader needs of this process, done when a course is first opened (not at import).

    nbgrader migrates its gradebook by running the `alembic` executable, which
    sits next to this interpreter even when the virtual environment is not
    active; and its own session handling raises SQLAlchemy warnings that say
    nothing about a grade.
    """
    here = str(Path(sys.executable).parent)
    if here not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = here + os.pathsep + os.environ.get("PATH", "")
    warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader")


class NbgraderFailed(CourseError):
    """nbgrader reported a failure; the message carries the end of its log."""


# A database that replaces the configured gradebook for a while (see using_database).
_database_override: str | None = None


def load_config(root: Path) -> Config:
    """The course's ``nbgrader_config.py``, rooted at ``root`` (and its database, see :func:`using_database`)."""
    _prepare_nbgrader()
    config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    if _database_override is not None:
        config.CourseDirectory.db_url = _database_override
    return config


def open_api(root: Path) -> NbGraderAPI:
    """An nbgrader API object working on the course directory ``root``."""
    return NbGraderAPI(config=load_config(root))


def db_url(root: Path) -> str:
    """The gradebook's database URL for the course directory ``root``."""
    return open_api(root).coursedir.db_url


def shown(url: str) -> str:
    """``url`` with its password masked, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url


def check_database(url: str) -> None:
    """Raise :class:`CourseError` unless ``url`` names a database that answers."""
    try:
        engine = create_engine(url)
    except (ArgumentError, NoSuchModuleError) as error:
        raise CourseError(
            f"{shown(url)} is not a database URL (expected e.g. sqlite:////path/gradebook.db or "
            f"postgresql://user:password@host:5432/gradebook): {error}"
        ) from None
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise CourseError(f"cannot reach the gradebook database {shown(url)}: {reason}") from None
    finally:
        engine.dispose()


@contextmanager
def using_database(url: str | None) -> Iterator[None]:
    """Keep the gradebook in ``url`` (checked first) for the ``with`` block; ``None`` changes nothing.

    Every configuration :func:`load_config` returns meanwhile points there. It
    is not passed through the environment, which the grading kernels inherit:
    a database password must not reach learner code.
    """
    global _database_override
    if url is None:
        yield
        return
    check_database(url)
    previous, _database_override = _database_override, url
    try:
        yield
    finally:
        _database_override = previous


def check(result: dict[str, Any], what: str) -> None:
    """Raise :class:`NbgraderFailed` when an API call did not succeed."""
    if result.get("success"):
        return
    log = (result.get("log") or "") + (result.get("error") or "")
    tail = "\n".join(log.strip().splitlines()[-15:])
    raise NbgraderFailed(f"{what} failed. nbgrader said:\n{tail}")
