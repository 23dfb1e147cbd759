"""The learner's own record, kept beside their notebooks: what ``course selfgrade`` found.

One small JSON file per folder of notebooks, ``course_record.json``, keyed by
lesson (or mock), so that ``course progress`` can show the latest result
without grading again. Nothing in it is trusted for a grade: it is the
learner's notebook of their own practice.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

RECORD_FILE = "course_record.json"


@dataclass(frozen=True)
class SelfGradeRecord:
    """The autograded points of one ``course selfgrade`` run."""

    lesson: str
    autograded: float
    autograded_max: float
    # For a mock: each drill's (points, maximum), which the study plan counts as practised.
    drills: dict[str, tuple[float, float]] = field(default_factory=dict)
    # The learner's own points for written answers, after the debrief's checklists, and their maximum.
    self_assessed: dict[str, float] = field(default_factory=dict)
    written_max: float = 0.0
    when: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))


def load_record(folder: Path) -> dict[str, dict]:
    """The record of a folder, empty when there is none or it cannot be read."""
    try:
        record = json.loads((folder / RECORD_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return record if isinstance(record, dict) else {}


def save_selfgrade(folder: Path, result: SelfGradeRecord) -> Path:
    """Keep ``result`` as the latest selfgrade of its lesson in ``folder``'s record.

    Self-scores given in earlier runs are kept unless this run scores the same answer again.
    """
    record = load_record(folder)
    found = record.get(result.lesson)
    entry: dict = found if isinstance(found, dict) else {}
    earlier = entry.get("selfgrade", {}).get("self_assessed") if isinstance(entry.get("selfgrade"), dict) else None
    latest = asdict(result)
    latest["self_assessed"] = {**(earlier if isinstance(earlier, dict) else {}), **result.self_assessed}
    record[result.lesson] = {**entry, "selfgrade": latest}
    path = folder / RECORD_FILE
    try:
        path.write_text(json.dumps(record, indent=1, sort_keys=True), encoding="utf-8")
    except OSError:
        pass  # a read-only folder loses the record, not the grade
    return path


def drills_done(record: dict[str, dict]) -> set[str]:
    """Drills that some selfgraded mock of the record answered with full marks."""
    done: set[str] = set()
    for entry in record.values():
        graded = entry.get("selfgrade", {}) if isinstance(entry, dict) else {}
        for slug, points in (graded.get("drills") or {}).items():
            if isinstance(points, list) and len(points) == 2 and points[1] and points[0] >= points[1]:
                done.add(slug)
    return done


def full_marks(record: dict[str, dict], lesson: str) -> bool:
    """Whether the latest selfgrade of ``lesson`` in the record had every autograded point."""
    graded = record.get(lesson, {}).get("selfgrade", {}) if isinstance(record.get(lesson), dict) else {}
    most = graded.get("autograded_max") or 0
    return bool(most) and graded.get("autograded", 0) >= most


def self_assessed(record: dict[str, dict], lesson: str) -> tuple[float, float] | None:
    """(points the learner gave themselves, points of every written answer) for ``lesson``, if any."""
    graded = record.get(lesson, {}).get("selfgrade", {}) if isinstance(record.get(lesson), dict) else {}
    scores = graded.get("self_assessed")
    if not isinstance(scores, dict) or not scores or not graded.get("written_max"):
        return None
    return float(sum(scores.values())), float(graded["written_max"])
