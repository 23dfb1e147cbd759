"""The grader's side of the harness: one trusted process per graded notebook."""

from __future__ import annotations

import json
import os
import selectors
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from typing import IO, Any

# The error name of a test whose wait for the learner's code was cut short.
KERNEL_STOPPED = "KernelStopped"
# Seconds the trusted process may take beyond a cell's own limit (to start, to report).
GRACE_SECONDS = 30


class TrustedProcessFailed(RuntimeError):
    """The trusted process died or stopped answering."""


@dataclass(frozen=True)
class TestRecord:
    """What a test cell did in the trusted process."""

    stdout: str
    stderr: str
    result: str | None
    error: tuple[str, str] | None
    kernel_stopped: str | None  # why the learner's kernel must be restarted, if it must
    origin: str | None  # who raised the error: "test", "learner", "library" or "grader"
    function: str | None  # the learner's function that raised it, if one did

    @classmethod
    def from_answer(cls, answer: dict[str, Any]) -> TestRecord:
        error = answer.get("error")
        return cls(
            stdout=str(answer.get("stdout") or ""),
            stderr=str(answer.get("stderr") or ""),
            result=answer.get("result"),
            error=(str(error[0]), str(error[1])) if error else None,
            kernel_stopped=answer.get("kernel"),
            origin=answer.get("origin"),
            function=answer.get("function"),
        )


class TrustedProcess:
    """``python -m course.harness.trusted``, connected to one kernel."""

    def __init__(self, connection_info: dict[str, Any]) -> None:
        info = {key: value.decode() if isinstance(value, bytes) else value for key, value in connection_info.items()}
        environment = {key: value for key, value in os.environ.items() if key not in ("MPLBACKEND",)}
        environment["MPLBACKEND"] = "Agg"
        self._errors: IO[bytes] = tempfile.TemporaryFile()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "course.harness.trusted"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            cwd=tempfile.gettempdir(),
            env=environment,
        )
        self._selector = selectors.DefaultSelector()
        assert self._process.stdout is not None
        self._selector.register(self._process.stdout, selectors.EVENT_READ)
        self._ask({"op": "connect", "info": info}, GRACE_SECONDS)

    def setup(self, source: str, name: str, seconds: float | None) -> None:
        """Run a setup cell of the instructor's here too; what it raises is the kernel's to report."""
        self._ask({"op": "setup", "source": source, "name": name, "seconds": seconds}, _limit(seconds))

    def test(self, source: str, name: str, seconds: float | None) -> TestRecord:
        answer = self._ask({"op": "test", "source": source, "name": name, "seconds": seconds}, _limit(seconds))
        return TestRecord.from_answer(answer)

    def close(self) -> None:
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._selector.close()
        self._errors.close()

    def _ask(self, request: dict[str, Any], seconds: float) -> dict[str, Any]:
        stdin, stdout = self._process.stdin, self._process.stdout
        assert stdin is not None and stdout is not None
        try:
            stdin.write((json.dumps(request) + "\n").encode())
            stdin.flush()
        except BrokenPipeError:
            raise TrustedProcessFailed(self._why()) from None
        deadline = time.monotonic() + seconds
        while not self._selector.select(max(0.0, deadline - time.monotonic())):
            if time.monotonic() >= deadline:
                self.close()
                raise TrustedProcessFailed("the grader's test process did not answer in time")
        line = stdout.readline()
        if not line:
            raise TrustedProcessFailed(self._why())
        answer = json.loads(line)
        if not isinstance(answer, dict):
            raise TrustedProcessFailed("the grader's test process answered nonsense")
        return answer

    def _why(self) -> str:
        self._errors.seek(0)
        tail = self._errors.read()[-2000:].decode(errors="replace").strip()
        return "the grader's test process stopped" + (f": {tail}" if tail else "")


def _limit(seconds: float | None) -> float:
    return (seconds or 3600.0) + GRACE_SECONDS
