"""Round trips through learners' real clients: the lesson as Google Colab and as
VS Code save it grades exactly like the notebook they were given.

The client files are imitated, from the release notebook with the reference
answers typed in, after what those clients are seen to write:

* Google Colab (*File → Download → Download .ipynb*): nbformat 4.0
  (``nbformat_minor: 0``, so no cell ``id`` fields), 2-space indentation, no
  final newline; top-level ``metadata.colab`` (``provenance``, ``name``,
  ``gpuType``), ``accelerator``, a ``kernelspec`` reduced to ``name`` and
  ``display_name`` and ``language_info`` to its ``name``; each cell's metadata
  replaced by Colab's own (``id``, and on cells that ran ``colab.base_uri``,
  ``executionInfo`` with the user's name and ``outputId``), so nbgrader's cell
  metadata is gone; executed cells carry outputs and execution counts. "Save a
  copy in GitHub" also puts an "Open in Colab" badge cell first (metadata
  ``{"id": "view-in-github", "colab_type": "text"}``, ``include_colab_link``).
  Sources: Colab-saved notebooks on GitHub, e.g. hiyalukka/python-progress-tracker
  ``tracker.py`` (an .ipynb), hyeontae04/202310968 ``hw7.py`` and
  sarahlawlis/esci-shopping-queries ``Will_Documentation.md`` (nbformat_minor 0,
  the badge cell, ``outputId``), valeriamincyt/valeriamincyt-openalex_inst_pars_fer
  ``002b_language_model.py`` (``executionInfo``), and googlecolab/colabtools#581
  (Colab's cell ids live in the cell metadata).
* VS Code (the built-in ``ipynb`` serializer that the Jupyter extension uses):
  cell metadata and cell ids kept as read, ``nbformat_minor`` kept, every key
  sorted recursively, the file's own indentation (1 space for ours) and a final
  newline; after a kernel was picked, the Jupyter extension's ``kernelspec``
  and full ``language_info`` and, in releases of 2022-23, ``metadata.vscode.
  interpreter.hash``. Sources: microsoft/vscode ``extensions/ipynb/src/
  notebookSerializer.ts`` and ``serializers.ts``; VS Code-saved notebooks on
  GitHub with ``vscode.interpreter.hash``.

What nobody could verify here: whether today's Colab keeps any of nbgrader's
cell metadata (the imitation assumes the worst, that it keeps none) and the
exact outputs each client writes; the grader drops outputs before grading, so
only their shape matters.
"""

from __future__ import annotations

import copy
import json
import random
import uuid
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from course_under_test import ROOT
from scratch import ScratchCourses

from course.cells import nbgrader_meta
from course.context import Course
from course.grade import GradeRun, grade
from course.scores import ScoreRow
from course.selftest import auto_points
from course.submissions import fill, reference_answers

# 00_warmup is quick; 01_regression is a long notebook (64 cells, 27 with
# nbgrader metadata) with plots, where matching by position has the most cells to get wrong.
LESSONS = ["00_warmup", "01_regression"]
ORIGINAL, COLAB, COLAB_GITHUB, VSCODE = "original", "colab", "colab-github", "vscode"
# A 1x1 transparent PNG: the shape of a plot's output, not its size.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"


def _lines(text: str) -> list[str]:
    """A multi-line string split the way notebook files store it."""
    return text.splitlines(keepends=True)


def _executed(notebook: nbformat.NotebookNode) -> dict[int, list[dict]]:
    """Outputs as a learner's session leaves them, by cell index (every code cell ran once, in order).

    The answer cell printed something while the learner tried it, the first
    test cell still shows the error of a run before the answer was right, and
    the first ordinary code cell drew a plot.
    """
    code = [i for i, cell in enumerate(notebook.cells) if cell.cell_type == "code"]
    answer = next(i for i in code if nbgrader_meta(notebook.cells[i]).get("solution"))
    test = next(i for i in code if nbgrader_meta(notebook.cells[i]).get("grade") and i > answer)
    plot = next((i for i in code if not nbgrader_meta(notebook.cells[i])), None)
    outputs: dict[int, list[dict]] = {i: [] for i in code}
    outputs[answer] = [{"output_type": "stream", "name": "stdout", "text": ["trying it: 0.375 0.6123724356957945\n"]}]
    outputs[test] = [
        {
            "output_type": "error",
            "ename": "AssertionError",
            "evalue": "expected (0.375, 0.612...)",
            "traceback": [
                "\x1b[0;31m---------------------------------------------------------------------------\x1b[0m",
                "\x1b[0;31mAssertionError\x1b[0m                            Traceback (most recent call last)",
                "\x1b[0;31mAssertionError\x1b[0m: expected (0.375, 0.612...)",
            ],
        }
    ]
    if plot is not None:
        outputs[plot] = [
            {
                "output_type": "display_data",
                "metadata": {},
                "data": {"text/plain": ["<Figure size 640x480 with 1 Axes>"], "image/png": PNG},
            }
        ]
    return outputs


