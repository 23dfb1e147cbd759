# %% [markdown]
# ## Softmax regression from scratch
#
# *"Extend logistic regression to several classes: train a softmax classifier with gradient
# descent, and keep it stable when the logits get large."*
#
# Call shape: `fit_softmax(X, y, n_classes, learning_rate, n_iters)` returns `(W, b)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `X` is a float array of shape `(n_samples, n_features)`; `y` holds integer
#   class labels in `0..n_classes-1`, shape `(n_samples,)`. Some classes may have no
#   sample at all; they still get a column.
# - *Model?* Class probabilities are the row-wise softmax of the logits `X @ W + b`, with
#   `W` of shape `(n_features, n_classes)` and `b` of shape `(n_classes,)`.
# - *Loss and updates?* The mean cross-entropy, no regularisation. Full-batch gradient
#   descent from `W = 0`, `b = 0`: the gradient is `X.T @ (P - Y) / n_samples` for `W` and
#   the column means of `P - Y` for `b`, where `Y` is the one-hot encoding of `y`; both
#   move from the same `P`.
# - *Stability?* Logits can reach the thousands, and differ wildly from one row to the
#   next. No overflow, no NaN, no warning. You do not need the loss itself.
# - *What do I return?* `W` of shape `(n_features, n_classes)` and `b` of shape
#   `(n_classes,)`, float arrays.
# - *Complexity?* O(n·d·c) per step, vectorised over samples and classes.
# </details>

# %% nbgrader="solution" grade_id="softmax_regression"
### BEGIN SOLUTION
import numpy as np


def fit_softmax(X, y, n_classes, learning_rate, n_iters):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=int)
    n_samples = len(X)
    one_hot = np.zeros((n_samples, n_classes))
    one_hot[np.arange(n_samples), y] = 1.0
    W = np.zeros((X.shape[1], n_classes))
    b = np.zeros(n_classes)
    for _ in range(n_iters):
        logits = X @ W + b
        logits -= logits.max(axis=1, keepdims=True)
        exp_logits = np.exp(logits)
        probabilities = exp_logits / exp_logits.sum(axis=1, keepdims=True)
        error = probabilities - one_hot
        W -= learning_rate * X.T @ error / n_samples
        b -= learning_rate * error.mean(axis=0)
    return W, b
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-softmax_regression_gradient_steps" points=4
import numpy as np

_X = np.array([[0.0, 0.0], [0.2, 0.1], [4.0, 0.0], [4.1, 0.3], [0.0, 4.0], [0.3, 4.2]])
_y = np.array([0, 0, 1, 1, 2, 2])
_W, _b = fit_softmax(_X, _y, 3, 0.5, 300)
assert np.shape(_W) == (2, 3) and np.shape(_b) == (3,), "W must be (n_features, n_classes) and b (n_classes,)"
assert np.array_equal(np.argmax(_X @ np.asarray(_W) + np.asarray(_b), axis=1), _y), \
    "three well-separated groups should each be predicted as their own class"
### BEGIN HIDDEN TESTS


def _softmax_reference(_logits):
    _shifted = _logits - _logits.max(axis=1, keepdims=True)
    return np.exp(_shifted - np.log(np.exp(_shifted).sum(axis=1, keepdims=True)))


_rng = np.random.default_rng(61)
_X = _rng.normal(size=(150, 3))
_y = np.argmax(_X @ _rng.normal(size=(3, 4)) + _rng.gumbel(size=(150, 4)), axis=1)
_Y = np.eye(4)[_y]
# The first steps of gradient descent from zero, replayed.
_gd_W, _gd_b = np.zeros((3, 4)), np.zeros(4)
for _ in range(5):
    _E = _softmax_reference(_X @ _gd_W + _gd_b) - _Y
    _gd_W, _gd_b = _gd_W - 0.3 * _X.T @ _E / 150, _gd_b - 0.3 * _E.mean(axis=0)
_W, _b = fit_softmax(_X.copy(), _y.copy(), 4, 0.3, 5)
_W, _b = np.asarray(_W, dtype=float), np.asarray(_b, dtype=float)
assert _W.shape == (3, 4) and _b.shape == (4,), "W must be (n_features, n_classes) and b (n_classes,)"
assert np.allclose(_W, _gd_W, rtol=1e-8, atol=1e-14) and np.allclose(_b, _gd_b, rtol=1e-8, atol=1e-14), \
    "the first steps are not gradient descent on the mean cross-entropy: check X.T @ (P - Y) / n and the one-hot targets"
