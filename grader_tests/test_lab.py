"""`make lab` starts a JupyterLab that answers, for root and for an ordinary user.

Jupyter refuses to start as root unless it is given ``--allow-root``, and a
container is often entered as root: these tests start the real server on a
free local port, wait until it answers, check that it serves the released
lessons with nbgrader's extension, and always stop it again.

The ordinary user is ``nobody`` (so these tests need root to switch to it and
are skipped otherwise). ``nobody`` runs ``make lab`` itself: it only needs to
read the tree, because ``-o .venv/.installed`` tells make not to rebuild the
virtual environment, and its ``HOME`` is a temporary folder it owns, where
Jupyter writes its runtime files. It becomes ``nobody`` with ``runuser`` when
it can run the environment's Python that way. Where that Python lives under a
folder only root may enter (an interpreter installed in ``/root``, say), it
becomes ``nobody`` with ``setpriv`` instead, keeping one capability, to read and
search any folder: it still cannot write outside its HOME, and Jupyter sees an
ordinary user id.
"""

from __future__ import annotations

import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STAMP = ".venv/.installed"
STARTUP_SECONDS = 90.0
STOP_SECONDS = 15.0

ORDINARY_USER = "nobody"

needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or not (shutil.which("runuser") and shutil.which("setpriv")),
    reason="switching to an ordinary user needs root, runuser and setpriv",
)


def child_environment() -> dict[str, str]:
    """This process's environment without what would change how the inner make or Jupyter behave.

    Under ``make test`` the outer make's flags (``-n``, ``-k``, a jobserver)
    would otherwise reach the inner make, and a runtime folder set for the
    current user may not be writable by ``nobody``.
    """
    leaked = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "JUPYTER_RUNTIME_DIR"}
    return {name: value for name, value in os.environ.items() if name not in leaked}


@cache
def as_ordinary_user() -> tuple[str, ...]:
    """The command prefix that runs the rest of a command as ``nobody`` (see the module's docstring)."""
    plain = ("runuser", "-u", ORDINARY_USER, "--")
    if subprocess.run([*plain, str(ROOT / ".venv" / "bin" / "python"), "-c", ""], capture_output=True).returncode == 0:
        return plain
    account = pwd.getpwnam(ORDINARY_USER)
    return (
        "setpriv",
        f"--reuid={account.pw_uid}",
        f"--regid={account.pw_gid}",
        "--clear-groups",
        "--inh-caps=+dac_read_search",
        "--ambient-caps=+dac_read_search",
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    """The status and body of a GET request; (0, reason) when nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return 0, str(error)


def stop(process: subprocess.Popen[bytes]) -> None:
    """End the process group `make` leads: SIGTERM first, SIGKILL if it lingers.

    Signalling the whole group reaches the Jupyter server that make started,
    not only make itself.
    """
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=STOP_SECONDS)
            return
        except subprocess.TimeoutExpired:
            continue


def make_lab(ordinary: bool, home: Path, port: int, token: str, log: Path) -> subprocess.Popen[bytes]:
    """Start ``make lab`` in its own process group, as the current user or as ``nobody``."""
    lab_args = (
        f"--no-browser --ServerApp.ip=127.0.0.1 --port={port} --ServerApp.port_retries=0 "
        f"--IdentityProvider.token={token}"
    )
    # env sets HOME after the switch: runuser would reset it to the user's own
    command = ["env", f"HOME={home}", "make", "--no-print-directory", "-o", STAMP, "lab", f"LAB_ARGS={lab_args}"]
    if ordinary:
        command = [*as_ordinary_user(), *command]
    with log.open("wb") as output:
        return subprocess.Popen(
            command, cwd=ROOT, env=child_environment(), stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )


def wait_until_answering(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    """Poll ``url`` until it answers 200; fail with the server's log if it exits or takes too long."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"`make lab` exited with {process.returncode} before answering:\n{log.read_text()}")
        if get(url)[0] == 200:
            return
        time.sleep(1.0)
    pytest.fail(f"JupyterLab did not answer {url} within {STARTUP_SECONDS:g} s:\n{log.read_text()}")


@pytest.fixture
def home() -> Iterator[Path]:
    """A HOME folder that ``nobody`` owns and may write to.

    It is made directly in the system's temporary folder: pytest's own
    ``tmp_path`` sits under a folder only its owner may enter.
    """
    with tempfile.TemporaryDirectory(prefix="lab-home-") as folder:
        if os.geteuid() == 0:
            shutil.chown(folder, ORDINARY_USER)
        yield Path(folder)


@pytest.mark.parametrize("ordinary", [False, pytest.param(True, marks=needs_root)], ids=["current-user", "nobody"])
def test_make_lab_serves_the_release_with_nbgrader(ordinary: bool, home: Path, tmp_path: Path) -> None:
    port, token = free_port(), secrets.token_hex(16)
    base, log = f"http://127.0.0.1:{port}", tmp_path / "lab.log"
    process = make_lab(ordinary, home, port, token, log)
    try:
        wait_until_answering(process, f"{base}/api/status?token={token}", log)
        status, page = get(f"{base}/lab?token={token}")
        assert status == 200, log.read_text()
        assert "JupyterLab" in page and "@jupyter/nbgrader" in page, "the lab page lacks nbgrader's extension"
        status, listing = get(f"{base}/api/contents?token={token}")
        assert status == 200, log.read_text()
        served = {item["name"] for item in json.loads(listing)["content"]}
        lessons = {
            path.name for path in (ROOT / "release").iterdir() if path.is_dir() and not path.name.startswith(".")
        }
        assert lessons and lessons <= served, f"the server's root is not release/: it lists {sorted(served)}"
    finally:
        stop(process)
    assert process.poll() is not None
    assert get(f"{base}/api/status?token={token}")[0] == 0, "the server still answers after being stopped"


@pytest.mark.parametrize(
    "ordinary, flagged",
    [(False, os.geteuid() == 0), pytest.param(True, False, marks=needs_root)],
    ids=["current-user", "nobody"],
)
def test_allow_root_is_passed_only_to_root(ordinary: bool, flagged: bool) -> None:
    command = ["make", "--no-print-directory", "-n", "-o", STAMP, "lab"]
    if ordinary:
        command = [*as_ordinary_user(), *command]
    dry_run = subprocess.run(
        command, cwd=ROOT, env=child_environment(), capture_output=True, text=True, check=True
    ).stdout
    assert "jupyter lab" in dry_run and ("--allow-root" in dry_run) == flagged, dry_run
