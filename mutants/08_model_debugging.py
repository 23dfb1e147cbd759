"""Typical wrong answers for lesson 08 (model debugging); each must lose points."""

from course.mutants import Mutant

BASELINE = "majority_baseline"
METRICS = "binary_metrics"
LEAKS = "find_leaky_features"
SPLIT = "time_split"
PIPELINE = "fit_fixed_pipeline"

MUTANTS = [
    # majority_baseline
    Mutant(
        "baseline_predicts_minority",
        "the baseline predicts the least frequent label",
        BASELINE,
        "return labels[np.argmax(counts)]",
        "return labels[np.argmin(counts)]",
        in_demo=True,
    ),
    Mutant(
        "baseline_tie_to_largest",
        "a tie goes to the largest label",
        BASELINE,
        "return labels[np.argmax(counts)]",
        "return labels[len(counts) - 1 - np.argmax(counts[::-1])]",
    ),
    # binary_metrics
    Mutant(
        "metrics_precision_recall_swapped",
        "swaps precision and recall",
        METRICS,
        '"precision": float(precision),\n        "recall": float(recall),',
        '"precision": float(recall),\n        "recall": float(precision),',
    ),
    Mutant(
        "metrics_confusion_transposed",
        "puts predicted labels on the rows of the confusion matrix",
        METRICS,
        "np.array([[tn, fp], [fn, tp]], dtype=int)",
        "np.array([[tn, fn], [fp, tp]], dtype=int)",
    ),
    Mutant(
        "metrics_zero_division_nan",
        "divides by zero when nothing is predicted positive (NaN and a warning)",
        METRICS,
        "precision = tp / (tp + fp) if tp + fp > 0 else 0.0",
        "precision = np.float64(tp) / (tp + fp)",
    ),
    Mutant(
        "uses_sklearn",
        "calls scikit-learn for the confusion matrix",
        METRICS,
        "tp = int(np.sum((y_true == 1) & (y_pred == 1)))",
        "from sklearn.metrics import confusion_matrix\n"
        "    tn, fp, fn, tp = (int(v) for v in confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel())",
    ),
    # find_leaky_features
    Mutant(
        "leak_by_column_name",
        "looks for leaks by column name instead of in the data",
        LEAKS,
        "if max(auc, 1.0 - auc) >= threshold:",
        'if any(word in str(col).lower() for word in ("update", "after", "resolution", "closed")):',
    ),
    Mutant(
        "leak_flags_every_strong_feature",
        "flags every strong feature, not only near-perfect ones",
        LEAKS,
        "if max(auc, 1.0 - auc) >= threshold:",
        "if max(auc, 1.0 - auc) >= 0.65:",
    ),
    Mutant(
        "leak_auc_not_folded",
        "misses leaks that point downwards (no max(AUC, 1 - AUC))",
        LEAKS,
        "if max(auc, 1.0 - auc) >= threshold:",
        "if auc >= threshold:",
    ),
    Mutant(
        "leak_strict_threshold",
        "uses > instead of >= for the threshold",
        LEAKS,
        "if max(auc, 1.0 - auc) >= threshold:",
        "if max(auc, 1.0 - auc) > threshold:",
    ),
    Mutant(
        "leak_ignores_missing_values",
        "ranks columns with NaN as they are",
        LEAKS,
        "known = ~np.isnan(values)",
        "known = np.ones(values.size, dtype=bool)",
    ),
    # time_split
    Mutant(
        "split_random",
        "splits at random instead of by time (the future leaks into training)",
        SPLIT,
        'ordered = df.sort_values(time_col, kind="stable")',
        "ordered = df.sample(frac=1.0, random_state=0)",
    ),
    Mutant(
        "split_assumes_sorted",
        "assumes the table is already in time order",
        SPLIT,
        'ordered = df.sort_values(time_col, kind="stable")',
        "ordered = df",
    ),
    Mutant(
        "split_allows_empty_part",
        "returns an empty training or test part instead of raising ValueError",
        SPLIT,
        "    if not 0 < n_test < n_samples:\n",
        "    if False:\n",
    ),
    Mutant(
        "split_rounds_to_nearest",
        "rounds test_frac * n to the nearest integer instead of up",
        SPLIT,
        "n_test = int(np.ceil(test_frac * n_samples))",
        "n_test = int(round(test_frac * n_samples))",
    ),
    Mutant(
        "split_clamps_empty_part",
        "moves a row across when a part would be empty instead of raising ValueError",
        SPLIT,
        "    n_test = int(np.ceil(test_frac * n_samples))\n    if not 0 < n_test < n_samples:\n",
        "    n_test = min(max(int(np.ceil(test_frac * n_samples)), 1), n_samples - 1)\n    if n_samples < 2:\n",
    ),
    Mutant(
        "split_resets_index",
        "resets the index, so rows cannot be traced back",
        SPLIT,
        "return ordered.iloc[: n_samples - n_test].copy(), ordered.iloc[n_samples - n_test:].copy()",
        "return (ordered.iloc[: n_samples - n_test].reset_index(drop=True),\n"
        "            ordered.iloc[n_samples - n_test:].reset_index(drop=True))",
    ),
    # fit_fixed_pipeline
    Mutant(
        "pipeline_keeps_leak",
        "keeps the leaked column in the fixed pipeline",
        PIPELINE,
        "dropped = find_leaky_features(train, target)",
        "dropped = []",
        in_demo=True,
    ),
    Mutant(
        "pipeline_random_split",
        "keeps the random split in the pipeline",
        PIPELINE,
        "past, test = time_split(df, time_col, test_frac=test_frac)",
        "test = df.sample(frac=test_frac, random_state=0)\n    past = df.drop(index=test.index)",
    ),
    Mutant(
        "pipeline_scaler_fitted_on_test",
        "standardises with statistics of the test period",
        PIPELINE,
        "scale = scaler(past)  #",
        "scale = scaler(test)  #",
    ),
    Mutant(
        "pipeline_ignores_imbalance",
        "trains unweighted and keeps the 0.5 threshold under imbalance",
        PIPELINE,
        'weighting = "balanced"',
        "weighting = None",
    ),
    Mutant(
        "pipeline_metrics_on_train",
        "reports the metrics of the training rows",
        PIPELINE,
        '"metrics": binary_metrics(test[target].to_numpy(dtype=int), y_pred),',
        '"metrics": binary_metrics(past[target].to_numpy(dtype=int),\n'
        "                              (predict_proba(scale(past), coef, intercept) >= 0.5).astype(int)),",
    ),
    Mutant(
        "pipeline_leak_search_on_all_rows",
        "searches for leaks with the test period's labels",
        PIPELINE,
        "dropped = find_leaky_features(train, target)",
        "dropped = find_leaky_features(df, target)",
    ),
]
