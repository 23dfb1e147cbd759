"""The benchmark machinery on tiny sizes: table structure and quality against scikit-learn.

No timing is asserted: these tests say the benchmark measures the right
things, not that the machine is fast.
"""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from rich.console import Console
from sklearn import linear_model

from course.bench import (
    ALSFactorization,
    Row,
    Section,
    bench_factorization,
    bench_grading,
    bench_solutions,
    load_solutions,
    markdown,
    print_tables,
    regression_data,
    run_benchmarks,
    scale_section,
    target_summary,
)
from course.layout import CourseError

ROOT = Path(__file__).resolve().parents[1]
TINY = 300


@pytest.fixture(scope="module")
def solutions() -> Section:
    return bench_solutions(ROOT, [TINY], repeats=1)


def rows_named(section: Section, prefix: str) -> list[Row]:
    return [row for row in section.rows if row.case.startswith(prefix)]


def case_name(row: Row) -> str:
    """The lesson's name for what a row measures: its first word."""
    return re.match(r"\w+", row.case).group()


def test_loader_runs_solution_cells_not_tests() -> None:
    ns = load_solutions(ROOT, "01_regression")
    X, y = regression_data(50)
    coef, intercept = ns["normal_equation"](X, y)
    reference = linear_model.LinearRegression().fit(X, y)
    assert np.allclose(coef, reference.coef_, atol=1e-8) and np.isclose(intercept, reference.intercept_)
    # _ridge_reference is defined in a hidden test cell only: test cells must not run
    assert "_ridge_reference" not in ns and "LogisticRegressionGD" in ns


def test_every_row_fills_the_section_columns(solutions: Section) -> None:
    assert solutions.rows, "no benchmark row at all"
    for row in solutions.rows:
        assert set(row.figures) == set(solutions.columns), row.case
        assert row.size == f"n={TINY:,}"
        assert row.figures["fit time ratio"] > 0
    cases = {case_name(row) for row in solutions.rows}
    assert {
        "normal_equation",
        "KNNClassifier",
        "KMeans",
        "roc_auc_score",
        "average_precision",
        "confusion_matrix",
        "precision_recall_f1",
        "DecisionTreeClassifier",
        "RandomForestClassifier",
        "LogisticRegressionGD",
        "GaussianNaiveBayes",
        "pca",
    } <= cases


def test_closed_form_quality_equals_sklearn(solutions: Section) -> None:
    for row in rows_named(solutions, "normal_equation"):
        assert row.figures["quality"] == "R²"
        assert abs(row.figures["ours"] - row.figures["scikit-learn"]) <= 1e-8, row.case


def test_metrics_knn_nb_pca_agree_with_sklearn(solutions: Section) -> None:
    for prefix, tolerance in (
        ("roc_auc_score", 1e-12),
        ("average_precision", 1e-12),
        ("confusion_matrix", 0.0),
        ("precision_recall_f1", 1e-12),
        ("KNNClassifier", 0.0),
        ("GaussianNaiveBayes", 0.0),
        ("pca", 1e-10),
    ):
        (row,) = rows_named(solutions, prefix)
        assert abs(row.figures["ours"] - row.figures["scikit-learn"]) <= tolerance, prefix
        assert row.figures["|diff|"] == pytest.approx(abs(row.figures["ours"] - row.figures["scikit-learn"]))


def test_kmeans_and_logistic_reach_sklearn_quality(solutions: Section) -> None:
    (kmeans,) = rows_named(solutions, "KMeans")
    assert kmeans.figures["ours"] == pytest.approx(kmeans.figures["scikit-learn"], rel=1e-3)
    (logistic,) = rows_named(solutions, "LogisticRegressionGD")
    assert logistic.figures["ours"] == pytest.approx(logistic.figures["scikit-learn"], abs=1e-2)


def test_targets_are_judged_only_where_the_issue_sets_one(solutions: Section) -> None:
    for row in solutions.rows:
        judged = case_name(row) not in {"LogisticRegressionGD", "GaussianNaiveBayes", "pca"}
        assert (row.met is not None) == judged, row.case


