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

Symbolic links are never followed: a link where a notebook or a student's
folder belongs rejects that student, naming the link. Code cells' outputs are
dropped on reading (grading runs every cell again), so only the learner's own
code and text count towards the size limit. nbgrader's ``timestamp.txt`` (late
penalties) and ``submission_secret.txt`` are kept only from a folder that is
entirely in nbgrader's layout, as ``nbgrader collect`` fills ``submitted/``.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
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

# A notebook whose sources (code and text, outputs set aside) exceed this is
# refused: real answers stay far below, pasted data sets or pictures do not.
MAX_NOTEBOOK_BYTES = 25 * 2**20
# A file larger than this is not read at all (a runaway output or a zip bomb).
# Plots make a notebook large, and grading drops and re-creates them, so the
# raw file may be much larger than what is kept.
MAX_FILE_BYTES = 512 * 2**20
# nbgrader's own files hold a line or two.
MAX_NBGRADER_FILE_BYTES = 2**20
# An LMS zip larger than this once unpacked is refused as a whole.
MAX_ZIP_BYTES = 4 * 2**30
# Where a link found in a zip points once unpacked: a path that can never
# exist, so nothing could be read or written through it even by mistake.
UNPACKED_LINK_TARGET = "/dev/null/link-from-zip"


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


@dataclass
class _Found:
    """One entry of the submissions folder that stands for a student, before anything is read.

    ``shown`` paths are relative to the submissions folder, as messages name them.
    """

    student: str | None
    name: str
    origin: str
    notebooks: list[tuple[Path, str]] = field(default_factory=list)
    nbgrader_files: list[tuple[Path, str]] = field(default_factory=list)
    refused: str = ""  # why nothing of it may be read
    # A flat notebook or a folder of notebooks: the shapes of an LMS download,
    # whose learners could have put anything in their upload.
    lms_shaped: bool = False


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


def _mode(path: Path) -> int:
    """The file type bits of ``path`` itself (a link is a link), 0 when it does not exist."""
    try:
        return path.lstat().st_mode
    except OSError:
        return 0


def _is_real_dir(path: Path) -> bool:
    return stat.S_ISDIR(_mode(path))


def _link_refused(shown: str) -> str:
    return (
        f"{shown} is a symbolic link; links are never followed, since one could point at another "
        "person's notebook or the instructor's solution: hand in the notebook file itself"
    )


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def _read(path: Path, shown: str, limit: int) -> bytes | str:
    """At most ``limit`` bytes of the regular file ``path``, never through a link; else why not."""
    try:
        # O_NOFOLLOW: a link put in place after the folder was looked at is refused too.
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return _link_refused(shown)
        return f"{shown} cannot be read ({error.strerror})"
    with os.fdopen(descriptor, "rb") as handle:
        status = os.fstat(handle.fileno())
        if not stat.S_ISREG(status.st_mode):
            return f"{shown} is not a regular file; hand in the notebook file itself"
        if status.st_size > limit:
            return (
                f"{shown} is {_mib(status.st_size)}, more than the {limit // 2**20} MiB the grader reads; "
                "clear its outputs (the Edit menu has a command for all cells), save, and hand it in again"
            )
        data = handle.read(limit + 1)  # bounded even if the file grew since fstat
    if len(data) > limit:
        return f"{shown} grew past {limit // 2**20} MiB while it was read; hand it in again"
    return data


def _without_outputs(shown: str, data: bytes) -> bytes | str:
    """The notebook without its code cells' outputs and attachments, or why it is refused.

    Grading runs every cell again, so outputs (plots above all) are only
    weight; what is left, the learner's own text, must fit
    :data:`MAX_NOTEBOOK_BYTES`. A file that is no readable notebook is passed
    on unchanged when small enough, for repair to say what is wrong with it.
    """
    try:
        raw = json.loads(data.decode("utf-8-sig"))
        if isinstance(raw, dict) and _drop_outputs(raw):
            data = json.dumps(raw).encode()
    except (ValueError, RecursionError):  # undecodable, not JSON or absurdly nested: repair explains which
        raw = None
    if len(data) <= MAX_NOTEBOOK_BYTES:
        return data
    if isinstance(raw, dict):
        return (
            f"{shown} holds {_mib(len(data))} even without its outputs, more than the "
            f"{MAX_NOTEBOOK_BYTES // 2**20} MiB a notebook's code and text may take; remove pasted data "
            "or pictures from its cells and hand it in again"
        )
    return (
        f"{shown} is {_mib(len(data))} and cannot be read as a notebook; download it again "
        "with File → Download → .ipynb and hand that file in"
    )


