# %% [markdown]
# ## Logistic regression from scratch
#
# *"Train a binary logistic regression with gradient descent. Some of our features are in
# the thousands, so it has to stay numerically sound."*
#
# Call shape: `fit_logistic(X, y, learning_rate, n_iters)` returns `(w, b)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `X` is a float array of shape `(n_samples, n_features)`, `y` holds 0s and 1s,
#   shape `(n_samples,)`; `learning_rate > 0`, `n_iters >= 0` updates.
# - *Model and loss?* `p = sigmoid(X @ w + b)` is the probability of class 1; minimise the
#   mean binary cross-entropy, with no regularisation.
# - *Which updates?* Full-batch gradient descent from `w = 0`, `b = 0`. The gradient of
#   the mean cross-entropy is `X.T @ (p - y) / n_samples` for `w` and `mean(p - y)` for
#   `b`; both move from the same `p`.
# - *Numerical soundness?* The logits `X @ w + b` can reach the thousands (either sign).
#   Your code must not overflow, return NaN, or emit any warning for them. You do not
#   need to compute the loss; if you do, it must be just as sound.
# - *What do I return?* `w` of shape `(n_features,)` and `b` a float; zeros when
#   `n_iters = 0`.
# - *Complexity?* O(n·d) per step, vectorised.
# </details>

# %% nbgrader="solution" grade_id="logistic_regression"
### BEGIN SOLUTION
import numpy as np


