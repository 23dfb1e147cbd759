"""Scores as rows, one per student and grade cell, and the spreadsheet-safe CSVs they are written to.

The rows are read from the gradebook by :func:`course.gradebook.read_scores`.
"""

from __future__ import annotations

import csv
import enum
from dataclasses import asdict, dataclass, fields
from pathlib import Path


class GradedBy(enum.StrEnum):
    """Who gives a grade cell its points: the hidden tests, or a person."""

    AUTO = "auto"  # test cells
    MANUAL = "manual"  # written answers


@dataclass(frozen=True)
class ScoreRow:
    """The score of one grade cell of one student's notebook.

    ``score`` is ``None`` while a written answer waits for a person to grade it.
    ``graded_by`` says whether the hidden tests or a person gives the points.
    """

    student_id: str
    notebook: str
    grade_id: str
    category: str
    score: float | None
    max_score: float
    graded_by: GradedBy


COLUMNS = [field.name for field in fields(ScoreRow)]

# A spreadsheet opening a CSV runs a field that starts with one of these as a
# formula (tab and carriage return are dropped first by some of them).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """``value`` as a CSV field that a spreadsheet shows as text instead of running it.

    Student ids, file names and messages come from learners, and a report
    opened in a spreadsheet would run one that begins like a formula
    (``=HYPERLINK(...)``). Such a string gets a leading single quote, which
    spreadsheets read as "this is text" (OWASP's advice on CSV injection).
    Numbers are returned unchanged, so a negative score stays a number.

    Parameters
    ----------
    value : object
        One field of a row about to be written.

    Returns
    -------
    object
        ``value``, with ``'`` in front when it is a string that starts like a formula.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_scores(rows: list[ScoreRow], path: Path) -> Path:
    """Write ``rows`` to ``path`` as CSV with :data:`COLUMNS`, text made :func:`spreadsheet_safe`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {key: ("" if value is None else spreadsheet_safe(value)) for key, value in asdict(row).items()}
            )
    return path
