"""The kernel sandbox: graded as root, learners' code cannot reach the course.

The adversarial submission builds every path from pieces, so the integrity
scan (a tripwire for strings such as ``gradebook.db``) does not see it: what
stops it here is the sandbox alone.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import stat
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from course_under_test import ROOT
from jupyter_client.provisioning import KernelProvisionerFactory
from scratch import ScratchCourses
from services import apt_install
from traitlets.config import Config

from course import sandbox
from course.context import Course
from course.execution import harden
from course.grade import GradeRun, grade
from course.integrity import scan_cell
from course.selftest import auto_points
from course.submissions import fill, reference_answers

LESSON = "00_warmup"
NOTEBOOK = f"{LESSON}.ipynb"
PACKAGE = "bubblewrap"
# Set in the grader's environment while grading, as a token or a path would be.
SECRET = "COURSE_TEST_SECRET"

# Run as the last cell of an otherwise honest notebook. COURSE is the graded
# course directory and REPO this repository (whose .venv the kernel uses), as
# lists of path pieces; PORT is a TCP port the test listens on.
SNOOP = """
import os, socket, subprocess
course = os.sep + os.path.join(*COURSE)
targets = [
    os.path.join(course, "gradebook" + "." + "db"),
    os.path.join(course, "sou" + "rce", LESSON, LESSON + ".ipynb"),
    os.path.join(course, "rel" + "ease", LESSON, LESSON + ".ipynb"),
    os.path.join(course, "sub" + "mitted", "honest", LESSON, LESSON + ".ipynb"),
    os.path.join(course, "auto" + "graded", "honest", LESSON, LESSON + ".ipynb"),
    os.path.join("/proc", "1", "root") + course,
    os.path.join(os.sep + os.path.join(*REPO), "sou" + "rce", LESSON, LESSON + ".ipynb"),
]
for target in targets:
    try:
        with open(target, "rb") as handle:
            print("READ", target, len(handle.read()))
    except OSError as error:
        print("DENIED", target, type(error).__name__)
try:
    with open(targets[0], "ab") as handle:
        print("WROTE", targets[0])
except OSError as error:
    print("DENIED write", type(error).__name__)
try:
    socket.create_connection(("127.0.0.1", PORT), timeout=2).close()
    print("CONNECTED to the grader's machine")
except OSError as error:
    print("NO NETWORK", type(error).__name__)
