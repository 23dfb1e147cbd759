"""Intake: nbgrader's layout, per-student folders, flat LMS downloads and zips."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from course import intake
from course.intake import DEFAULT_NAMING, collect, compile_naming, student_from_name
from course.layout import CourseError

LESSON = "00_warmup"
NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


@pytest.mark.parametrize(("name", "student"), [
    ("alice", "alice"),
    ("alice_12345_67890_01_regression", "alice"),
    ("alice_LATE_12345_67890_01_regression", "alice"),
    ("jane_doe", "jane_doe"),
    ("jane_doe_12345_00_warmup", "jane_doe"),
    ("alice@uni.edu", "alice@uni.edu"),
    ("Alice Smith_1234_assignsubmission_file_00_warmup", "Alice_Smith"),
    ("12345_00_warmup", "12345"),
])
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


def test_an_oversized_notebook_is_rejected_for_that_student_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(intake, "MAX_NOTEBOOK_BYTES", 100)
    _write(tmp_path / "big.ipynb", b" " * 101)
    _write(tmp_path / "small.ipynb")
    found = collect(tmp_path, LESSON)
    assert [h.student for h in found.handed] == ["small"]
    assert "clear its outputs" in found.rejected["big"]


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


def test_the_cli_reports_a_bad_naming_rule(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    from conftest import ROOT
    from course.cli import main

    _write(tmp_path / "alice.ipynb")
    monkeypatch.chdir(ROOT)
    assert main(["grade", LESSON, str(tmp_path), "--naming", "^(?P<id>.+)$"]) == 2
    assert "named group (?P<student>" in capsys.readouterr().err
