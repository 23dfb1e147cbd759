"""The pieces of ``course grade --cluster`` that need no cluster: replaying a worker's outputs, identities.

The whole run (a local Dask cluster losing a worker, scores compared byte for
byte with one machine's, a refused worker) is in test_scale.py.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from course_under_test import ROOT
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from course.cluster import Identity, ReplayOutputs, identity, package_digest
from course.layout import CONFIG_FILE
from course.selftest import scratch_course

RESOURCES = {"nbgrader": {"student": "ada", "notebook": "lesson"}}


def graded_by_worker(folder: Path, cells: list) -> None:
    (folder / "ada").mkdir(parents=True)
    nbformat.write(new_notebook(cells=cells), folder / "ada" / "lesson.ipynb")


def test_the_replay_gives_each_cell_the_workers_outputs(tmp_path: Path) -> None:
    ran = new_code_cell("f(1)", execution_count=3)
    ran.outputs = [new_output("error", ename="AssertionError", evalue="f(1) must be 2", traceback=[])]
    ran.metadata["harness"] = {"origin": "test", "function": None}
    graded_by_worker(tmp_path, [new_markdown_cell("# Lesson"), ran])
    here = new_notebook(cells=[new_markdown_cell("# Lesson"), new_code_cell("f(1)")])
    replayed, _ = ReplayOutputs(folder=str(tmp_path)).preprocess(here, RESOURCES)
    assert replayed.cells[1].outputs[0]["evalue"] == "f(1) must be 2"
    assert replayed.cells[1].execution_count == 3 and replayed.cells[1].metadata["harness"]["origin"] == "test"


def test_a_worker_notebook_with_other_cells_is_refused(tmp_path: Path) -> None:
    graded_by_worker(tmp_path, [new_code_cell("assert f(1) == 3")])
    here = new_notebook(cells=[new_code_cell("assert f(1) == 2")])
    with pytest.raises(ValueError, match="other cells than this machine's"):
        ReplayOutputs(folder=str(tmp_path)).preprocess(here, RESOURCES)


def test_an_identity_changes_with_the_grader_and_not_with_the_folder(tmp_path: Path) -> None:
    first = scratch_course(ROOT, "00_warmup", tmp_path / "one")
    second = scratch_course(ROOT, "00_warmup", tmp_path / "two")
    assert identity(first, "00_warmup").matches(identity(second, "00_warmup"))
    with (second / CONFIG_FILE).open("a") as config:
        config.write("c.Execute.timeout = 5\n")
    assert not identity(first, "00_warmup").matches(identity(second, "00_warmup"))
    assert not Identity("g", package_digest(), "x").matches(Identity("g", "another package", "x"))