import resource
try:
    resource.setrlimit(resource.RLIMIT_AS, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    print("LIMIT LIFTED")
except (ValueError, OSError) as error:
    print("LIMIT KEPT", type(error).__name__)
try:
    with open(os.path.join("/tmp", "filler"), "wb") as handle:
        for _ in range(2048):
            handle.write(bytes(2**20))
    print("FILLED /tmp")
except OSError as error:
    print("TMP FULL", type(error).__name__)
import json, sys
connection = sys.argv[sys.argv.index("-f") + 1]
with open(connection) as handle:
    sockets = os.path.dirname(json.load(handle)["ip"])
for folder in (os.path.dirname(connection), sockets):
    try:
        open(os.path.join(folder, "planted"), "w").close()
        print("PLANTED in", folder)
    except OSError as error:
        print("SEALED", type(error).__name__)
subprocess.Popen(["sleep", "4321"])
seen = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        seen.append(open(os.path.join("/proc", pid, "cmdline"), "rb").read().replace(bytes(1), b" ").decode())
    except OSError:
        pass
print("UID", os.getuid(), "EUID", os.geteuid())
print("PROCESSES", repr(seen))
print("ENVIRONMENT", sorted(os.environ))
print("PARENT", os.environ.get("JPY_PARENT_PID"))
"""


def ensure_bubblewrap() -> None:
    """Install Debian's bubblewrap when it is missing, as ``course grade`` needs it as root."""
    apt_install(PACKAGE, lambda: shutil.which(sandbox.BWRAP) is not None, required=True)


@dataclass
class Graded:
    """The honest and the snooping submission, graded as root."""

    course: Path
    run: GradeRun
    printed: str

    def points(self, student: str) -> tuple[float, float]:
        return auto_points(self.run.rows, student)


def snoop_source(course: Path, port: int) -> str:
    """The snooping cell, given the course directory in pieces and the port."""
    return (
        f"COURSE = {list(course.parts[1:])!r}\nREPO = {list(ROOT.parts[1:])!r}\n"
        f"LESSON = {LESSON!r}\nPORT = {port}\n" + SNOOP
    )


@pytest.fixture(scope="module")
def graded(scratch_courses: ScratchCourses) -> Graded:
    if os.geteuid() != 0:
        pytest.skip("the sandbox is used only when grading as root, which this run is not")
    ensure_bubblewrap()
    scratch = scratch_courses(LESSON, "sandbox")
    workdir, course = scratch.work, scratch.root
    release = nbformat.read(course / "release" / LESSON / NOTEBOOK, as_version=4)
    honest = fill(release, NOTEBOOK, reference_answers(course, LESSON))
    with socket.create_server(("127.0.0.1", 0)) as listener:
        snooping = nbformat.from_dict(json.loads(nbformat.writes(honest)))
        snooping.cells.append(nbformat.v4.new_code_cell(snoop_source(course, listener.getsockname()[1])))
        assert scan_cell(snooping.cells[-1].source) == [], "the scanner must not be what stops the snooping"
        handed_in = workdir / "downloads"
        for student, notebook in {"honest": honest, "snoop": snooping}.items():
            (handed_in / student).mkdir(parents=True)
            nbformat.write(notebook, handed_in / student / NOTEBOOK)
        # The snoop's targets all exist on the grader's side (checked below), not in the sandbox.
        os.environ[SECRET] = str(course)
        try:
            run = grade(Course.open(course), LESSON, handed_in)
        finally:
            del os.environ[SECRET]
    cells = nbformat.read(course / "autograded" / "snoop" / LESSON / NOTEBOOK, as_version=4).cells
    printed = "".join(output.get("text", "") for output in cells[-1].get("outputs", []))
    return Graded(course, run, printed)


def test_the_honest_reference_scores_full_marks_in_the_sandbox(graded: Graded) -> None:
    score, maximum = graded.points("honest")
    assert maximum > 0 and score == maximum, graded.run.outcomes


def test_the_kernel_cannot_read_or_write_the_course_by_absolute_path(graded: Graded) -> None:
    assert graded.printed.count("DENIED") == 8, graded.printed
    assert "READ" not in graded.printed and "WROTE" not in graded.printed, graded.printed
    for path in ("gradebook.db", f"source/{LESSON}/{NOTEBOOK}", f"submitted/honest/{LESSON}/{NOTEBOOK}"):
        assert (graded.course / path).is_file(), f"{path} must exist for the denial to mean something"
    assert (ROOT / "source" / LESSON / NOTEBOOK).is_file()


def test_the_snooping_submission_is_graded_like_the_honest_one(graded: Graded) -> None:
    outcome = next(outcome for outcome in graded.run.outcomes if outcome.student_id == "snoop")
    assert outcome.status == "graded", outcome
    assert graded.points("snoop") == graded.points("honest")


def test_the_kernel_is_not_root_and_cannot_lift_its_limits(graded: Graded) -> None:
    assert f"UID {sandbox.SANDBOX_UID} EUID {sandbox.SANDBOX_UID}" in graded.printed, graded.printed
    assert "LIMIT KEPT" in graded.printed and "TMP FULL" in graded.printed, graded.printed


def test_the_kernel_cannot_write_beside_its_connection_file_or_sockets(graded: Graded) -> None:
    # Root acts on those folders (restarts, clean-up); after start they are root's alone.
    assert graded.printed.count("SEALED") == 2 and "PLANTED" not in graded.printed, graded.printed


def test_the_kernel_has_no_network_and_sees_only_its_own_processes(graded: Graded) -> None:
    assert "NO NETWORK" in graded.printed, graded.printed
    processes = graded.printed.split("PROCESSES", 1)[1].splitlines()[0]
    assert "pytest" not in processes and "ipykernel" in processes, processes
    survivors = [pid for pid in filter(str.isdigit, os.listdir("/proc")) if b"sleep\x004321" in _cmdline(pid)]
    assert not survivors, "a process the kernel started outlived it"


def test_the_kernel_gets_none_of_the_graders_environment(graded: Graded) -> None:
    names = graded.printed.split("ENVIRONMENT", 1)[1].splitlines()[0]
    assert "'HOME'" in names and SECRET not in names, names
    # Not the grader's PID, which the sandbox's PID namespace makes meaningless.
    assert graded.printed.split("PARENT ", 1)[1].splitlines()[0] == "1"


def _cmdline(pid: str) -> bytes:
    try:
        return Path("/proc", pid, "cmdline").read_bytes()
    except OSError:
        return b""


# --- choices made before any kernel starts, checked on any machine ---


def test_an_ordinary_user_is_warned_that_kernels_run_unsandboxed(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sandbox, "sandboxed", lambda: False)
    with caplog.at_level(logging.WARNING, logger=sandbox.__name__):
        config = harden(Config())
    assert config.RestartingExecute.sandbox is False
    assert "unsandboxed" in caplog.text


def test_the_sandboxed_manager_starts_its_kernels_through_the_sandbox_provisioner() -> None:
    """jupyter_client's public provisioner hooks, found by their entry point, take the sandbox's steps."""
    manager = sandbox.SandboxedKernelManager(kernel_name="python3")
    try:
        provisioner = KernelProvisionerFactory.instance().create_provisioner_instance(
            "a-kernel", manager.kernel_spec, parent=manager
        )
        assert isinstance(provisioner, sandbox.SandboxProvisioner)
    finally:
        manager.remove_private_folder()
    assert not manager.connection_dir.parent.exists()


def test_root_without_bubblewrap_is_told_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sandbox, "BWRAP", "bwrap-that-is-not-installed")
    with pytest.raises(sandbox.SandboxError, match="apt-get install bubblewrap"):
        sandbox.check_sandbox()


