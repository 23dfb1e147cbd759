"""Match a handed-in notebook to the lesson's release version and normalise it.

nbgrader grades a cell by its ``grade_id`` metadata and aborts on a notebook
whose metadata is broken. Learners' editors drop metadata, learners change a
cell's type, copy or delete cells, and files arrive damaged. Before grading,
each release cell that carries nbgrader metadata is found in the submission
(by ``grade_id`` first, then by identical content, then by its function
signature or its position between matched neighbours) and the submission is
rebuilt with the release's metadata and cell types on those cells. The
learner's text is always kept; nbgrader's ``OverwriteCells`` later puts the
instructor's version (with hidden tests) into every locked cell.
"""

from __future__ import annotations

import copy
import difflib
import json
import re
from dataclasses import dataclass, field
from itertools import takewhile
from typing import NamedTuple

import nbformat
from nbformat import NotebookNode
from nbformat.v4 import new_code_cell, new_markdown_cell, new_raw_cell

from .cells import STUB_ANSWER, grade_id_of, has_role, nbgrader_meta

# Below this share of matching cells (and without a single graded cell found)
# a notebook is taken for another lesson's, not for a damaged copy of this one.
MIN_SHARED_CELLS = 0.25
# A locked cell edited outside Jupyter still resembles its release text at least this much.
MIN_LOCKED_SIMILARITY = 0.6
_SIGNATURE = re.compile(r"^\s*(?:def|class)\s+(\w+)", re.MULTILINE)
# How a cell without its metadata was found, as the changes report it.
FOUND_BY = {
    "content": "found by its text",
    "stub": "found by the stub text it still holds",
    "position": "found by its position",
    # Only words tell the answer from a note the learner put beside it: a person should look.
    "question": "found by the words it shares with its question, among several cells the learner left there; "
    "check that it is the answer",
}
# The words that tie an answer to its question. Short words ("the", "and") and
# these common ones tie any text to any other.
_WORD = re.compile(r"[^\W\d_]{4,}")
_COMMON_WORDS = frozenset(
    """
    about after again also answer answers because been before being both could does each even every first
    from have here into just like more most much must need only other over question questions same should
    some such than that their them then there these they this those through very were what when where
    which while will with would write your yours
""".split()
)
_NEW_CELL = {"code": new_code_cell, "markdown": new_markdown_cell, "raw": new_raw_cell}


class Rejected(Exception):
    """A submission that cannot be graded; the message tells the student what to do."""


class NotThisLesson(Rejected):
    """A readable notebook that shares too little with the lesson to be a copy of it."""


@dataclass
class Repaired:
    """Notebooks ready for nbgrader, by release file name, and what was changed."""

    notebooks: dict[str, NotebookNode]
    changes: list[str] = field(default_factory=list)


def _text(source: object) -> str:
    # nbformat allows a list of lines; hand-edited files hold anything.
    if isinstance(source, list):
        return "".join(str(line) for line in source)
    return source if isinstance(source, str) else ""


def _norm(source: str) -> str:
    return "\n".join(line.rstrip() for line in source.strip().splitlines())


