# %% [markdown]
# ## A depth-limited decision tree
#
# *"Grow a classification tree with Gini splits up to a maximum depth, and write the
# function that predicts with it."*
#
# Call shape: `build_tree(X, y, max_depth)` returns a tree in any structure you like
# (nested dicts, tuples, a class); `tree_predict(tree, X)` returns the predicted labels.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `X` is a float array of shape `(n_samples, n_features)` with at least one row;
#   `y` holds integer labels, any number of classes, not necessarily `0..c-1`;
#   `max_depth >= 0`. Rows may repeat, even with different labels.
# - *How deep?* The root has depth 0 and every split adds one, so `max_depth = 0` is a
#   single leaf and `max_depth = 1` is a stump. No leaf lies deeper than `max_depth`.
# - *Which splits?* A split sends `X[:, feature] <= threshold` left and the rest right.
#   Candidate thresholds are the midpoints between consecutive distinct values of a feature
#   *among the samples in the node*.
# - *Which split wins?* The one with the lowest size-weighted Gini impurity of the two
#   children, `(n_left * gini_left + n_right * gini_right) / n`, where
#   `gini = 1 - sum of squared class proportions`. Ties (up to rounding): lowest feature,
#   then lowest threshold.
# - *When does a node stop?* When it is at `max_depth`, when it is pure, or when no feature
#   takes two distinct values in it. Otherwise it always splits.
# - *What does a leaf predict?* The most frequent label among its training samples, ties to
#   the smallest label.
# - *What does `tree_predict` return?* An integer array of shape `(n_queries,)`.
# - *Complexity?* Finding a node's split costs O(d·m log m) for its m samples with sorting
#   and running class counts, so a tree of depth D costs about O(D·d·n log n).
# </details>

# %% nbgrader="solution" grade_id="depth_limited_tree"
### BEGIN SOLUTION
import numpy as np


def build_tree(X, y, max_depth):
    X = np.asarray(X, dtype=float)
    classes, codes = np.unique(np.asarray(y), return_inverse=True)
    one_hot = np.eye(len(classes))[codes]

    def leaf(rows):
        return {"label": int(classes[one_hot[rows].sum(axis=0).argmax()])}

    def best_split(rows):
        best = None
        for feature in range(X.shape[1]):
            order = rows[np.argsort(X[rows, feature], kind="stable")]
            values = X[order, feature]
            left = np.cumsum(one_hot[order], axis=0)[:-1]
            right = one_hot[order].sum(axis=0) - left
            cuts = np.flatnonzero(values[1:] > values[:-1])
            if len(cuts) == 0:
                continue
            n_left = cuts + 1.0
            n_right = len(rows) - n_left
            weighted = (n_left - (left[cuts] ** 2).sum(axis=1) / n_left
                        + n_right - (right[cuts] ** 2).sum(axis=1) / n_right) / len(rows)
            first = np.flatnonzero(weighted <= weighted.min() + 1e-12)[0]
            if best is None or weighted[first] < best[0] - 1e-12:
                cut = cuts[first]
                best = (weighted[first], feature, (values[cut] + values[cut + 1]) / 2)
        return best

    def grow(rows, depth):
        if depth >= max_depth or one_hot[rows].sum(axis=0).max() == len(rows):
            return leaf(rows)
        split = best_split(rows)
        if split is None:
            return leaf(rows)
        _, feature, threshold = split
        goes_left = X[rows, feature] <= threshold
        return {"feature": feature, "threshold": threshold,
                "left": grow(rows[goes_left], depth + 1), "right": grow(rows[~goes_left], depth + 1)}

    return grow(np.arange(len(X)), 0)


def tree_predict(tree, X):
    X = np.asarray(X, dtype=float)
    predictions = np.empty(len(X), dtype=int)
    for index, row in enumerate(X):
        node = tree
        while "label" not in node:
            node = node["left"] if row[node["feature"]] <= node["threshold"] else node["right"]
        predictions[index] = node["label"]
    return predictions
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-depth_limited_tree_splits" points=4
import numpy as np

_X = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
_tree = build_tree(_X, np.array([0, 0, 0, 1, 1, 1]), 1)
assert np.array_equal(np.asarray(tree_predict(_tree, [[0.5], [2.4], [2.6], [9.0]])), [0, 0, 1, 1]), \
    "a stump on this line splits halfway between 2 and 3"
### BEGIN HIDDEN TESTS


def _stump_predictions(_X, _y, _Q):
    """Predictions on X and Q of every stump whose weighted Gini ties the best one."""
    _labels = np.unique(_y)
    _scored = []
    for _f in range(_X.shape[1]):
        _values = np.unique(_X[:, _f])
        for _t in (_values[:-1] + _values[1:]) / 2:
            _sides, _score = [], 0.0
            for _mask in (_X[:, _f] <= _t, _X[:, _f] > _t):
                _counts = np.array([np.sum(_y[_mask] == _c) for _c in _labels], dtype=float)
                _score += _counts.sum() - (_counts ** 2).sum() / _counts.sum()
                _sides.append(_labels[np.argmax(_counts)])
            _points = np.vstack([_X, _Q])
            _scored.append((_score, tuple(np.where(_points[:, _f] <= _t, _sides[0], _sides[1]))))
    _lowest = min(_score for _score, _ in _scored)
    return {_p for _score, _p in _scored if _score <= _lowest + 1e-9}


