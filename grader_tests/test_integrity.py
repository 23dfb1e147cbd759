"""Integrity: flagged tampering, kernel limits, and honest code left alone."""

from __future__ import annotations

import copy
import json
import re

import nbformat
import pytest
from corpus import CHEAT_CELLS, HONEST_CELLS, LESSON, NOTEBOOK, graded_corpus
from course_under_test import LESSONS, ROOT
from nbgrader.api import Gradebook
from traitlets.config import Config

from course import integrity
from course.cells import nbgrader_meta
from course.context import Course
from course.execution import WARNING_LINE, harden
from course.gradebook import set_flag
from course.integrity import scan, scan_cell
from course.submissions import fill, reference_answers

RELEASE = nbformat.read(ROOT / "release" / LESSON / NOTEBOOK, as_version=4)
GOOD = fill(RELEASE, NOTEBOOK, reference_answers(ROOT, LESSON))


# One worker grades the corpus once for this file and its sibling.


@pytest.mark.parametrize(
    ("source", "reason"),
    [
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
        ("import sys\nsys.settrace(None)", "sys.settrace"),
        ("import sys as s\ns.modules['numpy'] = None", "changes s.modules['numpy'], a hook"),
        ("get_ipython().events.register('pre_run_cell', print)", "events.register"),
        ("!cat ../../../gradebook.db", "grader's files"),
        ("exec('import math\\nmath.sqrt = abs')", "changes math.sqrt"),
    ],
)
def test_tampering_is_found_and_costs_points(source: str, reason: str) -> None:
    found = integrity.scan_source(source)
    assert any(reason in finding.reason and finding.costs_points for finding in found), found


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("import os\nmode = os.environ.get('NBGRADER_EXECUTION')", "grader's mode"),
        ("where = '../../../source/00_warmup'", "names the grader's files"),
        ("exec(compile(text, 'x', 'exec'))", "exec"),
        ("fn = getattr(np, name)", "getattr"),
        ("rows = open('/home/me/source/data.csv').read()", "outside the course"),
    ],
)
def test_weak_findings_are_reported_without_cost(source: str, reason: str) -> None:
    found = integrity.scan_source(source)
    assert found and all(
        finding.strength is integrity.Strength.WEAK and not finding.costs_points for finding in found
    ), found
    assert any(reason in finding.reason for finding in found), found


def test_an_absolute_path_into_the_course_costs_points() -> None:
    found = integrity.scan_source(
        "answers = open('/srv/course/source/00_warmup/00_warmup.ipynb').read()", course="/srv/course"
    )
    assert [finding.costs_points for finding in found] == [True], found


@pytest.mark.parametrize("cheat", ["source", "gradebook"])
def test_the_scanner_leaves_paths_built_from_pieces_to_the_sandbox(cheat: str) -> None:
    # The sandbox test's snoop relies on this: it must be the sandbox that stops it.
    pieces = {
        "source": 'open(os.path.join(course, "sou" + "rce", "00_warmup.ipynb"))',
        "gradebook": 'open(os.path.join(course, "gradebook" + "." + "db"))',
    }
    assert scan_cell("import os\ncourse = os.sep + os.path.join(*COURSE)\n" + pieces[cheat]) == []


@pytest.mark.parametrize(
    "source",
    [
        "x = np.zeros(3)\nx[0] = 1.0\nself_mean = np.mean(x)",
        "%matplotlib inline\nplt.plot([1, 2])",
        "def f(:\n    pass",  # a syntax error fails at run time, on its own
        'def f():\n    """Reads nothing from source/ or release/."""\n    return 1',
        "class Point:\n    def __eq__(self, other):\n        return self.x == other.x",
        'print("source/target")',
        'fig.savefig("../figures/x.png")',
        "submitted = True",
        "print(np.append(np.zeros(2), 1.0), np.insert(np.ones(2), 0, 5.0))",
        'pattern = __import__("re").compile("x+")',
    ],
)
def test_honest_code_is_not_flagged(source: str) -> None:
    assert scan_cell(source) == []


def _with_cell(source: str) -> nbformat.NotebookNode:
    """The reference notebook with one learner cell added after the answers."""
    notebook = copy.deepcopy(GOOD)
    notebook.cells.append(nbformat.v4.new_code_cell(source))
    return notebook


def test_the_scan_tells_honest_words_from_cheats(record_property) -> None:
    """Rates of the scan on the corpus, as grading would charge them.

    False-flag rate: honest notebooks that would lose points (must be 0).
    Detection rate: cheats reported at all, as a note or a flag (must be 1),
    and strong detection rate: strong cheats that lose points (must be 1).
    The numbers go to the junit report and the test's output.
    """
    honest = {name: scan(_with_cell(source)) for name, source in HONEST_CELLS.items()}
    cheats = {name: scan(_with_cell(source)) for name, (source, _) in CHEAT_CELLS.items()}
    strong = {name for name, (_, strength) in CHEAT_CELLS.items() if strength == "strong"}
    flagged = {name for name, found in honest.items() if any(finding.costs_points for finding in found)}
    noted = {name for name, found in honest.items() if found}
    missed = {name for name, found in cheats.items() if not found}
    not_charged = {name for name in strong if not any(finding.costs_points for finding in cheats[name])}
    overcharged = {name for name in set(cheats) - strong if any(finding.costs_points for finding in cheats[name])}
    rates = {
        "honest_notebooks": len(honest),
        "cheats": len(cheats),
        "strong_cheats": len(strong),
        "false_flag_rate": len(flagged) / len(honest),
        "honest_note_rate": len(noted) / len(honest),
        "detection_rate": 1 - len(missed) / len(cheats),
        "strong_detection_rate": 1 - len(not_charged) / len(strong),
    }
    for key, value in rates.items():
        record_property(key, value)
    print("integrity scan on the corpus:", rates)
    assert len(honest) >= 15 and len(cheats) >= 15
    assert not flagged, {name: honest[name] for name in flagged}
    assert not noted, {name: honest[name] for name in noted}
    assert not missed, missed
    assert not not_charged, {name: cheats[name] for name in not_charged}
    assert not overcharged, {name: cheats[name] for name in overcharged}


