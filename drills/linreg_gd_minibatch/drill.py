# %% [markdown]
# ## Linear regression by mini-batch gradient descent
#
# *"The data no longer fits one gradient step at a time. Train a linear regression with
# shuffled mini-batches and give me the loss after every epoch."*
#
# Call shape: `fit_linear_minibatch(X, y, learning_rate, epochs, batch_size, seed)` returns
# `(w, b, losses)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `X` is a float array of shape `(n_samples, n_features)`, `y` of shape
#   `(n_samples,)`; `learning_rate > 0`, `epochs >= 1`, `batch_size >= 1` (it may exceed
#   `n_samples`).
# - *Loss and start?* The mean squared error `mean((X @ w + b - y) ** 2)`, no factor one
#   half, no regularisation, starting from `w = 0`, `b = 0`.
# - *What is an epoch?* Shuffle the sample order afresh, then walk through it in
#   consecutive batches of `batch_size` samples; the last batch holds whatever is left
#   and is used too. Every sample is used exactly once per epoch.
# - *What is one step?* Gradient descent on the *batch's* mean squared error: `w` and `b`
#   both move by `learning_rate` times the gradient computed from the same residual
#   `X_batch @ w + b - y_batch`, averaged over the batch.
# - *Randomness?* One generator, `np.random.default_rng(seed)`, created once and used for
#   every epoch's shuffle. The same seed must give the same result; how you shuffle with
#   it is up to you.
# - *What is `losses`?* `epochs` floats: `losses[e]` is the MSE on the *whole* data after
#   epoch `e`, so `losses[-1]` is the loss of the returned `w`, `b`.
# - *What do I return?* `w` of shape `(n_features,)`, `b` a float, and `losses`.
# - *Complexity?* O(n·d) per epoch, plus the O(n) shuffle.
# </details>

# %% nbgrader="solution" grade_id="linreg_gd_minibatch"
### BEGIN SOLUTION
import numpy as np


def fit_linear_minibatch(X, y, learning_rate, epochs, batch_size, seed):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    rng = np.random.default_rng(seed)
    n_samples = len(X)
    w = np.zeros(X.shape[1])
    b = 0.0
    losses = []
    for _ in range(epochs):
        order = rng.permutation(n_samples)
        for start in range(0, n_samples, batch_size):
            batch = order[start:start + batch_size]
            residual = X[batch] @ w + b - y[batch]
            w -= learning_rate * 2.0 * (X[batch].T @ residual) / len(batch)
            b -= learning_rate * 2.0 * residual.mean()
        losses.append(float(np.mean((X @ w + b - y) ** 2)))
    return w, b, losses
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-linreg_gd_minibatch_converges" points=4
import numpy as np

_x = np.linspace(-1.0, 1.0, 40).reshape(-1, 1)
_w, _b, _losses = fit_linear_minibatch(_x, 3.0 * _x[:, 0] - 1.0, 0.1, 200, 4, seed=0)
assert np.allclose(np.asarray(_w, dtype=float), [3.0], atol=1e-3) and abs(float(_b) + 1.0) < 1e-3, \
    "on y = 3x - 1 mini-batch descent should find w = 3, b = -1"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(404)
_X = _rng.normal(size=(30, 2))
_y = _X @ np.array([1.0, -0.5]) + 2.0 + _rng.normal(scale=0.2, size=30)
# A batch at least as large as the data is full-batch gradient descent: replayed here.
_gd_w, _gd_b, _gd_losses = np.zeros(2), 0.0, []
for _ in range(6):
    _r = _X @ _gd_w + _gd_b - _y
    _gd_w, _gd_b = _gd_w - 0.1 * 2 * (_X.T @ _r) / 30, _gd_b - 0.1 * 2 * _r.mean()
    _gd_losses.append(np.mean((_X @ _gd_w + _gd_b - _y) ** 2))
_w, _b, _losses = fit_linear_minibatch(_X.copy(), _y.copy(), 0.1, 6, 50, seed=1)
_w, _losses = np.asarray(_w, dtype=float), np.asarray(_losses, dtype=float)
assert _w.shape == (2,) and _losses.shape == (6,), "return w of shape (n_features,) and one loss per epoch"
assert np.allclose(_w, _gd_w, rtol=1e-8) and np.isclose(float(_b), _gd_b, rtol=1e-8), \
    "with one batch per epoch this is full-batch gradient descent: check the batch gradient (2 / batch size)"
assert np.allclose(_losses, _gd_losses, rtol=1e-8), \
    "losses[e] must be the MSE on the whole data after epoch e"
