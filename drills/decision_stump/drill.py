# %% [markdown]
# ## The best decision stump
#
# *"Find the single split, one feature and one threshold, that misclassifies the fewest
# training points."*
#
# Call shape: `best_stump(X, y)` returns `(feature, threshold, left_label, right_label)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `X` is a float array of shape `(n_samples, n_features)` with at least one
#   row; `y` holds integer labels, shape `(n_samples,)`, any number of classes, not
#   necessarily `0..c-1` (for example 3 and 7).
# - *What does a stump predict?* `left_label` where `X[:, feature] <= threshold`, and
#   `right_label` elsewhere.
# - *Which thresholds?* For each feature, the midpoints between consecutive *distinct*
#   sorted values of that feature, so both sides are never empty.
# - *Which labels?* Each side predicts its most frequent training label; a tie goes to the
#   smallest label.
# - *Ties between splits?* Among splits with the fewest errors, take the lowest feature
#   index, then the lowest threshold.
# - *What if every column is constant?* There is nothing to split: return
#   `(0, X[0, 0], m, m)` where `m` is the most frequent label (ties to the smallest).
# - *Return types?* `feature` an int, `threshold` a float, the labels as integers.
# - *Complexity?* O(d·n log n) with sorting and running class counts; O(d·n²) by brute
#   force is an acceptable first answer if you say how to improve it.
# </details>

# %% nbgrader="solution" grade_id="decision_stump"
### BEGIN SOLUTION
import numpy as np


def best_stump(X, y):
    X = np.asarray(X, dtype=float)
    classes, codes = np.unique(np.asarray(y), return_inverse=True)
    n_samples = len(codes)
    one_hot = np.eye(len(classes))[codes]
    totals = one_hot.sum(axis=0)
    best = None
    for feature in range(X.shape[1]):
        order = np.argsort(X[:, feature], kind="stable")
        values = X[order, feature]
        left_counts = np.cumsum(one_hot[order], axis=0)[:-1]
        right_counts = totals - left_counts
        splits = np.flatnonzero(values[1:] > values[:-1])
        if len(splits) == 0:
            continue
        errors = n_samples - left_counts[splits].max(axis=1) - right_counts[splits].max(axis=1)
        position = splits[np.argmin(errors)]
        if best is None or errors.min() < best[0]:
            best = (errors.min(), feature, (values[position] + values[position + 1]) / 2,
                    classes[left_counts[position].argmax()], classes[right_counts[position].argmax()])
    if best is None:
        majority = classes[np.bincount(codes).argmax()]
        return 0, float(X[0, 0]), int(majority), int(majority)
    _, feature, threshold, left_label, right_label = best
    return int(feature), float(threshold), int(left_label), int(right_label)
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-decision_stump_fewest_errors" points=4
import numpy as np

_X = np.array([[1.0, 5.0], [2.0, 1.0], [3.0, 4.0], [4.0, 2.0]])
_stump = best_stump(_X, np.array([0, 1, 0, 1]))
assert len(_stump) == 4, "return (feature, threshold, left_label, right_label)"
assert int(_stump[0]) == 1 and np.isclose(float(_stump[1]), 3.0) and (int(_stump[2]), int(_stump[3])) == (1, 0), \
    "feature 1 split between 2 and 4 separates the classes perfectly"
### BEGIN HIDDEN TESTS


def _stump_reference(_X, _y):
    _best = None
    for _f in range(_X.shape[1]):
        _values = np.unique(_X[:, _f])
        for _t in (_values[:-1] + _values[1:]) / 2:
            _sides = []
            for _mask in (_X[:, _f] <= _t, _X[:, _f] > _t):
                _labels, _counts = np.unique(_y[_mask], return_counts=True)
                _sides.append((_labels[np.argmax(_counts)], len(_y[_mask]) - _counts.max()))
            _errors = _sides[0][1] + _sides[1][1]
            if _best is None or _errors < _best[0]:
                _best = (_errors, _f, _t, _sides[0][0], _sides[1][0])
    return _best


_rng = np.random.default_rng(303)
for _trial in range(60):
    _n, _d = _rng.integers(5, 30), _rng.integers(1, 4)
    _X = _rng.integers(0, 6, size=(_n, _d)).astype(float)
    if _trial % 2:
        _X = _X + _rng.normal(scale=0.3, size=(_n, _d))
    _y = _rng.choice([2, 5, 9], size=_n) if _trial % 3 else _rng.integers(0, 2, size=_n)
    _expected = _stump_reference(_X, _y)
    if _expected is None:
        continue
    _got = best_stump(_X.copy(), _y.copy())
    assert len(_got) == 4, "return (feature, threshold, left_label, right_label)"
    _f, _t, _left, _right = int(_got[0]), float(_got[1]), int(_got[2]), int(_got[3])
    _errors = np.sum(np.where(_X[:, _f] <= _t, _left, _right) != _y)
    assert _errors == _expected[0], "the stump does not make the fewest training errors: are both sides' majority labels used?"
    assert _f == _expected[1] and np.isclose(_t, _expected[2], rtol=1e-12, atol=1e-12), \
        "among equally good splits take the lowest feature, then the lowest threshold, a midpoint between distinct values"
    assert (_left, _right) == (_expected[3], _expected[4]), \
        "each side predicts its most frequent label, ties to the smallest"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-decision_stump_degenerate_inputs" points=2
import numpy as np

_stump = best_stump(np.array([[2.0], [2.0], [2.0]]), np.array([4, 1, 4]))
assert int(_stump[0]) == 0 and float(_stump[1]) == 2.0 and (int(_stump[2]), int(_stump[3])) == (4, 4), \
    "with every column constant return (0, X[0, 0], m, m), m the most frequent label"
### BEGIN HIDDEN TESTS
_stump = best_stump(np.array([[7.5, -1.0]]), np.array([3]))
assert int(_stump[0]) == 0 and float(_stump[1]) == 7.5 and (int(_stump[2]), int(_stump[3])) == (3, 3), \
    "a single sample has nothing to split"
_stump = best_stump(np.array([[1.0, 0.0], [1.0, 0.0], [1.0, 1.0], [1.0, 1.0]]), np.array([6, 2, 2, 6]))
assert int(_stump[0]) == 1 and np.isclose(float(_stump[1]), 0.5) and (int(_stump[2]), int(_stump[3])) == (2, 2), \
    "skip constant columns; a tie in the majority vote goes to the smallest label"
_X = np.array([[0.0], [1.0], [1.0], [1.0], [2.0], [3.0]])
_before = _X.copy()
_stump = best_stump(_X, np.array([0, 0, 0, 0, 1, 1]))
assert np.array_equal(_X, _before), "the input X was modified"
assert np.isclose(float(_stump[1]), 1.5), "thresholds sit halfway between consecutive DISTINCT values, not on a data value"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(9)
_X = _rng.normal(size=(120, 2))
_y = (_X[:, 1] + 0.3 * _rng.normal(size=120) > 0.4).astype(int)
_f, _t, _left, _right = best_stump(_X, _y)
plt.scatter(_X[:, 0], _X[:, 1], c=_y, cmap="coolwarm", edgecolors="k", s=18)
(plt.axvline if _f == 0 else plt.axhline)(_t, color="k", linestyle="--",
                                          label=f"feature {_f} <= {_t:.2f}: {_left}, else {_right}")
plt.legend()
plt.title("Your best stump")
plt.show()
