# %% [markdown]
# ## Ridge regression in closed form
#
# *"Fit ridge regression exactly, no gradient descent, with an intercept that is not
# shrunk. Some of our columns are exact copies of each other."*
#
# Call shape: `ridge(X, y, l2)` returns `(w, b)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `X` is a float array of shape `(n_samples, n_features)`, `y` of shape
#   `(n_samples,)`, and `l2 >= 0`.
# - *Which objective?* Minimise `mean((X @ w + b - y) ** 2) + l2 * sum(w ** 2)`: the mean
#   squared error plus `l2` times the squared norm of `w`. The intercept `b` is *not*
#   penalised.
# - *Copied or constant columns?* With `l2 > 0` the problem has one answer whatever the
#   columns look like, and your code must return it (no singular-matrix error, no NaN).
#   With `l2 = 0` you may assume the centred columns are linearly independent.
# - *What do I return?* `w` of shape `(n_features,)` and `b` a float.
# - *Any library?* NumPy's linear algebra (`solve`, `lstsq`, `svd`) is fine; no
#   scikit-learn. Prefer solving a system to inverting a matrix.
# - *Complexity?* O(n·d² + d³): forming the d×d system, then solving it.
# </details>

# %% nbgrader="solution" grade_id="ridge_closed_form"
### BEGIN SOLUTION
import numpy as np


def ridge(X, y, l2):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n_samples, n_features = X.shape
    x_mean = X.mean(axis=0)
    y_mean = y.mean()
    centred = X - x_mean
    system = centred.T @ centred / n_samples + l2 * np.eye(n_features)
    w = np.linalg.solve(system, centred.T @ (y - y_mean) / n_samples)
    b = float(y_mean - x_mean @ w)
    return w, b
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-ridge_closed_form_normal_equations" points=3
import numpy as np

_x = np.arange(6.0).reshape(-1, 1)
_w, _b = ridge(_x, 3.0 * _x[:, 0] + 2.0, 0.0)
assert np.allclose(np.asarray(_w, dtype=float), [3.0]) and np.isclose(float(_b), 2.0), \
    "with l2 = 0 on y = 3x + 2 ridge is least squares: w = 3, b = 2"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(1234)
_X = _rng.normal(size=(80, 4)) + [0.0, 3.0, -2.0, 10.0]
_y = _X @ np.array([1.0, -2.0, 0.0, 0.5]) + 7.0 + _rng.normal(size=80)
for _l2 in (0.0, 0.1, 2.0):
    # The normal equations of the stated objective, with the intercept's row left unpenalised.
    _design = np.column_stack([_X, np.ones(80)])
    _penalty = np.diag([_l2] * 4 + [0.0])
    _theta = np.linalg.solve(_design.T @ _design / 80 + _penalty, _design.T @ _y / 80)
    _w, _b = ridge(_X.copy(), _y.copy(), _l2)
    _w = np.asarray(_w, dtype=float)
    assert _w.shape == (4,), "w must have shape (n_features,)"
    _r = _X @ _w + float(_b) - _y
    assert abs(_r.mean()) < 1e-8, "the residuals must average to zero: is the intercept fitted, and left unpenalised?"
    assert np.allclose(2 * _X.T @ _r / 80 + 2 * _l2 * _w, 0.0, atol=1e-8), \
        "the gradient of mean squared error + l2 * ||w||^2 is not zero: is the penalty scaled as stated (mean, not sum)?"
    assert np.allclose(_w, _theta[:4], atol=1e-8) and np.isclose(float(_b), _theta[4], atol=1e-8), \
        "(w, b) does not solve the ridge normal equations"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-ridge_closed_form_copies_and_offsets" points=3
import numpy as np

_X = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [5.0, 5.0]])
_w, _b = ridge(_X, np.array([1.0, 2.0, 2.5, 4.0]), 0.5)
_w = np.asarray(_w, dtype=float)
assert _w.shape == (2,) and np.all(np.isfinite(_w)), "two identical columns with l2 > 0 must still give a finite answer"
assert np.isclose(_w[0], _w[1]), "identical columns share their weight equally at the ridge optimum"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(99)
_X = _rng.normal(size=(50, 3))
_X = np.column_stack([_X, _X[:, 0], np.full(50, 4.0)])
_y = _X[:, :3] @ np.array([2.0, -1.0, 0.5]) + _rng.normal(size=50)
_before_X, _before_y = _X.copy(), _y.copy()
_w, _b = ridge(_X, _y, 0.3)
_w = np.asarray(_w, dtype=float)
assert np.array_equal(_X, _before_X) and np.array_equal(_y, _before_y), "the inputs X and y were modified"
assert _w.shape == (5,) and np.all(np.isfinite(_w)), "a copied and a constant column with l2 > 0 must still solve"
assert np.isclose(_w[0], _w[3], atol=1e-8), "identical columns share their weight equally at the ridge optimum"
assert abs(_w[4]) < 1e-8, "a constant column carries no information: with l2 > 0 its weight is zero"
_r = _X @ _w + float(_b) - _y
assert np.allclose(2 * _X.T @ _r / 50 + 2 * 0.3 * _w, 0.0, atol=1e-8) and abs(_r.mean()) < 1e-8, \
    "with copied columns the answer is not the ridge optimum"
# Shifting every target moves only the intercept: the bias is not penalised.
_w_shift, _b_shift = ridge(_X, _y + 100.0, 0.3)
assert np.allclose(np.asarray(_w_shift, dtype=float), _w, atol=1e-8) and np.isclose(float(_b_shift), float(_b) + 100.0), \
    "adding 100 to y must add 100 to b and leave w alone: is the intercept penalised?"
_w_big, _b_big = ridge(_X, _y, 1e8)
assert np.allclose(np.asarray(_w_big, dtype=float), 0.0, atol=1e-6) and np.isclose(float(_b_big), _y.mean(), atol=1e-5), \
    "a huge l2 drives w to zero and b to the mean of y"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(4)
_X = _rng.normal(size=(60, 5))
_X[:, 4] = _X[:, 0] + 0.01 * _rng.normal(size=60)
_y = _X @ np.array([3.0, -2.0, 1.0, 0.0, 0.0]) + _rng.normal(size=60)
_grid = np.logspace(-4, 2, 40)
_paths = np.array([np.asarray(ridge(_X, _y, _l2)[0], dtype=float) for _l2 in _grid])
for _j in range(5):
    plt.plot(_grid, _paths[:, _j], label=f"w[{_j}]")
plt.xscale("log")
plt.xlabel("l2")
plt.ylabel("weight")
plt.title("Your ridge path: w[0] and its near-copy w[4] merge as l2 grows")
plt.legend()
plt.show()
