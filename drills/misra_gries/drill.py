# %% [markdown]
# ## Frequent items with Misra-Gries
#
# *"A stream of `n` items goes by once. With only `k - 1` counters, find every item
# that makes up more than `n / k` of the stream, with a count that is never too high."*
#
# Call shape: `misra_gries(stream, k)` returns a dict `{item: count}`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is the stream?* Any iterable of hashable items, read once (it can be a
#   generator); you do not know `n` in advance.
# - *What is `k`?* An integer `k >= 1`; anything smaller raises `ValueError`. With
#   `k = 1` there are no counters at all, so the answer is an empty dict.
# - *The algorithm?* Keep at most `k - 1` counters. An item that has a counter adds
#   one to it; a new item takes a free counter at 1; if none is free, every counter
#   loses one (the new item is not stored) and counters that reach zero are dropped.
# - *What do I return?* A dict from item to a positive `int` count, at most `k - 1`
#   entries. Every item that occurs more than `n / k` times must be in it, and each
#   count lies between `true count - n / k` and the true count.
# - *Complexity?* Say the time for the whole stream and the memory; the decrement step
#   looks expensive, so say why it is not.
# </details>

# %% nbgrader="solution" grade_id="misra_gries"
### BEGIN SOLUTION
def misra_gries(stream, k: int) -> dict:
    """At most ``k - 1`` counters whose items include every one more frequent than ``n / k``."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    counters: dict = {}
    for item in stream:
        if item in counters:
            counters[item] += 1
        elif len(counters) < k - 1:
            counters[item] = 1
        else:
            # The new item and k - 1 stored ones each lose one occurrence: k in all.
            for stored in list(counters):
                counters[stored] -= 1
                if counters[stored] == 0:
                    del counters[stored]
    return counters
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-misra_gries_guarantee" points=4
_got = misra_gries(iter("abacabadaaab"), 3)
assert isinstance(_got, dict) and len(_got) <= 2, "return a dict of at most k - 1 counters"
assert "a" in _got and 7 - 12 / 3 <= _got["a"] <= 7, "'a' is 7 of 12 items: it must be kept, counted within n / k"
### BEGIN HIDDEN TESTS
from collections import Counter as _Counter
import numpy as _np

_rng = _np.random.default_rng(20261204)
for _trial in range(6):
    _n = int(_rng.integers(200, 1500))
    _k = int(_rng.integers(2, 9))
    _weights = _rng.pareto(1.2, size=40) + 0.05
    _stream = [int(_x) for _x in _rng.choice(40, size=_n, p=_weights / _weights.sum())]
    _true = _Counter(_stream)
    _got = misra_gries(iter(list(_stream)), _k)
    assert isinstance(_got, dict), "return a dict {item: count}"
    assert len(_got) <= _k - 1, "more than k - 1 counters: decrement when all k - 1 are taken, never add a k-th"
    assert all(_c > 0 for _c in _got.values()), "a counter is zero or negative: drop counters that reach zero"
    assert all(_c <= _true[_item] for _item, _c in _got.items()), \
        "a count is above the true count: Misra-Gries only under-estimates (decrement all, do not replace the smallest)"
    assert all(_true[_item] - _c <= _n / _k for _item, _c in _got.items()), \
        "a count is too low by more than n / k: add one to an existing counter every time its item arrives"
    assert all(_item in _got for _item, _c in _true.items() if _c > _n / _k), \
        "an item with more than n / k occurrences was lost"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-misra_gries_small_k" points=3
assert misra_gries(iter([1, 2, 1]), 1) == {}, "k = 1 leaves no counters: return an empty dict"
### BEGIN HIDDEN TESTS
assert misra_gries(iter([]), 4) == {}, "an empty stream gives an empty dict"
_got = misra_gries(iter(["x", "y", "z", "x"]), 10)
assert _got == {"x": 2, "y": 1, "z": 1}, "with enough counters every count is exact"
_got = misra_gries(iter(["m"] * 6 + ["p", "q"]), 2)
assert set(_got) == {"m"} and 2 <= _got["m"] <= 6, "one counter: the majority item survives with a count within n / 2"
_got = misra_gries((_x for _x in [3, "3", 3, "3", 3]), 3)
assert _got == {3: 3, "3": 2}, "3 and '3' are different items"
for _bad in (0, -2):
    try:
        misra_gries(iter([1, 2]), _bad)
    except ValueError:
        pass
    else:
        raise AssertionError("k < 1 must raise ValueError")
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-misra_gries_one_pass" points=2
_calls = []


def _once(_items):
    for _item in _items:
        _calls.append(_item)
        yield _item


_got = misra_gries(_once("aabbbc"), 3)
assert len(_calls) == 6, "read the stream exactly once"
### BEGIN HIDDEN TESTS
_calls.clear()
_got = misra_gries(_once(["u", "v"] * 50 + ["w"] * 120), 4)
assert len(_calls) == 220 and _got == {"u": 50, "v": 50, "w": 120}, \
    "with k - 1 counters free, counts must be exact, and the stream read once"
assert all(type(_c) is int for _c in _got.values()), "counts should be plain ints"
### END HIDDEN TESTS

# %% [markdown]
# **Complexity.** What does your answer cost in time for a stream of `n` items, and in
# memory? Why is the step that decrements every counter cheaper than it looks?

# %% [markdown] nbgrader="answer" grade_id="communication-misra_gries_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* Memory O(k): at most k − 1 counters, whatever n. Time O(n)
# amortised (O(n·k) worst case if one counts each decrement naively): each decrement step
# costs O(k) but removes k occurrences (k − 1 stored plus the new one), and only n were
# ever added, so there are at most n / k such steps, O(n) in all; every other arrival is
# an O(1) hash-map update. Full marks need O(k) memory and the amortised argument.
# ### END SOLUTION

# %%
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(0)
_stream = [f"ip{_i}" for _i in _rng.zipf(1.4, size=4000) if _i < 200]
_k = 10
_kept = misra_gries(iter(_stream), _k)
_true = Counter(_stream)
_names = sorted(_kept, key=lambda _item: -_true[_item])
_positions = np.arange(len(_names))
plt.bar(_positions, [_true[_name] for _name in _names], color="lightgrey", label="true count")
plt.bar(_positions, [_kept[_name] for _name in _names], width=0.5, label="Misra-Gries count")
plt.axhline(len(_stream) / _k, color="tab:red", linestyle="--", label="n / k")
plt.xticks(_positions, _names, rotation=45)
plt.title("Your Misra-Gries counters: never above the truth, at most n / k below")
plt.legend()
plt.show()