def test_a_course_inside_the_python_installation_is_refused(tmp_path: Path) -> None:
    with pytest.raises(sandbox.SandboxError, match="lies inside"):
        sandbox.bwrap_arguments(tmp_path, hidden=Path(sys.prefix) / "my-course")


def test_a_python_installation_under_tmp_stays_visible(tmp_path: Path) -> None:
    # CI and users may clone the course (and its .venv) under /tmp, which the
    # sandbox replaces with a fresh tmpfs: the binds must come after it.
    arguments = sandbox.bwrap_arguments(tmp_path / "share")
    tmpfs = arguments.index("--tmpfs")
    python_binds = [
        i
        for i, argument in enumerate(arguments)
        if argument == "--ro-bind" and Path(arguments[i + 1]) in sandbox._python_paths()
    ]
    assert python_binds and all(i > tmpfs for i in python_binds)


# --- links planted for the root grader to follow ---
#
# The kernel (nobody) may try to make root act on a host file: it swaps a path
# root touches (the connection file, the socket files, the folders removed at
# the end) for a symbolic link to a file outside the sandbox, then kills itself
# so that the grader restarts it. CANARY and CANARY_DIR are host paths, as
# lists of pieces; both cells end by killing the kernel.
SWAP_CONNECTION_FILE = """
import os, sys
canary = os.sep + os.path.join(*CANARY)
connection = sys.argv[sys.argv.index("-f") + 1]
try:
    os.remove(connection)
    os.symlink(canary, connection)
except OSError as error:
    print("KEPT", type(error).__name__)
os._exit(1)
"""
PLANT_LINKS = """
import json, os, sys
canary = os.sep + os.path.join(*CANARY)
canary_dir = os.sep + os.path.join(*CANARY_DIR)
connection = sys.argv[sys.argv.index("-f") + 1]
with open(connection) as handle:
    ip = json.load(handle)["ip"]
for folder in {os.path.dirname(ip), os.path.dirname(connection)}:
    names = [os.path.join(folder, name) for name in os.listdir(folder)]
    names += [ip + "-" + str(port) for port in range(1, 11)]
    names += [os.path.join(folder, name) for name in ("connection.json", "kernel.json")]
    for name in names:
        try:
            if os.path.lexists(name):
                os.remove(name)
            os.symlink(canary, name)
        except OSError as error:
            print("KEPT", name, type(error).__name__)
    for name in ("escape", "nested"):
        try:
            os.symlink(canary_dir, os.path.join(folder, name))
            os.makedirs(os.path.join(folder, "deeper", name), exist_ok=True)
            os.symlink(canary_dir, os.path.join(folder, "deeper", name, "link"))
        except OSError as error:
            print("KEPT", name, type(error).__name__)
os._exit(1)
"""
CANARY_TEXT = b"the grader's own secret\n"
# The links' victims: a root-only file and a folder whose file must survive.
CANARY_MODE = 0o600


