"""The course a command works on: opened once, with ``--db`` applied once, and carried to the workers."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from course_under_test import ROOT

from course.context import Course
from course.layout import CourseError, lesson_names


def test_the_configured_gradebook_is_the_course_directorys_own() -> None:
    course = Course.open(ROOT)
    assert course.db_url == f"sqlite:///{ROOT / 'gradebook.db'}"
    assert course.api().coursedir.db_url == course.db_url
    assert course.lessons == tuple(lesson_names(ROOT))


def test_a_database_given_on_the_command_line_reaches_every_nbgrader_object(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    course = Course.open(ROOT, url)
    assert course.db_url == url
    assert course.config.CourseDirectory.db_url == url
    assert course.api().coursedir.db_url == url
    assert Course.open(ROOT).db_url != url, "opening a course with --db changed how the next one opens"


def test_a_job_changes_a_copy_of_the_configuration_never_the_course() -> None:
    course = Course.open(ROOT)
    changed = course.nbgrader_config()
    changed.Execute.timeout = 1
    assert course.config.Execute.timeout != 1


def test_a_grading_worker_receives_the_course_whole() -> None:
    """Spawned workers (macOS) get the course pickled: root, URL, lessons and configuration survive."""
    course = Course.open(ROOT)
    copy = pickle.loads(pickle.dumps(course))
    assert copy == course
    assert copy.config == course.config
    assert copy.api().coursedir.root == str(ROOT)


def test_an_unknown_lesson_names_the_closest() -> None:
    with pytest.raises(CourseError, match="Did you mean 01_regression"):
        Course.open(ROOT).require_lesson("01_regresion")
