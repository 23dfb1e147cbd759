"""One way in to nbgrader: its configuration file, database URLs, and the results of its API calls."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import Any

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


def load_config(root: Path) -> Config:
    """The course's ``nbgrader_config.py``, rooted at ``root``.

    Commands read it once, through :meth:`course.context.Course.open`, which
    also settles the gradebook's URL.
    """
    _prepare_nbgrader()
    config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    return config


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


def require_success(result: dict[str, Any], what: str) -> None:
    """Raise :class:`NbgraderFailed` when an API call did not succeed."""
    if result.get("success"):
        return
    log = (result.get("log") or "") + (result.get("error") or "")
    tail = "\n".join(log.strip().splitlines()[-15:])
    raise NbgraderFailed(f"{what} failed. nbgrader said:\n{tail}")