def read_notebook(name: str, data: bytes) -> tuple[NotebookNode, list[str]]:
    """Parse a submitted file into a clean nbformat-4 notebook.

    Outputs are dropped (nbgrader clears them before running anyway) and every
    cell is rebuilt, so stray fields an editor added cannot fail validation.

    Raises
    ------
    Rejected
        When the file is empty, not JSON, or not a notebook.
    """
    if not data.strip():
        raise Rejected(f"{name} is empty: the upload failed or the notebook was never saved; hand it in again")
    try:
        raw = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise Rejected(
            f"{name} is not a text file, so not a notebook; download it again with File → Download → .ipynb"
        ) from None
    except json.JSONDecodeError as error:
        raise Rejected(
            f"{name} is not valid JSON (line {error.lineno}, column {error.colno}): the file is damaged "
            "or was edited outside Jupyter; download it again with File → Download → .ipynb"
        ) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("cells", raw.get("worksheets")), list):
        raise Rejected(f"{name} is JSON but not a Jupyter notebook (it has no cells); hand in the .ipynb file itself")
    changes: list[str] = []
    version = raw.get("nbformat", 4 if "cells" in raw else 3)
    if version != 4:
        try:
            raw = nbformat.convert(nbformat.from_dict(raw), 4)
        except Exception as error:  # nbformat raises many types on malformed old files
            raise Rejected(f"{name} is an nbformat {version} notebook that cannot be upgraded: {error}") from None
        changes.append(f"upgraded from nbformat {version} to 4")
    cells = []
    for cell in raw.get("cells", []):
        if not isinstance(cell, dict):
            continue
        kind = cell.get("cell_type")
        make = _NEW_CELL[kind if isinstance(kind, str) and kind in _NEW_CELL else "markdown"]
        metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
        cells.append(_keep_attachments(make(source=_text(cell.get("source")), metadata=copy.deepcopy(metadata)), cell))
    if not cells:
        raise Rejected(f"{name} is a notebook without cells; hand in the lesson's notebook with your answers")
    notebook = nbformat.v4.new_notebook(
        cells=cells, metadata=raw.get("metadata") if isinstance(raw.get("metadata"), dict) else {}
    )
    return notebook, changes


@dataclass
class _Match:
    """Which submitted cell (index) stands for each release cell (index)."""

    submitted: int  # how many cells the submission has
    of: dict[int, int] = field(default_factory=dict)
    how: dict[int, str] = field(default_factory=dict)

    def window(self, r: int) -> tuple[int, int]:
        """Submitted indices strictly between the matches of r's nearest matched neighbours."""
        before = [s for q, s in self.of.items() if q < r]
        after = [s for q, s in self.of.items() if q > r]
        return max(before, default=-1), min(after, default=self.submitted)

    def expected(self, r: int) -> int:
        """Where r would sit if the learner kept the cells since its last matched neighbour."""
        before = [q for q in self.of if q < r]
        return self.of[max(before)] + r - max(before) if before else r

    def free(self, r: int) -> list[int]:
        low, high = self.window(r)
        taken = set(self.of.values())
        return [s for s in range(low + 1, high) if s not in taken]

    def take(self, r: int, s: int, how: str) -> None:
        self.of[r] = s
        self.how[r] = how


def _match(release: list[NotebookNode], submitted: list[NotebookNode]) -> tuple[_Match, dict[str, int]]:
    """Match release cells to submitted cells; also count copies of each grade_id."""
    match = _Match(len(submitted))
    wanted = {nbgrader_meta(cell)["grade_id"]: r for r, cell in enumerate(release) if has_role(cell)}
    copies: dict[str, list[int]] = {}
    for s, cell in enumerate(submitted):
        grade_id = grade_id_of(cell)
        if grade_id is not None and grade_id in wanted:
            copies.setdefault(grade_id, []).append(s)
    for grade_id, found in copies.items():
        # The kernel runs every copy; the last one defines what the tests see.
        match.take(wanted[grade_id], found[-1], "grade_id")
    # Then identical text, in order, between already matched neighbours.
    for r, cell in enumerate(release):
        if r in match.of or not _norm(cell.source):
            continue
        for s in match.free(r):
            if _norm(submitted[s].source) == _norm(cell.source):
                match.take(r, s, "content")
                break
    # Then graded cells by their function signature, their question or their position.
    release_texts = {_norm(cell.source) for cell in release}
    for r, cell in enumerate(release):
        if r in match.of or not has_role(cell):
            continue
        free = [(s, submitted[s]) for s in match.free(r)]
        how = "position"
        if _written(cell):
            # A learner's own text, not the release's, can be the answer; and the
            # written answers that follow in the same gap (sharing one question)
            # keep a cell each, in order.
            following = len(
                list(takewhile(lambda q: q not in match.of and _written(release[q]), range(r + 1, len(release))))
            )
            free = [
                (s, other)
                for s, other in free[: max(len(free) - following, 0)]
                if STUB_ANSWER in other.source or _norm(other.source) not in release_texts
            ]
            if sum(other.cell_type == cell.cell_type for _, other in free) > 1:
                how = "question"
        candidate = _best_candidate(cell, free, match.expected(r), _question_words(release, r))
        if candidate is not None:
            match.take(
                r, candidate, "stub" if how == "question" and STUB_ANSWER in submitted[candidate].source else how
            )
    return match, {grade_id: len(found) for grade_id, found in copies.items()}


