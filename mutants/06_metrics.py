"""Typical wrong answers for lesson 06 (evaluation metrics); each must lose points."""

from course.mutants import Mutant

CM = "confusion_matrix"
PRF = "precision_recall_f1"
ROC = "roc_curve"
AUC = "roc_auc_score"
AP = "average_precision"
LL = "log_loss"
REG = "regression_metrics"

_POOL = (
    '    if average == "micro":\n'
    "        tp, n_pred, support = tp.sum(keepdims=True), n_pred.sum(keepdims=True), support.sum(keepdims=True)\n"
)
_POOLING_TO_AVERAGE = (
    _POOL + "\n"
    "    def ratio(num, den):\n"
    "        return np.divide(num, den, out=np.full(den.shape, float(zero_division)), where=den > 0)\n"
    "\n"
    "    precision = ratio(tp, n_pred)\n"
    "    recall = ratio(tp, support)\n"
    "    f1 = ratio(2.0 * tp, n_pred + support)\n"
    '    if average == "macro":'
)

MUTANTS = [
    # confusion matrix
    Mutant(
        "cm_transposed",
        "puts the predicted labels on the rows and the true labels on the columns",
        CM,
        "flat = rows[keep] * n_labels + cols[keep]",
        "flat = cols[keep] * n_labels + rows[keep]",
    ),
    Mutant(
        "cm_labels_from_pred",
        "takes the labels from y_pred only, losing classes that are never predicted",
        CM,
        "labels = np.unique(np.concatenate([y_true, y_pred]))",
        "labels = np.unique(y_pred)",
    ),
    Mutant(
        "cm_empty_labels_not_checked",
        "indexes into an empty labels list, which fails with an IndexError",
        CM,
        "    elif np.size(labels) == 0:\n"
        '        raise ValueError("labels is empty: list at least one label to index the rows and columns")\n',
        "",
    ),
    # precision, recall, F1
    Mutant(
        "pr_swapped",
        "swaps precision and recall (divides by the true count for precision)",
        PRF,
        "precision = ratio(tp, n_pred)\n    recall = ratio(tp, support)",
        "precision = ratio(tp, support)\n    recall = ratio(tp, n_pred)",
        in_demo=True,
    ),
    Mutant(
        "macro_as_micro",
        "pools TP/FP/FN for the macro average too (macro computed as micro)",
        PRF,
        'if average == "micro":',
        'if average in ("micro", "macro"):',
    ),
    Mutant(
        "micro_as_macro",
        "averages the per-class scores for micro instead of pooling the counts",
        PRF,
        _POOLING_TO_AVERAGE,
        _POOLING_TO_AVERAGE.replace(_POOL, "").replace('if average == "macro":', 'if average in ("macro", "micro"):'),
    ),
    Mutant(
        "weighted_not_weighted",
        "forgets to weight the 'weighted' average by the class supports",
        PRF,
        "weights = support / support.sum()",
        "weights = np.full(support.shape, 1.0 / support.size)",
    ),
    Mutant(
        "zero_division_nan",
        "divides without guarding 0/0, so a class never predicted gives NaN and a warning",
        PRF,
        "return np.divide(num, den, out=np.full(den.shape, float(zero_division)), where=den > 0)",
        "return num / den",
    ),
    Mutant(
        "macro_f1_from_macro_pr",
        "computes macro F1 as the harmonic mean of macro precision and macro recall",
        PRF,
        "scores = [np.mean(precision), np.mean(recall), np.mean(f1)]",
        "macro_p, macro_r = np.mean(precision), np.mean(recall)\n"
        "        scores = [macro_p, macro_r, 2 * macro_p * macro_r / (macro_p + macro_r) if macro_p + macro_r > 0 else 0.0]",
    ),
    # ROC curve
    Mutant(
        "roc_no_inf_start",
        "starts the ROC curve at the highest score instead of +inf, so it misses (0, 0)",
        ROC,
        "fpr = np.r_[0, fps] / n_neg\n    tpr = np.r_[0, tps] / n_pos\n    thresholds = np.r_[np.inf, sorted_scores[last_of_run]]",
        "fpr = fps / n_neg\n    tpr = tps / n_pos\n    thresholds = sorted_scores[last_of_run]",
    ),
    Mutant(
        "roc_ties_split",
        "gives every sample its own ROC point, splitting runs of tied scores into a staircase",
        ROC,
        "last_of_run = np.r_[np.flatnonzero(np.diff(sorted_scores)), scores.size - 1]",
        "last_of_run = np.arange(scores.size)",
    ),
    # ROC AUC
    Mutant(
        "auc_ties_zero",
        "counts a positive tied with a negative as a loss (0) instead of one half",
        AUC,
        "0.5 * neg_in_group",
        "0.0 * neg_in_group",
        in_demo=True,
    ),
    Mutant(
        "auc_ties_one",
        "counts a positive tied with a negative as a win (1) instead of one half",
        AUC,
        "0.5 * neg_in_group",
        "1.0 * neg_in_group",
    ),
    Mutant(
        "auc_rank_without_ties",
        "ranks the scores with argsort(argsort(...)), so tied samples get different ranks",
        AUC,
        "    distinct, group = np.unique(scores, return_inverse=True)\n"
        "    pos_in_group = np.bincount(group, weights=positive, minlength=distinct.size)\n"
        "    neg_in_group = np.bincount(group, weights=~positive, minlength=distinct.size)\n"
        "    neg_below = np.cumsum(neg_in_group) - neg_in_group\n"
        "    wins = np.sum(pos_in_group * (neg_below + 0.5 * neg_in_group))\n",
        "    ranks = np.argsort(np.argsort(scores)) + 1\n"
        "    wins = np.sum(ranks[positive]) - n_pos * (n_pos + 1) / 2\n",
    ),
    Mutant(
        "auc_single_class_no_error",
        "does not check for a single class, so AUC silently becomes NaN",
        AUC,
        '    if n_pos == 0 or n_neg == 0:\n        raise ValueError("ROC AUC is undefined when y_true holds only one class")\n',
        "",
    ),
    # average precision
    Mutant(
        "ap_interpolated",
        "interpolates precision (best precision at any higher recall) as in object detection",
        AP,
        "precision = tps / (last_of_run + 1)",
        "precision = np.maximum.accumulate((tps / (last_of_run + 1))[::-1])[::-1]",
    ),
    Mutant(
        "ap_ties_split",
        "walks the samples one at a time, so tied scores enter the PR curve one by one",
        AP,
        "last_of_run = np.r_[np.flatnonzero(np.diff(sorted_scores)), scores.size - 1]",
        "last_of_run = np.arange(scores.size)",
    ),
    # log loss
    Mutant(
        "log_loss_no_clip",
        "forgets to clip the probabilities, so p = 0 or 1 gives log(0)",
        LL,
        "p = np.clip(p, eps, 1.0 - eps)",
        "p = p",
    ),
    # regression
    Mutant(
        "r2_wrong_denominator",
        "centres the R^2 denominator on the mean of the predictions instead of y_true",
        REG,
        "ss_tot = np.sum((y_true - np.mean(y_true)) ** 2)",
        "ss_tot = np.sum((y_true - np.mean(y_pred)) ** 2)",
    ),
    Mutant(
        "mae_signed",
        "takes the absolute value of the mean error instead of the mean of absolute errors",
        REG,
        "return float(np.mean(np.abs(y_true - y_pred)))",
        "return float(np.abs(np.mean(y_true - y_pred)))",
    ),
    Mutant(
        "uses_sklearn",
        "calls scikit-learn's r2_score instead of computing it",
        REG,
        "return float(1.0 - ss_res / ss_tot)",
        "from sklearn.metrics import r2_score as sklearn_r2\n    return float(sklearn_r2(y_true, y_pred))",
    ),
]
