"""Intake: nbgrader's layout, per-student folders, flat LMS downloads and zips."""

from __future__ import annotations

import json
import stat
import zipfile
from pathlib import Path

import pytest

from course import intake
from course.intake import DEFAULT_NAMING, collect, compile_naming, student_from_name
from course.layout import CourseError

LESSON = "00_warmup"
NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


@pytest.mark.parametrize(
    ("name", "student"),
    [
        ("alice", "alice"),
        ("alice_12345_67890_01_regression", "alice"),
        ("alice_LATE_12345_67890_01_regression", "alice"),
        ("jane_doe", "jane_doe"),
        ("jane_doe_12345_00_warmup", "jane_doe"),
        ("alice@uni.edu", "alice@uni.edu"),
        ("Alice Smith_1234_assignsubmission_file_00_warmup", "Alice_Smith"),
        ("12345_00_warmup", "12345"),
    ],
)
def test_default_naming_rule_reads_common_lms_names(name: str, student: str) -> None:
    assert student_from_name(name, compile_naming(DEFAULT_NAMING)) == student


def test_a_naming_rule_needs_a_student_group_and_valid_syntax() -> None:
    with pytest.raises(CourseError, match="named group"):
        compile_naming(r"^(.+)$")
    with pytest.raises(CourseError, match="not a valid regular expression"):
        compile_naming(r"^(?P<student>.+$")


def _write(path: Path, content: bytes = NOTEBOOK) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _mixed_folder(folder: Path) -> None:
    """Every shape at once, plus the clutter real downloads carry."""
    _write(folder / "bob" / LESSON / f"{LESSON}.ipynb")
    _write(folder / "carol" / f"{LESSON}.ipynb")
    _write(folder / f"alice_12345_67890_{LESSON}.ipynb")
    _write(folder / "dave_1_first.ipynb")
    _write(folder / "dave_2_second.ipynb")
    _write(folder / "erin")  # an empty file named like a student: no notebook
    (folder / "frank").mkdir()
    _write(folder / "!!!.ipynb")
    _write(folder / "index.html", b"<html></html>")
    _write(folder / ".DS_Store", b"\0")
    _write(folder / "__MACOSX" / f"._alice_12345_67890_{LESSON}.ipynb", b"\0")
    _write(folder / "carol" / ".ipynb_checkpoints" / f"{LESSON}-checkpoint.ipynb")


def _check_mixed(found: intake.Intake) -> None:
    handed = {h.student: h for h in found.handed}
    assert sorted(handed) == ["alice", "bob", "carol"]
    assert list(handed["bob"].notebooks) == [f"{LESSON}.ipynb"]
    assert list(handed["carol"].notebooks) == [f"{LESSON}.ipynb"]
    assert "two submissions" in found.rejected["dave"]
    assert "no notebook" in found.rejected["frank"]
    assert "no valid student id" in found.rejected["!!!"]
    assert sorted(found.skipped) == ["erin", "index.html"]


def test_a_folder_mixing_every_layout_is_read_and_left_alone(tmp_path: Path) -> None:
    _mixed_folder(tmp_path / "in")
    before = {p: p.read_bytes() for p in (tmp_path / "in").rglob("*") if p.is_file()}
    _check_mixed(collect(tmp_path / "in", LESSON))
    assert {p: p.read_bytes() for p in (tmp_path / "in").rglob("*") if p.is_file()} == before


def test_an_lms_zip_with_a_wrapping_folder_reads_like_the_folder(tmp_path: Path) -> None:
    _mixed_folder(tmp_path / "in" / "Assignment 00 submissions")
    archive = tmp_path / "submissions.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted((tmp_path / "in").rglob("*")):
            bundle.write(path, path.relative_to(tmp_path / "in"))
    before = archive.read_bytes()
    _check_mixed(collect(archive, LESSON))
    assert archive.read_bytes() == before


def test_a_custom_naming_rule_is_used(tmp_path: Path) -> None:
    _write(tmp_path / f"{LESSON}-s123.ipynb")
    found = collect(tmp_path, LESSON, naming=rf"^{LESSON}-(?P<student>s\d+)$")
    assert [h.student for h in found.handed] == ["s123"]


def test_nothing_to_grade_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match="does not exist"):
        collect(tmp_path / "nowhere", LESSON)
    with pytest.raises(CourseError, match="holds no submissions"):
        collect(tmp_path, LESSON)
    (tmp_path / "broken.zip").write_bytes(b"PK not really")
    with pytest.raises(CourseError, match="not a readable zip"):
        collect(tmp_path / "broken.zip", LESSON)