def _drop_outputs(raw: dict) -> bool:
    """Empty the outputs and drop the attachments of ``raw``'s code cells; whether anything went."""
    found = raw.get("worksheets")
    sheets: list = found if isinstance(found, list) else []
    # nbformat 3 keeps its cells in worksheets.
    groups: list[object] = [raw.get("cells"), *(sheet.get("cells") for sheet in sheets if isinstance(sheet, dict))]
    dropped = False
    for cell in (cell for group in groups if isinstance(group, list) for cell in group):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            # A markdown cell's attachments are the learner's own pictures: they stay.
            dropped |= bool(cell.get("outputs")) or "attachments" in cell
            cell.pop("attachments", None)
            if "outputs" in cell:
                cell["outputs"] = []
    return dropped


def _notebooks_in(folder: Path, shown: str) -> tuple[list[tuple[Path, str]], str]:
    """The notebooks directly in ``folder`` with their shown paths, and why they are refused, if they are."""
    notebooks: list[tuple[Path, str]] = []
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda entry: entry.name):
            if entry.name.startswith(".") or not entry.name.endswith(".ipynb"):
                continue
            if entry.is_symlink():
                return [], _link_refused(f"{shown}/{entry.name}")
            if entry.is_file(follow_symlinks=False):
                notebooks.append((Path(entry.path), f"{shown}/{entry.name}"))
    return notebooks, ""


def _look_at(entry: Path, lesson: str, naming: re.Pattern[str]) -> _Found | None:
    """What the folder entry ``entry`` stands for, found without following any link; None for no submission."""
    if entry.is_symlink():
        if entry.suffix == ".ipynb":
            return _Found(
                student_from_name(entry.stem, naming),
                entry.stem,
                entry.name,
                refused=_link_refused(entry.name),
                lms_shaped=True,
            )
        if not entry.suffix:  # named like a student's folder
            return _Found(
                student_from_name(entry.name, naming), entry.name, f"{entry.name}/", refused=_link_refused(entry.name)
            )
        return None
    if _is_real_dir(entry):
        inner = entry / lesson
        shown = f"{entry.name}/{lesson}"
        if inner.is_symlink():
            return _Found(entry.name, entry.name, f"{shown}/", refused=_link_refused(shown))
        if _is_real_dir(inner):
            # nbgrader's layout: the folder's name is the student id, exactly.
            notebooks, refused = _notebooks_in(inner, shown)
            found = _Found(entry.name, entry.name, f"{shown}/", notebooks, refused=refused)
            for name in NBGRADER_FILES:
                if (inner / name).is_symlink():
                    found.refused = found.refused or _link_refused(f"{shown}/{name}")
                elif stat.S_ISREG(_mode(inner / name)):
                    found.nbgrader_files.append((inner / name, f"{shown}/{name}"))
            return found
        notebooks, refused = _notebooks_in(entry, entry.name)
        return _Found(
            student_from_name(entry.name, naming),
            entry.name,
            f"{entry.name}/",
            notebooks,
            refused=refused,
            lms_shaped=bool(notebooks or refused),
        )
    if entry.suffix == ".ipynb" and stat.S_ISREG(_mode(entry)):
        return _Found(
            student_from_name(entry.stem, naming), entry.stem, entry.name, [(entry, entry.name)], lms_shaped=True
        )
    return None


