"""Integrity: flagged tampering, kernel limits, and honest code left alone."""

from __future__ import annotations

import json
import re

import pytest
from nbgrader.api import Gradebook
from traitlets.config import Config

from conftest import LESSONS, ROOT
from corpus import LESSON, NOTEBOOK, graded_corpus
from course.grade import set_flag
from course.execution import WARNING_LINE, harden
from course.integrity import scan_cell
from course.nbgrader_api import db_url
from course.submissions import reference_answers


# One worker grades the corpus once for this file and its sibling.

@pytest.mark.parametrize(("source", "reason"), [
    ("import sklearn.linear_model", "imports sklearn"),
    ("from torch import nn", "imports torch"),
    ("mod = __import__('tensorflow')", "imports tensorflow"),
    ("import importlib\nimportlib.import_module('jax.numpy')", "imports jax"),
    ("np.allclose = lambda *a, **k: True", "changes np.allclose"),
    ("import numpy as xp\nxp.testing.assert_allclose = print", "changes xp.testing.assert_allclose"),
    ("import math\nmath.isclose = max", "changes math.isclose"),
    ("import builtins\nbuiltins.abs = abs", "changes builtins.abs"),
    ("__builtins__['len'] = lambda x: 0", "changes __builtins__['len']"),
    ("setattr(np, 'mean', min)", "changes setattr(np"),
    ("class Result(float):\n    def __eq__(self, other):\n        return True", "always true"),
    ("class Result:\n    __eq__ = lambda self, other: True", "always true"),
    ("text = open('../source/00_warmup/00_warmup.ipynb').read()", "grader's files"),
    ("import os\nmode = os.environ.get('NBGRADER_EXECUTION')", "grader's files or mode"),
])
def test_tampering_is_found(source: str, reason: str) -> None:
    assert any(reason in found for found in scan_cell(source)), scan_cell(source)


@pytest.mark.parametrize("source", [
    "x = np.zeros(3)\nx[0] = 1.0\nself_mean = np.mean(x)",
    "%matplotlib inline\nplt.plot([1, 2])",
    "def f(:\n    pass",  # a syntax error fails at run time, on its own
    'def f():\n    """Reads nothing from source/ or release/."""\n    return 1',
    "class Point:\n    def __eq__(self, other):\n        return self.x == other.x",
])
def test_honest_code_is_not_flagged(source: str) -> None:
    assert scan_cell(source) == []


@pytest.mark.parametrize("lesson", LESSONS)
def test_no_reference_answer_is_flagged(lesson: str) -> None:
    flagged = {key: scan_cell(answer) for key, answer in reference_answers(ROOT, lesson).items()}
    assert not {key: found for key, found in flagged.items() if found}


def test_hardened_config_caps_memory_and_forgives_warnings_only() -> None:
    config = harden(Config(), memory_bytes=2**30)
    assert any("RLIMIT_AS" in argument and str(2**30) in argument for argument in config.Execute.extra_arguments)
    assert re.search(WARNING_LINE, "/tmp/ipykernel_1/123.py:4: RuntimeWarning: divide by zero\n  x = 1 / 0\n")
    assert not re.search(WARNING_LINE, "my own message on stderr\n")


# --- the corpus, graded in one batch (shared with test_repair.py) ---

@pytest.fixture(scope="module")
def corpus():
    return graded_corpus()


def test_flagged_points_are_withheld_as_a_reversible_manual_grade(corpus) -> None:
    course = corpus.run.scores_csv.parents[2]
    assert corpus.points("patches_numpy") == 0
    with Gradebook(db_url(course)) as gradebook:
        notebook = gradebook.find_submission_notebook(NOTEBOOK[:-6], LESSON, "patches_numpy")
        auto = [grade for grade in notebook.grades if grade.cell_type == "code"]
        assert all(grade.manual_score == 0 for grade in auto)
        assert sum(grade.auto_score for grade in auto) == corpus.max_points, "nbgrader's own score is kept"
        written = {grade.name for grade in notebook.grades if grade.cell_type != "code"}
        assert all("np.isclose" in comment.manual_comment for comment in notebook.comments if comment.name not in written)
        assert not any(comment.manual_comment for comment in notebook.comments if comment.name in written), \
            "the flag must not touch comments on written answers"


def test_a_later_honest_run_clears_the_flag_and_nothing_else(corpus) -> None:
    url = db_url(corpus.run.scores_csv.parents[2])
    with Gradebook(url) as gradebook:
        answer = gradebook.find_comment("understanding-follow_ups", NOTEBOOK[:-6], LESSON, "always_equal")
        answer.manual_comment = "a person's feedback"
        gradebook.db.commit()
    set_flag(url, LESSON, "always_equal", [])
    with Gradebook(url) as gradebook:
        notebook = gradebook.find_submission_notebook(NOTEBOOK[:-6], LESSON, "always_equal")
        assert sum(grade.score for grade in notebook.grades if grade.cell_type == "code") == corpus.max_points
        assert gradebook.find_comment("understanding-follow_ups", NOTEBOOK[:-6], LESSON, "always_equal").manual_comment \
            == "a person's feedback"


def test_the_kernel_works_in_a_private_directory(corpus) -> None:
    course = corpus.run.scores_csv.parents[2]
    graded = json.loads((course / "autograded" / "where_am_i" / LESSON / NOTEBOOK).read_text())
    printed = "".join("".join(output.get("text", "")) for cell in graded["cells"] for output in cell.get("outputs", []))
    where = re.search(r"working directory: (\S+)", printed).group(1)
    assert not where.startswith(str(course)), f"the kernel ran inside the course directory: {where}"


def test_a_banned_import_costs_the_code_quality_points_only(corpus) -> None:
    code_quality = sum(row.max_score for row in corpus.run.rows
                       if row.student_id == "good" and row.category == "code_quality")
    assert code_quality > 0
    assert corpus.points("imports_sklearn") == corpus.max_points - code_quality
    assert "points of code_quality withheld" in corpus.outcome("imports_sklearn").message
