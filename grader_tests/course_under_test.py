"""The course this suite tests: its root, lessons and mutant library, read once.

Tests import these from here rather than from ``conftest``, which pytest
loads on its own terms; this is an ordinary module.
"""

from __future__ import annotations

from pathlib import Path

from course.layout import lesson_names
from course.mutants import load_library

ROOT = Path(__file__).resolve().parents[1]
LESSONS = lesson_names(ROOT)
LIBRARY = load_library(ROOT)
# The user property a mutant test records, (lesson, mutant, killed), for the kill-rate summary.
MUTANT_RESULT = "mutant_result"