def as_colab(notebook: nbformat.NotebookNode, title: str, rng: random.Random, *, github_badge: bool = False) -> bytes:
    """The file Colab's *Download .ipynb* gives for ``notebook`` after a session (see the module's docstring)."""
    outputs = _executed(notebook)
    count = 0
    cells: list[dict[str, object]] = []
    if github_badge:
        cells.append(
            {
                "cell_type": "markdown",
                "metadata": {"id": "view-in-github", "colab_type": "text"},
                "source": [
                    '<a href="https://colab.research.google.com/github/OWNER/REPO/blob/main/'
                    f'{title}" target="_parent"><img src="https://colab.research.google.com/assets/'
                    'colab-badge.svg" alt="Open In Colab"/></a>'
                ],
            }
        )
    for i, cell in enumerate(notebook.cells):
        metadata: dict = {"id": "".join(rng.choice(ID_ALPHABET) for _ in range(12))}
        if cell.cell_type != "code":
            cells.append({"cell_type": cell.cell_type, "metadata": metadata, "source": _lines(cell.source)})
            continue
        count += 1
        if outputs[i]:
            failed = any(output["output_type"] == "error" for output in outputs[i])
            metadata = {
                "colab": {"base_uri": "https://localhost:8080/"},
                "executionInfo": {
                    "elapsed": rng.randint(5, 900),
                    "status": "error" if failed else "ok",
                    "timestamp": 1763800000000 + 1000 * count,
                    "user": {"displayName": "Ada Learner", "userId": "06366185027922693499"},
                    "user_tz": -60,
                },
                "id": metadata["id"],
                "outputId": str(uuid.UUID(int=rng.getrandbits(128))),
            }
        # Colab writes the cells it ran with their source first.
        cells.append(
            {
                "cell_type": "code",
                "source": _lines(cell.source),
                "metadata": metadata,
                "execution_count": count,
                "outputs": outputs[i],
            }
        )
    colab: dict[str, object] = {"provenance": [], "name": title, "gpuType": "T4"}
    if github_badge:
        colab["include_colab_link"] = True
    saved = {
        "nbformat": 4,
        "nbformat_minor": 0,
        "metadata": {
            "colab": colab,
            "kernelspec": {"name": "python3", "display_name": "Python 3"},
            "language_info": {"name": "python"},
            "accelerator": "GPU",
        },
        "cells": cells,
    }
    return json.dumps(saved, indent=2, ensure_ascii=False).encode()


def _sorted(value: object) -> object:
    """VS Code's ``sortObjectPropertiesRecursively``."""
    if isinstance(value, dict):
        return {key: _sorted(value[key]) for key in sorted(value)}
    if isinstance(value, list):
        return [_sorted(item) for item in value]
    return value


def as_vscode(notebook: nbformat.NotebookNode) -> bytes:
    """The file VS Code saves for ``notebook`` after a session (see the module's docstring)."""
    saved = json.loads(nbformat.writes(notebook))
    for i, outputs in _executed(notebook).items():
        saved["cells"][i]["outputs"] = outputs
    for count, cell in enumerate((cell for cell in saved["cells"] if cell["cell_type"] == "code"), start=1):
        cell["execution_count"] = count
    saved["metadata"].update(
        kernelspec={"display_name": ".venv (Python 3.11.9)", "language": "python", "name": "python3"},
        language_info={
            "codemirror_mode": {"name": "ipython", "version": 3},
            "file_extension": ".py",
            "mimetype": "text/x-python",
            "name": "python",
            "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3",
            "version": "3.11.9",
        },
        vscode={"interpreter": {"hash": "3a1f4c369d64c01a82ffa09783598b9a02f96933d26a870e3e0a06bbbe91dde6"}},
    )
    return (json.dumps(_sorted(saved), indent=1, ensure_ascii=False) + "\n").encode()


@dataclass
class RoundTrip:
    """One lesson's original and client copies, graded in one ``course grade`` run."""

    run: GradeRun

    def cells(self, student: str) -> dict[str, ScoreRow]:
        """grade_id -> the student's score row."""
        return {row.grade_id: row for row in self.run.rows if row.student_id == student}

    def outcome(self, student: str):
        return next(outcome for outcome in self.run.outcomes if outcome.student_id == student)