@pytest.mark.parametrize("member", [f"alice/{LESSON}/{LESSON}.ipynb", f"alice/{LESSON}.ipynb", "alice.ipynb"])
def test_a_zip_holding_one_student_keeps_the_student(tmp_path: Path, member: str) -> None:
    archive = tmp_path / "one.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(member, NOTEBOOK)
    assert [h.student for h in collect(archive, LESSON).handed] == ["alice"]


def test_the_cli_reports_a_bad_naming_rule(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from course_under_test import ROOT

    from course.cli import main

    _write(tmp_path / "alice.ipynb")
    monkeypatch.chdir(ROOT)
    assert main(["grade", LESSON, str(tmp_path), "--naming", "^(?P<id>.+)$"]) == 2
    assert "named group (?P<student>" in capsys.readouterr().err


# --- links: never read through, whoever made them ---

SOLUTION = b'{"cells": [], "metadata": {"instructor": "solution"}, "nbformat": 4, "nbformat_minor": 5}'


def _rejected_naming(found: intake.Intake, student: str, name: str) -> None:
    assert student in found.rejected, f"{student} should be rejected, got {found.rejected}"
    assert name in found.rejected[student] and "link" in found.rejected[student], found.rejected[student]


def test_linked_notebooks_and_folders_are_refused_without_reading_through_them(tmp_path: Path) -> None:
    solution = tmp_path / "course" / "source" / LESSON / f"{LESSON}.ipynb"
    _write(solution, SOLUTION)
    folder = tmp_path / "in"
    (folder / "alice").mkdir(parents=True)
    (folder / "alice" / f"{LESSON}.ipynb").symlink_to(solution)
    (folder / "bob.ipynb").symlink_to(solution)
    (folder / "carol").symlink_to(solution.parent, target_is_directory=True)
    (folder / "dave" / LESSON).mkdir(parents=True)
    (folder / "dave" / LESSON / f"{LESSON}.ipynb").symlink_to(solution)
    (folder / "erin").mkdir()
    (folder / "erin" / LESSON).symlink_to(solution.parent, target_is_directory=True)
    _write(folder / "frank.ipynb")
    (folder / "notes.txt").symlink_to(solution)  # no submission's name: skipped, never read

    found = collect(folder, LESSON)

    assert [h.student for h in found.handed] == ["frank"]
    assert all(SOLUTION not in content for h in found.handed for content in h.notebooks.values())
    _rejected_naming(found, "alice", f"alice/{LESSON}.ipynb")
    _rejected_naming(found, "bob", "bob.ipynb")
    _rejected_naming(found, "carol", "carol")
    _rejected_naming(found, "dave", f"dave/{LESSON}/{LESSON}.ipynb")
    _rejected_naming(found, "erin", f"erin/{LESSON}")
    assert found.skipped == ["notes.txt (a symbolic link, not followed)"]


def test_a_link_stored_in_an_lms_zip_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "downloads.zip"
    link = zipfile.ZipInfo(f"alice/{LESSON}.ipynb")
    link.create_system = 3  # Unix, whose mode bits mark the entry as a symbolic link
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(link, f"../../source/{LESSON}/{LESSON}.ipynb")
        bundle.writestr(f"bob/{LESSON}.ipynb", NOTEBOOK)

    found = collect(archive, LESSON)

    assert [h.student for h in found.handed] == ["bob"]
    _rejected_naming(found, "alice", f"alice/{LESSON}.ipynb")


def test_a_linked_nbgrader_file_rejects_the_student(tmp_path: Path) -> None:
    secret = tmp_path / "elsewhere" / "timestamp.txt"
    _write(secret, b"2020-01-01 00:00:00")
    _write(tmp_path / "in" / "alice" / LESSON / f"{LESSON}.ipynb")
    (tmp_path / "in" / "alice" / LESSON / "timestamp.txt").symlink_to(secret)

    found = collect(tmp_path / "in", LESSON)

    assert not found.handed
    _rejected_naming(found, "alice", f"alice/{LESSON}/timestamp.txt")


# --- nbgrader's timestamp and secret: only from the folder nbgrader's collect fills ---


def _collected(student_folder: Path) -> None:
    _write(student_folder / f"{LESSON}.ipynb")
    _write(student_folder / "timestamp.txt", b"2024-05-01 10:00:00.000000 UTC")
    _write(student_folder / "submission_secret.txt", b"s3cret")


def test_nbgrader_files_are_kept_from_a_collected_folder(tmp_path: Path) -> None:
    _collected(tmp_path / "submitted" / "alice" / LESSON)
    _collected(tmp_path / "submitted" / "bob" / LESSON)
    found = collect(tmp_path / "submitted", LESSON)
    assert {h.student: sorted(h.nbgrader_files) for h in found.handed} == {
        "alice": ["submission_secret.txt", "timestamp.txt"],
        "bob": ["submission_secret.txt", "timestamp.txt"],
    }


def test_nbgrader_files_in_an_lms_download_are_not_trusted(tmp_path: Path) -> None:
    # A learner can put any file in an upload: a timestamp there would fake an on-time hand-in.
    mixed = tmp_path / "mixed"
    _collected(mixed / "alice" / LESSON)
    _write(mixed / "bob.ipynb")
    archive = tmp_path / "downloads.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in sorted((mixed / "alice").rglob("*")):
            bundle.write(path, path.relative_to(mixed))
    per_student = tmp_path / "per_student"
    _collected(per_student / "alice")

    for submissions in (mixed, archive, per_student):
        found = collect(submissions, LESSON)
        alice = next(h for h in found.handed if h.student == "alice")
        assert alice.nbgrader_files == {}, submissions.name


# --- the size cap applies to what is graded: the learner's sources, not the outputs ---


def _notebook_with_plots(image_bytes: int, source: str = "x = 1") -> bytes:
    plot = {
        "output_type": "display_data",
        "metadata": {},
        "data": {"image/png": "A" * image_bytes, "text/plain": ["<Figure>"]},
    }
    cells = [
        {
            "cell_type": "code",
            "execution_count": 1,
            "id": "plot",
            "metadata": {},
            "source": source,
            "outputs": [plot],
            "attachments": {"stray.png": {"image/png": "A" * 1000}},
        },
        {
            "cell_type": "markdown",
            "id": "note",
            "metadata": {},
            "source": "My answer",
            "attachments": {"sketch.png": {"image/png": "QUJD"}},
        },
    ]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def test_large_plots_do_not_count_towards_the_size_cap(tmp_path: Path) -> None:
    _write(tmp_path / "alice.ipynb", _notebook_with_plots(30 * 2**20))
    found = collect(tmp_path, LESSON)
    (alice,) = found.handed
    kept = json.loads(alice.notebooks["alice.ipynb"])
    code, markdown = kept["cells"]
    assert code["outputs"] == [] and "attachments" not in code and code["source"] == "x = 1"
    assert markdown["attachments"] == {"sketch.png": {"image/png": "QUJD"}}, "a learner's own picture is kept"
    assert len(alice.notebooks["alice.ipynb"]) < 2**20


def test_a_notebook_whose_sources_exceed_the_cap_is_rejected_for_that_student_only(tmp_path: Path) -> None:
    _write(tmp_path / "big.ipynb", _notebook_with_plots(10, source="# " + "x" * intake.MAX_NOTEBOOK_BYTES))
    _write(tmp_path / "small.ipynb")
    found = collect(tmp_path, LESSON)
    assert [h.student for h in found.handed] == ["small"]
    assert "big.ipynb" in found.rejected["big"] and "without its outputs" in found.rejected["big"]


def test_a_file_over_the_hard_cap_is_refused_before_it_is_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(intake, "MAX_FILE_BYTES", 1000)
    _write(tmp_path / "huge.ipynb", _notebook_with_plots(2000))
    found = collect(tmp_path, LESSON)
    assert not found.handed
    assert "huge.ipynb" in found.rejected["huge"] and "more than" in found.rejected["huge"]


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 100_000 + b"]" * 100_000,
        b'{"worksheets": 5, "nbformat": 3}',
        b'{"cells": [{"cell_type": "code", "outputs": 3}], "nbformat": 4}',
    ],
)
def test_a_malformed_notebook_is_passed_on_for_repair_to_explain(tmp_path: Path, content: bytes) -> None:
    # One learner's odd file must not stop the intake of everyone else's.
    _write(tmp_path / "odd.ipynb", content)
    (odd,) = collect(tmp_path, LESSON).handed
    assert odd.student == "odd" and odd.notebooks["odd.ipynb"]
