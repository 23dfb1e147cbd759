"""Real services for the tests: Debian packages installed on demand, free loopback ports.

CI's machine may be fresh, so a test that needs a program from Debian (a
browser, a database server) installs it here, and skips with the reason only
where it truly cannot (not root, no apt, the install failed).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Callable

import pytest

_apt_updated = False


def apt_install(package: str, present: Callable[[], bool], required: bool = False) -> None:
    """Install Debian's ``package`` unless ``present()`` says it is there.

    When it cannot, the test is skipped saying why, or fails if the package is
    ``required`` (the behaviour under test cannot exist without it).
    """
    global _apt_updated
    give_up = pytest.fail if required else pytest.skip
    if present():
        return
    if not shutil.which("apt-get") or os.geteuid() != 0:
        give_up(f"{package} is missing and apt-get (as root) is not available to install it")
    commands = [["apt-get", "install", "-y", "-q", package]]
    if not _apt_updated:
        commands.insert(0, ["apt-get", "update", "-q"])
    for command in commands:
        run = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=900,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        if run.returncode != 0:
            give_up(f"{package} is missing: `{' '.join(command)}` failed: {(run.stderr or run.stdout).strip()[-500:]}")
    _apt_updated = True
    if not present():
        give_up(f"apt installed {package}, but what the tests need from it is still missing")


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
