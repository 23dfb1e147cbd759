"""Loaded first by pytest from the repository root: installs the test scheduler."""

from __future__ import annotations

import pytest

from grader_tests.scheduling import CourseScheduling


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> CourseScheduling:
    return CourseScheduling(config, log)
