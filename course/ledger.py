"""What earlier ``course grade`` runs finished, so a repeated or killed run resumes.

After each student is graded, a small JSON record goes beside nbgrader's
output, ``autograded/<student>/.course-grade-<lesson>-<database>.json``: a
fingerprint of what was graded, and the outcome. A later run skips a student
whose fingerprint is unchanged and whose grades the gradebook still holds; every
other student is graded again, which nbgrader does in place (``force``), so a
run killed half way loses nothing and duplicates nothing.

One file per student means that runs on several machines sharing the course
directory never write the same file, and a record is written whole (to a
temporary name, then renamed) or not at all.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from .layout import CONFIG_FILE, notebooks


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
    """The records of finished students for one lesson and one gradebook database."""

    def __init__(self, root: Path, lesson: str, database_url: str) -> None:
        self.folder = root / "autograded"
        database = hashlib.sha256(database_url.encode()).hexdigest()[:12]
        self.name = f".course-grade-{lesson}-{database}.json"

    def entries(self) -> dict[str, Entry]:
        """Every student's record; one that cannot be read counts as missing."""
        found: dict[str, Entry] = {}
        for path in self.folder.glob(f"*/{self.name}"):
            try:
                entry = Entry(**json.loads(path.read_text(encoding="utf-8")))
            except (OSError, ValueError, TypeError):
                continue
            if entry.student_id == path.parent.name:
                found[entry.student_id] = entry
        return found

    def record(self, entry: Entry) -> None:
        """Write ``entry`` to disk, whole, before returning."""
        folder = self.folder / entry.student_id
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".course-grade-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                json.dump(asdict(entry), stream)
                stream.flush()
                os.fsync(stream.fileno())
            os.replace(temporary, folder / self.name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
