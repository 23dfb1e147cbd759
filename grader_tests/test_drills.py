"""The drill bank grades: every drill's reference full marks, its blank page zero,
each typical mistake loses points and each alternative answer keeps full marks;
``course mock`` draws a reproducible, leak-free mock interview from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from course_under_test import ROOT

from course.build import build
from course.cells import MARKER, secret_lines
from course.cli import main
from course.cohorts import REFERENCE, STUB, add_stub
from course.context import Course
from course.drills import (
    DRILLS_FOLDER,
    DrillError,
    bank_problems,
    bank_source,
    draw,
    load_bank,
    load_drill,
    variant_answers,
)
from course.grade import grade
from course.layout import CONFIG_FILE, CourseError
from course.mock import add_mock_assignment, plan_mock
from course.selftest import (
    BankCheck,
    alternative_student,
    check_drill_bank,
    mistake_student,
)
from course.submissions import write_submission

BANK = load_bank(ROOT)
SLUGS = [drill.slug for drill in BANK]


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> BankCheck:
    return check_drill_bank(Course.open(ROOT), BANK, tmp_path_factory.mktemp("drill-bank"))


def test_bank_follows_the_format() -> None:
    assert bank_problems(BANK) == []


def test_bank_grading_reports_no_problem(graded: BankCheck) -> None:
    assert graded.problems == {}


@pytest.mark.parametrize("slug", SLUGS)
def test_reference_full_marks_and_blank_zero(slug: str, graded: BankCheck) -> None:
    drill = BANK[SLUGS.index(slug)]
    score, most = graded.points(REFERENCE, drill)
    assert most > 0, "the drill has no autograded points"
    assert score == most, f"the reference scores {score:g} of {most:g}"
    assert graded.points(STUB, drill)[0] == 0, "the blank page earns points"


@pytest.mark.parametrize(
    ("slug", "index"), [(drill.slug, index) for drill in BANK for index in range(len(drill.mistakes))]
)
def test_typical_mistake_loses_points(slug: str, index: int, graded: BankCheck) -> None:
    drill = BANK[SLUGS.index(slug)]
    score, most = graded.points(mistake_student(index), drill)
    assert score < most, f"mistake {drill.mistakes[index].name!r} keeps full marks: {drill.mistakes[index].mistake}"


@pytest.mark.parametrize(
    ("slug", "index"), [(drill.slug, index) for drill in BANK for index in range(len(drill.alternatives))]
)
def test_alternative_answer_keeps_full_marks(slug: str, index: int, graded: BankCheck) -> None:
    drill = BANK[SLUGS.index(slug)]
    score, most = graded.points(alternative_student(index), drill)
    assert score == most, f"the correct alternative {drill.alternatives[index].name!r} scores {score:g} of {most:g}"


def test_a_drill_with_two_solution_cells_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "twice"
    folder.mkdir()
    (folder / "drill.py").write_text(
        '# %% nbgrader="solution" grade_id="twice_a"\nx = 1\n\n# %% nbgrader="solution" grade_id="twice_b"\ny = 2\n'
    )
    (folder / "drill.toml").write_text('title = "t"\ndifficulty = "easy"\nminutes = 5\n')
    with pytest.raises(DrillError, match="exactly one solution cell"):
        load_drill(folder)


def test_same_seed_same_draw_other_seed_other_draw() -> None:
    if len(BANK) < 4:
        pytest.skip("the bank is too small to draw two different mocks")
    first = [drill.slug for drill in draw(BANK, 1, 3)]
    assert first == [drill.slug for drill in draw(BANK, 1, 3)]
    assert any([drill.slug for drill in draw(BANK, seed, 3)] != first for seed in range(2, 6))


def test_asking_for_more_drills_than_the_bank_holds_says_so() -> None:
    with pytest.raises(CourseError, match="bank holds"):
        draw(BANK, 0, len(BANK) + 1)


def test_mock_notebook_holds_no_answer_or_hidden_test(tmp_path: Path) -> None:
    problems = min(3, len(BANK))
    assert main(["mock", "--seed", "1", "--problems", str(problems), "--out", str(tmp_path)]) == 0
    notebook = nbformat.read(tmp_path / "mock_seed1.ipynb", as_version=4)
    drawn = notebook.metadata["course_mock"]["drills"]
    assert len(drawn) == problems
    secret = secret_lines(bank_source([drill for drill in BANK if drill.slug in drawn]))
    assert secret, "the drills have hidden lines to look for"
    for cell in notebook.cells:
        assert not MARKER.search(cell.source)
        assert not secret & {line.strip() for line in cell.source.splitlines()}
    assert sum("timer.start" in cell.source for cell in notebook.cells) == problems
    assert any("timer.plot()" in cell.source for cell in notebook.cells)


def test_a_learner_can_pick_drills_by_name() -> None:
    chosen = [BANK[-1].slug, BANK[0].slug]
    plan = plan_mock(ROOT, seed=0, problems=1, chosen=chosen)
    assert [drill.slug for drill in plan.drills] == chosen and plan.name == f"drills_{chosen[0]}_{chosen[1]}"
    assert plan.minutes == sum(drill.minutes for drill in plan.drills)
    with pytest.raises(CourseError, match="no drill named no_such_drill"):
        plan_mock(ROOT, seed=0, problems=1, chosen=["no_such_drill"])


def test_a_fixed_mock_is_released_and_graded_like_a_lesson_for_a_cohort(tmp_path: Path) -> None:
    """``course mock --assignment``: every learner of a cohort gets the same graded cells."""
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(ROOT / CONFIG_FILE, course / CONFIG_FILE)
    shutil.copytree(ROOT / DRILLS_FOLDER, course / DRILLS_FOLDER)
    plan = plan_mock(course, seed=4, problems=min(2, len(BANK)))
    assignment = "10_mock_week2"
    add_mock_assignment(course, plan, assignment)
    with pytest.raises(CourseError, match="exists already"):
        add_mock_assignment(course, plan, assignment)
    with pytest.raises(CourseError, match="two digits"):
        add_mock_assignment(course, plan, "Mock Week 2")
    opened = Course.open(course)
    build(opened, [assignment])
    name = f"{assignment}.ipynb"
    cohort = tmp_path / "cohort"
    write_submission(course, assignment, variant_answers(name, plan.drills, {}), cohort / REFERENCE / assignment)
    add_stub(course, assignment, cohort)
    run = grade(opened, assignment, cohort)
    assert run.problems == {}
    for student, expected in ((REFERENCE, "full"), (STUB, "zero")):
        got = sum(row.score or 0.0 for row in run.rows if row.student_id == student)
        most = sum(row.max_score for row in run.rows if row.student_id == student)
        assert most > 0 and got == (most if expected == "full" else 0), (student, got, most)
