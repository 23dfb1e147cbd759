# %% [markdown]
# ## Backpropagation through a small MLP
#
# *"Here is a network with one hidden ReLU layer and a softmax output. Write the
# forward pass and the backward pass by hand: the loss and the gradient of every
# parameter."*
#
# Call shape: `mlp_grads(params, X, y)` returns `(loss, grads)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is in `params`?* A dict of float arrays: `W1` of shape `(n_features, n_hidden)`,
#   `b1` of shape `(n_hidden,)`, `W2` of shape `(n_hidden, n_classes)`, `b2` of shape
#   `(n_classes,)`. Do not change them.
# - *And the data?* `X` of shape `(n_samples, n_features)`; `y` holds integer class labels
#   in `0..n_classes-1`, shape `(n_samples,)`.
# - *The network?* `hidden = relu(X @ W1 + b1)`, `logits = hidden @ W2 + b2`, then softmax
#   over the classes.
# - *Which loss?* The mean over samples of the cross-entropy `-log p[i, y[i]]`; no
#   regularisation. Return it as a float.
# - *What do I return in `grads`?* A dict with the same four keys, each the gradient of
#   that loss with respect to the parameter, with the parameter's shape.
# - *ReLU at exactly zero?* Use derivative 0 there; the tests avoid that point.
# - *Numerics?* Logits can be in the thousands: the loss must stay finite and warning-free.
# - *How will you check it?* Against finite differences of the loss, so the gradients must
#   be exact, not approximate. No autograd libraries.
# </details>

# %% nbgrader="solution" grade_id="mlp_forward_backward"
### BEGIN SOLUTION
import numpy as np


def mlp_grads(params, X, y):
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=int)
    W1, b1, W2, b2 = (np.asarray(params[key], dtype=float) for key in ("W1", "b1", "W2", "b2"))
    n_samples = X.shape[0]
    rows = np.arange(n_samples)
    pre_activation = X @ W1 + b1
    hidden = np.maximum(pre_activation, 0.0)
    logits = hidden @ W2 + b2
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[rows, y].mean()
    d_logits = np.exp(log_probs)
    d_logits[rows, y] -= 1.0
    d_logits /= n_samples
    d_pre = (d_logits @ W2.T) * (pre_activation > 0)
    grads = {
        "W1": X.T @ d_pre,
        "b1": d_pre.sum(axis=0),
        "W2": hidden.T @ d_logits,
        "b2": d_logits.sum(axis=0),
    }
    return float(loss), grads
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-mlp_forward_backward_gradients" points=5
import numpy as np

_params = {"W1": np.zeros((2, 3)), "b1": np.zeros(3), "W2": np.zeros((3, 4)), "b2": np.zeros(4)}
_loss, _grads = mlp_grads(_params, np.array([[1.0, 2.0], [0.5, -1.0]]), np.array([0, 3]))
assert np.isclose(_loss, np.log(4)), "with all weights zero every class has probability 1/4: loss log(4)"
assert {_key: np.shape(_grads[_key]) for _key in _params} == {_key: _params[_key].shape for _key in _params}, \
    "grads needs the keys W1, b1, W2, b2, each with its parameter's shape"
### BEGIN HIDDEN TESTS


def _mlp_reference_loss(_p, _X, _y):
    _h = np.maximum(_X @ _p["W1"] + _p["b1"], 0.0)
    _z = _h @ _p["W2"] + _p["b2"]
    _z = _z - _z.max(axis=1, keepdims=True)
    _logp = _z - np.log(np.exp(_z).sum(axis=1, keepdims=True))
    return -_logp[np.arange(len(_y)), _y].mean()