def _written(cell: NotebookNode) -> bool:
    """Whether ``cell`` is an answer without a signature to find it by (a written answer)."""
    return bool(nbgrader_meta(cell).get("solution")) and not _SIGNATURE.search(cell.source)


def _question_words(release: list[NotebookNode], r: int) -> set[str]:
    """The telling words of the lesson's prose above release cell ``r``: its question.

    The prose runs up to the heading that opens the section, past plain code
    (a timer) and the written answers that share the question, and stops at a
    graded code cell.
    """
    words: set[str] = set()
    for above in reversed(release[:r]):
        if above.cell_type == "code" and has_role(above):
            break
        if above.cell_type != "markdown" or has_role(above):
            continue
        words |= _telling_words(above.source)
        if above.source.lstrip().startswith("#"):
            break
    return words


def _telling_words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower())) - _COMMON_WORDS


class _WrittenFit(NamedTuple):
    """How well a free submitted cell fits a written answer; the greatest fits best."""

    holds_stub: bool  # it still holds "YOUR ANSWER HERE"
    same_type: bool
    shared_words: int  # telling words it shares with the question
    in_place: bool  # it sits where the answer would
    earlier: int  # minus its index: of equals, the first
    cell_index: int


class _LockedFit(NamedTuple):
    """How well a free submitted cell fits a locked cell; the greatest fits best."""

    same_type: bool
    similarity: float  # of the two texts, 0 to 1
    earlier: int  # minus its index: of equals, the first
    cell_index: int


def _best_candidate(
    cell: NotebookNode,
    free: list[tuple[int, NotebookNode]],
    expected: int,
    question: set[str] | frozenset[str] = frozenset(),
) -> int | None:
    """The free submitted cell that most plausibly is ``cell`` edited by the learner.

    An answer cell is found by the function or class its stub declares. A
    written answer (no signature) is the cell that still holds the stub text,
    else, among cells of its type, the one sharing most words with
    ``question`` (the prose above it), and then the one in its place: a note the
    learner added beside the answer seldom talks about the question as much.
    A locked cell is found by its type and text, or not at all.
    """
    meta = nbgrader_meta(cell)
    names = _SIGNATURE.findall(cell.source)
    if names:
        # An answer cell defines the function or class the stub declares.
        defines = [s for s, other in free if set(names) <= set(_SIGNATURE.findall(other.source))]
        return defines[-1] if defines else None
    if meta.get("solution"):
        written = [
            _WrittenFit(
                holds_stub=STUB_ANSWER in other.source,
                same_type=other.cell_type == cell.cell_type,
                shared_words=len(question & _telling_words(other.source)),
                in_place=s == expected,
                earlier=-s,
                cell_index=s,
            )
            for s, other in free
        ]
        return max(written).cell_index if written else None
    locked = [
        _LockedFit(
            same_type=other.cell_type == cell.cell_type,
            similarity=difflib.SequenceMatcher(None, _norm(cell.source), _norm(other.source)).ratio(),
            earlier=-s,
            cell_index=s,
        )
        for s, other in free
    ]
    best = max(locked, default=None)
    if best is None or best.similarity < MIN_LOCKED_SIMILARITY:
        # Claiming an unrelated cell would let nbgrader overwrite the learner's code.
        return None
    return best.cell_index