# Noise-free targets: every batch gradient vanishes at the optimum, so the iterates reach it.
_X = _rng.normal(size=(96, 3))
_y = _X @ np.array([2.0, 0.0, -1.0]) + 0.5
_w, _b, _losses = fit_linear_minibatch(_X.copy(), _y.copy(), 0.05, 80, 8, seed=2)
_w, _losses = np.asarray(_w, dtype=float), np.asarray(_losses, dtype=float)
assert _w.shape == (3,) and _losses.shape == (80,), "return w of shape (n_features,) and one loss per epoch"
assert np.allclose(_w, [2.0, 0.0, -1.0], atol=1e-5) and abs(float(_b) - 0.5) < 1e-5, \
    "mini-batch descent did not reach the exact fit on noise-free data: are both w and b updated every batch?"
assert np.isclose(_losses[-1], np.mean((_X @ _w + float(_b) - _y) ** 2), rtol=1e-6, atol=1e-12), \
    "losses[-1] must be the whole-data MSE of the returned w and b"
# Noisy targets: near the least-squares loss after enough epochs.
_y = _y + _rng.normal(scale=0.5, size=96)
_design = np.column_stack([_X, np.ones(96)])
_best_loss = np.mean((_design @ np.linalg.lstsq(_design, _y, rcond=None)[0] - _y) ** 2)
_w, _b, _losses = fit_linear_minibatch(_X.copy(), _y.copy(), 0.02, 60, 16, seed=3)
assert float(np.asarray(_losses, dtype=float)[-1]) < 1.05 * _best_loss, \
    "the final loss is far above the least-squares optimum"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-linreg_gd_minibatch_each_sample_once" points=3
import numpy as np

_a = fit_linear_minibatch(np.arange(12.0).reshape(6, 2), np.arange(6.0), 0.01, 3, 2, seed=5)
_b = fit_linear_minibatch(np.arange(12.0).reshape(6, 2), np.arange(6.0), 0.01, 3, 2, seed=5)
assert np.array_equal(np.asarray(_a[0], dtype=float), np.asarray(_b[0], dtype=float)), \
    "the same seed must give the same weights"
### BEGIN HIDDEN TESTS
# With no features and y = 1 only the bias moves, b <- b + 2 * rate * (1 - b) whatever the batch
# holds, so b after one epoch counts the steps taken: ceil(n / batch_size), last batch included.
for _n, _size, _epochs in ((10, 4, 1), (10, 4, 2), (10, 20, 1), (9, 3, 1)):
    _steps = -(-_n // _size) * _epochs
    _w, _b, _losses = fit_linear_minibatch(np.zeros((_n, 1)), np.ones(_n), 0.1, _epochs, _size, seed=0)
    assert np.isclose(float(_b), 1 - 0.8 ** _steps, rtol=1e-9), \
        "an epoch must take ceil(n_samples / batch_size) steps: is the last, smaller batch dropped, " \
        "or the batch gradient divided by n_samples instead of the batch size?"
# A tiny learning rate makes one epoch's move the sum of the batch gradients at zero, which only
# matches when every sample is used exactly once (no sampling with replacement).
_rng = np.random.default_rng(77)
_X = _rng.normal(size=(60, 3))
_y = _rng.normal(size=60) + 1.0
_w, _b, _ = fit_linear_minibatch(_X.copy(), _y.copy(), 1e-7, 1, 6, seed=4)
assert np.allclose(np.asarray(_w, dtype=float), 1e-7 * 2 / 6 * (_X.T @ _y), rtol=1e-4) \
    and np.isclose(float(_b), 1e-7 * 2 / 6 * _y.sum(), rtol=1e-4), \
    "one epoch must use every sample exactly once (a permutation, not indices drawn with replacement), " \
    "each batch gradient averaged over the batch size"
_X = _rng.normal(size=(40, 2))
_y = _X @ np.array([1.0, 2.0]) + _rng.normal(size=40)
_before_X, _before_y = _X.copy(), _y.copy()
_runs = {np.asarray(fit_linear_minibatch(_X, _y, 0.1, 1, 4, seed=_seed)[0], dtype=float).tobytes()
         for _seed in range(5)}
assert np.array_equal(_X, _before_X) and np.array_equal(_y, _before_y), "the inputs X and y were modified"
assert len(_runs) > 1, "different seeds give the same weights: is the order shuffled with default_rng(seed) every epoch?"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(3)
_X = _rng.normal(size=(256, 3))
_y = _X @ np.array([1.0, -2.0, 0.5]) + 1.0 + _rng.normal(scale=0.5, size=256)
for _size in (1, 16, 256):
    plt.plot(fit_linear_minibatch(_X, _y, 0.01, 40, _size, seed=0)[2], label=f"batch size {_size}")
plt.yscale("log")
plt.xlabel("epoch")
plt.ylabel("whole-data MSE")
plt.title("Your loss per epoch: smaller batches take more steps per epoch")
plt.legend()
plt.show()
