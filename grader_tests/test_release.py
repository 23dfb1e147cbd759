"""release/ is generated from source/: complete, current, and without leaks."""

from __future__ import annotations

import nbformat
import pytest
from course_under_test import LESSONS, ROOT

from course.build import find_leaks, stale_release
from course.layout import notebooks


@pytest.mark.parametrize("lesson", LESSONS)
def test_release_exists_for_every_source_notebook(lesson: str) -> None:
    assert [p.name for p in notebooks(ROOT, "release", lesson)] == [p.name for p in notebooks(ROOT, "source", lesson)]


@pytest.mark.parametrize("lesson", LESSONS)
def test_release_does_not_leak(lesson: str) -> None:
    assert find_leaks(ROOT, lesson) == []


@pytest.mark.parametrize("step", ["source", "release"])
def test_notebooks_are_stored_without_outputs(step: str) -> None:
    for lesson in LESSONS:
        for path in notebooks(ROOT, step, lesson):
            stored = [
                i
                for i, cell in enumerate(nbformat.read(path, as_version=4).cells)
                if cell.cell_type == "code" and (cell.outputs or cell.execution_count)
            ]
            assert stored == [], f"{path.relative_to(ROOT)}: cells {stored} have outputs"


def test_release_is_current() -> None:
    assert stale_release(ROOT) == [], "release/ differs from a fresh build: run `python -m course build`"