def test_every_edited_locked_cell_is_found_and_whitespace_is_not() -> None:
    locked = [i for i, cell in enumerate(GOOD.cells) if nbgrader_meta(cell).get("locked")]
    edited = copy.deepcopy(GOOD)
    edited.cells[locked[0]].source += "\nnp.isclose = lambda *args, **kwargs: True"
    edited.cells[locked[-1]].source = "   " + edited.cells[locked[-1]].source.replace("\n", "  \n\n") + "\n"
    found = integrity.edited_locked_cells(edited, RELEASE)
    grade_id = nbgrader_meta(GOOD.cells[locked[0]])["grade_id"]
    assert [finding.describe() for finding in found] == [
        f"locked cell {grade_id} was edited; nbgrader graded the instructor's version"
    ]
    assert not found[0].costs_points, "nbgrader already graded the instructor's version"
    assert integrity.edited_locked_cells(GOOD, RELEASE) == []


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
    with Gradebook(Course.open(course).db_url) as gradebook:
        notebook = gradebook.find_submission_notebook(NOTEBOOK[:-6], LESSON, "patches_numpy")
        auto = [grade for grade in notebook.grades if grade.cell_type == "code"]
        assert all(grade.manual_score == 0 for grade in auto)
        assert sum(grade.auto_score for grade in auto) == corpus.max_points, "nbgrader's own score is kept"
        written = {grade.name for grade in notebook.grades if grade.cell_type != "code"}
        assert all(
            "np.isclose" in comment.manual_comment for comment in notebook.comments if comment.name not in written
        )
        assert not any(comment.manual_comment for comment in notebook.comments if comment.name in written), (
            "the flag must not touch comments on written answers"
        )


def test_a_later_honest_run_clears_the_flag_and_nothing_else(corpus) -> None:
    url = Course.open(corpus.run.scores_csv.parents[2]).db_url
    with Gradebook(url) as gradebook:
        answer = gradebook.find_comment("understanding-follow_ups", NOTEBOOK[:-6], LESSON, "always_equal")
        answer.manual_comment = "a person's feedback"
        gradebook.db.commit()
    set_flag(url, LESSON, "always_equal", [])
    with Gradebook(url) as gradebook:
        notebook = gradebook.find_submission_notebook(NOTEBOOK[:-6], LESSON, "always_equal")
        assert sum(grade.score for grade in notebook.grades if grade.cell_type == "code") == corpus.max_points
        assert (
            gradebook.find_comment("understanding-follow_ups", NOTEBOOK[:-6], LESSON, "always_equal").manual_comment
            == "a person's feedback"
        )


def test_the_kernel_works_in_a_private_directory(corpus) -> None:
    course = corpus.run.scores_csv.parents[2]
    graded = json.loads((course / "autograded" / "where_am_i" / LESSON / NOTEBOOK).read_text())
    printed = "".join("".join(output.get("text", "")) for cell in graded["cells"] for output in cell.get("outputs", []))
    where = re.search(r"working directory: (\S+)", printed).group(1)
    assert not where.startswith(str(course)), f"the kernel ran inside the course directory: {where}"


def test_a_banned_import_costs_the_code_quality_points_only(corpus) -> None:
    code_quality = sum(
        row.max_score for row in corpus.run.rows if row.student_id == "good" and row.category == "code_quality"
    )
    assert code_quality > 0
    assert corpus.points("imports_sklearn") == corpus.max_points - code_quality
    assert "points of code_quality withheld" in corpus.outcome("imports_sklearn").message


def test_honest_words_cost_nothing_and_are_not_reported(corpus) -> None:
    assert corpus.points("honest_words") == corpus.max_points
    assert corpus.outcome("honest_words") == type(corpus.outcome("good"))("honest_words", "graded", "")


def test_a_weak_finding_is_a_note_and_costs_nothing(corpus) -> None:
    outcome = corpus.outcome("computed_exec")
    assert (outcome.status, corpus.points("computed_exec")) == ("graded", corpus.max_points)
    assert outcome.message.startswith("note for the instructor: "), outcome.message


def test_a_hook_that_swallows_errors_is_charged(corpus) -> None:
    assert corpus.outcome("swallows_errors").status == "flagged"
    assert corpus.points("swallows_errors") == 0


@pytest.mark.parametrize(("student", "twin"), [("edited_test_cell", "good"), ("cheat_in_setup", "stub")])
def test_edited_locked_cells_are_reported_and_earn_nothing(corpus, student: str, twin: str) -> None:
    outcome = corpus.outcome(student)
    assert outcome.status == "graded" and "nbgrader graded the instructor's version" in outcome.message, outcome
    assert corpus.points(student) == corpus.points(twin)


def test_reformatted_locked_cells_are_not_reported(corpus) -> None:
    assert corpus.outcome("reformatted_locked_cells").message == ""
    assert corpus.points("reformatted_locked_cells") == corpus.max_points
