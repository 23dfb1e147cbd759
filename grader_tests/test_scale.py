"""Grading at cohort scale: parallel workers, a PostgreSQL gradebook, a Dask cluster, runs that resume.

One cohort of the warm-up (the reference, the untouched stub and one learner
per known mistake, so the scores differ) is graded serially into SQLite, in
two worker processes into a real PostgreSQL server on loopback, on a local
Dask cluster that loses a worker half way, and by a command that is killed
half way and run again. Every run must give the same scores, and every
gradebook must hold each grade exactly once.
"""

from __future__ import annotations

import importlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from course_under_test import LIBRARY, ROOT
from nbgrader.api import Gradebook
from postgres import Server, postgres_server

from course.cells import nbgrader_meta
from course.cli import main
from course.cluster import WORKER_ROOT
from course.cohorts import REFERENCE, STUB, mutant_student, write_cohort
from course.context import Course
from course.grade import START_METHOD, GradeRun, grade
from course.layout import CONFIG_FILE
from course.ledger import Entry, Ledger
from course.selftest import scratch_course

LESSON = "00_warmup"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scale")


@pytest.fixture(scope="module")
def cohort(workdir: Path) -> Path:
    course = scratch_course(ROOT, LESSON, workdir / "writer")
    folder = workdir / "cohort"
    write_cohort(course, LESSON, folder, LIBRARY[LESSON], every_mutant=True)
    return folder


@pytest.fixture(scope="module")
def serial(workdir: Path, cohort: Path) -> GradeRun:
    return grade(Course.open(scratch_course(ROOT, LESSON, workdir / "serial")), LESSON, cohort, workers=1)


@pytest.fixture(scope="module")
def postgres() -> Iterator[Server]:
    with postgres_server() as server:
        yield server


@pytest.fixture(scope="module")
def parallel(workdir: Path, cohort: Path, postgres: Server) -> tuple[Path, str, GradeRun]:
    course, database = scratch_course(ROOT, LESSON, workdir / "parallel"), postgres.new_database()
    return course, database, grade(Course.open(course, database), LESSON, cohort, workers=2)


def grade_cells(course: Path) -> set[str]:
    release = nbformat.read(course / "release" / LESSON / f"{LESSON}.ipynb", as_version=4)
    return {nbgrader_meta(cell)["grade_id"] for cell in release.cells if nbgrader_meta(cell).get("grade")}


def assert_each_grade_once(database: str, students: set[str], cells: set[str]) -> None:
    """The gradebook holds one submission per student and one grade per cell, no more, no fewer."""
    with Gradebook(database) as gradebook:
        submissions = gradebook.find_assignment(LESSON).submissions
        assert sorted(s.student_id for s in submissions) == sorted(students), "a submission was lost or duplicated"
        for submission in submissions:
            names = [grade.name for notebook in submission.notebooks for grade in notebook.grades]
            assert sorted(names) == sorted(cells), f"{submission.student_id}'s grades were lost or duplicated: {names}"


def test_the_cohort_scores_are_spread_out(serial: GradeRun) -> None:
    # Comparing runs means little if every student scored the same.
    totals = {sum(row.score or 0 for row in serial.rows if row.student_id == student) for student in serial.students}
    assert len(totals) >= 4 and len(serial.students) == len(LIBRARY[LESSON]) + 2 and not serial.problems


def test_two_workers_into_postgresql_grade_exactly_like_one_into_sqlite(
    serial: GradeRun, parallel: tuple[Path, str, GradeRun]
) -> None:
    _, database, run = parallel
    assert run.scores_csv.read_text() == serial.scores_csv.read_text()
    assert run.submissions_csv.read_text() == serial.submissions_csv.read_text()
    assert database.startswith("postgresql://") and not run.problems


def kill_a_busy_worker(address: str, killed: list[str]) -> None:
    """Once a worker has been grading a student for a second, kill its process as a lost host would end."""
    from distributed import Client

    with Client(address, timeout=30) as watcher:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            busy = [worker for worker, tasks in watcher.processing().items() if tasks]
            if busy:
                time.sleep(1)
                pid = watcher.run(os.getpid, workers=busy[:1])[busy[0]]
                os.kill(pid, signal.SIGKILL)
                killed.append(busy[0])
                return
            time.sleep(0.1)


