"""The one cell vocabulary: nbgrader's answers on well-formed cells, no crash on a learner's damaged ones."""

from __future__ import annotations

import json

import nbformat
import pytest
from course_under_test import ROOT
from nbgrader import utils

from course import cells
from course.layout import lesson_names, notebooks

PREDICATES = (
    cells.is_solution,
    cells.is_grade,
    cells.is_locked,
    cells.has_role,
    cells.is_answer_code,
    cells.is_test_cell,
    cells.is_written_answer,
)


@pytest.mark.parametrize("lesson", lesson_names(ROOT))
def test_on_the_course_own_notebooks_it_says_what_nbgrader_says(lesson: str) -> None:
    for path in notebooks(ROOT, "source", lesson):
        for cell in nbformat.read(path, as_version=4).cells:
            assert cells.is_grade(cell) == bool(utils.is_grade(cell))
            assert cells.is_solution(cell) == bool(utils.is_solution(cell))
            assert cells.is_locked(cell) == bool(utils.is_locked(cell))
            assert cells.is_test_cell(cell) == (
                cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)
            )


@pytest.mark.parametrize("metadata", ["solution", ["grade"], None, 3, {"nbgrader": "grade"}, {"nbgrader": [1]}])
def test_malformed_metadata_means_no_role_and_no_crash(metadata: object) -> None:
    cell = nbformat.v4.new_code_cell("x = 1")
    if isinstance(metadata, dict):
        cell.metadata.update(metadata)
    else:
        cell["metadata"] = metadata
    assert cells.nbgrader_meta(cell) == {}
    assert cells.grade_id_of(cell) is None
    assert not any(predicate(cell) for predicate in PREDICATES)


def test_grade_ids_of_a_file_skip_what_is_not_a_notebook_cell() -> None:
    good = {"metadata": {"nbgrader": {"grade_id": "a"}}}
    files = {
        json.dumps({"cells": [good, {"metadata": "x"}, "text", {"metadata": {"nbgrader": {"grade_id": 7}}}]}): {"a"},
        json.dumps({"cells": "none"}): set(),
        json.dumps([1, 2]): set(),
        "not json": set(),
    }
    for text, expected in files.items():
        assert cells.grade_ids(text.encode()) == expected


def test_secret_lines_keep_long_hidden_lines_that_appear_nowhere_else() -> None:
    telling = "assert np.allclose(model(X_hidden), expected_hidden)"
    shown = "result = reference_function(X_visible_data)"
    source = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(f"### BEGIN SOLUTION\n{shown}\n### END SOLUTION"),
            nbformat.v4.new_code_cell(
                f"{shown}\n### BEGIN HIDDEN TESTS\n{telling}\n{shown}\nx = 1\n### END HIDDEN TESTS"
            ),
        ]
    )
    assert cells.hidden_test_lines(source) == {telling}
    assert cells.secret_lines(source) == {telling}
    assert cells.without_solution_markers(source.cells[0].source) == f"{shown}\n"