def test_als_fits_observed_ratings_only() -> None:
    rng = np.random.default_rng(0)
    users, items = rng.integers(40, size=600), rng.integers(30, size=600)
    taste = rng.normal(size=(40, 2)) @ rng.normal(size=(2, 30))
    ratings = np.column_stack([users, items, 3.0 + taste[users, items]]).astype(float)
    model = ALSFactorization(n_factors=3, n_epochs=8).fit(ratings)
    history = np.asarray(model.train_rmse_history_)
    assert history.shape == (8,) and history[-1] < 0.5 * np.std(ratings[:, 2])
    assert model.predict(users[:5], items[:5]).shape == (5,)


def test_factorization_section_compares_sgd_and_als() -> None:
    section = bench_factorization(ROOT, repeats=1, shape=(60, 40, 0.3), timing_epochs=1)
    assert [case_name(row) for row in section.rows] == ["MatrixFactorization", "ALSFactorization"]
    for row in section.rows:
        assert set(row.figures) == set(section.columns)
        assert 0 < row.figures["train RMSE"] < row.figures["held-out RMSE"] < 2.0


def scale(parallel_seconds: float, parallel_scores: str = "a,1") -> Section:
    return scale_section(
        ["00_warmup", "06_metrics"],
        2,
        {
            "serial": [(100.0, 38, "a,1"), (90.0, 38, "a,1")],
            "parallel": [(50.0, 38, "a,1"), (parallel_seconds, 38, parallel_scores)],
            "postgresql": [],
        },
    )


def test_every_grading_repeat_grades_again() -> None:
    """Repeats that resumed the first run (the median of three) would time a gradebook export: a few hundredths."""
    (row,) = bench_grading(ROOT, ["00_warmup"], repeats=3, cohort_size=1).rows
    assert row.figures["overhead ratio"] > 0.5, row.figures


def test_scale_section_judges_the_speed_up_within_each_repeat() -> None:
    serial, parallel, postgresql = scale(50.0).rows
    assert serial.figures["speed-up"] is None and serial.met is None
    assert parallel.figures["speed-up"] == pytest.approx(1.9) and parallel.met  # median of 100/50 and 90/50
    assert parallel.figures["s / submission"] == pytest.approx(50.0 / 38)
    assert postgresql.met is None and "not measured" in postgresql.note
    (slow,) = [row for row in scale(70.0).rows if row.case == parallel.case]
    assert slow.figures["speed-up"] == pytest.approx((100 / 50 + 90 / 70) / 2) and not slow.met


def test_scale_section_fails_a_fast_run_with_other_scores() -> None:
    (parallel,) = [row for row in scale(45.0, "a,0").rows if row.case == "SQLite, --workers 2"]
    assert parallel.figures["same scores"] == "NO" and parallel.met is False


def test_markdown_and_table(solutions: Section, capsys: pytest.CaptureFixture[str]) -> None:
    text = markdown([solutions, scale(50.0)], datetime.now(UTC), (1.0, 1.0, 1.0), os.getloadavg(), 1, 1)
    assert "## 1. Solutions vs scikit-learn" in text and "## 2. Grading at cohort scale" in text
    assert "scikit-learn:" in text and "Load average" in text and "noisy" in text
    assert "not measured: pass `course bench --db postgresql://...`" in text
    table_lines = [line for line in text.splitlines() if line.startswith("| normal_equation")]
    header = next(line for line in text.splitlines() if line.startswith("| case"))
    assert table_lines and all(line.count(" | ") == header.count(" | ") for line in table_lines)
    print_tables([solutions], Console(width=200))
    assert "Solutions vs scikit-learn" in capsys.readouterr().out


def test_target_summary_names_missed_and_unmeasured(solutions: Section) -> None:
    workers = scale(70.0)
    plain = Section("plain", ("seconds",), [Row("x", "n=1", {"seconds": 1.0})])
    first, second, third = target_summary([solutions, workers, plain])
    judged = [row for row in solutions.rows if row.met is not None]
    assert first.startswith(
        f"- Solutions vs scikit-learn: {sum(bool(row.met) for row in judged)} of {len(judged)} targets met"
    )
    assert second == "- Grading at cohort scale: 0 of 1 targets met; missed: SQLite, --workers 2 (2 lessons)."
    assert third == "- plain: no target, figures reported."


def test_unknown_section_is_a_course_error(tmp_path: Path) -> None:
    with pytest.raises(CourseError, match="unknown benchmark section"):
        run_benchmarks(ROOT, Console(), sections=["speed"], output=tmp_path / "B.md")