def _add(intake: Intake, found: _Found, trust_nbgrader_files: bool) -> None:
    """Record one student's files, or the reason they cannot be graded."""
    student, origin = found.student, found.origin
    if student is None or not STUDENT_ID.match(student):
        intake.rejected[student or found.name] = (
            f"no valid student id in the name {found.name!r} under the naming rule "
            "(ids use letters, digits and _ . @ + -); rename it or pass --naming"
        )
        return
    if student in intake.rejected or any(h.student == student for h in intake.handed):
        earlier = next((h.origin for h in intake.handed if h.student == student), "another file")
        intake.handed = [h for h in intake.handed if h.student != student]
        intake.rejected[student] = (
            f"two submissions give the student id {student!r} ({earlier} and {origin}); "
            "keep one, or pass a --naming rule that tells them apart"
        )
        return
    if found.refused:
        intake.rejected[student] = found.refused
        return
    if not found.notebooks:
        intake.rejected[student] = f"no notebook (.ipynb) in {origin}"
        return
    notebooks: dict[str, bytes] = {}
    for path, shown in found.notebooks:
        content = _read(path, shown, MAX_FILE_BYTES)
        if isinstance(content, bytes):
            content = _without_outputs(shown, content)
        if isinstance(content, str):
            intake.rejected[student] = content
            return
        notebooks[path.name] = content
    nbgrader_files: dict[str, bytes] = {}
    for path, shown in found.nbgrader_files if trust_nbgrader_files else []:
        content = _read(path, shown, MAX_NBGRADER_FILE_BYTES)
        if isinstance(content, str):
            intake.rejected[student] = content
            return
        nbgrader_files[path.name] = content
    intake.handed.append(Handed(student, notebooks, origin, nbgrader_files))


def scan_folder(folder: Path, lesson: str, naming: re.Pattern[str], trust_nbgrader_files: bool = True) -> Intake:
    """Find the submissions of ``lesson`` in ``folder`` (see the module's docstring).

    No link is ever followed: a linked notebook or folder rejects its student,
    any other link is skipped. nbgrader's files (the hand-in time and the
    feedback secret) are kept only when ``trust_nbgrader_files`` and every
    submission in ``folder`` is in nbgrader's layout, as `nbgrader collect`
    leaves it; in an LMS download a learner could have put them there.
    """
    intake = Intake()
    found: list[_Found] = []
    for entry in sorted(folder.iterdir()):
        if _is_hidden(entry):
            continue
        item = _look_at(entry, lesson, naming)
        if item is None:
            intake.skipped.append(f"{entry.name} (a symbolic link, not followed)" if entry.is_symlink() else entry.name)
        else:
            found.append(item)
    collected = trust_nbgrader_files and not any(item.lms_shaped for item in found)
    for item in found:
        _add(intake, item, collected)
    return intake


def _unpack(archive: Path, into: Path, lesson: str) -> Path:
    """Unpack an LMS zip into ``into``; return the folder that holds the submissions.

    An entry stored as a symbolic link is unpacked as a link to nowhere, so
    that the scan refuses it by name like a link in a folder.
    """
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = bundle.infolist()
            total = sum(info.file_size for info in members)
            if total > MAX_ZIP_BYTES:
                raise CourseError(
                    f"{archive} would unpack to {total / 2**30:.1f} GiB; refusing (limit {MAX_ZIP_BYTES // 2**30} GiB)"
                )
            # extract drops absolute paths and '..', so nothing lands outside `into`.
            links = [
                Path(bundle.extract(info, into))
                for info in members
                if stat.S_ISLNK(info.external_attr >> 16) and not info.is_dir()
            ]
            for info in members:
                if not stat.S_ISLNK(info.external_attr >> 16) or info.is_dir():
                    bundle.extract(info, into)
            # Links are made last, so no other entry can be written through one.
            for path in links:
                if stat.S_ISREG(_mode(path)):
                    path.unlink()
                    path.symlink_to(UNPACKED_LINK_TARGET)
    except zipfile.BadZipFile as error:
        raise CourseError(f"{archive} is not a readable zip file: {error}") from None
    except OSError as error:
        raise CourseError(f"{archive} cannot be unpacked: {error}") from None
    top = into
    # "Download all" often wraps everything in one folder: look inside it,
    # unless that folder is one student's (nbgrader's layout, or a single notebook).
    while True:
        entries = [entry for entry in top.iterdir() if not _is_hidden(entry)]
        if len(entries) != 1 or not _is_real_dir(entries[0]) or os.path.lexists(entries[0] / lesson):
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
            # An LMS download is never nbgrader's collected folder: its timestamps are the learners' own.
            intake = scan_folder(
                _unpack(submissions, Path(scratch), lesson), lesson, pattern, trust_nbgrader_files=False
            )
    elif submissions.is_dir():
        intake = scan_folder(submissions, lesson, pattern)
    else:
        raise CourseError(f"the submissions folder {submissions} does not exist (give a folder or a .zip)")
    if not intake.handed and not intake.rejected:
        raise CourseError(
            f"{submissions} holds no submissions; expected <student>/{lesson}/<notebook>.ipynb, "
            "<student>/<notebook>.ipynb or <student>.ipynb"
        )
    return intake
