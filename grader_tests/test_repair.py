"""Repair and rejection: mangled submissions graded like their intact twins."""

from __future__ import annotations

import copy
import csv
import json

import nbformat
import pytest
from corpus import LESSON, NOTEBOOK, graded_corpus
from course_under_test import LESSONS, ROOT

from course.cells import nbgrader_meta
from course.context import Course
from course.grade import STATUSES, SUBMISSION_COLUMNS, _which_lesson
from course.repair import (
    NotThisLesson,
    Rejected,
    pick_notebooks,
    read_notebook,
    repair_notebook,
)
from course.submissions import fill, reference_answers

# One worker grades the corpus once for this file and its sibling.

RELEASE = nbformat.read(ROOT / "release" / LESSON / NOTEBOOK, as_version=4)
GOOD = fill(RELEASE, NOTEBOOK, reference_answers(ROOT, LESSON))


def _graded(notebook: nbformat.NotebookNode) -> dict[str, tuple[str, dict, str]]:
    """grade_id -> (cell type, nbgrader metadata, source) of every nbgrader cell."""
    return {
        nbgrader_meta(cell)["grade_id"]: (cell.cell_type, nbgrader_meta(cell), cell.source)
        for cell in notebook.cells
        if nbgrader_meta(cell)
    }


def _repaired(notebook: nbformat.NotebookNode) -> tuple[nbformat.NotebookNode, list[str]]:
    parsed, changes = read_notebook("x.ipynb", nbformat.writes(notebook).encode())
    repaired, more = repair_notebook(parsed, RELEASE, "x.ipynb")
    return repaired, changes + more


def test_an_intact_submission_needs_no_repair() -> None:
    repaired, changes = _repaired(GOOD)
    assert changes == []
    assert _graded(repaired) == _graded(GOOD)


def test_stripped_metadata_is_restored_and_the_answer_kept() -> None:
    stripped = copy.deepcopy(GOOD)
    for cell in stripped.cells:
        cell.metadata = {}
    repaired, changes = _repaired(stripped)
    assert _graded(repaired) == _graded(GOOD)
    assert any("restored the nbgrader metadata of cell mse_rmse" in change for change in changes)


def test_a_retyped_answer_cell_is_turned_back_with_its_text() -> None:
    retyped = copy.deepcopy(GOOD)
    answer = next(cell for cell in retyped.cells if nbgrader_meta(cell).get("grade_id") == "mse_rmse")
    answer.cell_type = "markdown"
    del answer["outputs"], answer["execution_count"]
    repaired, _ = _repaired(retyped)
    assert _graded(repaired) == _graded(GOOD)


def test_a_learner_cell_carrying_an_unknown_grade_id_loses_only_its_metadata() -> None:
    odd = copy.deepcopy(GOOD)
    odd.cells.append(
        nbformat.v4.new_code_cell("x = 1", metadata={"nbgrader": {"grade": True, "grade_id": "mine", "points": 99}})
    )
    repaired, changes = _repaired(odd)
    assert repaired.cells[-1].source == "x = 1" and "nbgrader" not in repaired.cells[-1].metadata
    assert any("does not have (mine)" in change for change in changes)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"   \n", "is empty"),
        (b'{"cells": [', "not valid JSON"),
        (b"[1, 2, 3]", "not a Jupyter notebook"),
        (b"\xff\xfe\x00garbage", "not a text file"),
    ],
)
def test_unreadable_files_are_rejected_with_a_reason(content: bytes, reason: str) -> None:
    with pytest.raises(Rejected, match=reason):
        read_notebook("x.ipynb", content)


def test_several_notebooks_are_matched_by_name_or_rejected() -> None:
    assert pick_notebooks({"a.ipynb": b"1", NOTEBOOK: b"2"}, [NOTEBOOK]) == {NOTEBOOK: (NOTEBOOK, b"2")}
    with pytest.raises(Rejected, match="none is named"):
        pick_notebooks({"a.ipynb": b"1", "b.ipynb": b"2"}, [NOTEBOOK])


# --- the corpus, graded in one batch (builds a scratch course; ~2-3 minutes) ---


@pytest.fixture(scope="module")
def corpus():
    return graded_corpus()


def test_every_submission_gets_the_status_and_reason_it_deserves(corpus) -> None:
    wrong = []
    for case in corpus.cases:
        outcome = corpus.outcome(case.student)
        if outcome.status != case.status or case.reason not in outcome.message:
            wrong.append(
                f"{case.student}: expected {case.status} ({case.reason!r}), got {outcome.status}: {outcome.message}"
            )
    assert not wrong, "\n".join(wrong)


def test_good_submissions_score_exactly_and_repaired_ones_as_their_twin(corpus) -> None:
    assert corpus.max_points > 0
    assert corpus.points("good") == corpus.max_points
    assert corpus.points("stub") == 0
    wrong = {
        case.student: (corpus.points(case.student), corpus.points(case.twin))
        for case in corpus.cases
        if case.twin and corpus.points(case.student) != corpus.points(case.twin)
    }
    assert not wrong, f"score differs from the twin's (got, twin): {wrong}"


def test_rejected_submissions_have_no_scores_and_the_batch_went_on(corpus) -> None:
    rejected = {case.student for case in corpus.cases if case.status == "rejected"}
    scored = set(corpus.run.students)
    assert not rejected & scored
    assert scored == {case.student for case in corpus.cases} - rejected


