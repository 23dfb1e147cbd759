# %% [markdown]
# ## K-fold cross-validation
#
# *"Write k-fold cross-validation yourself: first the fold indices, then a function
# that scores any model I hand you on every fold."*
#
# Call shape: `kfold_indices(n_samples, n_folds, seed)` returns a list of
# `(train_idx, val_idx)`; `cross_val_score(fit_predict, X, y, n_folds, seed)` returns
# one accuracy per fold.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *The folds?* Shuffle the row positions `0..n_samples-1` with
#   `np.random.default_rng(seed)` (same seed, same folds; other seeds, other folds), then
#   cut them into `n_folds` validation folds whose sizes differ by at most one. Each
#   validation fold's training rows are all the other rows.
# - *What does `kfold_indices` return?* A list of `n_folds` pairs of 1-D integer arrays
#   `(train_idx, val_idx)`, indices in any order. Every row is in exactly one `val_idx`.
# - *Bad input?* `n_folds < 2` or `n_folds > n_samples` raises `ValueError`;
#   `n_folds == n_samples` is leave-one-out and fine.
# - *What is `fit_predict`?* A function `fit_predict(X_train, y_train, X_val)` that trains
#   a model and returns one prediction per row of `X_val`. `X` is a 2-D array and `y` a
#   1-D array of the same length (else `ValueError`).
# - *What does `cross_val_score` return?* A float array of shape `(n_folds,)`: entry `i`
#   is the accuracy (fraction of rows where the prediction equals `y`) on the `i`-th fold
#   of `kfold_indices(len(y), n_folds, seed)`, the model trained on that fold's training
#   rows only.
# </details>

# %% nbgrader="solution" grade_id="kfold_cv"
### BEGIN SOLUTION
import numpy as np


