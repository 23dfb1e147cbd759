# %% [markdown]
# ## A 1-D convolution layer's forward pass
#
# *"Implement the forward pass of a 1-D convolution, the way deep-learning
# libraries define it, with stride and zero padding. One channel, no bias."*
#
# Call shape: `conv1d(x, kernel, stride=1, padding=0)` returns the output signal.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Convolution or correlation?* What the libraries call convolution is
#   cross-correlation: the kernel is **not** flipped. Output position `j` is
#   `sum over m of padded[j * stride + m] * kernel[m]`.
# - *Padding?* `padding` zeros added on **both** ends of `x` before sliding.
# - *Output length?* `(len(x) + 2 * padding - len(kernel)) // stride + 1`: only windows that
#   fit entirely inside the padded signal.
# - *Inputs?* 1-D arrays or lists of numbers (integers allowed); return a 1-D float array.
#   `stride >= 1` and `padding >= 0` are integers.
# - *Bad input?* If the kernel is longer than the padded signal, raise `ValueError` with a
#   message.
# - *Complexity?* O(n_out · len(kernel)); avoid a Python loop over output positions if you
#   can, but a correct loop is fine.
# </details>

# %% nbgrader="solution" grade_id="conv1d"
### BEGIN SOLUTION
import numpy as np


def conv1d(x, kernel, stride=1, padding=0):
    x = np.asarray(x, dtype=float)
    kernel = np.asarray(kernel, dtype=float)
    padded = np.concatenate([np.zeros(padding), x, np.zeros(padding)])
    width = len(kernel)
    if width > len(padded):
        raise ValueError(f"the kernel ({width}) is longer than the padded signal ({len(padded)})")
    n_out = (len(padded) - width) // stride + 1
    starts = np.arange(n_out) * stride
    windows = padded[starts[:, None] + np.arange(width)]
    return windows @ kernel
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-conv1d_values" points=4
import numpy as np

_out = np.asarray(conv1d([1.0, 2.0, 3.0, 4.0], [1.0, 0.0, -1.0]), dtype=float)
assert _out.shape == (2,), "a length-3 kernel over 4 samples fits in 2 positions"
assert np.allclose(_out, [-2.0, -2.0]), "cross-correlation does not flip the kernel: out[j] = sum x[j + m] * kernel[m]"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(606)
for _n, _k, _stride, _padding in [(20, 3, 1, 0), (17, 4, 2, 1), (30, 5, 3, 2), (9, 9, 1, 0), (12, 2, 5, 3)]:
    _x = _rng.normal(size=_n)
    _w = _rng.normal(size=_k)
    _expected = np.correlate(np.pad(_x, _padding), _w, mode="valid")[::_stride]
    _out = np.asarray(conv1d(_x.copy(), _w.copy(), stride=_stride, padding=_padding), dtype=float)
    assert _out.shape == ((_n + 2 * _padding - _k) // _stride + 1,), \
        "the output length must be (len(x) + 2 * padding - len(kernel)) // stride + 1: check padding on both ends and the + 1"
    assert np.allclose(_out, _expected, atol=1e-12), \
        "the values are wrong: no kernel flip, zeros on both ends, windows starting every `stride` samples"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-conv1d_bounds" points=3
import numpy as np

_out = np.asarray(conv1d([1, 2, 3], [1, 1, 1]), dtype=float)
assert _out.shape == (1,) and np.isclose(_out[0], 6.0), "a kernel as long as the signal gives one output"
### BEGIN HIDDEN TESTS
_out = np.asarray(conv1d([1, 2, 3], [1, 1], padding=1), dtype=float)
assert _out.shape == (4,) and np.allclose(_out, [1.0, 3.0, 5.0, 3.0]), "padding adds zeros at both ends before sliding"
_out = np.asarray(conv1d([5, 1, 4, 2, 8, 3, 7, 6], [1, -1], stride=3), dtype=float)
assert _out.shape == (3,) and np.allclose(_out, [4.0, -6.0, 1.0]), \
    "with stride 3 the windows start at 0, 3, 6, ... as long as they fit in the signal"
_out = conv1d(np.array([2, 4, 6]), np.array([1, 2]))
assert np.shape(_out) == (2,) and np.issubdtype(np.asarray(_out).dtype, np.floating) and np.allclose(_out, [10.0, 16.0]), \
    "integer inputs must give a float result with the same values"
_raised = False
try:
    conv1d([1.0, 2.0], [1.0, 1.0, 1.0, 1.0, 1.0], padding=1)
except ValueError:
    _raised = True
assert _raised, "a kernel longer than the padded signal must raise ValueError"
_out = np.asarray(conv1d([1.0, 2.0], [1.0, 1.0, 1.0, 1.0], padding=1), dtype=float)
assert _out.shape == (1,) and np.allclose(_out, [3.0]), "a kernel exactly as long as the padded signal gives one output"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_t = np.linspace(0, 4 * np.pi, 200)
_signal = np.sin(_t) + 0.3 * np.random.default_rng(0).normal(size=200)
_smooth = conv1d(_signal, np.ones(9) / 9, padding=4)
_edges = conv1d(_signal, [1.0, 0.0, -1.0], stride=2, padding=1)
plt.plot(_signal, color="lightgrey", label="signal")
plt.plot(_smooth, label="moving average (kernel 9, padding 4)")
plt.plot(np.arange(len(_edges)) * 2, _edges, ".", markersize=3, label="difference (stride 2)")
plt.legend()
plt.title("Your conv1d on a noisy sine")
plt.show()