def fit_logistic(X, y, learning_rate, n_iters):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)

    def stable_sigmoid(z):
        result = np.empty_like(z)
        positive = z >= 0
        result[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
        exp_z = np.exp(z[~positive])
        result[~positive] = exp_z / (1.0 + exp_z)
        return result

    w = np.zeros(X.shape[1])
    b = 0.0
    for _ in range(n_iters):
        error = stable_sigmoid(X @ w + b) - y
        w -= learning_rate * (X.T @ error) / len(y)
        b -= learning_rate * error.mean()
    return w, b
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-logistic_regression_optimum" points=4
import numpy as np

_x = np.array([[-2.0], [-1.5], [-0.5], [0.3], [0.5], [1.0], [2.0], [-0.2]])
_labels = np.array([0, 0, 0, 1, 1, 1, 1, 1])
_w, _b = fit_logistic(_x, _labels, 0.5, 500)
assert np.shape(_w) == (1,), "w must have shape (n_features,)"
assert np.array_equal((_x[:, 0] * float(np.asarray(_w)[0]) + float(_b) > 0).astype(int)[:7], _labels[:7]), \
    "the fitted model should separate the clearly separated points"
### BEGIN HIDDEN TESTS


def _sigmoid_reference(z):
    return np.exp(-np.logaddexp(0.0, -z))


_rng = np.random.default_rng(31)
_X = _rng.normal(size=(400, 2))
_y = (_rng.random(400) < _sigmoid_reference(_X @ np.array([1.5, -1.0]) + 0.3)).astype(float)
# Newton's method on the mean cross-entropy gives the optimum to machine precision.
_design = np.column_stack([_X, np.ones(400)])
_theta = np.zeros(3)
for _ in range(30):
    _p = _sigmoid_reference(_design @ _theta)
    _hessian = _design.T @ (_design * (_p * (1 - _p))[:, None]) / 400
    _theta = _theta - np.linalg.solve(_hessian, _design.T @ (_p - _y) / 400)
# The first steps of gradient descent from zero, replayed.
_gd_w, _gd_b = np.zeros(2), 0.0
for _ in range(4):
    _e = _sigmoid_reference(_X @ _gd_w + _gd_b) - _y
    _gd_w, _gd_b = _gd_w - 0.5 * _X.T @ _e / 400, _gd_b - 0.5 * _e.mean()
_w, _b = fit_logistic(_X.copy(), _y.copy(), 0.5, 4)
_w = np.asarray(_w, dtype=float)
assert _w.shape == (2,), "w must have shape (n_features,)"
assert np.allclose(_w, _gd_w, rtol=1e-8) and np.isclose(float(_b), _gd_b, rtol=1e-8), \
    "the first steps are not gradient descent on the mean cross-entropy: check the gradient " \
    "X.T @ (p - y) / n, its sign, and that b moves by mean(p - y)"
_w, _b = fit_logistic(_X.copy(), _y.copy(), 0.5, 3000)
_w = np.asarray(_w, dtype=float)
assert np.allclose(_w, _theta[:2], atol=1e-4) and abs(float(_b) - _theta[2]) < 1e-4, \
    "gradient descent did not reach the cross-entropy optimum: is the bias updated too?"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-logistic_regression_large_logits" points=3
import numpy as np
import warnings

_X = np.array([[1000.0], [-1000.0], [2000.0], [-3000.0]])
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        _w, _b = fit_logistic(_X, np.array([1, 0, 1, 0]), 0.1, 20)
    except (RuntimeWarning, FloatingPointError) as _warning:
        raise AssertionError(f"logits in the thousands raised a warning ({_warning}): use a stable sigmoid") from None
assert np.all(np.isfinite(np.asarray(_w, dtype=float))) and np.isfinite(float(_b)), "large logits gave NaN or infinity"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(5)
_X = np.column_stack([_rng.normal(scale=1500.0, size=60), _rng.normal(size=60)])
_y = (_X[:, 0] + 300 * _X[:, 1] > 0).astype(float)
_gd_w, _gd_b = np.zeros(2), 0.0
for _ in range(25):
    _e = np.exp(-np.logaddexp(0.0, -(_X @ _gd_w + _gd_b))) - _y
    _gd_w, _gd_b = _gd_w - 0.01 * _X.T @ _e / 60, _gd_b - 0.01 * _e.mean()
_before = _X.copy()
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        _w, _b = fit_logistic(_X, _y, 0.01, 25)
    except (RuntimeWarning, FloatingPointError) as _warning:
        raise AssertionError(f"logits in the thousands raised a warning ({_warning}): use a stable sigmoid, "
                             "and note that np.where computes both branches") from None
_w = np.asarray(_w, dtype=float)
assert np.array_equal(_X, _before), "the input X was modified"
assert _w.shape == (2,) and np.all(np.isfinite(_w)) and np.isfinite(float(_b)), "large logits gave NaN or infinity"
assert np.allclose(_w, _gd_w, rtol=1e-7) and np.isclose(float(_b), _gd_b, rtol=1e-7, atol=1e-12), \
    "with large logits the steps are not gradient descent on the cross-entropy: check the sign of the " \
    "gradient and that the sigmoid saturates to exactly 0 and 1"
_w, _b = fit_logistic(_X, _y, 0.01, 0)
assert np.allclose(np.asarray(_w, dtype=float), 0.0) and float(_b) == 0.0, "with n_iters = 0 return zeros"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(2)
_X = np.vstack([_rng.normal([-1, -1], 1.0, size=(100, 2)), _rng.normal([1.5, 1], 1.0, size=(100, 2))])
_y = np.repeat([0, 1], 100)
_w, _b = fit_logistic(_X, _y, 0.5, 1000)
_w = np.asarray(_w, dtype=float)
_grid = np.linspace(-4, 4, 200)
_xx, _yy = np.meshgrid(_grid, _grid)
_logits = np.clip(_w[0] * _xx + _w[1] * _yy + float(_b), -50, 50)
plt.contourf(_xx, _yy, 1 / (1 + np.exp(-_logits)), levels=20, cmap="RdBu_r", alpha=0.6)
plt.scatter(_X[:, 0], _X[:, 1], c=_y, cmap="RdBu_r", edgecolors="k", s=15)
plt.colorbar(label="P(class 1)")
plt.title("Your logistic regression: probability of class 1")
plt.show()
