"""What earlier ``course grade`` runs finished, so a repeated or killed run resumes.

After each student is graded, one JSON line is appended (and flushed to disk)
to ``autograded/.course-ledger/<lesson>-<database>.jsonl``: the student, a
fingerprint of what was graded, and the outcome. A later run skips a student
whose fingerprint is unchanged and whose grades the gradebook still holds; every
other student is graded again, which nbgrader does in place (``force``), so a
run killed half way loses nothing and duplicates nothing. Appending keeps the
cost of a record constant, and a line cut short by a kill is simply ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .layout import CONFIG_FILE, notebooks

LEDGER_DIR = Path("autograded") / ".course-ledger"


@dataclass(frozen=True)
class Entry:
    """One finished student: what was graded (``fingerprint``) and how it ended."""

    student_id: str
    fingerprint: str
    status: str
    message: str


def grader_fingerprint(root: Path, lesson: str) -> str:
    """A digest of everything, besides the submission, that decides a grade.

    The source notebooks hold the hidden tests, the release notebooks the
    cells a submission is repaired against, and ``nbgrader_config.py`` the
    limits; a change to any of them makes every submission due again.
    """
    digest = hashlib.sha256()
    for step in ("source", "release"):
        for path in notebooks(root, step, lesson):
            digest.update(f"{step}/{path.name}\0".encode())
            digest.update(path.read_bytes())
    digest.update((root / CONFIG_FILE).read_bytes())
    return digest.hexdigest()


def submission_fingerprint(grader: str, handed: dict[str, bytes]) -> str:
    """A digest of one student's files together with :func:`grader_fingerprint`."""
    digest = hashlib.sha256(grader.encode())
    for name in sorted(handed):
        digest.update(f"\0{name}\0".encode())
        digest.update(handed[name])
    return digest.hexdigest()


class Ledger:
    """The append-only record of finished students for one lesson and one gradebook."""

    def __init__(self, root: Path, lesson: str, database_url: str) -> None:
        database = hashlib.sha256(database_url.encode()).hexdigest()[:12]
        self.path = root / LEDGER_DIR / f"{lesson}-{database}.jsonl"

    def entries(self) -> dict[str, Entry]:
        """The latest entry per student; lines that do not parse (a kill mid-write) are skipped."""
        if not self.path.exists():
            return {}
        latest: dict[str, Entry] = {}
        for line in self.path.read_text(encoding="utf-8").splitlines():
            try:
                entry = Entry(**json.loads(line))
            except (ValueError, TypeError):
                continue
            latest[entry.student_id] = entry
        return latest

    def record(self, entry: Entry) -> None:
        """Append ``entry`` and flush it to disk before returning."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a+b") as handle:
            prefix = b""
            if handle.tell() > 0:
                handle.seek(-1, os.SEEK_END)
                if handle.read(1) != b"\n":
                    prefix = b"\n"  # a line cut short by a kill must not swallow this one
            handle.write(prefix + json.dumps(asdict(entry)).encode() + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
