# %% [markdown]
# ## ROC AUC without scikit-learn
#
# *"Given true binary labels and a model's scores, compute the area under the ROC curve.
# Make it right when scores tie, and fast enough for a million rows."*
#
# Call shape: `roc_auc(y_true, scores)` returns a float.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `y_true`: a 1-D array or list of 0/1 (or `False`/`True`); `scores`: real
#   numbers of the same length, higher meaning "more likely positive". Lengths that differ
#   raise `ValueError`.
# - *Definition?* The probability that a random positive scores higher than a random
#   negative, a tie counting one half:
#   `P(score_pos > score_neg) + 0.5 * P(score_pos == score_neg)`. This equals the area under
#   the ROC curve when tied scores move along the curve as one diagonal step.
# - *Only one class present?* The AUC is undefined: raise `ValueError` with a message.
# - *What do I return?* A Python `float` in `[0, 1]`. Do not change the caller's arrays.
# - *Complexity?* Counting every positive-negative pair is O(n²) and fine as a first
#   answer; the interviewer wants O(n log n) (sort once, or average ranks).
# </details>

# %% nbgrader="solution" grade_id="roc_auc"
### BEGIN SOLUTION
import numpy as np


def roc_auc(y_true, scores) -> float:
    """P(positive outscores negative) + half P(tie), from average ranks in O(n log n)."""
    y_true = np.asarray(y_true).astype(bool)
    scores = np.asarray(scores, dtype=float)
    if y_true.shape != scores.shape or y_true.ndim != 1:
        raise ValueError("y_true and scores must be 1-D arrays of the same length")
    n_pos = int(y_true.sum())
    n_neg = len(y_true) - n_pos
    if n_pos == 0 or n_neg == 0:
        raise ValueError("ROC AUC needs both classes in y_true")
    # Tied scores share the average of the ranks they span (ranks start at 1).
    _, group, sizes = np.unique(scores, return_inverse=True, return_counts=True)
    average_rank = np.cumsum(sizes) - (sizes - 1) / 2
    ranks = average_rank[group.ravel()]
    # Mann-Whitney: the positives' rank sum, minus what they would score among themselves.
    wins = ranks[y_true].sum() - n_pos * (n_pos + 1) / 2
    return float(wins / (n_pos * n_neg))
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-roc_auc_pairwise" points=4
import numpy as np

_value = roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
assert isinstance(_value, float) and abs(_value - 0.75) < 1e-12, "3 of the 4 positive-negative pairs are ordered right"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(20261207)
for _trial in range(6):
    _n = int(_rng.integers(20, 400))
    _y = _rng.integers(0, 2, size=_n)
    _y[:2] = [0, 1]
    _s = np.round(_rng.normal(size=_n) + 0.7 * _y, 1)  # rounding creates many ties
    _pos, _neg = _s[_y == 1], _s[_y == 0]
    _expected = (np.sum(_pos[:, None] > _neg[None, :]) + 0.5 * np.sum(_pos[:, None] == _neg[None, :])) \
        / (len(_pos) * len(_neg))
    _got = roc_auc(_y.copy(), _s.copy())
    assert np.ndim(_got) == 0, "return a single number"
    assert abs(float(_got) - _expected) < 1e-9, \
        "differs from the pairwise probability: a tie between a positive and a negative counts one half"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-roc_auc_extremes" points=3
assert roc_auc([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5]) == 0.5, "all scores tied: every pair counts one half"
### BEGIN HIDDEN TESTS
assert roc_auc([0, 0, 1, 1], [1, 2, 3, 4]) == 1.0, "positives all above negatives: AUC 1"
assert roc_auc([1, 1, 0, 0], [1, 2, 3, 4]) == 0.0, "positives all below negatives: AUC 0"
assert abs(roc_auc([True, False, True], [2.0, 2.0, 1.0]) - 0.25) < 1e-12, "boolean labels work like 0/1"
for _labels in ([1, 1, 1], [0, 0]):
    try:
        roc_auc(_labels, list(range(len(_labels))))
    except ValueError:
        pass
    else:
        raise AssertionError("a single class in y_true must raise ValueError: the AUC is undefined")
try:
    roc_auc([0, 1, 1], [0.1, 0.2])
except ValueError:
    pass
else:
    raise AssertionError("y_true and scores of different lengths must raise ValueError")
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-roc_auc_ranking_only" points=2
import numpy as np

_y = np.array([0, 1, 0, 1, 1, 0])
_s = np.array([0.2, 0.9, 0.4, 0.4, 0.1, 0.3])
assert abs(roc_auc(_y, _s) - roc_auc(_y, np.exp(3 * _s))) < 1e-12, \
    "the AUC depends only on the order of the scores"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(8)
_y = _rng.integers(0, 2, size=20000)
_y[:2] = [0, 1]
_s = np.round(_rng.normal(size=20000) + _y, 2)
_y_before, _s_before = _y.copy(), _s.copy()
_a = roc_auc(_y, _s)
assert np.array_equal(_y, _y_before) and np.array_equal(_s, _s_before), \
    "the inputs were changed: sort copies, not the caller's arrays"
_b = roc_auc(_y, 5 * _s - 2)
assert abs(_a - _b) < 1e-9, "an increasing transform of the scores must not change the AUC"
assert abs(roc_auc(1 - _y, _s) - (1 - _a)) < 1e-9, "swapping the classes must give 1 - AUC"
### END HIDDEN TESTS

# %% [markdown]
# **Complexity.** What do your answer and the pairwise count cost, in time and memory?

# %% [markdown] nbgrader="answer" grade_id="communication-roc_auc_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* Counting pairs is O(n_pos · n_neg) = O(n²) time (and O(n²)
# memory if broadcast); sorting once (or ranking) gives O(n log n) time and O(n) memory,
# since the rank sum of the positives counts how many negatives each positive beats, with
# average ranks splitting ties in half. Full marks need both costs and that one-line reason.
# ### END SOLUTION

# %%
import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(0)
_y = _rng.integers(0, 2, size=2000)
_separations = np.linspace(0, 3, 13)
_aucs = [roc_auc(_y, _rng.normal(size=2000) + _gap * _y) for _gap in _separations]
plt.plot(_separations, _aucs, marker="o")
plt.axhline(0.5, color="grey", linestyle="--", label="chance")
plt.xlabel("gap between the classes' mean scores (in standard deviations)")
plt.ylabel("your ROC AUC")
plt.title("Your AUC rises from chance to 1 as the classes separate")
plt.legend()
plt.show()
