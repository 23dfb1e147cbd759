"""What every section measures with: rows and sections, timers, data, and lessons' solutions.

A :class:`Row` is one line of a table and a :class:`Section` one titled table.
The timers give the median-of-paired-ratios figures the tables print, the data
generators feed the solution benches, and :func:`load_solutions` runs a
lesson's reference cells so no solution is ever copied into the benchmark.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import sys
import time
import timeit
import types
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib
import nbformat
import numpy as np
from sklearn.datasets import make_classification

from ..cells import grade_id_of, is_grade, is_locked, is_solution

Namespace = dict[str, Any]
Figure = float | str | None


@dataclass
class Row:
    """One line of a benchmark table.

    ``figures`` maps the section's column names to a number, a word, or None
    for "not measured"; ``met`` is None when the row has no target.
    """

    case: str
    size: str
    figures: dict[str, Figure]
    target: str = "-"
    met: bool | None = None
    note: str = ""
    load: float = field(default_factory=lambda: os.getloadavg()[0])


@dataclass
class Section:
    """A titled table: the figure columns every row fills, plus notes."""

    title: str
    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def load_solutions(root: Path, lesson: str) -> Namespace:
    """Execute a lesson's setup and solution cells in a fresh namespace.

    Parameters
    ----------
    root : Path
        The course directory.
    lesson : str
        The lesson whose ``source/<lesson>/<lesson>.ipynb`` is read.

    Returns
    -------
    dict
        The namespace: every function and class the reference solution defines.

    Notes
    -----
    Code cells marked as nbgrader solution or locked (setup, given helpers)
    run in notebook order; test cells and unmarked cells (plots, demos) do not.
    """
    path = root / "source" / lesson / f"{lesson}.ipynb"
    # Setup cells import pyplot; there is no display here. Chosen for this process only,
    # not through the environment, which kernels started later would inherit.
    matplotlib.use("Agg")
    module = types.ModuleType(f"course_benchmark_lesson_{lesson}")
    # a dataclass looks its class's module up in sys.modules while it is created
    sys.modules[module.__name__] = module
    namespace: Namespace = module.__dict__
    with contextlib.redirect_stdout(io.StringIO()):  # setup cells print data summaries
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and (is_solution(cell) or is_locked(cell)) and not is_grade(cell):
                exec(compile(cell.source, f"{path.name}:{grade_id_of(cell)}", "exec"), namespace)
    return namespace


def seconds(action: Callable[[], object]) -> float:
    """Wall-clock seconds of one call."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def per_call(action: Callable[[], object]) -> float:
    """Wall-clock seconds per call, over as many calls as last 0.2 s (timeit's autorange).

    One call of a millisecond function measures the timer and the caches as
    much as the function: a single-call ratio swung between 1x and 5x from
    run to run.
    """
    calls, total = timeit.Timer(action).autorange()
    return total / calls


def paired(ours: Callable[[], object], theirs: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Median over ``repeats`` runs of the time ratio ours/theirs, and our median seconds per call."""
    ratios, own = [], []
    for _ in range(repeats):
        t_ours, t_theirs = per_call(ours), per_call(theirs)
        ratios.append(t_ours / t_theirs)
        own.append(t_ours)
    return statistics.median(ratios), statistics.median(own)


def regression_data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """A linear target of 10 features on different scales, with noise."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 10)) * rng.uniform(0.5, 20.0, size=10)
    return X, X @ rng.normal(size=10) + 3.0 + rng.normal(scale=5.0, size=n)


def classification_data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two noisy classes in 10 dimensions, 5 of them informative."""
    X, y = make_classification(n_samples=n, n_features=10, n_informative=5, flip_y=0.05, random_state=seed)
    return X, y.astype(float)


def blobs(n: int, seed: int = 0) -> np.ndarray:
    """Five separated Gaussian blobs in 2-D: one clustering both methods should find."""
    rng = np.random.default_rng(seed)
    centres = np.array([[0, 0], [8, 0], [0, 8], [8, 8], [4, 4]], dtype=float)
    return centres[rng.integers(5, size=n)] + rng.normal(size=(n, 2))


def split(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The first 80 % to train, the rest to test (the data is already shuffled)."""
    cut = int(0.8 * len(X))
    return X[:cut], X[cut:], y[:cut], y[cut:]
