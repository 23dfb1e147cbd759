# %% [markdown]
# ## A confusion matrix
#
# *"Given true and predicted class labels, build the confusion matrix yourself: how many
# rows of each true class were predicted as each class."*
#
# Call shape: `confusion_counts(y_true, y_pred, labels=None)` returns a 2-D integer array.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `y_true` and `y_pred`: 1-D lists or arrays of the same length (else
#   `ValueError`) holding class labels, ints or strings (one type per call).
# - *Orientation?* Row `i` is the true class `labels[i]`, column `j` the predicted class
#   `labels[j]`; entry `[i, j]` counts the rows with that true and that predicted label.
# - *Which labels?* By default (`labels=None`) the sorted union of the labels in `y_true`
#   *and* `y_pred`, so a class that is only ever predicted still gets a row and a column.
#   When `labels` is given, use exactly those, in the order given, and ignore rows whose
#   true or predicted label is not among them. An empty label list (given, or because both
#   inputs are empty) raises `ValueError`.
# - *What do I return?* A NumPy integer array of shape `(len(labels), len(labels))`.
# </details>

# %% nbgrader="solution" grade_id="confusion_matrix_drill"
### BEGIN SOLUTION
import numpy as np


def confusion_counts(y_true, y_pred, labels=None) -> np.ndarray:
    """Counts of (true label, predicted label) pairs; rows true, columns predicted."""
    y_true = np.asarray(y_true)
    y_pred = np.asarray(y_pred)
    if y_true.ndim != 1 or y_true.shape != y_pred.shape:
        raise ValueError("y_true and y_pred must be 1-D and of the same length")
    labels = np.union1d(y_true, y_pred).tolist() if labels is None else list(labels)
    if not labels:
        raise ValueError("there are no labels to count")
    position = {label: index for index, label in enumerate(labels)}
    counts = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for true, predicted in zip(y_true.tolist(), y_pred.tolist()):
        if true in position and predicted in position:
            counts[position[true], position[predicted]] += 1
    return counts
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-confusion_matrix_drill_counts" points=3
import numpy as np

_m = np.asarray(confusion_counts([0, 0, 1, 1, 1], [0, 1, 1, 1, 1]))
assert _m.shape == (2, 2), "two labels give a 2 x 2 matrix"
assert np.array_equal(_m, [[1, 1], [0, 3]]), "rows are true labels, columns predicted labels"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(20261210)
for _trial in range(5):
    _n = int(_rng.integers(30, 300))
    _names = np.array(["ant", "bee", "cow", "dog", "elk"])
    _t = _names[_rng.integers(0, 4, size=_n)]
    _p = np.where(_rng.random(_n) < 0.6, _t, _names[_rng.integers(0, 5, size=_n)])
    _labels = sorted(set(_t.tolist()) | set(_p.tolist()))
    _expected = np.zeros((len(_labels), len(_labels)), dtype=int)
    for _a, _b in zip(_t.tolist(), _p.tolist()):
        _expected[_labels.index(_a), _labels.index(_b)] += 1
    _got = np.asarray(confusion_counts(_t.copy(), _p.copy()))
    assert _got.shape == _expected.shape, \
        "the default labels are the sorted union of y_true and y_pred: a label seen only in y_pred counts too"
    assert np.array_equal(_got, _expected), "a count is wrong: rows are true labels, columns predicted, sorted labels"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-confusion_matrix_drill_labels" points=3
import numpy as np

_m = np.asarray(confusion_counts(["b", "a", "b"], ["b", "b", "b"], labels=["b", "a"]))
assert np.array_equal(_m, [[2, 0], [1, 0]]), "given labels are used in the order given"
### BEGIN HIDDEN TESTS
_m = np.asarray(confusion_counts([1, 2, 3, 3], [1, 3, 3, 9], labels=[3, 1]))
assert np.array_equal(_m, [[1, 0], [0, 1]]), "rows whose true or predicted label is not in labels are ignored"
_m = np.asarray(confusion_counts([0, 0], [0, 2]))
assert _m.shape == (2, 2) and _m[0, 1] == 1, "a label that is only predicted still gets a row and a column"
for _call in (lambda: confusion_counts([0, 1], [1, 0], labels=[]),
              lambda: confusion_counts([], []),
              lambda: confusion_counts([0, 1, 1], [1, 0])):
    try:
        _call()
    except ValueError:
        pass
    else:
        raise AssertionError("no labels at all, or inputs of different lengths, must raise ValueError")
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-confusion_matrix_drill_integers" points=1
import numpy as np

_m = np.asarray(confusion_counts(np.array([2, 0, 2]), np.array([2, 2, 0])))
assert np.issubdtype(_m.dtype, np.integer), "counts should be an integer array"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(10)
_t = _rng.integers(0, 6, size=500)
_p = _rng.integers(0, 6, size=500)
_t_before, _p_before = _t.copy(), _p.copy()
_m = np.asarray(confusion_counts(_t, _p))
assert np.issubdtype(_m.dtype, np.integer), "counts should be an integer array"
assert np.array_equal(_t, _t_before) and np.array_equal(_p, _p_before), "the inputs were changed"
assert _m.sum() == 500 and np.array_equal(_m.sum(axis=1), np.bincount(_t, minlength=6)), \
    "row sums must equal how often each true label occurs"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(0)
_classes = np.array(["cat", "dog", "fox"])
_truth = _classes[_rng.integers(0, 3, size=300)]
_guess = np.where(_rng.random(300) < 0.7, _truth, _classes[_rng.integers(0, 3, size=300)])
_matrix = np.asarray(confusion_counts(_truth, _guess))
plt.figure(figsize=(5, 4))
plt.imshow(_matrix, cmap="Blues")
for (_i, _j), _count in np.ndenumerate(_matrix):
    plt.text(_j, _i, str(_count), ha="center", va="center")
plt.xticks(range(3), _classes)
plt.yticks(range(3), _classes)
plt.xlabel("predicted")
plt.ylabel("true")
plt.title("Your confusion matrix")
plt.show()
