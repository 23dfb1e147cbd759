# %% [markdown]
# ## Linear regression by batch gradient descent
#
# *"Fit a linear regression with plain gradient descent, no closed form, and show me
# the loss going down."*
#
# Call shape: `fit_linear_gd(X, y, learning_rate, n_iters)` returns `(w, b, losses)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `X` is a float array of shape `(n_samples, n_features)`, `y` of shape
#   `(n_samples,)`; `learning_rate > 0` and `n_iters >= 0` is the number of updates.
# - *Which loss?* The mean squared error, `L(w, b) = mean((X @ w + b - y) ** 2)`, with no
#   factor one half and no regularisation.
# - *Which updates?* Full-batch gradient descent from `w = 0`, `b = 0`: every step moves
#   both `w` and `b` against the gradient of `L` at the current parameters,
#   `w -= learning_rate * dL/dw` and `b -= learning_rate * dL/db`, computed together.
# - *What is `losses`?* A list (or 1-D array) of `n_iters` floats: `losses[t]` is the loss
#   just *before* update `t`, so `losses[0]` is the loss at `w = 0, b = 0`.
# - *What do I return?* `w` of shape `(n_features,)`, `b` a float, and `losses`.
#   With `n_iters = 0` that is zeros and an empty list.
# - *Feature scaling? Early stopping?* Neither; assume the caller chose a sane rate.
# - *Complexity?* O(n·d) per step; vectorise, no loop over samples.
# </details>

# %% nbgrader="solution" grade_id="linreg_gd_batch"
### BEGIN SOLUTION
import numpy as np


def fit_linear_gd(X, y, learning_rate, n_iters):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    n_samples = len(X)
    w = np.zeros(X.shape[1])
    b = 0.0
    losses = []
    for _ in range(n_iters):
        residual = X @ w + b - y
        losses.append(float(np.mean(residual ** 2)))
        grad_w = 2.0 / n_samples * (X.T @ residual)
        grad_b = 2.0 * residual.mean()
        w -= learning_rate * grad_w
        b -= learning_rate * grad_b
    return w, b, losses
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-linreg_gd_batch_optimum" points=4
import numpy as np

_x = np.linspace(-1.0, 1.0, 21).reshape(-1, 1)
_w, _b, _losses = fit_linear_gd(_x, 2.0 * _x[:, 0] + 1.0, 0.1, 2000)
assert np.allclose(np.asarray(_w, dtype=float), [2.0], atol=1e-4) and abs(float(_b) - 1.0) < 1e-4, \
    "on y = 2x + 1 gradient descent should find w = 2, b = 1"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(2026)
_X = _rng.normal(size=(200, 3))
_y = _X @ np.array([1.5, -2.0, 0.5]) + 4.0 + _rng.normal(scale=0.3, size=200)
_design = np.column_stack([_X, np.ones(200)])
_best = np.linalg.lstsq(_design, _y, rcond=None)[0]
# Gradient descent is deterministic from zeros: its first steps are computed here, step by step.
_steps_w, _steps_b, _expected = np.zeros(3), 0.0, []
for _ in range(5):
    _r = _X @ _steps_w + _steps_b - _y
    _expected.append(np.mean(_r ** 2))
    _steps_w, _steps_b = _steps_w - 0.05 * 2 / 200 * (_X.T @ _r), _steps_b - 0.05 * 2 * _r.mean()
_w5, _b5, _l5 = fit_linear_gd(_X.copy(), _y.copy(), 0.05, 5)
_w5, _l5 = np.asarray(_w5, dtype=float), np.asarray(_l5, dtype=float)
assert _w5.shape == (3,) and _l5.shape == (5,), "return w of shape (n_features,) and one loss per update"
assert np.isclose(_l5[0], np.mean(_y ** 2)), "losses[0] is the MSE at w = 0, b = 0, recorded before the first update"
assert np.allclose(_l5, _expected, rtol=1e-8), \
    "the losses do not follow gradient descent on the MSE: check the gradient (factor 2/n), that w and b step " \
    "from the same residual, and that each loss is recorded before its update"
assert np.allclose(_w5, _steps_w, rtol=1e-8) and np.isclose(float(_b5), _steps_b, rtol=1e-8), \
    "the parameters after five steps are not those of gradient descent on the MSE: are w and b updated from the same residual?"
_w, _b, _losses = fit_linear_gd(_X.copy(), _y.copy(), 0.1, 1500)
_w, _losses = np.asarray(_w, dtype=float), np.asarray(_losses, dtype=float)
assert _w.shape == (3,) and _losses.shape == (1500,), "return w of shape (n_features,) and one loss per update"
assert np.allclose(_w, _best[:3], atol=1e-6) and abs(float(_b) - _best[3]) < 1e-6, \
    "gradient descent did not reach the least-squares optimum: is the bias updated, and the gradient averaged?"
assert np.all(np.diff(_losses) <= 1e-12), "with a sane learning rate the loss must never go up"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-linreg_gd_batch_offset_and_zero_steps" points=2
import numpy as np

_w, _b, _losses = fit_linear_gd(np.ones((4, 2)), np.full(4, 3.0), 0.1, 0)
assert np.allclose(np.asarray(_w, dtype=float), [0.0, 0.0]) and float(_b) == 0.0 and len(_losses) == 0, \
    "with n_iters = 0 return w = 0, b = 0 and no losses"
### BEGIN HIDDEN TESTS
# A large offset and one feature scaled differently: only a bias that learns reaches the optimum.
_rng = np.random.default_rng(8)
_X = _rng.normal(size=(120, 2)) * [1.0, 0.5]
_y = _X @ np.array([-1.0, 3.0]) + 50.0
_before_X, _before_y = _X.copy(), _y.copy()
_w, _b, _losses = fit_linear_gd(_X, _y, 0.2, 3000)
assert np.array_equal(_X, _before_X) and np.array_equal(_y, _before_y), "the inputs X and y were modified"
assert abs(float(_b) - 50.0) < 1e-5 and np.allclose(np.asarray(_w, dtype=float), [-1.0, 3.0], atol=1e-5), \
    "a large offset must be learnt by the bias: is b updated with the mean residual times 2?"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(1)
_X = _rng.normal(size=(150, 2))
_y = _X @ np.array([2.0, -1.0]) + 0.5 + _rng.normal(scale=0.4, size=150)
fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
for _rate in (0.01, 0.05, 0.2):
    axes[0].plot(fit_linear_gd(_X, _y, _rate, 200)[2], label=f"learning rate {_rate}")
axes[0].set(yscale="log", xlabel="update", ylabel="MSE", title="Your loss curves")
axes[0].legend()
_w, _b, _ = fit_linear_gd(_X, _y, 0.1, 500)
axes[1].scatter(_X @ np.asarray(_w) + _b, _y, s=10)
axes[1].set(xlabel="prediction", ylabel="target", title="Predictions against targets")
plt.show()
