"""The grading rubric: categories, their weights, and how grade ids name them.

Every grade cell's ``grade_id`` starts with its category and a dash, for example
``edge_cases-mse_rmse_invalid_input``. The id survives editors that drop other
metadata, so a report can always say which part of the rubric a point feeds.
"""

from __future__ import annotations

WEIGHTS: dict[str, float] = {
    "correctness": 0.30,
    "understanding": 0.25,
    "code_quality": 0.20,
    "edge_cases": 0.15,
    "communication": 0.10,
}
LABELS: dict[str, str] = {
    "correctness": "correctness",
    "understanding": "ML understanding",
    "code_quality": "code quality",
    "edge_cases": "edge cases",
    "communication": "communication",
}
UNCATEGORISED = "uncategorised"


def category_of(grade_id: str) -> str:
    """The rubric category a grade id names, or ``"uncategorised"``."""
    prefix, dash, _ = grade_id.partition("-")
    return prefix if dash and prefix in WEIGHTS else UNCATEGORISED
