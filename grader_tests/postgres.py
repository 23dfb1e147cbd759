"""A throw-away PostgreSQL server on loopback, for the gradebook tests.

Debian's ``postgresql`` package is installed when missing. The cluster lives in
a temporary directory owned by the ``postgres`` user (the server refuses to
run as root), listens on 127.0.0.1 only, trusts local connections, and is
stopped and deleted at the end of the session.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from services import apt_install, free_port

SERVER_USER = "postgres"


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(found[-1]).parent if found else None


def _as_server_user(command: list[str]) -> list[str]:
    return ["runuser", "-u", SERVER_USER, "--", *command] if os.geteuid() == 0 else command


class Server:
    """A running cluster: :meth:`new_database` hands out empty databases by URL."""

    def __init__(self, port: int) -> None:
        self.port = port

    def new_database(self) -> str:
        name = f"gradebook_{uuid.uuid4().hex[:10]}"
        # autocommit: CREATE DATABASE refuses to run in a transaction.
        with psycopg.connect(
            host="127.0.0.1", port=self.port, user=SERVER_USER, dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(f"CREATE DATABASE {name}")
        return f"postgresql://{SERVER_USER}@127.0.0.1:{self.port}/{name}"


@contextmanager
def postgres_server() -> Iterator[Server]:
    """Start a private PostgreSQL server for the ``with`` block."""
    apt_install("postgresql", lambda: _bin_dir() is not None)
    bin_dir = _bin_dir()
    assert bin_dir is not None
    home = Path(tempfile.mkdtemp(prefix="course-postgres-"))
    if os.geteuid() == 0:
        shutil.chown(home, SERVER_USER, SERVER_USER)
    data, port = home / "data", free_port()
    try:
        subprocess.run(
            _as_server_user([str(bin_dir / "initdb"), "-D", str(data), "-U", SERVER_USER, "--auth=trust", "--no-sync"]),
            check=True,
            capture_output=True,
            text=True,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={home} -c fsync=off"
        subprocess.run(
            _as_server_user(
                [
                    str(bin_dir / "pg_ctl"),
                    "-D",
                    str(data),
                    "-o",
                    options,
                    "-l",
                    str(home / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "start",
                ]
            ),
            check=True,
            capture_output=True,
            text=True,
        )
        try:
            yield Server(port)
        finally:
            subprocess.run(
                _as_server_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                capture_output=True,
            )
    finally:
        shutil.rmtree(home, ignore_errors=True)
