# %% [markdown]
# ## PCA with the SVD
#
# *"Implement PCA in NumPy: give me the top principal directions, the data
# projected onto them, and how much of the variance each one explains."*
#
# Call shape: `pca(X, n_components)` returns `(components, projected, explained_variance_ratio)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is `X`?* A float array (or nested list) of shape `(n_samples, n_features)`, with
#   `1 <= n_components <= min(n_samples - 1, n_features)`. There may be fewer samples than
#   features.
# - *Do I centre or scale?* Centre each column on its mean; do not scale. Leave `X` unchanged.
# - *What do I return?* `components` of shape `(n_components, n_features)`: orthonormal
#   rows, the direction of largest variance first. `projected` of shape
#   `(n_samples, n_components)`: the centred data times `components.T`.
#   `explained_variance_ratio` of shape `(n_components,)`: each component's variance
#   divided by the *total* variance of the data (all directions, not only the ones kept).
# - *Signs?* A direction and its negative are equally right; pick either, as long as
#   `projected` uses the same one.
# - *Ties?* The test data has distinct variances along its principal directions.
# - *How?* Any exact method: the SVD of the centred data or the eigendecomposition of the
#   covariance matrix. No scikit-learn.
# </details>

# %% nbgrader="solution" grade_id="pca_svd"
### BEGIN SOLUTION
import numpy as np


def pca(X, n_components):
    X = np.asarray(X, dtype=float)
    centred = X - X.mean(axis=0)
    _, singular_values, vt = np.linalg.svd(centred, full_matrices=False)
    components = vt[:n_components]
    projected = centred @ components.T
    variances = singular_values ** 2
    ratio = variances[:n_components] / variances.sum()
    return components, projected, ratio
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-pca_svd_directions" points=4
import numpy as np

_line = np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 4.1], [3.0, 5.9], [4.0, 8.0]])
_C, _Z, _r = pca(_line, 1)
assert np.shape(_C) == (1, 2) and np.shape(_Z) == (5, 1) and np.shape(_r) == (1,), \
    "return components (n_components, n_features), projected (n_samples, n_components) and ratios (n_components,)"
assert abs(abs(np.asarray(_C, dtype=float)[0] @ np.array([1.0, 2.0]) / np.sqrt(5.0)) - 1.0) < 1e-3, \
    "points close to the line y = 2x: the first component should point along (1, 2)"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(20260301)
for _n, _d, _k in [(200, 5, 2), (120, 4, 4), (300, 6, 3)]:
    _basis, _ = np.linalg.qr(_rng.normal(size=(_d, _d)))
    _scales = np.linspace(3.0, 0.5, _d)
    _X = (_rng.normal(size=(_n, _d)) * _scales) @ _basis.T + _rng.normal(scale=4.0, size=_d)
    _centred = _X - _X.mean(axis=0)
    _values, _vectors = np.linalg.eigh(_centred.T @ _centred)
    _order = np.argsort(_values)[::-1]
    _values, _vectors = _values[_order], _vectors[:, _order]
    _expected_ratio = _values[:_k] / _values.sum()
    _X_before = _X.copy()
    _C, _Z, _r = pca(_X, _k)
    _C, _Z, _r = (np.asarray(_a, dtype=float) for _a in (_C, _Z, _r))
    assert _C.shape == (_k, _d), "components must have shape (n_components, n_features): rows, not columns"
    assert _Z.shape == (_n, _k), "projected must have shape (n_samples, n_components)"
    assert _r.shape == (_k,), "explained_variance_ratio must have shape (n_components,)"
    assert np.array_equal(_X, _X_before), "pca changed X in place: centre a copy"
    assert np.allclose(_C @ _C.T, np.eye(_k), atol=1e-8), "the components must be orthonormal rows"
    _alignment = np.abs(np.sum(_C * _vectors[:, :_k].T, axis=1))
    assert np.all(_alignment > 1 - 1e-6), \
        "the components are not the directions of largest variance, in decreasing order: " \
        "did you centre the data, take rows of V^T, and sort by variance?"
    assert np.allclose(_Z, _centred @ _C.T, atol=1e-8), \
        "projected must be the centred data times components.T (with the same signs)"
    assert np.allclose(_r, _expected_ratio, atol=1e-8), \
        "explained_variance_ratio: each kept variance over the total variance of all directions"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-pca_svd_shapes_and_offsets" points=3
import numpy as np

_C, _Z, _r = pca([[1.0, 0.0], [-1.0, 0.0], [0.0, 0.5], [0.0, -0.5]], 2)
assert np.isclose(np.sum(_r), 1.0), "keeping every direction explains all the variance: ratios sum to 1"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(11)
# All directions kept: projecting back recovers the data exactly.
_X = _rng.normal(size=(40, 3)) * [5.0, 2.0, 0.3]
_C, _Z, _r = (np.asarray(_a, dtype=float) for _a in pca(_X.copy(), 3))
assert np.allclose(_Z @ _C + _X.mean(axis=0), _X, atol=1e-8), \
    "with n_components = n_features, projected @ components + mean must give back X"
assert np.isclose(_r.sum(), 1.0) and np.all(np.diff(_r) <= 1e-12), \
    "ratios must sum to 1 when every direction is kept, largest first"
# A large offset must not leak into the directions: the data is centred first.
_X = _rng.normal(size=(60, 2)) * [0.2, 3.0] + [1000.0, -50.0]
_C, _Z, _r = (np.asarray(_a, dtype=float) for _a in pca(_X.copy(), 1))
assert _C.shape == (1, 2), "components must have shape (n_components, n_features)"
assert abs(_C[0, 1]) > 0.99, "a big mean took over the first direction: centre X before the SVD"
assert abs(_Z.mean()) < 1e-8, "projected data must have mean zero: project the centred data"
# Fewer samples than features.
_X = _rng.normal(size=(6, 10)) * np.linspace(4.0, 1.0, 10)
_centred = _X - _X.mean(axis=0)
_total = np.sum(_centred ** 2)
_C, _Z, _r = (np.asarray(_a, dtype=float) for _a in pca(_X.copy(), 3))
assert _C.shape == (3, 10) and _Z.shape == (6, 3) and _r.shape == (3,), \
    "with fewer samples than features the shapes still follow n_components and n_features"
assert np.allclose(_C @ _C.T, np.eye(3), atol=1e-8), "the components must be orthonormal rows"
assert np.allclose(_r, np.sum(_Z ** 2, axis=0) / _total, atol=1e-8), \
    "each ratio is the variance along its component over the total variance"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(0)
_X = _rng.normal(size=(300, 2)) @ np.array([[2.0, 1.2], [0.0, 0.5]]) + [3.0, 1.0]
_C, _Z, _r = pca(_X, 2)
_mean = _X.mean(axis=0)
plt.scatter(_X[:, 0], _X[:, 1], s=8, alpha=0.5)
for _direction, _share in zip(np.asarray(_C), np.asarray(_r)):
    _tip = _mean + 3 * np.sqrt(_share) * _direction
    plt.annotate("", xy=_tip, xytext=_mean, arrowprops={"arrowstyle": "->", "color": "red", "lw": 2})
    plt.text(*_tip, f"{_share:.0%}", color="red")
plt.axis("equal")
plt.title("Your principal directions, scaled by the share of variance")
plt.show()