def test_submissions_csv_has_one_row_per_student(corpus) -> None:
    with corpus.run.submissions_csv.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == SUBMISSION_COLUMNS
    assert sorted(row["student_id"] for row in rows) == sorted(case.student for case in corpus.cases)
    assert {row["status"] for row in rows} == set(STATUSES)
    assert all(row["message"] for row in rows if row["status"] != "graded" or row["student_id"] == "infinite_loop")


def test_grading_never_changed_what_was_handed_in(corpus) -> None:
    assert {path.name: path.read_bytes() for path in corpus.handed_in.iterdir()} == corpus.before


def test_the_graded_notebook_keeps_inserted_learner_cells(corpus) -> None:
    graded = json.loads(
        (corpus.run.scores_csv.parents[2] / "autograded" / "inserted_cells" / LESSON / NOTEBOOK).read_text()
    )
    sources = ["".join(cell["source"]) for cell in graded["cells"]]
    assert "scratch = mse_rmse([1.0], [2.0])" in sources
    assert "My notes: remember the square root." in sources


def test_a_missing_answer_cell_is_not_replaced_by_its_stub() -> None:
    moved = copy.deepcopy(GOOD)
    answer = next(i for i, cell in enumerate(moved.cells) if nbgrader_meta(cell).get("grade_id") == "mse_rmse")
    moved.cells.insert(0, nbformat.v4.new_code_cell(moved.cells.pop(answer).source))
    moved.cells[0].source = "import numpy as np\n" + moved.cells[0].source
    repaired, changes = _repaired(moved)
    assert not any("NotImplementedError" in cell.source for cell in repaired.cells if cell.cell_type == "code")
    assert any("answer cell mse_rmse is missing" in change for change in changes)


def test_another_lessons_notebook_is_rejected_and_named() -> None:
    other = next(path for path in sorted((ROOT / "release").glob("*/*.ipynb")) if path.parent.name != LESSON)
    data = other.read_bytes()
    with pytest.raises(NotThisLesson, match="another lesson"):
        repair_notebook(read_notebook(other.name, data)[0], RELEASE, other.name)
    assert (
        _which_lesson(Course.open(ROOT), LESSON, {other.name: data})
        == f" It looks like {other.parent.name}'s notebook."
    )


@pytest.mark.parametrize("lesson", LESSONS)
def test_every_lessons_answered_notebook_survives_a_metadata_stripping_editor(lesson: str) -> None:
    for path in sorted((ROOT / "release" / lesson).glob("*.ipynb")):
        release = nbformat.read(path, as_version=4)
        answered = fill(release, path.name, reference_answers(ROOT, lesson))
        stripped = json.loads(nbformat.writes(answered))
        for cell in stripped["cells"]:
            cell["metadata"] = {}
        parsed, _ = read_notebook(path.name, json.dumps(stripped).encode())
        repaired, _ = repair_notebook(parsed, release, path.name)
        assert _graded(repaired) == _graded(answered)


# --- written answers without metadata: found below their question, not by position alone ---

LEARNER_NOTES = (
    "Note to self: read this part again before the real interview.",
    "*(I came back to this after lesson 03.)*",
)


def _written_answer_ids(release: nbformat.NotebookNode) -> list[str]:
    return [
        nbgrader_meta(cell)["grade_id"]
        for cell in release.cells
        if cell.cell_type == "markdown" and nbgrader_meta(cell).get("solution")
    ]


@pytest.mark.parametrize("lesson", LESSONS)
@pytest.mark.parametrize("note", LEARNER_NOTES)
def test_a_learner_note_just_before_a_written_answer_stays_an_ordinary_cell(lesson: str, note: str) -> None:
    for path in sorted((ROOT / "release" / lesson).glob("*.ipynb")):
        release = nbformat.read(path, as_version=4)
        answered = fill(release, path.name, reference_answers(ROOT, lesson))
        for grade_id in _written_answer_ids(release):
            stripped = json.loads(nbformat.writes(answered))
            for cell in stripped["cells"]:
                cell["metadata"] = {}
            at = next(i for i, cell in enumerate(answered.cells) if nbgrader_meta(cell).get("grade_id") == grade_id)
            stripped["cells"].insert(at, {"cell_type": "markdown", "metadata": {}, "source": note})
            parsed, _ = read_notebook(path.name, json.dumps(stripped).encode())
            repaired, _ = repair_notebook(parsed, release, path.name)
            assert _graded(repaired) == _graded(answered), f"{path.name}: {grade_id} lost its answer to the note"
            assert [cell.source for cell in repaired.cells if cell.source == note and not nbgrader_meta(cell)] == [note]


def test_a_written_answer_kept_below_its_stub_text_is_the_graded_one() -> None:
    stripped = copy.deepcopy(GOOD)
    for cell in stripped.cells:
        cell.metadata = {}
    at = next(
        i for i, cell in enumerate(GOOD.cells) if nbgrader_meta(cell).get("grade_id") == "understanding-follow_ups"
    )
    stripped.cells[at].source = "YOUR ANSWER HERE\n\nOutliers dominate MSE."
    # A note sharing more of the question's words, placed where the answer was.
    stripped.cells.insert(
        at, nbformat.v4.new_markdown_cell("My notes on which errors MSE punishes, outliers and MAE. " * 5)
    )
    repaired, _ = _repaired(stripped)
    assert _graded(repaired)["understanding-follow_ups"][2] == "YOUR ANSWER HERE\n\nOutliers dominate MSE."


@pytest.mark.parametrize("cell", [{"metadata": "edited by hand"}, {"metadata": {"nbgrader": ["grade"]}}, {}])
def test_metadata_that_is_not_a_mapping_reads_as_none(cell: dict) -> None:
    assert nbgrader_meta(nbformat.from_dict(cell)) == {}
