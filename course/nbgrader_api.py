"""One way in to nbgrader: its Python API, configured from the course directory."""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import Any

from nbgrader.apps import NbGraderAPI
from sqlalchemy.exc import SAWarning
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from .layout import CONFIG_FILE, CourseError


# nbgrader migrates its gradebook by running the `alembic` executable, which
# sits next to this interpreter even when the virtual environment is not active.
_bin = str(Path(sys.executable).parent)
if _bin not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _bin + os.pathsep + os.environ.get("PATH", "")

# nbgrader's own session handling triggers these; they say nothing about a grade.
warnings.filterwarnings("ignore", category=SAWarning, module="nbgrader")


class NbgraderFailed(CourseError):
    """nbgrader reported a failure; the message carries the end of its log."""


def load_config(root: Path) -> Config:
    """The course's ``nbgrader_config.py``, rooted at ``root``."""
    config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    config.CourseDirectory.root = str(root)
    return config


def open_api(root: Path) -> NbGraderAPI:
    """An nbgrader API object working on the course directory ``root``."""
    return NbGraderAPI(config=load_config(root))


def db_url(root: Path) -> str:
    """The gradebook's database URL for the course directory ``root``."""
    return open_api(root).coursedir.db_url


def check(result: dict[str, Any], what: str) -> None:
    """Raise :class:`NbgraderFailed` when an API call did not succeed."""
    if result.get("success"):
        return
    log = (result.get("log") or "") + (result.get("error") or "")
    tail = "\n".join(log.strip().splitlines()[-15:])
    raise NbgraderFailed(f"{what} failed. nbgrader said:\n{tail}")