_rng = np.random.default_rng(31415)
for _n, _d, _h, _c in [(7, 4, 5, 3), (12, 3, 6, 5)]:
    _p = {"W1": _rng.normal(size=(_d, _h)), "b1": _rng.normal(scale=0.5, size=_h),
          "W2": _rng.normal(size=(_h, _c)), "b2": _rng.normal(scale=0.5, size=_c)}
    _X = _rng.normal(size=(_n, _d))
    _y = _rng.integers(0, _c, size=_n)
    _expected_loss = _mlp_reference_loss(_p, _X, _y)
    _numeric = {}
    for _key in _p:
        _numeric[_key] = np.zeros_like(_p[_key])
        for _index in np.ndindex(_p[_key].shape):
            _plus = {_k: _v.copy() for _k, _v in _p.items()}
            _minus = {_k: _v.copy() for _k, _v in _p.items()}
            _plus[_key][_index] += 1e-6
            _minus[_key][_index] -= 1e-6
            _numeric[_key][_index] = (_mlp_reference_loss(_plus, _X, _y) - _mlp_reference_loss(_minus, _X, _y)) / 2e-6
    _copies = {_k: _v.copy() for _k, _v in _p.items()}
    _loss, _grads = mlp_grads(_copies, _X.copy(), _y.copy())
    assert all(np.array_equal(_copies[_k], _p[_k]) for _k in _p), "mlp_grads changed params in place"
    assert np.isclose(float(_loss), _expected_loss, rtol=1e-9, atol=1e-12), \
        "the loss must be the mean cross-entropy over samples (a sum, or a missing ReLU, changes it)"
    for _key in ("W2", "b2", "W1", "b1"):
        _g = np.asarray(_grads[_key], dtype=float)
        assert _g.shape == _p[_key].shape, f"grads[{_key!r}] must have the shape of params[{_key!r}]"
        _error = np.abs(_g - _numeric[_key]).max() / max(1e-8, np.abs(_numeric[_key]).max())
        assert _error < 1e-5, \
            f"grads[{_key!r}] disagrees with finite differences of the loss: check the 1/n_samples " \
            "factor, the ReLU mask on the way back, and the transposes"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-mlp_forward_backward_large_logits" points=2
import warnings

import numpy as np

_params = {"W1": np.eye(2) * 500.0, "b1": np.zeros(2), "W2": np.array([[4.0, -4.0], [-4.0, 4.0]]),
           "b2": np.zeros(2)}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _loss, _grads = mlp_grads(_params, np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 0]))
assert np.isfinite(_loss) and all(np.all(np.isfinite(_grads[_k])) for _k in _params), \
    "logits in the thousands overflow exp(): subtract each row's largest logit before the softmax"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4)
_p = {"W1": _rng.normal(scale=30.0, size=(3, 4)), "b1": np.zeros(4),
      "W2": _rng.normal(scale=30.0, size=(4, 3)), "b2": np.zeros(3)}
_X = _rng.normal(size=(6, 3))
_y = _rng.integers(0, 3, size=6)
_h = np.maximum(_X @ _p["W1"], 0.0)
_z = _h @ _p["W2"]
_z = _z - _z.max(axis=1, keepdims=True)
_expected = -(_z - np.log(np.exp(_z).sum(axis=1, keepdims=True)))[np.arange(6), _y].mean()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _loss, _grads = mlp_grads({_k: _v.copy() for _k, _v in _p.items()}, _X, _y)
assert np.isfinite(_loss) and np.isclose(float(_loss), _expected, rtol=1e-9), \
    "with large logits the loss must stay finite and exact: use a stable log-softmax"
assert all(np.all(np.isfinite(np.asarray(_grads[_k], dtype=float))) for _k in _p), \
    "with large logits the gradients must stay finite"
# Doubling the batch (every sample twice) leaves a mean loss and its gradients unchanged.
_X = _rng.normal(size=(5, 3))
_y = _rng.integers(0, 3, size=5)
_small = {"W1": _rng.normal(size=(3, 4)), "b1": np.zeros(4), "W2": _rng.normal(size=(4, 3)), "b2": np.zeros(3)}
_loss_once, _grads_once = mlp_grads(_small, _X, _y)
_loss_twice, _grads_twice = mlp_grads(_small, np.vstack([_X, _X]), np.concatenate([_y, _y]))
assert np.isclose(float(_loss_once), float(_loss_twice)) and all(
    np.allclose(np.asarray(_grads_once[_k], dtype=float), np.asarray(_grads_twice[_k], dtype=float)) for _k in _small), \
    "repeating the batch changed the loss or a gradient: average over samples, in the loss and the gradients"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(0)
_X = _rng.normal(size=(200, 2))
_y = (_X[:, 0] * _X[:, 1] > 0).astype(int)
_p = {"W1": _rng.normal(size=(2, 16)), "b1": np.zeros(16), "W2": _rng.normal(scale=0.1, size=(16, 2)),
      "b2": np.zeros(2)}
_history = []
for _step in range(300):
    _loss, _grads = mlp_grads(_p, _X, _y)
    _history.append(_loss)
    _p = {_k: _p[_k] - 0.5 * np.asarray(_grads[_k]) for _k in _p}
plt.plot(_history)
plt.xlabel("gradient step")
plt.ylabel("mean cross-entropy")
plt.title("Gradient descent with your gradients on an XOR-like problem")
plt.show()