def _rebuilt(release_cell: NotebookNode, learner_cell: NotebookNode) -> NotebookNode:
    """The learner's text in the release cell's type, with the release's nbgrader metadata."""
    metadata = {key: value for key, value in learner_cell.metadata.items() if key != "nbgrader"}
    metadata["nbgrader"] = copy.deepcopy(nbgrader_meta(release_cell))
    return _keep_attachments(
        _NEW_CELL[release_cell.cell_type](source=learner_cell.source, metadata=metadata), learner_cell
    )


def _plain(cell: NotebookNode) -> NotebookNode:
    """A learner's own cell, without nbgrader metadata that would confuse the grader."""
    metadata = {key: value for key, value in cell.metadata.items() if key != "nbgrader"}
    return _keep_attachments(_NEW_CELL[cell.cell_type](source=cell.source, metadata=metadata), cell)


def _keep_attachments(cell: NotebookNode, learner_cell: dict) -> NotebookNode:
    """``cell`` with the images pasted into ``learner_cell``: its markdown refers to them
    (``attachment:name``), and rendering it without them fails."""
    attachments = learner_cell.get("attachments")
    # As nbformat requires: name -> {mime type -> text or list of lines}; anything else would fail validation.
    if (
        cell.cell_type in ("markdown", "raw")
        and isinstance(attachments, dict)
        and all(
            isinstance(bundle, dict)
            and all(
                isinstance(data, str) or isinstance(data, list) and all(isinstance(line, str) for line in data)
                for data in bundle.values()
            )
            for bundle in attachments.values()
        )
    ):
        cell.attachments = copy.deepcopy(attachments)
    return cell


class _Placed(NamedTuple):
    """A cell of the repaired notebook; the first three fields sort it into place.

    The learner's cells keep their order (``after``: their index); a graded cell put back
    (``restored`` 1) follows the cell matched to its nearest earlier neighbour.
    """

    after: int
    restored: int
    release_index: int
    cell: NotebookNode


