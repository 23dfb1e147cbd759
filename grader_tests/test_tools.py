"""The instructor tooling: CLI errors, grading reports, authoring, mutants, leak check."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import jupytext
import nbformat
import pytest
from course_under_test import ROOT
from scheduling import work_unit
from scratch import ScratchCourses

from course.authoring import AuthoringError, expand_cell_metadata, script_to_notebook
from course.build import find_leaks
from course.cli import main
from course.cohorts import REFERENCE, STUB, add_stub
from course.context import Course
from course.demo import run_demo
from course.mutants import Mutant, MutantError
from course.scores import COLUMNS
from course.submissions import reference_answers, write_submission

LESSON = "00_warmup"


def test_unknown_lesson_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["grade", "00_wramup", str(tmp_path)]) == 2
    assert "Did you mean 00_warmup" in capsys.readouterr().err


def test_missing_submissions_folder_is_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["grade", LESSON, str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_grade_writes_scores_and_nbgrader_grades(
    monkeypatch: pytest.MonkeyPatch, scratch_courses: ScratchCourses
) -> None:
    scratch = scratch_courses(LESSON, "grade")
    course, cohort = scratch.root, scratch.work / "handed_in"
    write_submission(course, LESSON, reference_answers(course, LESSON), cohort / REFERENCE / LESSON)
    add_stub(course, LESSON, cohort)
    (cohort / "forgot_the_folder").mkdir()
    before = sorted(p.read_bytes() for p in cohort.rglob("*.ipynb"))
    monkeypatch.chdir(course)

    assert main(["grade", LESSON, str(cohort)]) == 0

    with (course / "reports" / LESSON / "scores.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == COLUMNS
    assert {row["student_id"] for row in rows} == {REFERENCE, STUB}
    auto = [row for row in rows if row["graded_by"] == "auto"]
    assert all(row["score"] == row["max_score"] for row in auto if row["student_id"] == REFERENCE)
    assert all(float(row["score"]) == 0 for row in auto if row["student_id"] == STUB)
    assert {row["category"] for row in rows} == {
        "correctness",
        "edge_cases",
        "code_quality",
        "understanding",
        "communication",
    }
    with (course / "reports" / LESSON / "grades.csv").open() as handle:
        graded = {row["student_id"]: row for row in csv.DictReader(handle)}
    assert set(graded) == {REFERENCE, STUB}
    assert sorted(p.read_bytes() for p in cohort.rglob("*.ipynb")) == before, "grading changed the submissions"


def test_demo_gradebook_tells_the_learners_apart(tmp_path: Path) -> None:
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source" / LESSON, course / "source" / LESSON)
    shutil.copytree(ROOT / "mutants", course / "mutants")
    (run,) = run_demo(Course.open(course))
    auto = {
        student: sum(r.score or 0 for r in run.rows if r.student_id == student and r.graded_by == "auto")
        for student in run.students
    }
    assert auto["reference"] > auto["typical_mistakes"] > auto["untouched_stub"] == 0


def test_short_roles_expand_to_nbgrader_metadata() -> None:
    meta = expand_cell_metadata({"nbgrader": "tests", "grade_id": "correctness-x", "points": 2}, 0)
    assert meta["nbgrader"] == {
        "solution": False,
        "grade": True,
        "locked": True,
        "task": False,
        "grade_id": "correctness-x",
        "schema_version": 3,
        "points": 2,
    }
    with pytest.raises(AuthoringError, match="needs points"):
        expand_cell_metadata({"nbgrader": "tests", "grade_id": "correctness-x"}, 3)
    with pytest.raises(AuthoringError, match="unknown nbgrader role"):
        expand_cell_metadata({"nbgrader": "solutoin", "grade_id": "x"}, 3)


def test_source_notebook_round_trips_through_a_percent_script(tmp_path: Path) -> None:
    source = ROOT / "source" / LESSON / f"{LESSON}.ipynb"
    script = tmp_path / "lesson.py"
    jupytext.write(nbformat.read(source, as_version=4), script, fmt="py:percent")
    original = nbformat.read(source, as_version=4)
    again = script_to_notebook(script)
    assert [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in again.cells] == [
        (c.cell_type, c.source, c.metadata.get("nbgrader")) for c in original.cells
    ]


def test_a_mutant_that_no_longer_applies_is_an_error() -> None:
    answers = reference_answers(ROOT, LESSON)
    stale = Mutant("stale", "text the solution no longer has", "mse_rmse", "np.mean(residuals ** 3)", "0")
    with pytest.raises(MutantError, match="occurs 0 times"):
        stale.apply(LESSON, answers)


def test_leak_check_finds_a_pasted_solution_line(tmp_path: Path) -> None:
    course = tmp_path / "course"
    shutil.copytree(ROOT / "source" / LESSON, course / "source" / LESSON)
    shutil.copytree(ROOT / "release" / LESSON, course / "release" / LESSON)
    path = course / "release" / LESSON / f"{LESSON}.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[-1].source += "\nresiduals = y_true - y_pred"
    nbformat.write(notebook, path)
    assert find_leaks(course, LESSON) != []


def test_tests_sharing_a_kernel_or_a_cohort_are_scheduled_together() -> None:
    notebook = "source/02_trees/02_trees.ipynb"
    assert work_unit(f"{notebook}::Cell 0") == work_unit(f"{notebook}::Cell 20")
    assert work_unit(f"{notebook}::Cell 0") != work_unit("source/03_clustering/03_clustering.ipynb::Cell 0")
    lessons = "grader_tests/test_lessons.py"
    assert work_unit(f"{lessons}::test_reference_scores_full_marks[02_trees]") == work_unit(
        f"{lessons}::test_mutant_loses_points[02_trees-split_off_by_one]"
    )
    assert work_unit(f"{lessons}::test_reference_scores_full_marks[02_trees]") != work_unit(
        f"{lessons}::test_reference_scores_full_marks[03_clustering]"
    )
    assert work_unit("grader_tests/test_repair.py::test_a") == work_unit("grader_tests/test_integrity.py::test_b")
    assert work_unit("grader_tests/test_report.py::test_a") == work_unit("grader_tests/test_report.py::test_b")


def test_author_with_a_wrong_role_says_which_cell_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = tmp_path / "lesson.py"
    script.write_text('# %% nbgrader="solutoin" grade_id="f"\ndef f():\n    pass\n', encoding="utf-8")
    assert main(["author", str(script), str(tmp_path / "lesson.ipynb")]) == 2
    shown = capsys.readouterr()
    assert "unknown nbgrader role" in shown.out + shown.err
    assert "Traceback" not in shown.out + shown.err
