# %% [markdown]
# ## k-nearest-neighbour classifier
#
# *"Classify each query point by a majority vote of its k nearest training points. Be
# precise about ties."*
#
# Call shape: `knn_predict(X_train, y_train, X_query, k)` returns the predicted labels.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `X_train` of shape `(n_train, n_features)`, `y_train` of shape `(n_train,)`
#   holding non-negative integer labels (not necessarily `0..c-1`, for example 10 and 40),
#   `X_query` of shape `(n_queries, n_features)`, and `1 <= k <= n_train`.
# - *Which distance?* Euclidean.
# - *Two training points at the same distance?* The one with the lower index in `X_train`
#   counts as nearer, so the k neighbours are always well defined.
# - *A tie in the vote?* The smallest label wins.
# - *A query that equals a training point?* Nothing special: it is at distance 0, so it is
#   its own nearest neighbour.
# - *What do I return?* An integer array of shape `(n_queries,)`.
# - *Complexity?* O(n_queries·n_train·d) for the distances, plus sorting each row (or a
#   partial sort, which must still respect the index tie rule). Vectorise over queries
#   when memory allows.
# </details>

# %% nbgrader="solution" grade_id="knn_classify"
### BEGIN SOLUTION
import numpy as np


def knn_predict(X_train, y_train, X_query, k):
    X_train = np.asarray(X_train, dtype=float)
    X_query = np.asarray(X_query, dtype=float)
    classes, codes = np.unique(np.asarray(y_train), return_inverse=True)
    distances = ((X_query[:, None, :] - X_train[None, :, :]) ** 2).sum(axis=2)
    neighbours = np.argsort(distances, axis=1, kind="stable")[:, :k]
    votes = np.zeros((len(X_query), len(classes)), dtype=int)
    np.add.at(votes, (np.arange(len(X_query))[:, None], codes[neighbours]), 1)
    return classes[votes.argmax(axis=1)].astype(int)
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-knn_classify_brute_force" points=4
import numpy as np

_X = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [5.0, 5.0], [6.0, 5.0]])
_y = np.array([1, 1, 2, 2, 2])
_p = np.asarray(knn_predict(_X, _y, np.array([[0.2, 0.2], [5.5, 5.0]]), 3))
assert _p.shape == (2,), "return one label per query"
assert np.array_equal(_p, [1, 2]), "each query takes the majority label of its 3 nearest training points"
### BEGIN HIDDEN TESTS


def _knn_reference(_X, _y, _Q, _k):
    _out = []
    for _q in _Q:
        _d = [float(np.sum((_x - _q) ** 2)) for _x in _X]
        _near = sorted(range(len(_X)), key=lambda _i: (_d[_i], _i))[:_k]
        _labels = [int(_y[_i]) for _i in _near]
        _top = max(_labels.count(_c) for _c in _labels)
        _out.append(min(_c for _c in _labels if _labels.count(_c) == _top))
    return np.array(_out)


_rng = np.random.default_rng(515)
# Small integer coordinates: distances are exact in floating point and ties are everywhere.
for _trial in range(6):
    _X = _rng.integers(0, 4, size=(150, 2)).astype(float)
    _y = _rng.choice([10, 20, 40], size=150)
    _Q = _rng.integers(0, 4, size=(25, 2)).astype(float)
    _k = [1, 2, 4, 5, 8, 13][_trial]
    _expected = _knn_reference(_X, _y, _Q, _k)
    _p = np.asarray(knn_predict(_X.copy(), _y.copy(), _Q.copy(), _k))
    assert _p.shape == (25,), "return one label per query"
    assert np.array_equal(_p, _expected), \
        "wrong labels when distances and votes tie: distance ties go to the lower training index " \
        "(np.argsort needs kind='stable'), vote ties to the smallest label"
_X = _rng.normal(size=(60, 3))
_y = _rng.integers(0, 4, size=60)
_Q = _rng.normal(size=(30, 3))
assert np.array_equal(np.asarray(knn_predict(_X, _y, _Q, 7)), _knn_reference(_X, _y, _Q, 7)), \
    "the predictions differ from a brute-force k-nearest-neighbour vote"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-knn_classify_extremes" points=2
import numpy as np

_X = np.array([[0.0], [1.0], [2.0]])
assert np.array_equal(np.asarray(knn_predict(_X, np.array([40, 10, 40]), np.array([[1.0]]), 1)), [10]), \
    "a query equal to a training point is its own nearest neighbour"
### BEGIN HIDDEN TESTS
_X = np.array([[3.0, 3.0], [0.0, 0.0], [3.0, 3.0], [9.0, 9.0]])
_y = np.array([7, 2, 5, 2])
_before = _X.copy()
_p = np.asarray(knn_predict(_X, _y, np.array([[3.0, 3.0]]), 1))
assert np.array_equal(_X, _before), "the input X_train was modified"
assert np.array_equal(_p, [7]), "two training points at distance 0: the lower index is nearer"
_p = np.asarray(knn_predict(_X, _y, np.array([[3.0, 3.0]]), 2))
assert np.array_equal(_p, [5]), "a 1-1 vote goes to the smallest label, not to the nearest neighbour's"
_p = np.asarray(knn_predict(_X, _y, np.array([[100.0, 100.0], [-5.0, 0.0]]), 4))
assert np.array_equal(_p, [2, 2]), "with k = n_train every query gets the overall majority label"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(21)
_X = np.vstack([_rng.normal(_c, 1.0, size=(40, 2)) for _c in ([0, 0], [3, 1], [1, 3])])
_y = np.repeat([0, 1, 2], 40)
_grid = np.linspace(-3, 6, 60)
_xx, _yy = np.meshgrid(_grid, _grid)
fig, axes = plt.subplots(1, 2, figsize=(10, 4))
for _axis, _k in zip(axes, (1, 15)):
    _regions = np.asarray(knn_predict(_X, _y, np.column_stack([_xx.ravel(), _yy.ravel()]), _k))
    _axis.contourf(_xx, _yy, _regions.reshape(_xx.shape), levels=[-0.5, 0.5, 1.5, 2.5], cmap="viridis", alpha=0.3)
    _axis.scatter(_X[:, 0], _X[:, 1], c=_y, cmap="viridis", edgecolors="k", s=14)
    _axis.set_title(f"k = {_k}")
fig.suptitle("Your k-NN decision regions: larger k, smoother boundary")
plt.show()