def kfold_indices(n_samples: int, n_folds: int, seed: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Shuffled k-fold ``(train_idx, val_idx)`` pairs; fold sizes differ by at most one."""
    if not 2 <= n_folds <= n_samples:
        raise ValueError(f"n_folds must lie between 2 and n_samples ({n_samples}), got {n_folds}")
    order = np.random.default_rng(seed).permutation(n_samples)
    folds = np.array_split(order, n_folds)
    return [(np.concatenate(folds[:i] + folds[i + 1:]), fold) for i, fold in enumerate(folds)]


def cross_val_score(fit_predict, X, y, n_folds: int, seed: int) -> np.ndarray:
    """The accuracy of ``fit_predict`` on each fold of :func:`kfold_indices`."""
    X = np.asarray(X)
    y = np.asarray(y)
    if len(X) != len(y):
        raise ValueError(f"X has {len(X)} rows but y has {len(y)}")
    scores = []
    for train_idx, val_idx in kfold_indices(len(y), n_folds, seed):
        predictions = np.asarray(fit_predict(X[train_idx], y[train_idx], X[val_idx]))
        scores.append(np.mean(predictions == y[val_idx]))
    return np.array(scores, dtype=float)
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-kfold_cv_folds" points=3
import numpy as np

_folds = kfold_indices(10, 3, seed=0)
assert len(_folds) == 3, "return one (train_idx, val_idx) pair per fold"
assert sorted(len(_val) for _, _val in _folds) == [3, 3, 4], "10 rows in 3 folds: sizes 3, 3 and 4"
### BEGIN HIDDEN TESTS
for _n, _k in [(10, 3), (37, 5), (100, 10), (12, 12), (53, 2)]:
    _folds = kfold_indices(_n, _k, seed=_n)
    assert len(_folds) == _k, "return exactly n_folds pairs"
    _vals = [np.asarray(_v) for _, _v in _folds]
    _trains = [np.asarray(_t) for _t, _ in _folds]
    assert all(_v.ndim == 1 and np.issubdtype(_v.dtype, np.integer) for _v in _vals + _trains), \
        "indices must be 1-D integer arrays"
    assert np.array_equal(np.sort(np.concatenate(_vals)), np.arange(_n)), \
        "the validation folds must hold every row exactly once (no row dropped when n is not a multiple of k)"
    _sizes = [len(_v) for _v in _vals]
    assert max(_sizes) - min(_sizes) <= 1, "fold sizes must differ by at most one"
    for _t, _v in zip(_trains, _vals):
        assert np.array_equal(np.sort(_t), np.setdiff1d(np.arange(_n), _v)), \
            "a fold's training rows must be exactly the rows outside its validation fold"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="correctness-kfold_cv_scores" points=3
import numpy as np


def _majority(_X_train, _y_train, _X_val):
    return np.full(len(_X_val), np.bincount(_y_train).argmax())


_scores = np.asarray(cross_val_score(_majority, np.zeros((8, 1)), np.array([1] * 8), 4, seed=0), dtype=float)
assert _scores.shape == (4,) and np.allclose(_scores, 1.0), "one accuracy per fold; a constant label is always right"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(20261206)
_n = 60
_y = _rng.integers(0, 3, size=_n)
_X = np.column_stack([np.arange(_n, dtype=float), _y.astype(float)])  # row id, then its own label


def _lookup(_X_train, _y_train, _X_val):
    assert np.array_equal(_X_train[:, 1], _y_train), "fit_predict got rows of X paired with labels of other rows"
    _known = dict(zip(_X_train[:, 0].tolist(), _y_train.tolist()))
    return np.array([_known.get(_row, -1) for _row in _X_val[:, 0].tolist()])


_scores = np.asarray(cross_val_score(_lookup, _X.copy(), _y.copy(), 5, seed=1), dtype=float)
assert _scores.shape == (5,), "return one score per fold"
assert np.allclose(_scores, 0.0), \
    "the model already knew some validation rows: train on each fold's training rows only"
_folds = kfold_indices(_n, 5, seed=2)
_expected = [np.mean(np.bincount(_y[_t]).argmax() == _y[_v]) for _t, _v in _folds]
_scores = np.asarray(cross_val_score(_majority, _X.copy(), _y.copy(), 5, seed=2), dtype=float)
assert _scores.shape == (5,) and np.allclose(_scores, _expected), \
    "score i must be the accuracy on fold i of kfold_indices(len(y), n_folds, seed)"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-kfold_cv_seeds_and_bounds" points=2
import numpy as np

_first = [np.sort(np.asarray(_v)) for _, _v in kfold_indices(20, 4, seed=5)]
_again = [np.sort(np.asarray(_v)) for _, _v in kfold_indices(20, 4, seed=5)]
assert all(np.array_equal(_a, _b) for _a, _b in zip(_first, _again)), "the same seed must give the same folds"
### BEGIN HIDDEN TESTS
_others = [[np.sort(np.asarray(_v)) for _, _v in kfold_indices(20, 4, seed=_s)] for _s in (6, 7, 8)]
assert any(not np.array_equal(_o[0], _first[0]) for _o in _others), \
    "other seeds give the same folds: shuffle with np.random.default_rng(seed) before cutting"
assert all(len(_v) == 1 for _, _v in kfold_indices(7, 7, seed=0)), "n_folds == n_samples is leave-one-out"
for _n, _k in [(10, 1), (10, 0), (5, 6)]:
    try:
        kfold_indices(_n, _k, seed=0)
    except ValueError:
        pass
    else:
        raise AssertionError("n_folds < 2 or n_folds > n_samples must raise ValueError")
try:
    cross_val_score(lambda _a, _b, _c: np.zeros(len(_c)), np.zeros((5, 1)), np.zeros(4, dtype=int), 2, seed=0)
except ValueError:
    pass
else:
    raise AssertionError("X and y of different lengths must raise ValueError")
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(0)
_X = _rng.normal(size=(300, 2))
_y = (_X[:, 0] + 0.8 * _rng.normal(size=300) > 0).astype(int)


def _nearest_neighbour(_X_train, _y_train, _X_val):
    _d = ((_X_val[:, None, :] - _X_train[None, :, :]) ** 2).sum(axis=2)
    return _y_train[_d.argmin(axis=1)]


_folds_to_try = [2, 3, 5, 10, 20]
_runs = [np.asarray(cross_val_score(_nearest_neighbour, _X, _y, _k, seed=0)) for _k in _folds_to_try]
plt.boxplot(_runs)
plt.xticks(range(1, len(_folds_to_try) + 1), [str(_k) for _k in _folds_to_try])
plt.xlabel("n_folds")
plt.ylabel("fold accuracy")
plt.title("Your cross-validation of 1-nearest-neighbour: more folds, noisier folds")
plt.show()
