"""Find each student's notebooks in what an instructor was handed.

Three shapes are understood, and may be mixed in one folder:

* nbgrader's layout, ``<student>/<lesson>/<notebook>.ipynb`` (the folder name
  is the student id, exactly);
* one folder per student, ``<name>/<notebook>.ipynb``;
* a flat folder of notebooks, ``<name>.ipynb``, as an LMS download gives them.

A ``.zip`` (the LMS's "download all submissions") is read as such a folder.
For the last two shapes the student id is taken from ``<name>`` by the naming
rule, a regular expression with a named group ``student``. Nothing handed in
is ever changed: files are only read.
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .layout import CourseError

# The default naming rule. ``alice.ipynb``, ``alice/01_regression.ipynb`` and the
# LMS forms ``alice_12345_67890_01_regression.ipynb`` or
# ``alice_LATE_12345_...`` all give ``alice``; ``jane_doe.ipynb`` gives
# ``jane_doe``: the id ends before the first ``_`` that starts a number (or
# ``_LATE_``), since LMS exports append numeric submission ids there.
DEFAULT_NAMING = r"(?i)^(?P<student>[^_]+(?:_(?!late_|\d)[^_]+)*)(?:_late)?(?:_\d.*)?$"

# What nbgrader accepts as a folder name for a student.
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")

# A notebook larger than this is not read (a runaway output or a zip bomb);
# real submissions, plots included, stay far below.
MAX_NOTEBOOK_BYTES = 25 * 2**20
# An LMS zip larger than this once unpacked is refused as a whole.
MAX_ZIP_BYTES = 4 * 2**30


# Files nbgrader's `collect` puts beside a submission: when it was handed in
# (late penalties) and the secret that `release_feedback` needs.
NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")


@dataclass
class Handed:
    """What one student handed in: notebook file names and their bytes, and nbgrader's files."""

    student: str
    notebooks: dict[str, bytes]
    origin: str
    nbgrader_files: dict[str, bytes] = field(default_factory=dict)


@dataclass
class Intake:
    """Every student found, and a reason for each one that cannot go further."""

    handed: list[Handed] = field(default_factory=list)
    rejected: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)


def compile_naming(naming: str) -> re.Pattern[str]:
    """The naming rule as a pattern; raise :class:`CourseError` when unusable."""
    try:
        pattern = re.compile(naming)
    except re.error as error:
        raise CourseError(f"the naming rule {naming!r} is not a valid regular expression: {error}") from None
    if "student" not in pattern.groupindex:
        raise CourseError(f"the naming rule {naming!r} needs a named group (?P<student>...)")
    return pattern


def student_from_name(name: str, naming: re.Pattern[str]) -> str | None:
    """The student id the naming rule reads from a file stem or folder name."""
    match = naming.match(name)
    if not match or not match.group("student"):
        return None
    # Names typed by people ("Alice Smith_1234_...") carry spaces; nbgrader's
    # folders must not.
    return re.sub(r"\s+", "_", match.group("student").strip())


def _is_hidden(path: Path) -> bool:
    # Finder's __MACOSX and Jupyter's .ipynb_checkpoints are no submissions.
    return path.name.startswith(".") or path.name == "__MACOSX"


def _read(path: Path) -> bytes | str:
    """The file's bytes, or why it cannot be read."""
    size = path.stat().st_size
    if size > MAX_NOTEBOOK_BYTES:
        return f"{path.name} is {size / 2**20:.0f} MiB, more than the {MAX_NOTEBOOK_BYTES // 2**20} MiB a notebook may have; clear its outputs and hand it in again"
    return path.read_bytes()


def _notebooks_in(folder: Path) -> list[Path]:
    return sorted(path for path in folder.glob("*.ipynb") if path.is_file() and not _is_hidden(path))


