"""Run each grading kernel as an unprivileged user who cannot see the course.

When the grader runs as root, every kernel is started by
:class:`SandboxedKernelManager` under Debian's ``bubblewrap`` (``bwrap``): a
new mount namespace holds only the system (``/usr``, ``/etc``), the Python
installation and virtual environment, read-only, a fresh ``/tmp``, the
kernel's connection file (read-only) and the folder of its Unix sockets. The
course directory (``source/``, ``release/``, ``gradebook.db``, other students'
folders) is simply not there. Inside, ``setpriv`` drops to ``nobody`` with no
capabilities and no way to regain privileges; the kernel has its own process,
IPC and network namespaces and talks to the grader over those sockets.

The grader is root, so it never acts on a path inside a folder the kernel can
write: a symbolic link planted there would turn a ``chown`` or a write into an
attack on any file of the machine. The connection file stays root's, in a
folder of root's; the socket folder is the kernel's only while it starts (no
learner code runs before the kernel is ready) and root's again from then on
(:meth:`SandboxedKernelManager.seal`).

A grader that is not root cannot switch users, so its kernels run as it does
(the course's behaviour before the sandbox); :func:`use_sandbox` says
so in the log rather than silently.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import LocalProvisioner
from traitlets import Unicode

from .layout import CourseError

log = logging.getLogger(__name__)

# Debian's nobody/nogroup: owns no file, so the kernel can read only what is
# world-readable inside the sandbox and write only to its own /tmp.
SANDBOX_UID = 65534
SANDBOX_GID = 65534
BWRAP = "bwrap"
INSTALL = "apt-get install bubblewrap"
# Run inside the namespaces, before the kernel: bwrap keeps root's capabilities
# for its child when started by root, and these drop them all for good.
SETPRIV = [
    "setpriv",
    f"--reuid={SANDBOX_UID}",
    f"--regid={SANDBOX_GID}",
    "--clear-groups",
    "--no-new-privs",
    "--inh-caps=-all",
    "--bounding-set=-all",
    "--",
]
# Environment variables the kernel keeps; the rest of the grader's environment
# (tokens, paths into the course) stays outside. MPLBACKEND stays outside too:
# ipykernel then draws inline, so the feedback shows the learner's plots
# whatever backend the grader's own shell or process chose.
KEPT_ENVIRONMENT = (
    "LANG",
    "LANGUAGE",
    "TZ",
    "PYDEVD_DISABLE_FILE_VALIDATION",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
)
# The kernel's /tmp (its working directory and HOME) lives in memory, outside
# its address-space limit; this caps it.
TMP_BYTES = 2**30
# Top-level system folders a dynamically linked Python needs, besides /usr.
_SYSTEM_LINKS = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")


class SandboxError(CourseError):
    """The kernel sandbox cannot be set up; the message says how to fix it."""


def sandboxed() -> bool:
    """Whether kernels are sandboxed: only root can start them as another user."""
    return os.geteuid() == 0


def _python_paths() -> list[Path]:
    """The folders the kernel's Python needs: the installation and the virtual environment.

    Nested folders are dropped (binding the outer one covers them), and so is
    anything under ``/usr``, which is bound whole.
    """
    candidates = {
        Path(path).resolve()
        for path in (
            sys.prefix,
            sys.exec_prefix,
            sys.base_prefix,
            sys.base_exec_prefix,
            sysconfig.get_paths()["purelib"],
        )
    }
    # The venv's python is a symlink into the installation; follow it.
    candidates.add(Path(sys.executable).resolve().parent.parent)
    candidates.add(Path(sys.prefix).absolute())  # the path the kernel command names, symlinks kept
    paths = sorted(path for path in candidates if not path.is_relative_to("/usr"))
    return [path for path in paths if not any(path != other and path.is_relative_to(other) for other in paths)]


def bwrap_arguments(sockets: Path, hidden: Path | None = None, readable: Path | None = None) -> list[str]:
    """bubblewrap's arguments up to ``--``: what the kernel's filesystem holds.

    Parameters
    ----------
    sockets : Path
        The folder of the kernel's Unix sockets, bound read-write at the same path.
    hidden : Path, optional
        The course directory, which must not lie inside anything bound.
    readable : Path, optional
        A folder bound read-only at the same path (the connection file's).

    Raises
    ------
    SandboxError
        When ``hidden`` lies inside a folder the kernel needs.
    """
    arguments = ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for name in _SYSTEM_LINKS:
        path = Path("/", name)
        if path.is_symlink():
            arguments += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            arguments += ["--ro-bind", str(path), str(path)]
    python = _python_paths()
    exposed = [
        str(path)
        for path in [Path("/usr"), Path("/etc"), *python]
        if hidden is not None and Path(hidden).resolve().is_relative_to(path)
    ]
    if exposed:
        raise SandboxError(
            f"the course directory {hidden} lies inside {exposed[0]}, which grading kernels must "
            "see (the system or the Python installation); move the course directory elsewhere"
        )
    # The fresh /tmp first: what is bound after it stays visible even when it
    # lives under the real /tmp (a clone of the course there, with its .venv).
    arguments += ["--size", str(TMP_BYTES), "--perms", "1777", "--tmpfs", "/tmp"]
    for path in python:
        arguments += [*_reachable(path), "--ro-bind", str(path), str(path)]
    arguments += [
        "--dev",
        "/dev",
        "--unshare-pid",
        "--proc",
        "/proc",
        *_reachable(sockets),
        "--bind",
        str(sockets),
        str(sockets),
        *([*_reachable(readable), "--ro-bind", str(readable), str(readable)] if readable else []),
        "--unshare-net",
        "--unshare-ipc",
        "--unshare-uts",
        "--unshare-cgroup-try",
        # The kernel dies with bwrap, which dies when jupyter_client kills it.
        "--die-with-parent",
        "--chdir",
        "/tmp",
        "--clearenv",
        "--setenv",
        "HOME",
        "/tmp",
        # ipykernel prints a console banner to the grader's terminal unless it
        # has a parent; the grader's PID means nothing in the kernel's PID
        # namespace, and 1 tells it not to watch for its parent (bwrap does).
        "--setenv",
        "JPY_PARENT_PID",
        "1",
        "--setenv",
        "PATH",
        os.pathsep.join([str(Path(sys.executable).parent), "/usr/local/bin", "/usr/bin", "/bin"]),
    ]
    for name in KEPT_ENVIRONMENT:
        if name in os.environ:
            arguments += ["--setenv", name, os.environ[name]]
    return arguments


def _reachable(path: Path) -> list[str]:
    """Arguments creating ``path``'s parent folders so that ``nobody`` may pass through them.

    bwrap creates the folders leading to a bind as root-only (0700), and the
    real ones, such as ``/root`` above a pyenv installation, may be so too.
    """
    return [
        argument
        for parent in reversed(path.parents)
        if parent != Path("/")
        for argument in ("--perms", "0755", "--dir", str(parent))
    ]


def sandbox_command(
    command: list[str], sockets: Path, hidden: Path | None = None, readable: Path | None = None
) -> list[str]:
    """``command`` wrapped to run in the sandbox (see :func:`bwrap_arguments`)."""
    return [BWRAP, *bwrap_arguments(sockets, hidden, readable), "--", *SETPRIV, *command]


def check_sandbox(hidden: Path | None = None) -> None:
    """Start the kernel's Python in the sandbox once, or say why it cannot be done.

    Raises
    ------
    SandboxError
        When bubblewrap is missing, the machine refuses namespaces (an
        unprivileged container), or the course directory would be exposed.
    """
    if shutil.which(BWRAP) is None:
        raise SandboxError(
            f"grading as root runs every kernel in a sandbox, which needs bubblewrap: `{INSTALL}` "
            "(or grade as an ordinary user, whose kernels run unsandboxed as that user)"
        )
    # Root's folder (0700), which the check's own code never writes to.
    with tempfile.TemporaryDirectory(prefix="grading-sandbox-check-") as sockets:
        command = sandbox_command(
            [sys.executable, "-c", "import ipykernel, os; print(os.getuid())"], Path(sockets), hidden
        )
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0 or result.stdout.strip() != str(SANDBOX_UID):
        said = (result.stderr or result.stdout).strip().splitlines()
        raise SandboxError(
            "cannot start a grading kernel in the bubblewrap sandbox"
            f" ({said[-1] if said else f'exit status {result.returncode}'}); bubblewrap needs mount, "
            "PID and network namespaces: in a container, grade as an ordinary user or give the "
            "container those rights"
        )


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels run in the sandbox, as ``nobody``.

    Everything lives in a private folder only root can enter, so no other user
    of the machine reaches the kernel: ``connection/`` (root's, mode 0755)
    holds the connection file (root's, 0644), bound read-only; ``sockets/``
    holds the kernel's Unix sockets and is ``nobody``'s (0700) while a kernel
    starts and binds them, then root's (0755) once the grader has sealed it
    (:meth:`seal`), before any learner code runs. So the kernel can never
    plant a link where root writes, changes owners or removes files. Restarts
    reuse the folder; it is removed with the kernel, without following links.
    """

    course_root = Unicode("", help="The course directory, checked to lie outside everything the kernel sees.").tag(
        config=True
    )

    def __init__(self, **kwargs: object) -> None:
        # mkdtemp's folder is root's, mode 0700: no other user reaches the sockets.
        self._private = Path(tempfile.mkdtemp(prefix="grading-kernel-"))
        for folder in (self.connection_dir, self.socket_dir):
            folder.mkdir()
            folder.chmod(0o755)
        # Unix sockets, not TCP: the kernel has no network namespace of ours to listen in.
        kwargs.update(
            transport="ipc",
            ip=str(self.socket_dir / "kernel"),
            cache_ports=False,
            connection_file=str(self.connection_dir / "connection.json"),
        )
        super().__init__(**kwargs)

    @property
    def connection_dir(self) -> Path:
        """The folder of the connection file: root's, read-only in the sandbox."""
        return self._private / "connection"

    @property
    def socket_dir(self) -> Path:
        """The folder of the kernel's Unix sockets."""
        return self._private / "sockets"

    def seal(self) -> None:
        """Take the socket folder back from the kernel, which has bound its sockets.

        Call it once the kernel is ready and before any learner code runs in
        it: from then on the kernel can neither add files to the folder nor
        swap the socket files root connects to and removes for links. Its
        bound sockets keep working.
        """
        self._hand_socket_dir(0, 0, 0o755)

    def _hand_socket_dir(self, uid: int, gid: int, mode: int) -> None:
        # The folder's own parent is root's, so the path cannot have been swapped.
        os.chown(self.socket_dir, uid, gid, follow_symlinks=False)
        os.chmod(self.socket_dir, mode, follow_symlinks=False)

    def open_socket_dir(self) -> None:
        """Hand the socket folder to ``nobody``: the kernel about to start must create its sockets there.

        The kernel before it (if any) is dead, and with it every process it started.
        """
        self._hand_socket_dir(SANDBOX_UID, SANDBOX_GID, 0o700)

    def remove_private_folder(self) -> None:
        """Remove the private folder once the kernel is gone for good."""
        # shutil.rmtree works from file descriptors here: it removes links, never follows them.
        shutil.rmtree(self._private, ignore_errors=True)

    @property
    def kernel_spec(self) -> KernelSpec | None:
        """The kernelspec, started by :class:`SandboxProvisioner` and interrupted by message.

        A SIGINT to the process group reaches bwrap, not the kernel in its own
        PID namespace, and bwrap dies of it; an ``interrupt_request`` on the
        control channel makes the kernel interrupt itself.
        """
        spec = super().kernel_spec
        if spec is not None:
            spec.interrupt_mode = "message"
            spec.metadata["kernel_provisioner"] = {"provisioner_name": PROVISIONER_NAME, "config": {}}
        return spec

    def write_connection_file(self, **kwargs: object) -> None:
        """Write the connection file as jupyter_client does (mode 0600), readable by the kernel.

        The file is root's in a folder of root's that the kernel sees
        read-only; the key in it reaches no one else, as the private folder
        around it is root's alone.
        """
        super().write_connection_file(**kwargs)
        os.chmod(self.connection_file, 0o644, follow_symlinks=False)

    def format_kernel_cmd(self, extra_arguments: list[str] | None = None) -> list[str]:
        """The kernelspec's command, wrapped in bubblewrap and setpriv."""
        command = super().format_kernel_cmd(extra_arguments)
        return sandbox_command(
            command, self.socket_dir, Path(self.course_root) if self.course_root else None, readable=self.connection_dir
        )


# The name under which pyproject.toml registers SandboxProvisioner with jupyter_client,
# which finds provisioners through entry points only.
PROVISIONER_NAME = "course-sandbox"


class SandboxProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, with the two steps the sandbox adds around a kernel's life.

    Before each launch (restarts included) the socket folder goes to
    ``nobody`` (:meth:`SandboxedKernelManager.open_socket_dir`); at the last
    cleanup, not a restart's, the private folder is removed. Only a
    :class:`SandboxedKernelManager` names it in its kernelspec.
    """

    async def pre_launch(self, **kwargs: Any) -> dict[str, Any]:
        """Open the socket folder to the kernel, then prepare the launch as jupyter_client does."""
        self._manager().open_socket_dir()
        launch: dict[str, Any] = await super().pre_launch(**kwargs)
        return launch

    async def cleanup(self, restart: bool = False) -> None:
        """Clean up as jupyter_client does; for good (not a restart), remove the private folder too."""
        await super().cleanup(restart)
        if not restart:
            self._manager().remove_private_folder()

    def _manager(self) -> SandboxedKernelManager:
        if not isinstance(self.parent, SandboxedKernelManager):
            raise SandboxError(f"{PROVISIONER_NAME} starts kernels for a SandboxedKernelManager only")
        return self.parent


def use_sandbox(course_root: Path | None) -> bool:
    """Whether grading kernels on this machine run in the sandbox, checked and logged.

    As root, yes, after :func:`check_sandbox`, which raises
    :class:`SandboxError` when bubblewrap is missing or cannot work: a root
    kernel outside the sandbox could read the hidden tests and lift its own
    limits, so grading does not go on without it. Otherwise no, with a warning
    that kernels run as the grader's user.
    """
    if sandboxed():
        check_sandbox(course_root)
        return True
    log.warning(
        "grading kernels run unsandboxed as this user (uid %d): learners' code can read whatever it can, "
        "the course directory included; grade as root with bubblewrap installed to sandbox them "
        "(docs/SECURITY.md, 'What remains possible')",
        os.geteuid(),
    )
    return False
