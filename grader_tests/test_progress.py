"""``python -m course progress``: a learner's stubs, visible checks and interview minutes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import matplotlib.image
import nbformat
import pytest
from course_under_test import ROOT

from course.cells import nbgrader_meta
from course.cli import main
from course.layout import notebooks
from course.plan import Kind, load_plan
from course.progress import (
    TIMES_FILE,
    answers_of,
    check_cells,
    lesson_progress,
    next_day,
    progress,
    working_folder,
)
from course.record import SelfGradeRecord, save_selfgrade
from course.submissions import fill, reference_answers

WARMUP = "00_warmup"
INTERVIEW = "09_mock_interview"


def released(lesson: str) -> Path:
    (path,) = notebooks(ROOT, "release", lesson)[:1]
    return path


def working_copy(folder: Path, lesson: str, answered: int | None = None) -> Path:
    """A learner's copy of ``lesson``: the first ``answered`` answers typed in (all when None)."""
    path = released(lesson)
    notebook = nbformat.read(path, as_version=4)
    answers = reference_answers(ROOT, lesson)
    code_ids = [
        nbgrader_meta(cell)["grade_id"]
        for cell in notebook.cells
        if cell.cell_type == "code" and nbgrader_meta(cell).get("solution")
    ]
    keep = code_ids if answered is None else code_ids[:answered]
    chosen = {key: value for key, value in answers.items() if key[1] in keep}
    target = folder / lesson / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(fill(notebook, path.name, chosen), target)
    return target


def test_stubs_are_told_from_written_answers(tmp_path: Path) -> None:
    untouched = answers_of(nbformat.read(released(INTERVIEW), as_version=4))
    assert untouched and all(answer.stub for answer in untouched)
    one = answers_of(nbformat.read(working_copy(tmp_path / "one", INTERVIEW, answered=1), as_version=4))
    assert [answer.stub for answer in one] == [False] + [True] * (len(one) - 1)
    solved = answers_of(nbformat.read(working_copy(tmp_path / "all", INTERVIEW), as_version=4))
    assert not any(answer.stub for answer in solved)
    # The names a learner knows the stubs by: the functions and classes each cell defines.
    assert all(answer.names for answer in solved)
    source = nbformat.read(released(INTERVIEW), as_version=4)
    for answer in untouched:
        cell = next(c for c in source.cells if nbgrader_meta(c).get("grade_id") == answer.grade_id)
        assert all(f" {name}" in cell.source for name in answer.names)


def test_visible_checks_fail_on_the_stub_and_pass_when_solved(tmp_path: Path) -> None:
    stub = lesson_progress(working_copy(tmp_path / "stub", WARMUP, answered=0))
    solved = lesson_progress(working_copy(tmp_path / "solved", WARMUP))
    expected = [grade_id for _, grade_id in check_cells(nbformat.read(released(WARMUP), as_version=4))]
    assert [check.grade_id for check in stub.checks] == expected
    assert all(check.passed is False and check.error == "NotImplementedError" for check in stub.checks)
    assert all(check.passed is True for check in solved.checks), solved.checks
    assert (stub.written, solved.written) == (0, len(solved.answers))


def test_interview_minutes_are_read_and_never_overwritten(tmp_path: Path) -> None:
    path = working_copy(tmp_path, INTERVIEW, answered=2)
    record = {"1 naive bayes": {"minutes": 23.5, "budget": 20}, "2 pca": {"minutes": 9.25, "budget": 15}}
    times = path.parent / TIMES_FILE
    times.write_text(json.dumps(record))
    before = times.read_bytes()

    (item,) = progress(tmp_path)

    # Running the notebook starts and stops the timer: in a scratch folder, not here.
    assert times.read_bytes() == before
    assert item.interview is not None
    assert item.interview.minutes == {name: entry["minutes"] for name, entry in record.items()}
    assert item.interview.total_budget == sum(entry["budget"] for entry in record.values())
    # The two answers typed in make their own visible checks pass, and only those.
    assert item.written == 2
    assert 0 < item.passing < len(item.checks)


def test_progress_command_prints_a_table_and_writes_a_plot(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # a wide terminal: no name is folded over two lines
    working_copy(tmp_path, WARMUP)
    working_copy(tmp_path, INTERVIEW, answered=0)
    (tmp_path / INTERVIEW / TIMES_FILE).write_text(json.dumps({"1 naive bayes": {"minutes": 31.0, "budget": 20}}))
    plot = tmp_path / "out" / "progress.png"

    assert main(["progress", str(tmp_path), "--plot", str(plot), "--no-run"]) == 0

    out = capsys.readouterr().out
    assert WARMUP in out and INTERVIEW in out
    assert "GaussianNaiveBayes" in out, "the stubs left should be named"
    assert "31.0" in out
    image = matplotlib.image.imread(plot)
    assert image.ndim == 3 and image.shape[0] > 50 and image.shape[1] > 200


def test_progress_command_explains_a_wrong_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["progress", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    shutil.copy(ROOT / "README.md", tmp_path / "empty")
    assert main(["progress", str(tmp_path / "empty")]) == 2
    assert "no course notebook" in capsys.readouterr().err


def test_a_clone_of_the_course_means_its_release_folder(tmp_path: Path) -> None:
    assert working_folder(ROOT) == ROOT / "release", "the solutions in source/ must not count as progress"
    assert working_folder(tmp_path) == tmp_path


def test_a_cell_whose_nbgrader_metadata_is_not_a_mapping_does_not_stop_the_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = working_copy(tmp_path, WARMUP, answered=0)
    damaged = json.loads(path.read_text())
    code = next(cell for cell in damaged["cells"] if cell["cell_type"] == "code")
    code["metadata"]["nbgrader"] = "edited by hand"  # a learner's editor can write anything
    path.write_text(json.dumps(damaged))

    assert main(["progress", str(tmp_path), "--plot", str(tmp_path / "progress.png"), "--no-run"]) == 0

    assert "mse_rmse" in capsys.readouterr().out, "the stub left should still be named"


def test_progress_shows_the_latest_selfgrade_and_what_the_plan_says_comes_next(tmp_path: Path) -> None:
    path = working_copy(tmp_path, WARMUP)
    save_selfgrade(path.parent, SelfGradeRecord(lesson=WARMUP, autograded=13.0, autograded_max=13.0))
    [warmup] = progress(tmp_path, run=False)
    assert warmup.selfgraded == (13.0, 13.0)
    days = load_plan(ROOT)
    upcoming = next_day(ROOT, tmp_path, [warmup])
    assert upcoming is not None
    day, done = upcoming
    assert day == days[0] and WARMUP in done, "day 1 is next until its drill is practised too"
    first_drills = [item.ref for item in days[0].items if item.kind is Kind.DRILL]
    save_selfgrade(
        tmp_path,
        SelfGradeRecord(
            lesson="mock_seed1", autograded=5.0, autograded_max=5.0, drills={slug: (5.0, 5.0) for slug in first_drills}
        ),
    )
    assert next_day(ROOT, tmp_path, [warmup])[0] == days[1]