def test_a_dask_cluster_that_loses_a_worker_grades_exactly_like_one_machine(
    workdir: Path, cohort: Path, serial: GradeRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    from distributed import LocalCluster

    course = scratch_course(ROOT, LESSON, workdir / "coordinator")
    # The worker processes stand in for hosts, each with its own clone of the course.
    monkeypatch.setenv(WORKER_ROOT, str(scratch_course(ROOT, LESSON, workdir / "worker-host")))
    killed: list[str] = []
    with LocalCluster(
        n_workers=3, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as cluster:
        killer = threading.Thread(target=kill_a_busy_worker, args=(cluster.scheduler_address, killed))
        killer.start()
        run = grade(Course.open(course), LESSON, cohort, cluster=cluster.scheduler_address)
        killer.join()
    assert killed, "no worker was busy long enough to be killed"
    assert run.scores_csv.read_bytes() == serial.scores_csv.read_bytes()
    assert run.submissions_csv.read_bytes() == serial.submissions_csv.read_bytes()
    assert_each_grade_once(Course.open(course).db_url, set(serial.students), grade_cells(course))
    # The coordinator alone keeps the records a repeated run resumes from: with nothing
    # left to grade, it does not even ask for the cluster, long gone.
    again = grade(Course.open(course), LESSON, cohort, cluster=cluster.scheduler_address)
    assert sorted(again.resumed) == sorted(serial.students)


def test_a_worker_with_another_course_is_refused_by_name(
    workdir: Path, cohort: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    from distributed import LocalCluster

    course = scratch_course(ROOT, LESSON, workdir / "coordinator-2")
    stale = scratch_course(ROOT, LESSON, workdir / "stale-host")
    with (stale / CONFIG_FILE).open("a") as config:
        config.write("c.Execute.timeout = 5\n")
    monkeypatch.setenv(WORKER_ROOT, str(stale))
    few = workdir / "one"
    shutil.copytree(cohort / REFERENCE, few / REFERENCE)
    monkeypatch.chdir(course)
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    ) as cluster:
        assert main(["grade", LESSON, str(few), "--cluster", cluster.scheduler_address]) == 2
    printed = capfd.readouterr().err
    assert "refused worker" in printed and "the lesson's grader differ" in printed, printed
    assert "no worker of the cluster has this machine's course" in printed
    assert not (course / "autograded" / REFERENCE).exists(), "a student was graded by a refused worker"


def test_postgresql_and_sqlite_hold_every_grade_exactly_once(
    workdir: Path, serial: GradeRun, parallel: tuple[Path, str, GradeRun]
) -> None:
    course, database, run = parallel
    assert_each_grade_once(database, set(run.students), grade_cells(course))
    sqlite = workdir / "serial" / "course"
    assert_each_grade_once(Course.open(sqlite).db_url, set(serial.students), grade_cells(sqlite))
    with Gradebook(Course.open(course).db_url) as local:  # where `course build` put the lesson, not its grades
        assert local.find_assignment(LESSON).submissions == [], "the PostgreSQL run wrote to the SQLite gradebook too"


def test_a_repeated_run_regrades_only_what_changed(
    workdir: Path, cohort: Path, parallel: tuple[Path, str, GradeRun]
) -> None:
    course, database, first = parallel
    again = grade(Course.open(course, database), LESSON, cohort, workers=2)
    assert again.resumed == first.students, "an unchanged submission was graded again"
    assert again.scores_csv.read_text() == first.scores_csv.read_text()
    changed = workdir / "changed-cohort"
    shutil.copytree(cohort, changed)
    shutil.rmtree(changed / REFERENCE / LESSON)
    shutil.copytree(changed / STUB / LESSON, changed / REFERENCE / LESSON)  # the reference hands in the stub now
    third = grade(Course.open(course, database), LESSON, changed, workers=2)
    assert third.resumed == [student for student in first.students if student != REFERENCE]
    assert sum(row.score or 0 for row in third.rows if row.student_id == REFERENCE) == 0
    assert_each_grade_once(database, set(first.students), grade_cells(course))


def test_a_killed_run_resumes_without_losing_or_duplicating_a_grade(
    workdir: Path, cohort: Path, serial: GradeRun
) -> None:
    course = scratch_course(ROOT, LESSON, workdir / "killed")
    ledger = Ledger(course, LESSON, Course.open(course).db_url)
    command = [sys.executable, "-m", "course", "grade", LESSON, str(cohort), "--workers", "2"]
    job = subprocess.Popen(
        command, cwd=course, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 300
    while len(ledger.entries()) < 3 and job.poll() is None and time.monotonic() < deadline:
        time.sleep(0.2)
    os.killpg(job.pid, signal.SIGKILL)  # the command, its workers and their kernels, like a lost machine
    job.wait()
    finished = set(ledger.entries())
    assert 3 <= len(finished) < len(serial.students), "the run was not stopped half way; the test proves nothing"
    resumed = grade(Course.open(course), LESSON, cohort, workers=2)
    assert set(resumed.resumed) == finished
    assert resumed.scores_csv.read_text() == serial.scores_csv.read_text()
    assert_each_grade_once(Course.open(course).db_url, set(serial.students), grade_cells(course))


def test_the_cli_grades_in_parallel_with_a_progress_bar(
    workdir: Path, cohort: Path, serial: GradeRun, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    course = scratch_course(ROOT, LESSON, workdir / "cli")
    few = workdir / "few"
    for student in (REFERENCE, STUB):
        shutil.copytree(cohort / student, few / student)
    monkeypatch.chdir(course)
    assert main(["grade", LESSON, str(few), "--workers", "2"]) == 0
    # capfd, not capsys: it also holds what the workers and their kernels write.
    printed = capfd.readouterr()
    assert f"grading {LESSON}" in printed.err and "2/2" in printed.err, "no progress bar on stderr"
    assert "--existing" not in printed.out + printed.err, "a kernel printed its console banner to the terminal"
    assert main(["grade", LESSON, str(few), "--workers", "2"]) == 0
    assert "2 of them unchanged since an earlier run" in capfd.readouterr().out
    expected = [
        line for line in serial.scores_csv.read_text().splitlines()[1:] if line.split(",")[0] in (REFERENCE, STUB)
    ]
    assert (course / "reports" / LESSON / "scores.csv").read_text().splitlines()[1:] == expected


@pytest.mark.skipif(START_METHOD != "fork", reason="the stand-in grading function reaches the workers by fork")
def test_a_worker_killed_by_one_submission_costs_that_submission_alone(
    workdir: Path, cohort: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    honest = [mutant_student(LIBRARY[LESSON][0]), REFERENCE, STUB]
    culprit = "crashes_its_worker"  # sorted first, so the pool breaks before any honest student is done
    few = workdir / "crash-cohort"
    for student in honest:
        shutil.copytree(cohort / student, few / student)
    shutil.copytree(cohort / REFERENCE, few / culprit)
    grading = importlib.import_module("course.grade")
    real_grade_one = grading.grade_one

    def grade_one_or_die(*args: object, **kwargs: object) -> object:
        # What the OOM killer does to a worker: no exception, no outcome, the process is gone.
        if next(arg for arg in args if hasattr(arg, "student")).student == culprit:
            os.kill(os.getpid(), signal.SIGKILL)
        return real_grade_one(*args, **kwargs)

    monkeypatch.setattr(grading, "grade_one", grade_one_or_die)
    run = grade(Course.open(scratch_course(ROOT, LESSON, workdir / "crash")), LESSON, few, workers=2)
    assert set(run.problems) == {culprit}, f"honest students were rejected: {run.problems}"
    assert "worker died" in run.problems[culprit] and "SIGKILL" in run.problems[culprit]
    assert run.students == sorted(honest)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://grader:s3cret@127.0.0.1:1/course", "cannot reach the gradebook database"),
        ("postgres://grader:s3cret@127.0.0.1/course", "is not a database URL"),
    ],
)
def test_a_bad_database_is_a_clear_error_that_hides_the_password(
    url: str, message: str, cohort: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["grade", LESSON, str(cohort), "--db", url]) == 2
    error = capsys.readouterr().err
    assert message in error and "s3cret" not in error
    assert Course.open(ROOT).db_url.startswith("sqlite:///"), "a failed --db left the override in place"


def test_zero_workers_is_a_clear_error(
    cohort: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(ROOT)
    assert main(["grade", LESSON, str(cohort), "--workers", "0"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err


def test_the_ledger_keeps_the_latest_whole_record_per_student(tmp_path: Path) -> None:
    (tmp_path / "nbgrader_config.py").touch()
    ledger = Ledger(tmp_path, LESSON, "sqlite:///x")
    ledger.record(Entry("alice", "f1", "graded", ""))
    ledger.record(Entry("carol", "f3", "repaired", "restored metadata"))
    ledger.record(Entry("alice", "f4", "graded", ""))
    (tmp_path / "autograded" / "bob").mkdir()
    (tmp_path / "autograded" / "bob" / ledger.name).write_text('{"student_id": "bob", "finger')  # cut short
    (tmp_path / "autograded" / "dave").mkdir()  # a record copied into another student's folder
    (tmp_path / "autograded" / "dave" / ledger.name).write_text(
        (tmp_path / "autograded" / "carol" / ledger.name).read_text()
    )
    assert {student: entry.fingerprint for student, entry in ledger.entries().items()} == {"alice": "f4", "carol": "f3"}
    assert Ledger(tmp_path, LESSON, "postgresql://elsewhere/x").entries() == {}, "another gradebook's records were read"