# After many steps the gradient of the mean cross-entropy (computed here) has all but vanished.
_W, _b = fit_softmax(_X.copy(), _y.copy(), 4, 1.0, 1000)
_W, _b = np.asarray(_W, dtype=float), np.asarray(_b, dtype=float)
_E = _softmax_reference(_X @ _W + _b) - _Y
assert np.all(np.isfinite(_W)) and np.all(np.isfinite(_b)), "the weights became NaN or infinite"
assert np.abs(_X.T @ _E / 150).max() < 1e-6 and np.abs(_E.mean(axis=0)).max() < 1e-6, \
    "gradient descent did not approach the optimum: is the bias updated, and the gradient's sign right?"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-softmax_regression_large_logits_and_absent_class" points=3
import numpy as np
import warnings

_X = np.array([[3000.0], [-2000.0], [1.0], [0.0]])
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        _W, _b = fit_softmax(_X, np.array([0, 1, 2, 2]), 3, 0.1, 10)
    except (RuntimeWarning, FloatingPointError) as _warning:
        raise AssertionError(f"large logits raised a warning ({_warning}): subtract each row's maximum") from None
assert np.all(np.isfinite(np.asarray(_W, dtype=float))) and np.all(np.isfinite(np.asarray(_b, dtype=float))), \
    "large logits gave NaN or infinity"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(62)
_X = np.column_stack([_rng.normal(scale=2000.0, size=40), _rng.normal(size=40)])
_y = np.digitize(_X[:, 0] + 500 * _X[:, 1], [-1000.0, 1000.0])
_Y = np.eye(4)[_y]
_gd_W, _gd_b = np.zeros((2, 4)), np.zeros(4)
for _ in range(8):
    _logits = _X @ _gd_W + _gd_b
    _logits = _logits - _logits.max(axis=1, keepdims=True)
    _E = np.exp(_logits) / np.exp(_logits).sum(axis=1, keepdims=True) - _Y
    _gd_W, _gd_b = _gd_W - 0.01 * _X.T @ _E / 40, _gd_b - 0.01 * _E.mean(axis=0)
_before = _X.copy()
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        _W, _b = fit_softmax(_X, _y, 4, 0.01, 8)
    except (RuntimeWarning, FloatingPointError) as _warning:
        raise AssertionError(f"large logits raised a warning ({_warning}): subtract each ROW's maximum, " \
                             "not one maximum over the whole matrix") from None
_W, _b = np.asarray(_W, dtype=float), np.asarray(_b, dtype=float)
assert np.array_equal(_X, _before), "the input X was modified"
assert _W.shape == (2, 4) and _b.shape == (4,), \
    "class 3 never occurs but n_classes = 4: W and b still need one column per class"
assert np.all(np.isfinite(_W)) and np.all(np.isfinite(_b)), "large logits gave NaN or infinity"
assert np.allclose(_W, _gd_W, rtol=1e-7, atol=1e-12) and np.allclose(_b, _gd_b, rtol=1e-7, atol=1e-12), \
    "with large logits the steps are no longer gradient descent on the cross-entropy"
assert _b[3] < 0, "a class with no samples should see its bias pushed down"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(8)
_centres = np.array([[0, 0], [3, 0], [1.5, 2.5]])
_X = np.vstack([_rng.normal(_c, 0.8, size=(70, 2)) for _c in _centres])
_y = np.repeat([0, 1, 2], 70)
_W, _b = fit_softmax(_X, _y, 3, 0.5, 500)
_grid = np.linspace(-2.5, 5.5, 200)
_xx, _yy = np.meshgrid(_grid, _grid)
_regions = np.argmax(np.column_stack([_xx.ravel(), _yy.ravel()]) @ np.asarray(_W) + np.asarray(_b), axis=1)
plt.contourf(_xx, _yy, _regions.reshape(_xx.shape), levels=[-0.5, 0.5, 1.5, 2.5], cmap="viridis", alpha=0.3)
plt.scatter(_X[:, 0], _X[:, 1], c=_y, cmap="viridis", edgecolors="k", s=15)
plt.title("Your softmax classifier's decision regions")
plt.show()