def repair_notebook(submitted: NotebookNode, release: NotebookNode, name: str) -> tuple[NotebookNode, list[str]]:
    """Rebuild ``submitted`` around ``release``'s graded cells.

    Returns
    -------
    notebook : NotebookNode
        The learner's cells in their order, the release's metadata and cell
        types on the matched graded cells, deleted graded cells put back.
    changes : list of str
        What was repaired, one sentence each; empty for an intact submission.

    Raises
    ------
    NotThisLesson
        When the notebook shares too little with ``release`` to be this lesson.
    """
    rel, sub = release.cells, submitted.cells
    match, copies = _match(rel, sub)
    graded = [r for r, cell in enumerate(rel) if has_role(cell)]
    # Position alone would pair any notebook's cells with ours, and every lesson
    # has a similar setup cell and the same "YOUR ANSWER HERE" stubs: only test
    # cells and answer cells with a signature, found by id or text, tell lessons apart.
    certain = [r for r, how in match.how.items() if how in ("grade_id", "content")]
    telling = {
        r
        for r in graded
        if nbgrader_meta(rel[r]).get("grade")
        and not nbgrader_meta(rel[r]).get("solution")
        or nbgrader_meta(rel[r]).get("solution")
        and _SIGNATURE.search(rel[r].source)
    }
    if not set(certain) & telling and len(certain) < MIN_SHARED_CELLS * len(rel):
        raise NotThisLesson(
            f"{name} does not look like this lesson's notebook: none of its graded cells and only "
            f"{len(certain)} of {len(rel)} cells match; is it another lesson's notebook?"
        )
    changes: list[str] = []
    owner = {s: r for r, s in match.of.items()}
    placed: list[_Placed] = []
    for s, cell in enumerate(sub):
        r = owner.get(s)
        if r is None or not has_role(rel[r]):
            if nbgrader_meta(cell).get("grade_id") not in (None, *copies) and has_role(cell):
                changes.append(
                    "removed nbgrader metadata for a grade_id the lesson does not have "
                    f"({nbgrader_meta(cell)['grade_id']})"
                )
            placed.append(_Placed(s, 0, 0, _plain(cell)))
            continue
        grade_id = nbgrader_meta(rel[r])["grade_id"]
        if match.how[r] != "grade_id":
            changes.append(f"restored the nbgrader metadata of cell {grade_id} ({FOUND_BY[match.how[r]]})")
        elif nbgrader_meta(cell) != nbgrader_meta(rel[r]):
            changes.append(f"reset the edited nbgrader metadata of cell {grade_id}")
        if cell.cell_type != rel[r].cell_type:
            changes.append(f"turned cell {grade_id} back from {cell.cell_type} into {rel[r].cell_type}")
        placed.append(_Placed(s, 0, 0, _rebuilt(rel[r], cell)))
    for grade_id, count in copies.items():
        if count > 1:
            changes.append(
                f"cell {grade_id} appeared {count} times: graded the last copy, kept the others as ordinary cells"
            )
    for r in graded:
        if r in match.of:
            continue
        meta = nbgrader_meta(rel[r])
        if rel[r].cell_type == "code" and meta.get("solution") and not meta.get("grade"):
            # Its stub would raise, or redefine a function the learner wrote elsewhere.
            changes.append(f"answer cell {meta['grade_id']} is missing; graded on the notebook's other cells")
            continue
        anchor = max((s for q, s in match.of.items() if q < r), default=-1)
        placed.append(_Placed(anchor, 1, r, copy.deepcopy(rel[r])))
        what = "answer cell" if meta.get("solution") else "cell"
        changes.append(
            f"put back the deleted {what} {meta['grade_id']}"
            + (" (graded as unanswered)" if what == "answer cell" else "")
        )
    notebook = nbformat.v4.new_notebook(
        cells=[item.cell for item in sorted(placed, key=lambda item: item[:3])],
        metadata=copy.deepcopy(submitted.metadata),
    )
    # The grader runs the lesson's kernel, whatever the learner's editor recorded.
    for key in ("kernelspec", "language_info"):
        if key in release.metadata:
            notebook.metadata[key] = copy.deepcopy(release.metadata[key])
    nbformat.validate(notebook)
    return notebook, changes


class HandedFile(NamedTuple):
    """One file a student handed in: its name as handed in, and its bytes."""

    name: str
    data: bytes


def pick_notebooks(handed: dict[str, bytes], release_names: list[str]) -> dict[str, HandedFile]:
    """Which handed-in file stands for each release notebook, by release name.

    One file for a one-notebook lesson is that notebook whatever its name;
    otherwise files are matched by name.
    """
    if len(release_names) == 1 and len(handed) == 1:
        ((name, data),) = handed.items()
        return {release_names[0]: HandedFile(name, data)}
    chosen = {name: HandedFile(name, handed[name]) for name in release_names if name in handed}
    if not chosen:
        raise Rejected(
            f"{len(handed)} notebooks handed in ({', '.join(sorted(handed))}) and none is named "
            f"{' or '.join(release_names)}; hand in the lesson's notebook only"
        )
    return chosen


def repair(handed: dict[str, bytes], release: dict[str, NotebookNode]) -> Repaired:
    """Turn one student's handed-in files into notebooks nbgrader can grade.

    Parameters
    ----------
    handed : dict of str to bytes
        The student's files by name.
    release : dict of str to NotebookNode
        The lesson's release notebooks by file name.

    Raises
    ------
    Rejected
        With a reason the student can act on.
    """
    result = Repaired(notebooks={})
    chosen = pick_notebooks(handed, sorted(release))
    for release_name, picked in chosen.items():
        notebook, changes = read_notebook(picked.name, picked.data)
        result.notebooks[release_name], more = repair_notebook(notebook, release[release_name], picked.name)
        result.changes += changes + more
    ignored = sorted(set(handed) - {picked.name for picked in chosen.values()})
    if ignored:
        result.changes.append(f"ignored other files: {', '.join(ignored)}")
    return result