_rng = np.random.default_rng(4242)
for _trial in range(25):
    _n, _d = _rng.integers(6, 25), _rng.integers(1, 4)
    _X = _rng.integers(0, 5, size=(_n, _d)) + (_rng.normal(scale=0.2, size=(_n, _d)) if _trial % 2 else 0.0)
    _y = _rng.choice([1, 4, 6], size=_n)
    if len(np.unique(_y)) < 2 or all(len(np.unique(_X[:, _f])) < 2 for _f in range(_d)):
        continue
    _Q = _rng.uniform(-0.5, 4.5, size=(20, _d))
    _allowed = _stump_predictions(_X, _y, _Q)
    _got = np.asarray(tree_predict(build_tree(_X.copy(), _y.copy(), 1), np.vstack([_X, _Q])))
    assert _got.shape == (_n + 20,), "tree_predict must return one label per query row"
    assert tuple(_got) in _allowed, \
        "a depth-1 tree must be the stump with the lowest size-weighted Gini, split at a midpoint, majority leaves"
# Grown without a depth limit on distinct rows, the tree fits its training data exactly,
# and each extra level of depth can only refine the leaves, never lose training accuracy.
_X = _rng.normal(size=(60, 3))
_y = (_X[:, 0] * _X[:, 1] > 0).astype(int) + 2 * (_X[:, 2] > 1)
_accuracy = [np.mean(np.asarray(tree_predict(build_tree(_X, _y, _depth), _X)) == _y) for _depth in range(6)]
assert np.all(np.diff(_accuracy) >= 0), "training accuracy fell as the tree grew deeper: is the split search greedy and top-down?"
assert np.mean(np.asarray(tree_predict(build_tree(_X, _y, 50), _X)) == _y) == 1.0, \
    "with no depth limit every leaf is pure and the training data are fitted exactly"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-depth_limited_tree_depth_and_leaves" points=3
import numpy as np

_tree = build_tree(np.array([[0.0], [1.0], [2.0], [3.0]]), np.array([5, 3, 3, 5]), 0)
assert np.array_equal(np.asarray(tree_predict(_tree, [[-10.0], [1.5], [10.0]])), [3, 3, 3]), \
    "max_depth = 0 is one leaf predicting the most frequent label, ties to the smallest"
### BEGIN HIDDEN TESTS
# A depth-D tree has at most 2**D leaves, so along one feature its prediction changes at most 2**D - 1 times.
_rng = np.random.default_rng(7)
_X = _rng.uniform(0, 10, size=(80, 1))
_y = _rng.integers(0, 3, size=80)
_grid = np.linspace(-1, 11, 3000).reshape(-1, 1)
for _depth in (1, 2, 3):
    _p = np.asarray(tree_predict(build_tree(_X, _y, _depth), _grid))
    assert _p.shape == (3000,), "tree_predict must return one label per query row"
    assert np.sum(_p[1:] != _p[:-1]) <= 2 ** _depth - 1, \
        "the tree is deeper than max_depth: the root is depth 0 and a node at max_depth is a leaf"
# Repeated rows with conflicting labels cannot be split: a leaf with the majority label.
_X = np.tile([[1.0, 2.0]], (5, 1))
_before = _X.copy()
_tree = build_tree(_X, np.array([8, 3, 8, 3, 8]), 4)
assert np.array_equal(_X, _before), "the input X was modified"
assert np.array_equal(np.asarray(tree_predict(_tree, np.array([[1.0, 2.0], [0.0, 0.0]]))), [8, 8]), \
    "identical rows cannot be split: the node is a leaf with its most frequent label"
_X = np.array([[0.0, 5.0], [1.0, 5.0], [2.0, 5.0], [3.0, 6.0], [4.0, 6.0], [5.0, 6.0]])
_p = np.asarray(tree_predict(build_tree(_X, np.array([7, 7, 2, 2, 2, 7]), 2), _X))
assert np.array_equal(_p, [7, 7, 2, 2, 2, 7]), "two levels of splits separate these labels exactly"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(12)
_X = _rng.uniform(-3, 3, size=(200, 2))
_y = ((_X[:, 0] ** 2 + _X[:, 1] ** 2) < 4).astype(int)
_grid = np.linspace(-3, 3, 150)
_xx, _yy = np.meshgrid(_grid, _grid)
fig, axes = plt.subplots(1, 3, figsize=(13, 4))
for _axis, _depth in zip(axes, (1, 3, 6)):
    _tree = build_tree(_X, _y, _depth)
    _regions = np.asarray(tree_predict(_tree, np.column_stack([_xx.ravel(), _yy.ravel()])))
    _axis.contourf(_xx, _yy, _regions.reshape(_xx.shape), levels=[-0.5, 0.5, 1.5], cmap="coolwarm", alpha=0.35)
    _axis.scatter(_X[:, 0], _X[:, 1], c=_y, cmap="coolwarm", s=8)
    _axis.set_title(f"max_depth = {_depth}")
fig.suptitle("Your tree carves a circle out of boxes")
plt.show()
