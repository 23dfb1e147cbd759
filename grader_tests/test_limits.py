"""The grading kernel's budgets: output bytes, the whole notebook's time, restarts.

Most tests run :class:`course.execution.RestartingExecute` on a small notebook
with small budgets, so each takes seconds; the corpus (graded once, shared with
test_integrity.py and test_repair.py) shows the same limits through ``course grade``.
"""

from __future__ import annotations

import base64
import time
from pathlib import Path

import nbformat
import pytest
from corpus import LESSON, NOTEBOOK, graded_corpus
from nbformat import NotebookNode
from traitlets.config import Config

from course.execution import NOT_RUN, TRUNCATED, RestartingExecute, harden, limits_hit


def execute(tmp_path: Path, sources: list[str], **limits: object) -> NotebookNode:
    """``sources`` as a notebook run by the hardened executor, with ``limits`` set on it."""
    config = harden(Config())
    config.Execute.timeout = limits.pop("timeout", 10)
    for name, value in limits.items():
        setattr(config.RestartingExecute, name, value)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in sources])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    RestartingExecute(config=config).preprocess(notebook, {"metadata": {"path": str(tmp_path)}})
    return notebook


def printed(cell: NotebookNode) -> str:
    return "".join(output.get("text", "") for output in cell.outputs if output.output_type == "stream")


def errors(cell: NotebookNode) -> list[str]:
    return [output.ename for output in cell.outputs if output.output_type == "error"]


# --- output, in bytes, cut while it streams ---


def test_a_flood_of_output_is_cut_as_it_arrives_and_marked_once(tmp_path: Path) -> None:
    notebook = execute(
        tmp_path,
        ["for _ in range(8):\n    print('x' * 2**20)", "print('after the flood')"],
        cell_output_bytes=64 * 2**10,
    )
    flood = printed(notebook.cells[0])
    assert flood.count(TRUNCATED) == 1, flood[-200:]
    assert len(flood.encode()) < 64 * 2**10 + 200
    assert printed(notebook.cells[1]) == "after the flood\n"
    assert limits_hit(notebook) == ["cell 1 printed more output than the grader keeps"]


def test_the_notebook_total_counts_images_too_and_errors_are_always_kept(tmp_path: Path) -> None:
    picture = base64.b64encode(bytes(3000)).decode()
    notebook = execute(
        tmp_path,
        [
            "print('a' * 900)",
            "print('b' * 900)",
            f"from IPython.display import display\ndisplay({{'image/png': {picture!r}}}, raw=True)",
            "print('c' * 900)",
            "raise ValueError('v' * 10**6)",
        ],
        cell_output_bytes=5000,
        notebook_output_bytes=2500,
    )
    assert printed(notebook.cells[0]).startswith("a" * 900) and TRUNCATED not in printed(notebook.cells[0])
    assert TRUNCATED not in printed(notebook.cells[1])
    assert not [output for output in notebook.cells[2].outputs if output.output_type == "display_data"]
    assert TRUNCATED in printed(notebook.cells[2])
    assert TRUNCATED in printed(notebook.cells[3]) and "c" * 800 not in printed(notebook.cells[3])
    assert errors(notebook.cells[4]) == ["ValueError"], "an error decides a grade and must survive the cap"
    assert len(notebook.cells[4].outputs[0].evalue) < 10_000
    assert [hit.split(" ", 2)[1] for hit in limits_hit(notebook)] == ["3", "4"]


# --- the whole notebook's time ---


def test_cells_after_the_time_budget_are_not_run(tmp_path: Path) -> None:
    notebook = execute(tmp_path, ["import time"] + ["time.sleep(1)\nprint('slept')"] * 8, notebook_timeout=3)
    ran = [index for index, cell in enumerate(notebook.cells) if "slept" in printed(cell)]
    assert 1 <= len(ran) <= 3, ran
    assert all(errors(cell) == [NOT_RUN] for cell in notebook.cells[len(ran) + 2 :])
    hits = limits_hit(notebook)
    assert any(hit.startswith("the notebook used its whole time budget (3 s); cells after cell ") for hit in hits), hits


def test_one_long_cell_gets_only_what_the_notebook_has_left(tmp_path: Path) -> None:
    started = time.monotonic()
    notebook = execute(tmp_path, ["import time\ntime.sleep(60)", "print('never')"], timeout=120, notebook_timeout=2)
    assert time.monotonic() - started < 60, "the cell was not cut at the end of the notebook's budget"
    assert "CellTimeoutError" in errors(notebook.cells[0]) and errors(notebook.cells[1]) == [NOT_RUN]


def test_a_cell_that_ignores_the_interrupt_costs_itself_and_a_restart(tmp_path: Path) -> None:
    stubborn = (
        "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except KeyboardInterrupt:\n        pass"
    )
    notebook = execute(tmp_path, ["kept = 'state'", stubborn, "print(kept)"], timeout=2)
    assert errors(notebook.cells[1]) == ["CellTimeoutError"]
    assert printed(notebook.cells[2]) == "state\n", "the cells before it are replayed in the new kernel"
    assert limits_hit(notebook) == ["cell 2 hit the time limit"]


def test_the_default_budget_follows_the_per_cell_limit() -> None:
    assert RestartingExecute(timeout=120).time_budget == 600
    assert RestartingExecute(timeout=300).time_budget == 1500
    assert RestartingExecute(timeout=5).time_budget == 600


# --- restarts ---


def test_a_kernel_killed_again_and_again_is_restarted_only_up_to_the_cap(tmp_path: Path) -> None:
    notebook = execute(tmp_path, ["survivor = 1"] + ["import os\nos._exit(1)"] * 5 + ["print('never')"], max_restarts=2)
    assert [errors(cell) for cell in notebook.cells[1:]] == [["DeadKernelError"]] * 3 + [[NOT_RUN]] * 3
    hits = limits_hit(notebook)
    assert "the kernel died 3 times; cells after cell 4 were not run" in hits, hits


# --- through `course grade`, in the corpus ---


@pytest.fixture(scope="module")
def corpus():
    return graded_corpus()


def test_a_flooding_cell_leaves_a_small_graded_notebook_and_is_named(corpus) -> None:
    course = corpus.run.scores_csv.parents[2]
    graded = course / "autograded" / "floods_output" / LESSON / NOTEBOOK
    assert graded.stat().st_size < 2**20
    assert "printed more output than the grader keeps" in corpus.outcome("floods_output").message
    assert corpus.points("floods_output") == corpus.max_points


def test_cells_after_the_restart_cap_score_zero(corpus) -> None:
    outcome = corpus.outcome("kills_kernel_repeatedly")
    assert "the kernel died 4 times; cells after" in outcome.message, outcome
    assert corpus.points("kills_kernel_repeatedly") == 0
