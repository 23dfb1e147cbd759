# %% [markdown]
# ## K-means from a blank page
#
# *"Here are some points. Group them into `k` clusters with k-means, in NumPy,
# and give me back the centres and each point's cluster."*
#
# Call shape: `kmeans(X, k, seed)` returns `(centroids, labels)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is `X`?* A float array of shape `(n_samples, n_features)`; `1 <= k <= n_samples`,
#   and there are at least `k` distinct points.
# - *What do I return?* `centroids` of shape `(k, n_features)` and integer `labels` of
#   shape `(n_samples,)` with values in `0..k-1`.
# - *How do I start?* Any `k` distinct points of `X` chosen with
#   `np.random.default_rng(seed)`; k-means++ is a welcome extra. The same seed must give
#   the same answer.
# - *When do I stop?* When no label changes (or after 300 rounds at most).
# - *What if a cluster ends up empty?* Move its centre to the point farthest from the
#   centre it is assigned to, so you always return `k` real clusters. Never return NaN.
# - *Distance?* Squared Euclidean. Ties go to the lowest cluster index.
# - *Complexity?* Each round costs O(n·k·d) time; say so, and avoid Python loops over points.
# </details>

# %% nbgrader="solution" grade_id="kmeans"
### BEGIN SOLUTION
import numpy as np


def kmeans(X, k, seed):
    X = np.asarray(X, dtype=float)
    rng = np.random.default_rng(seed)
    unique = np.unique(X, axis=0)
    centroids = unique[rng.choice(len(unique), size=k, replace=False)].copy()
    labels = np.full(len(X), -1)
    for _ in range(300):
        distances = ((X[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=2)
        new_labels = distances.argmin(axis=1)
        for cluster in range(k):
            members = X[new_labels == cluster]
            if len(members) == 0:
                farthest = distances[np.arange(len(X)), new_labels].argmax()
                centroids[cluster] = X[farthest]
                new_labels[farthest] = cluster
            else:
                centroids[cluster] = members.mean(axis=0)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
    return centroids, labels
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-kmeans_fixed_point" points=4
import numpy as np

_points = np.array([[0.0, 0.0], [0.0, 1.0], [10.0, 10.0], [10.0, 11.0]])
_centroids, _labels = kmeans(_points, 2, seed=0)
assert np.shape(_centroids) == (2, 2) and np.shape(_labels) == (4,), "return centroids (k, d) and labels (n,)"
assert _labels[0] == _labels[1] and _labels[2] == _labels[3] and _labels[0] != _labels[2], \
    "two far-apart pairs of points should end in two clusters"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(20261201)
for _trial in range(4):
    _k = 2 + _trial
    _X = _rng.normal(size=(150, 3)) + _rng.integers(0, 4, size=(150, 1)) * 3.0
    _C, _L = kmeans(_X.copy(), _k, seed=_trial)
    _C = np.asarray(_C, dtype=float)
    _L = np.asarray(_L)
    assert _C.shape == (_k, 3), "centroids must have shape (k, n_features)"
    assert _L.shape == (150,), "labels must have shape (n_samples,)"
    assert np.all(np.isfinite(_C)), "a centroid is NaN or infinite: is an empty cluster handled?"
    assert set(np.unique(_L)) <= set(range(_k)), "labels must lie in 0..k-1"
    _d = ((_X[:, None, :] - _C[None, :, :]) ** 2).sum(axis=2)
    _own = _d[np.arange(150), _L.astype(int)]
    assert np.all(_own <= _d.min(axis=1) + 1e-9), \
        "at convergence every point belongs to its nearest centroid: did the loop stop before labels settled?"
    for _c in range(_k):
        _members = _X[_L == _c]
        assert len(_members) > 0, "a cluster came back empty: re-seed empty clusters"
        assert np.allclose(_C[_c], _members.mean(axis=0), atol=1e-8), \
            "at convergence each centroid is the mean of its points: is the update a mean?"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-kmeans_small_cases" points=2
import numpy as np

_C1, _L1 = kmeans(np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 9.0]]), 1, seed=0)
assert np.allclose(_C1, [[3.0, 5.0]]), "with k = 1 the centroid is the mean of all points"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(7)
_X = _rng.normal(size=(12, 2))
_C, _L = kmeans(_X.copy(), 12, seed=3)
assert len(np.unique(np.asarray(_L))) == 12, "with k = n_samples every point is its own cluster"
_X = _rng.normal(size=(80, 2)) * [1.0, 5.0]
_first = kmeans(_X.copy(), 4, seed=11)
_second = kmeans(_X.copy(), 4, seed=11)
assert np.allclose(np.asarray(_first[0], dtype=float), np.asarray(_second[0], dtype=float)) \
    and np.array_equal(np.asarray(_first[1]), np.asarray(_second[1])), \
    "the same seed must give the same clusters: draw from np.random.default_rng(seed)"
_X = np.vstack([np.zeros((30, 2)), np.ones((30, 2)), [[50.0, 50.0]]])
_C, _L = kmeans(_X.copy(), 3, seed=1)
assert np.all(np.isfinite(np.asarray(_C, dtype=float))), "an empty cluster must never give a NaN centroid"
assert len(np.unique(np.asarray(_L))) == 3, "three distinct points and k = 3: every cluster keeps a point"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(0)
_X = np.vstack([_rng.normal(loc, 0.6, size=(60, 2)) for loc in ([0, 0], [4, 1], [1, 4])])
_C, _L = kmeans(_X, 3, seed=0)
plt.scatter(_X[:, 0], _X[:, 1], c=_L, s=12, cmap="viridis")
plt.scatter(np.asarray(_C)[:, 0], np.asarray(_C)[:, 1], marker="x", s=120, c="red", label="centroids")
plt.title("Your k-means on three blobs")
plt.legend()
plt.show()
