"""Choosing the sections, running them in order, and writing the report."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console

from ..layout import CourseError, lesson_names
from .cluster import bench_cluster
from .factorization import bench_factorization
from .grading import bench_grading, bench_scale
from .measure import Section
from .notebooks import bench_notebooks
from .solutions import bench_solutions
from .tables import markdown, print_tables

SIZES = (1_000, 10_000, 100_000)
SECTIONS = ("solutions", "factorization", "notebooks", "grading", "scale", "cluster")
# Two lessons whose self-check cohorts together pass 30 submissions.
SCALE_LESSONS = ["00_warmup", "06_metrics"]


def run_benchmarks(
    root: Path,
    console: Console,
    *,
    repeats: int = 3,
    notebook_repeats: int = 1,
    sizes: Iterable[int] | None = None,
    sections: Iterable[str] | None = None,
    cohort_size: int = 2,
    lessons: list[str] | None = None,
    output: Path | None = None,
    database: Callable[[], str] | None = None,
) -> list[Section]:
    """Run the chosen sections, print their tables and write ``BENCHMARKS.md``.

    Parameters
    ----------
    root : Path
        The course directory.
    console : Console
        Where the tables go.
    repeats : int
        Runs per figure in sections 1-2 (solutions, matrix factorisation).
    notebook_repeats : int
        Runs per figure in sections 3-6 (each run executes notebooks: seconds, not milliseconds).
    sizes : iterable of int, optional
        Data sizes for section 1 (default :data:`SIZES`).
    sections : iterable of str, optional
        A subset of :data:`SECTIONS` (default: all).
    cohort_size : int
        Reference submissions graded per lesson in section 4.
    lessons : list of str, optional
        Lessons for sections 3-4 (default: all in ``source/``).
    output : Path, optional
        The Markdown file (default ``root / "BENCHMARKS.md"``); not written when it is ``os.devnull``.
    database : callable, optional
        Returns the URL of a new, empty PostgreSQL database for section 5's
        PostgreSQL row each time it is called (without it, that row is not measured).

    Returns
    -------
    list of Section
    """
    started, load_start = datetime.now(UTC), os.getloadavg()
    lessons = lessons or lesson_names(root)
    sizes, chosen = list(sizes or SIZES), set(sections or SECTIONS)
    if chosen - set(SECTIONS):
        raise CourseError(
            f"unknown benchmark section(s) {sorted(chosen - set(SECTIONS))}; choose from {', '.join(SECTIONS)}"
        )
    steps: dict[str, Callable[[], Section]] = {
        "solutions": lambda: bench_solutions(root, sizes, repeats),
        "factorization": lambda: bench_factorization(root, repeats),
        "notebooks": lambda: bench_notebooks(root, lessons, notebook_repeats),
        "grading": lambda: bench_grading(root, lessons, notebook_repeats, cohort_size),
        "scale": lambda: bench_scale(root, SCALE_LESSONS, notebook_repeats, database),
        "cluster": lambda: bench_cluster(root, SCALE_LESSONS[0], notebook_repeats),
    }
    results = []
    for name in SECTIONS:
        if name in chosen:
            console.print(f"[bold]benchmarking {name}...[/]")
            results.append(steps[name]())
    print_tables(results, console)
    text = markdown(results, started, load_start, os.getloadavg(), repeats, notebook_repeats)
    target = output or root / "BENCHMARKS.md"
    if str(target) != os.devnull:
        target.write_text(text, encoding="utf-8")
        console.print(f"wrote {target}")
    return results
