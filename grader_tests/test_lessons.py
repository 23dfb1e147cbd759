"""Every lesson grades: reference full marks, stub zero, every mutant loses points."""

from __future__ import annotations

import ast
import shutil
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from course_under_test import LESSONS, LIBRARY, MUTANT_RESULT, ROOT

from course.cells import nbgrader_meta, visible_part
from course.cohorts import REFERENCE, STUB, mutant_student
from course.context import Course
from course.layout import notebooks
from course.rubric import UNCATEGORISED, WEIGHTS, category_of
from course.selfgrade import selfgrade
from course.selftest import LessonCheck
from course.submissions import reference_answers, write_submission

ALLOWED_IMPORTS = {"numpy", "pandas", "matplotlib"} | set(sys.stdlib_module_names)
PROBES = "course.harness.probes"


def source_cells(lesson: str) -> list[tuple[str, nbformat.NotebookNode]]:
    return [
        (path.name, cell)
        for path in notebooks(ROOT, "source", lesson)
        for cell in nbformat.read(path, as_version=4).cells
    ]


@pytest.mark.parametrize("lesson", LESSONS)
def test_reference_scores_full_marks(lesson: str, checked: Callable[[str], LessonCheck]) -> None:
    result = checked(lesson)
    assert result.max_auto > 0
    assert result.reference == result.max_auto, f"reference fails {result.failed_cells('reference')}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_untouched_stub_scores_zero(lesson: str, checked: Callable[[str], LessonCheck]) -> None:
    result = checked(lesson)
    assert "untouched_stub" in {row.student_id for row in result.rows}, "the stub was not graded"
    assert result.stub == 0


@pytest.mark.parametrize("lesson", LESSONS)
def test_grading_reports_no_problem(lesson: str, checked: Callable[[str], LessonCheck]) -> None:
    assert checked(lesson).problems == {}


@pytest.mark.parametrize(
    ("lesson", "mutant"), [(lesson, mutant.name) for lesson in LESSONS for mutant in LIBRARY.get(lesson, [])]
)
def test_mutant_loses_points(
    lesson: str, mutant: str, checked: Callable[[str], LessonCheck], record_property: Callable[[str, object], None]
) -> None:
    result = checked(lesson)
    found = next(m for m in result.mutants if m.name == mutant)
    record_property(MUTANT_RESULT, (lesson, mutant, result.killed(found)))
    assert {row.student_id for row in result.rows} >= {mutant_student(found)}, "the mutant was not graded"
    assert result.killed(found), f"mutant survived with full marks: {found.mistake}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_answer_cell_has_mutants(lesson: str) -> None:
    answer_cells = {
        (name, nbgrader_meta(cell)["grade_id"])
        for name, cell in source_cells(lesson)
        if nbgrader_meta(cell).get("solution") and cell.cell_type == "code"
    }
    mutated = {(m.notebook or f"{lesson}.ipynb", m.cell) for m in LIBRARY.get(lesson, [])}
    assert answer_cells - mutated == set(), "solution cells without a mutant"


@pytest.mark.parametrize("lesson", LESSONS)
def test_points_follow_the_rubric(lesson: str) -> None:
    points: dict[str, float] = defaultdict(float)
    for _, cell in source_cells(lesson):
        meta = nbgrader_meta(cell)
        if meta.get("grade"):
            points[category_of(meta["grade_id"])] += float(meta["points"])
    assert UNCATEGORISED not in points, "a grade_id does not start with a rubric category"
    total = sum(points.values())
    assert {category: points[category] for category in WEIGHTS} == {
        category: pytest.approx(total * weight) for category, weight in WEIGHTS.items()
    }


@pytest.mark.parametrize("lesson", LESSONS)
def test_grade_ids_are_unique_and_answers_are_written(lesson: str) -> None:
    for path in notebooks(ROOT, "source", lesson):
        metas = [(cell, nbgrader_meta(cell)) for cell in nbformat.read(path, as_version=4).cells]
        ids = [meta["grade_id"] for _, meta in metas if meta]
        assert len(ids) == len(set(ids)), f"{path.name}: duplicated grade_id"
        for cell, meta in metas:
            if meta.get("grade") and meta.get("solution"):
                assert cell.cell_type == "markdown", f"{meta['grade_id']}: manually graded answers are markdown cells"


def imported_modules(code: str) -> list[str]:
    """The absolute imports of ``code`` (IPython's ``%`` and ``!`` lines left out)."""
    code = "\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!")))
    modules: list[str] = []
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            modules += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            modules.append(node.module or "")
    return modules


@pytest.mark.parametrize("lesson", LESSONS)
def test_notebook_needs_only_numpy_pandas_matplotlib(lesson: str) -> None:
    # What a learner runs (the release notebook) needs nothing else; hidden tests run
    # in the grader, which also has the probes they ask the learner's process with.
    for name, cell in source_cells(lesson):
        if cell.cell_type != "code":
            continue
        for module in imported_modules(visible_part(cell.source)):
            assert module.split(".")[0] in ALLOWED_IMPORTS, f"{name} imports {module}"
        for module in imported_modules(cell.source):
            assert module.split(".")[0] in ALLOWED_IMPORTS or module == PROBES, f"{name}'s hidden tests import {module}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_selfgrade_gives_the_points_course_grade_gives(
    lesson: str, checked: Callable[[str], LessonCheck], tmp_path: Path
) -> None:
    """A learner grading their own notebook gets what an instructor's ``course grade`` gave it."""
    result = checked(lesson)
    answers = reference_answers(ROOT, lesson)
    handed = {
        REFERENCE: answers,
        **{mutant_student(mutant): mutant.apply(lesson, answers) for mutant in result.mutants[:2]},
    }
    for student, filled in handed.items():
        [path] = write_submission(ROOT, lesson, filled, tmp_path / student)
        assert selfgrade(Course.open(ROOT), path).autograded == (result.score(student), result.max_auto), student
    stub = tmp_path / STUB / f"{lesson}.ipynb"
    stub.parent.mkdir()
    shutil.copy(ROOT / "release" / lesson / f"{lesson}.ipynb", stub)
    assert selfgrade(Course.open(ROOT), stub).autograded == (result.stub, result.max_auto)
