"""Loaded first by pytest from the repository root: installs the test scheduler."""

from __future__ import annotations

import pytest

from grader_tests.scheduling import CourseScheduling


@pytest.hookimpl(optionalhook=True)  # known only where xdist is loaded (not with -p no:xdist)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> CourseScheduling:
    return CourseScheduling(config, log)
