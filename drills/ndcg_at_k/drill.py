# %% [markdown]
# ## NDCG at k
#
# *"Here are the graded relevances of the items we showed, in the order we ranked them.
# How good is the ranking at the top `k`, on a 0-to-1 scale?"*
#
# Call shape: `ndcg_at_k(relevances, k)` returns a float.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `relevances`: a 1-D list or array of non-negative numbers (a negative one
#   raises `ValueError`), position 0 being the top of our ranking; it may be empty.
#   `k`: an integer `>= 1` (else `ValueError`); `k` may exceed the list's length.
# - *Gain and discount?* Linear gain: the relevance itself (not `2**rel - 1`). The item
#   at rank `r` (starting at 1) is divided by `log2(r + 1)`, so the top item counts fully.
#   DCG@k sums this over the first `min(k, n)` items.
# - *Normalised by?* The ideal DCG@k: the DCG@k of the *whole* list sorted from most to
#   least relevant, so a relevant item ranked below `k` still raises the ideal.
# - *Nothing relevant?* If the ideal DCG is 0 (all zeros, or an empty list), return `0.0`.
# - *What do I return?* A Python `float` in `[0, 1]`. Do not change the caller's array.
# </details>

# %% nbgrader="solution" grade_id="ndcg_at_k"
### BEGIN SOLUTION
import numpy as np


def ndcg_at_k(relevances, k: int) -> float:
    """DCG@k of the ranking over DCG@k of the ideal ranking; linear gain, log2(rank + 1) discount."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    relevances = np.asarray(relevances, dtype=float)
    if relevances.ndim != 1 or np.any(relevances < 0):
        raise ValueError("relevances must be a 1-D sequence of non-negative numbers")
    shown = min(k, len(relevances))
    discounts = 1.0 / np.log2(np.arange(2, shown + 2))  # ranks 1..shown
    dcg = float(relevances[:shown] @ discounts)
    ideal = float(np.sort(relevances)[::-1][:shown] @ discounts)
    return dcg / ideal if ideal > 0 else 0.0
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-ndcg_at_k_values" points=3
import math

_expected = (1 + 0 / math.log2(3) + 2 / math.log2(4)) / (2 + 1 / math.log2(3) + 0 / math.log2(4))
assert abs(ndcg_at_k([1, 0, 2], 3) - _expected) < 1e-12, "DCG of [1, 0, 2] over the DCG of its ideal order [2, 1, 0]"
### BEGIN HIDDEN TESTS
import numpy as _np

_rng = _np.random.default_rng(20261209)
for _trial in range(8):
    _rel = _rng.integers(0, 4, size=int(_rng.integers(1, 25))).astype(float)
    _rel[int(_rng.integers(len(_rel)))] = 3.0
    _k = int(_rng.integers(1, 30))
    _dcg = sum(_rel[_i] / math.log2(_i + 2) for _i in range(min(_k, len(_rel))))
    _best = sorted(_rel.tolist(), reverse=True)
    _idcg = sum(_best[_i] / math.log2(_i + 2) for _i in range(min(_k, len(_best))))
    _got = ndcg_at_k(_rel.copy(), _k)
    assert _np.ndim(_got) == 0, "return a single number"
    assert abs(float(_got) - _dcg / _idcg) < 1e-9, \
        "NDCG differs: linear gain, discount log2(rank + 1) with ranks from 1, ideal from the whole list sorted"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-ndcg_at_k_degenerate" points=2
assert ndcg_at_k([0, 0, 0], 2) == 0.0, "nothing relevant: NDCG is 0.0, not NaN"
### BEGIN HIDDEN TESTS
assert ndcg_at_k([], 3) == 0.0, "an empty list: NDCG is 0.0"
assert abs(ndcg_at_k([3, 2, 2, 0], 10) - 1.0) < 1e-12, "a list already in ideal order scores 1, whatever k"
import math as _math

assert abs(ndcg_at_k([1, 0, 5], 2) - 1 / (5 + 1 / _math.log2(3))) < 1e-12, \
    "the ideal ranking puts the 5 first, even when it lies below k: build the ideal from the whole list, not its first k"
assert abs(ndcg_at_k([2], 1) - 1.0) < 1e-12, "a single relevant item at the top scores 1"
for _args in (([1, 2], 0), ([1, -1], 2)):
    try:
        ndcg_at_k(*_args)
    except ValueError:
        pass
    else:
        raise AssertionError("k < 1 or a negative relevance must raise ValueError")
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-ndcg_at_k_bounds" points=1
import numpy as np

_rel = np.array([0.0, 2.0, 1.0, 3.0])
_value = ndcg_at_k(_rel, 3)
assert np.array_equal(_rel, [0.0, 2.0, 1.0, 3.0]), "the caller's array was sorted in place: sort a copy"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(9)
for _trial in range(20):
    _rel = _rng.integers(0, 3, size=12) * 1.0
    _before = _rel.copy()
    _value = ndcg_at_k(_rel, int(_rng.integers(1, 15)))
    assert np.array_equal(_rel, _before), "the caller's array was changed"
    assert isinstance(_value, float) and 0.0 <= _value <= 1.0 + 1e-12, "NDCG is a Python float in [0, 1]"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(0)
_true_rel = _rng.integers(0, 4, size=30).astype(float)
_noise_levels = np.linspace(0, 3, 13)
_scores = []
for _noise in _noise_levels:
    _order = np.argsort(-(_true_rel + _noise * _rng.normal(size=30)))
    _scores.append(ndcg_at_k(_true_rel[_order], 10))
plt.plot(_noise_levels, _scores, marker="o")
plt.xlabel("noise added to the ranker's scores")
plt.ylabel("your NDCG@10")
plt.title("Your NDCG falls as the ranking gets noisier")
plt.show()
