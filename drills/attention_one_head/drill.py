# %% [markdown]
# ## One head of scaled dot-product attention
#
# *"Write the attention step of a transformer for a single head: queries, keys and
# values in, the attended values and the attention weights out, with an optional
# mask."*
#
# Call shape: `attention(Q, K, V, mask=None)` returns `(output, weights)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Shapes?* `Q` is `(n_queries, d_k)`, `K` is `(n_keys, d_k)`, `V` is `(n_keys, d_v)`; no
#   batch dimension. Lists are fine too.
# - *The formula?* Scores `Q @ K.T / sqrt(d_k)`, a softmax over the keys (each row), and
#   `output = weights @ V`.
# - *The mask?* A boolean array of shape `(n_queries, n_keys)`: True means the query may
#   attend to that key, False means blocked. A blocked key gets weight exactly 0, and the
#   allowed weights in the row still sum to 1. Every row allows at least one key.
#   `mask=None` allows everything.
# - *What do I return?* `output` of shape `(n_queries, d_v)` and `weights` of shape
#   `(n_queries, n_keys)`.
# - *Numerics?* Scores can reach the thousands: no overflow, no NaN, no warnings.
# - *Complexity?* O(n_queries · n_keys · (d_k + d_v)) time and O(n_queries · n_keys) memory
#   for the weights.
# </details>

# %% nbgrader="solution" grade_id="attention_one_head"
### BEGIN SOLUTION
import numpy as np


def attention(Q, K, V, mask=None):
    Q, K, V = (np.asarray(array, dtype=float) for array in (Q, K, V))
    scores = Q @ K.T / np.sqrt(K.shape[1])
    if mask is not None:
        scores = np.where(np.asarray(mask, dtype=bool), scores, -np.inf)
    scores = scores - scores.max(axis=1, keepdims=True)
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=1, keepdims=True)
    return weights @ V, weights
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-attention_one_head_values" points=4
import numpy as np

_out, _w = attention(np.zeros((2, 3)), np.ones((4, 3)), np.arange(8.0).reshape(4, 2))
assert np.shape(_out) == (2, 2) and np.shape(_w) == (2, 4), "output is (n_queries, d_v), weights (n_queries, n_keys)"
assert np.allclose(_w, 0.25) and np.allclose(_out, [[3.0, 4.0], [3.0, 4.0]]), \
    "equal scores give equal weights, and the output is the mean of the values"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(1729)
for _n_q, _n_k, _d_k, _d_v in [(5, 7, 4, 3), (3, 3, 16, 6), (6, 2, 2, 5)]:
    _Q, _K, _V = _rng.normal(size=(_n_q, _d_k)), _rng.normal(size=(_n_k, _d_k)), _rng.normal(size=(_n_k, _d_v))
    _s = _Q @ _K.T / np.sqrt(_d_k)
    _e = np.exp(_s - _s.max(axis=1, keepdims=True))
    _expected_w = _e / _e.sum(axis=1, keepdims=True)
    _out, _w = attention(_Q.copy(), _K.copy(), _V.copy())
    _out, _w = np.asarray(_out, dtype=float), np.asarray(_w, dtype=float)
    assert _out.shape == (_n_q, _d_v) and _w.shape == (_n_q, _n_k), "output or weights have the wrong shape"
    assert np.allclose(_w.sum(axis=1), 1.0), "each query's weights must sum to 1: softmax over the keys (axis 1)"
    assert np.allclose(_w, _expected_w, atol=1e-10), \
        "the weights are not softmax(Q @ K.T / sqrt(d_k)): check the scaling by sqrt(d_k) and the softmax axis"
    assert np.allclose(_out, _expected_w @ _V, atol=1e-10), "the output must be weights @ V"
# A causal mask: query t sees keys 0..t only.
_Q, _K, _V = _rng.normal(size=(5, 4)), _rng.normal(size=(5, 4)), _rng.normal(size=(5, 2))
_causal = np.tril(np.ones((5, 5), dtype=bool))
_s = np.where(_causal, _Q @ _K.T / 2.0, -np.inf)
_e = np.exp(_s - _s.max(axis=1, keepdims=True))
_expected_w = _e / _e.sum(axis=1, keepdims=True)
_out, _w = attention(_Q, _K, _V, mask=_causal.copy())
_w = np.asarray(_w, dtype=float)
assert np.all(_w[~_causal] == 0.0), "a blocked key must get weight exactly 0: set its score to -inf before the softmax"
assert np.allclose(_w, _expected_w, atol=1e-10) and np.allclose(np.asarray(_out, dtype=float), _expected_w @ _V), \
    "with a mask the allowed weights must be the softmax over the allowed keys only, summing to 1"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-attention_one_head_stability_and_masks" points=3
import warnings

import numpy as np

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _out, _w = attention([[1000.0, 0.0]], [[1000.0, 0.0], [0.0, 1000.0]], [[1.0], [2.0]])
assert np.all(np.isfinite(_w)) and np.allclose(_w, [[1.0, 0.0]]), \
    "scores in the hundreds of thousands overflow exp(): subtract each row's largest score first"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(99)
_Q, _K, _V = _rng.normal(scale=40.0, size=(4, 3)), _rng.normal(scale=40.0, size=(6, 3)), _rng.normal(size=(6, 2))
_s = _Q @ _K.T / np.sqrt(3)
_e = np.exp(_s - _s.max(axis=1, keepdims=True))
_expected_w = _e / _e.sum(axis=1, keepdims=True)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _out, _w = attention(_Q, _K, _V)
assert np.all(np.isfinite(np.asarray(_w, dtype=float))) and np.allclose(_w, _expected_w, atol=1e-10), \
    "large scores must give finite, exact weights: use a stable softmax"
# The masked key has by far the highest score; blocking it must still remove it.
_Q = np.array([[5.0, 0.0], [0.0, 5.0]])
_K = np.array([[5.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
_V = np.array([[100.0], [1.0], [2.0]])
_mask = np.array([[False, True, True], [True, True, False]])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _out, _w = attention(_Q, _K, _V, mask=_mask)
_w = np.asarray(_w, dtype=float)
assert np.all(_w[~_mask] == 0.0) and np.allclose(_w.sum(axis=1), 1.0), \
    "a blocked key kept some weight, or the row no longer sums to 1: mask the scores with -inf, not 0"
# A row allowing one key copies that key's value.
_only = np.array([[False, False, True], [True, True, True]])
_out, _w = attention(_Q, _K, _V, mask=_only)
assert np.allclose(np.asarray(_out, dtype=float)[0], _V[2]), "a query allowed one key must return that key's value"
_all_out, _all_w = attention(_Q, _K, _V, mask=np.ones((2, 3), dtype=bool))
_none_out, _none_w = attention(_Q, _K, _V)
assert np.allclose(_all_w, _none_w) and np.allclose(_all_out, _none_out), "mask=None must equal a mask allowing every key"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(0)
_tokens = _rng.normal(size=(8, 4))
_, _w = attention(_tokens, _tokens, _tokens, mask=np.tril(np.ones((8, 8), dtype=bool)))
plt.figure(figsize=(5, 4))
plt.imshow(_w, cmap="Blues")
plt.colorbar(label="weight")
plt.xlabel("key position")
plt.ylabel("query position")
plt.title("Your causal self-attention weights")
plt.show()