@dataclass
class Planted:
    """Submissions that plant links for root, graded as root beside the honest one."""

    run: GradeRun
    canary: Path
    canary_dir: Path
    kernels: Path

    def points(self, student: str) -> tuple[float, float]:
        return auto_points(self.run.rows, student)

    def outcome(self, student: str):
        return next(outcome for outcome in self.run.outcomes if outcome.student_id == student)


def _plant_source(template: str, canary: Path, canary_dir: Path) -> str:
    return f"CANARY = {list(canary.parts[1:])!r}\nCANARY_DIR = {list(canary_dir.parts[1:])!r}\n" + template


@pytest.fixture(scope="module")
def planted(scratch_courses: ScratchCourses) -> Planted:
    if os.geteuid() != 0:
        pytest.skip("only a root grader could be tricked into following the links")
    ensure_bubblewrap()
    scratch = scratch_courses(LESSON, "links")
    workdir, course = scratch.work, scratch.root
    canary = workdir / "canary.txt"
    canary.write_bytes(CANARY_TEXT)
    canary.chmod(CANARY_MODE)
    canary_dir = workdir / "canary-folder"
    canary_dir.mkdir()
    (canary_dir / "keep.txt").write_bytes(CANARY_TEXT)
    release = nbformat.read(course / "release" / LESSON / NOTEBOOK, as_version=4)
    honest = fill(release, NOTEBOOK, reference_answers(course, LESSON))
    handed_in = workdir / "downloads"
    for student, template in {
        "honest": None,
        "swaps_connection": SWAP_CONNECTION_FILE,
        "plants_links": PLANT_LINKS,
    }.items():
        notebook = nbformat.from_dict(json.loads(nbformat.writes(honest)))
        if template:
            notebook.cells.append(nbformat.v4.new_code_cell(_plant_source(template, canary, canary_dir)))
            assert scan_cell(notebook.cells[-1].source) == [], "the scanner must not be what stops the links"
        (handed_in / student).mkdir(parents=True)
        nbformat.write(notebook, handed_in / student / NOTEBOOK)
    # The kernels' private folders go here, so the test sees that each is removed.
    kernels = workdir / "kernels"
    kernels.mkdir()
    saved, tempfile.tempdir = tempfile.tempdir, str(kernels)
    try:
        run = grade(Course.open(course), LESSON, handed_in)
    finally:
        tempfile.tempdir = saved
    return Planted(run, canary, canary_dir, kernels)


def test_root_never_follows_a_link_the_kernel_planted(planted: Planted) -> None:
    status = planted.canary.lstat()
    assert (status.st_uid, status.st_gid) == (0, 0), "the grader handed a host file to the kernel's user"
    assert stat.S_IMODE(status.st_mode) == CANARY_MODE
    assert planted.canary.read_bytes() == CANARY_TEXT
    assert (planted.canary_dir / "keep.txt").read_bytes() == CANARY_TEXT
    assert planted.canary_dir.lstat().st_uid == 0


def test_the_kernels_folders_are_removed_without_following_links(planted: Planted) -> None:
    assert list(planted.kernels.iterdir()) == []


def test_planting_links_costs_only_the_cell_that_killed_the_kernel(planted: Planted) -> None:
    score, maximum = planted.points("honest")
    assert maximum > 0 and score == maximum, planted.run.outcomes
    for student in ("swaps_connection", "plants_links"):
        outcome = planted.outcome(student)
        assert outcome.status == "graded" and "killed the kernel" in outcome.message, outcome
        assert planted.points(student) == (score, maximum), outcome


def test_the_graders_matplotlib_backend_stays_outside_the_kernel(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """With MPLBACKEND=Agg in the grader's environment, the kernel drew no inline plot and feedback lost them."""
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("LANG", "C.UTF-8")
    arguments = sandbox.bwrap_arguments(tmp_path)
    kept = {arguments[i + 1] for i, argument in enumerate(arguments) if argument == "--setenv"}
    assert "LANG" in kept and "MPLBACKEND" not in kept