def hand_in(course: Path, lesson: str, folder: Path) -> None:
    """Write the original and every client's copy of the answered lesson, one folder per student."""
    (release_path,) = sorted((course / "release" / lesson).glob("*.ipynb"))
    answered = fill(nbformat.read(release_path, as_version=4), release_path.name, reference_answers(course, lesson))
    # Colab names a copy saved to Drive "Copy of ...", and the download keeps that name.
    title = f"Copy of {release_path.name}"
    rng = random.Random(lesson)
    files = {
        ORIGINAL: (release_path.name, nbformat.writes(answered).encode()),
        COLAB: (title, as_colab(copy.deepcopy(answered), title, rng)),
        COLAB_GITHUB: (release_path.name, as_colab(copy.deepcopy(answered), release_path.name, rng, github_badge=True)),
        VSCODE: (release_path.name, as_vscode(copy.deepcopy(answered))),
    }
    for student, (name, data) in files.items():
        (folder / student).mkdir(parents=True)
        (folder / student / name).write_bytes(data)


@pytest.fixture(scope="module", params=LESSONS)
def round_trip(request: pytest.FixtureRequest, scratch_courses: ScratchCourses) -> RoundTrip:
    """A scratch course of the lesson, and its four submissions graded in one run."""
    scratch = scratch_courses(request.param, f"round-trip-{request.param}")
    work, course = scratch.work, scratch.root
    handed = work / "handed_in"
    hand_in(course, request.param, handed)
    return RoundTrip(grade(Course.open(course), request.param, handed))


def test_the_client_files_are_what_the_clients_write() -> None:
    """Guard the imitations themselves: a change here must not quietly make them easy."""
    (release_path,) = sorted((ROOT / "release" / "00_warmup").glob("*.ipynb"))
    answered = fill(nbformat.read(release_path, as_version=4), release_path.name, reference_answers(ROOT, "00_warmup"))
    colab = json.loads(as_colab(copy.deepcopy(answered), "x.ipynb", random.Random(0)))
    assert colab["nbformat_minor"] == 0 and not any("id" in cell for cell in colab["cells"])
    assert not any("nbgrader" in cell["metadata"] for cell in colab["cells"])
    assert any(cell.get("outputs") for cell in colab["cells"])
    vscode = as_vscode(copy.deepcopy(answered))
    parsed = json.loads(vscode)
    assert vscode.endswith(b"}\n") and vscode.startswith(b'{\n "cells": [\n  {')
    assert [cell.get("id") for cell in parsed["cells"]] == [cell.id for cell in answered.cells]
    assert [cell["metadata"] for cell in parsed["cells"]] == [cell.metadata for cell in answered.cells]


def test_nothing_was_rejected(round_trip: RoundTrip) -> None:
    assert not round_trip.run.problems
    assert not round_trip.run.skipped
    assert sorted(round_trip.run.students) == sorted([ORIGINAL, COLAB, COLAB_GITHUB, VSCODE])


def test_the_original_earns_every_autograded_point(round_trip: RoundTrip) -> None:
    """Otherwise equal scores would prove little (two zeros are equal too)."""
    score, most = auto_points(round_trip.run.rows, ORIGINAL)
    assert most > 0 and score == most
    assert round_trip.outcome(ORIGINAL).status == "graded"


@pytest.mark.parametrize("client", [COLAB, COLAB_GITHUB, VSCODE])
def test_every_grade_cell_scores_as_in_the_original(round_trip: RoundTrip, client: str) -> None:
    original, theirs = round_trip.cells(ORIGINAL), round_trip.cells(client)
    assert set(theirs) == set(original)
    differ = {
        grade_id: (theirs[grade_id].score, row.score)
        for grade_id, row in original.items()
        if (theirs[grade_id].score, theirs[grade_id].max_score) != (row.score, row.max_score)
    }
    assert not differ, f"{client} (score, original's score): {differ}"


@pytest.mark.parametrize(
    ("client", "status", "reason"),
    [
        # Colab drops nbgrader's cell metadata: repair must put it back, and say so.
        (COLAB, "repaired", "restored the nbgrader metadata"),
        (COLAB_GITHUB, "repaired", "restored the nbgrader metadata"),
        # VS Code keeps it: nothing to repair.
        (VSCODE, "graded", ""),
    ],
)
def test_each_client_gets_the_status_it_deserves(round_trip: RoundTrip, client: str, status: str, reason: str) -> None:
    outcome = round_trip.outcome(client)
    assert (outcome.status, reason in outcome.message) == (status, True), outcome.message
