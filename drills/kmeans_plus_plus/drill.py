# %% [markdown]
# ## K-means++ seeding
#
# *"Before k-means runs it needs starting centres. Pick `k` of them from the data
# the k-means++ way, so that they tend to land in different clusters."*
#
# Call shape: `kmeans_plus_plus(X, k, seed)` returns `centres` of shape `(k, n_features)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is `X`?* A float array of shape `(n_samples, n_features)`. `k` is at least 1 and
#   at most the number of *distinct* rows of `X`; rows may repeat.
# - *Where do the random draws come from?* One generator, `np.random.default_rng(seed)`.
#   The same seed must return the same centres; how you draw from it (`choice`,
#   `random` with a cumulative sum) is up to you.
# - *How is the first centre chosen?* Uniformly at random among the rows of `X`.
# - *And the next ones?* Each next centre is one row of `X`, drawn with probability
#   proportional to its squared Euclidean distance to the *nearest* centre chosen so far
#   (D² sampling). One candidate per step: no greedy "best of several tries".
# - *What do I return?* A float array of shape `(k, n_features)` whose rows are rows of
#   `X`, all different from each other, in the order they were chosen.
# - *Do I run k-means afterwards?* No, only the seeding.
# - *Complexity?* O(n·k·d) time if you keep each point's distance to its nearest centre
#   and update it once per new centre, O(n) extra memory.
# </details>

# %% nbgrader="solution" grade_id="kmeans_plus_plus"
### BEGIN SOLUTION
import numpy as np


def kmeans_plus_plus(X, k, seed):
    X = np.asarray(X, dtype=float)
    rng = np.random.default_rng(seed)
    chosen = [rng.integers(len(X))]
    nearest = ((X - X[chosen[0]]) ** 2).sum(axis=1)
    while len(chosen) < k:
        new = rng.choice(len(X), p=nearest / nearest.sum())
        chosen.append(new)
        nearest = np.minimum(nearest, ((X - X[new]) ** 2).sum(axis=1))
    return X[chosen].copy()
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-kmeans_plus_plus_d2_sampling" points=4
import numpy as np

_X = np.array([[0.0, 0.0], [0.0, 0.1], [9.0, 9.0], [9.0, 9.1]])
_centres = np.asarray(kmeans_plus_plus(_X.copy(), 2, seed=0), dtype=float)
assert _centres.shape == (2, 2), "return an array of shape (k, n_features)"
assert all(any(np.array_equal(_c, _row) for _row in _X) for _c in _centres), "every centre must be a row of X"
### BEGIN HIDDEN TESTS
# The first centre is uniform over the rows: each of five rows is picked about a fifth of the time.
_X = np.arange(10.0).reshape(5, 2)
_first = np.zeros(5)
for _seed in range(600):
    _c = np.asarray(kmeans_plus_plus(_X.copy(), 1, seed=_seed), dtype=float)
    assert _c.shape == (1, 2), "with k = 1 return one centre, shape (1, n_features)"
    _first += np.all(_X == _c[0], axis=1)
assert _first.sum() == 600, "every centre must be a row of X"
assert np.all(np.abs(_first / 600 - 0.2) < 0.1), \
    "the first centre must be drawn uniformly from all rows (is it always the same row, or not from default_rng(seed)?)"
# D² sampling: on the line 0, 1, 10, once 0 or 1 is the first centre the second is 10 in
# about 99 % of draws (proportional to distance it would be about 90 %, uniform 50 %).
_X = np.array([[0.0], [1.0], [10.0]])
_near_first = _far_second = 0
for _seed in range(600):
    _c = np.asarray(kmeans_plus_plus(_X.copy(), 2, seed=_seed), dtype=float).ravel()
    assert _c.shape == (2,) and _c[0] != _c[1], "two centres must be two different rows"
    if _c[0] < 5:
        _near_first += 1
        _far_second += _c[1] == 10.0
assert _near_first > 300 and _far_second / _near_first > 0.96, \
    "the next centre must be drawn with probability proportional to the SQUARED distance to the nearest centre"
# Far-apart blobs: every blob gets a centre in nearly every run (uniform picks manage it ~10 % of the time).
_rng = np.random.default_rng(5)
_blobs = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0], [100.0, 100.0]])
_X = np.repeat(_blobs, 25, axis=0) + _rng.normal(scale=0.5, size=(100, 2))
_covered = 0
for _seed in range(100):
    _c = np.asarray(kmeans_plus_plus(_X.copy(), 4, seed=_seed), dtype=float)
    assert _c.shape == (4, 2), "return an array of shape (k, n_features)"
    _covered += len({int(np.argmin(((_blobs - _row) ** 2).sum(axis=1))) for _row in _c}) == 4
assert _covered >= 90, "on four far-apart blobs k-means++ puts one centre in each blob almost always: is it D² sampling?"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-kmeans_plus_plus_repeats_and_seed" points=2
import numpy as np

_X = np.array([[1.0, 1.0], [1.0, 1.0], [5.0, 5.0]])
_c = np.asarray(kmeans_plus_plus(_X.copy(), 2, seed=3), dtype=float)
assert len({tuple(_row) for _row in _c}) == 2, "two centres from data with two distinct rows must be those two rows"
### BEGIN HIDDEN TESTS
# k equals the number of distinct rows: the centres are exactly the distinct rows, whatever the seed.
_rng = np.random.default_rng(11)
_distinct = _rng.normal(size=(6, 3))
_X = _distinct[_rng.integers(0, 6, size=40)]
_X[:6] = _distinct
for _seed in range(30):
    _c = np.asarray(kmeans_plus_plus(_X.copy(), 6, seed=_seed), dtype=float)
    assert _c.shape == (6, 3), "return an array of shape (k, n_features)"
    assert {tuple(_row) for _row in _c} == {tuple(_row) for _row in _distinct}, \
        "a chosen row or its copy was chosen again: weigh by the distance to the NEAREST chosen centre, not the last one"
_X = _rng.normal(size=(50, 2))
_a = np.asarray(kmeans_plus_plus(_X.copy(), 5, seed=42), dtype=float)
_b = np.asarray(kmeans_plus_plus(_X.copy(), 5, seed=42), dtype=float)
assert np.array_equal(_a, _b), "the same seed must give the same centres: draw from np.random.default_rng(seed)"
_runs = {np.asarray(kmeans_plus_plus(_X.copy(), 5, seed=_seed), dtype=float).tobytes() for _seed in range(10)}
assert len(_runs) > 1, "different seeds always give the same centres: is the seed used?"
_before = _X.copy()
kmeans_plus_plus(_X, 3, seed=0)
assert np.array_equal(_X, _before), "the input X was modified"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(0)
_X = np.vstack([_rng.normal(loc, 0.7, size=(80, 2)) for loc in ([0, 0], [6, 0], [3, 5], [8, 6])])
_C = np.asarray(kmeans_plus_plus(_X, 4, seed=1), dtype=float)
plt.scatter(_X[:, 0], _X[:, 1], s=10, c="lightgrey")
plt.scatter(_C[:, 0], _C[:, 1], marker="x", s=140, c="red")
for _order, (_x, _y) in enumerate(_C, start=1):
    plt.annotate(str(_order), (_x, _y), textcoords="offset points", xytext=(6, 6))
plt.title("Your k-means++ centres, numbered in the order chosen")
plt.show()