def _add(intake: Intake, student: str | None, name: str, files: list[Path], origin: str,
         nbgrader_files: dict[str, bytes] | None = None) -> None:
    """Record one student's files, or the reason they cannot be graded."""
    if student is None or not STUDENT_ID.match(student):
        intake.rejected[student or name] = (
            f"no valid student id in the name {name!r} under the naming rule "
            "(ids use letters, digits and _ . @ + -); rename it or pass --naming")
        return
    if student in intake.rejected or any(h.student == student for h in intake.handed):
        earlier = next((h.origin for h in intake.handed if h.student == student), "another file")
        intake.handed = [h for h in intake.handed if h.student != student]
        intake.rejected[student] = (
            f"two submissions give the student id {student!r} ({earlier} and {origin}); "
            "keep one, or pass a --naming rule that tells them apart")
        return
    if not files:
        intake.rejected[student] = f"no notebook (.ipynb) in {origin}"
        return
    notebooks: dict[str, bytes] = {}
    for path in files:
        content = _read(path)
        if isinstance(content, str):
            intake.rejected[student] = content
            return
        notebooks[path.name] = content
    intake.handed.append(Handed(student, notebooks, origin, nbgrader_files or {}))


def scan_folder(folder: Path, lesson: str, naming: re.Pattern[str]) -> Intake:
    """Find the submissions of ``lesson`` in ``folder`` (see the module's docstring)."""
    intake = Intake()
    for entry in sorted(folder.iterdir()):
        if _is_hidden(entry):
            continue
        if entry.is_dir() and (entry / lesson).is_dir():
            kept = {name: (entry / lesson / name).read_bytes() for name in NBGRADER_FILES
                    if (entry / lesson / name).is_file()}
            _add(intake, entry.name, entry.name, _notebooks_in(entry / lesson), f"{entry.name}/{lesson}/", kept)
        elif entry.is_dir():
            _add(intake, student_from_name(entry.name, naming), entry.name, _notebooks_in(entry), f"{entry.name}/")
        elif entry.suffix == ".ipynb":
            _add(intake, student_from_name(entry.stem, naming), entry.stem, [entry], entry.name)
        else:
            intake.skipped.append(entry.name)
    return intake


def _unpack(archive: Path, into: Path, lesson: str) -> Path:
    """Unpack an LMS zip into ``into``; return the folder that holds the submissions."""
    try:
        with zipfile.ZipFile(archive) as bundle:
            total = sum(info.file_size for info in bundle.infolist())
            if total > MAX_ZIP_BYTES:
                raise CourseError(f"{archive} would unpack to {total / 2**30:.1f} GiB; refusing (limit {MAX_ZIP_BYTES // 2**30} GiB)")
            # extractall drops absolute paths and '..', so nothing lands outside `into`.
            bundle.extractall(into)
    except zipfile.BadZipFile as error:
        raise CourseError(f"{archive} is not a readable zip file: {error}") from None
    top = into
    # "Download all" often wraps everything in one folder: look inside it,
    # unless that folder is one student's (nbgrader's layout, or a single notebook).
    while True:
        entries = [entry for entry in top.iterdir() if not _is_hidden(entry)]
        if len(entries) != 1 or not entries[0].is_dir() or (entries[0] / lesson).is_dir():
            return top
        inside = [entry for entry in entries[0].iterdir() if not _is_hidden(entry)]
        if len(inside) == 1 and inside[0].suffix == ".ipynb":
            return top
        top = entries[0]


def collect(submissions: Path, lesson: str, naming: str = DEFAULT_NAMING) -> Intake:
    """Every student's notebooks of ``lesson`` in a folder or an LMS ``.zip``.

    Parameters
    ----------
    submissions : Path
        A folder (any of the shapes in the module's docstring) or a ``.zip``.
    lesson : str
        The lesson, which names the inner folder of nbgrader's layout.
    naming : str
        Regular expression with a group ``student``, matched against a file's
        stem or a folder's name.

    Returns
    -------
    Intake
        The notebooks by student, the students that cannot be graded with the
        reason, and the names of files that are no submissions.
    """
    pattern = compile_naming(naming)
    if submissions.is_file() and submissions.suffix.lower() == ".zip":
        with tempfile.TemporaryDirectory(prefix="course-intake-") as scratch:
            intake = scan_folder(_unpack(submissions, Path(scratch), lesson), lesson, pattern)
    elif submissions.is_dir():
        intake = scan_folder(submissions, lesson, pattern)
    else:
        raise CourseError(f"the submissions folder {submissions} does not exist (give a folder or a .zip)")
    if not intake.handed and not intake.rejected:
        raise CourseError(
            f"{submissions} holds no submissions; expected <student>/{lesson}/<notebook>.ipynb, "
            "<student>/<notebook>.ipynb or <student>.ipynb")
    return intake
