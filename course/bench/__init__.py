"""Benchmarks: the solutions against scikit-learn, notebook budgets, grading throughput, scale and clusters.

``python -m course bench`` prints one table per section and writes
``BENCHMARKS.md``. Every figure is the median of ``repeats`` runs; where two
things are compared, each run times both back to back and the median is taken
over the per-run ratios, so a burst of load from elsewhere hits both sides of
one ratio rather than one side of the comparison.

The solutions are never copied here: :func:`load_solutions` executes the
setup and solution cells of a lesson's source notebook in a fresh namespace.

Modules, one per concern, none importing a later one:

- :mod:`.measure`: rows, sections, timers, data generators, solution loading;
- :mod:`.solutions`: section 1, each solution against scikit-learn;
- :mod:`.factorization`: section 2, lesson 07's SGD against an ALS reference;
- :mod:`.notebooks`: section 3, notebook execution budgets;
- :mod:`.grading`: sections 4 and 5, grading throughput and cohort scale;
- :mod:`.cluster`: section 6, grading on a local Dask cluster of 1, 2 and 4 workers;
- :mod:`.tables`: the console tables and the Markdown report;
- :mod:`.run`: choosing and running sections (:func:`run_benchmarks`).
"""

from .cluster import bench_cluster
from .factorization import ALSFactorization, bench_factorization
from .grading import bench_grading, bench_scale, scale_section
from .measure import (
    Figure,
    Namespace,
    Row,
    Section,
    blobs,
    classification_data,
    load_solutions,
    paired,
    per_call,
    regression_data,
    seconds,
    split,
)
from .notebooks import bench_notebooks, execute, kernel_arguments
from .run import SECTIONS, SIZES, run_benchmarks
from .solutions import bench_solutions
from .tables import markdown, print_tables, target_summary

__all__ = [
    "ALSFactorization",
    "Figure",
    "Namespace",
    "Row",
    "SECTIONS",
    "SIZES",
    "Section",
    "bench_cluster",
    "bench_factorization",
    "bench_grading",
    "bench_notebooks",
    "bench_scale",
    "bench_solutions",
    "blobs",
    "classification_data",
    "execute",
    "kernel_arguments",
    "load_solutions",
    "markdown",
    "paired",
    "per_call",
    "print_tables",
    "regression_data",
    "run_benchmarks",
    "scale_section",
    "seconds",
    "split",
    "target_summary",
]
