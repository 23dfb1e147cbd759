# %% [markdown]
# ## Heavy hitters with a Count-Min Sketch
#
# *"Items stream past faster than we can store them. Keep a Count-Min Sketch of their
# counts and, alongside it, a heap of the `k` items that look most frequent so far;
# at the end, tell me those items and their estimated counts."*
#
# Call shape: `heavy_hitters(stream, k, width, depth, seed)` returns a list of
# `(item, estimate)` pairs.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is the stream?* Any iterable, and you may read it only once (it can be a
#   generator). Items are hashable: ints, strings, tuples, possibly mixed in one stream.
#   `1` and `"1"` are different items and must be counted apart, so hash a representation
#   that keeps the type (`repr` of the item with its type name, say), never `str(item)`.
# - *The sketch?* `depth` rows of `width` integer counters, `width, depth >= 1`. Each row
#   has its own hash function, derived from `seed`; the same seed must give the same
#   answer. Python's built-in `hash` of a string changes between runs, so prefer `hashlib`
#   with a per-row salt or key. An arriving item adds one to one counter per row; its
#   estimate is the *minimum* of its `depth` counters, which can overcount (collisions)
#   but never undercount.
# - *The heap?* It holds at most `k` items (`k >= 1`) with their latest estimates. After
#   each arrival, update the item's estimate if it is already held; otherwise add it if
#   fewer than `k` are held, or if its estimate is strictly greater than the smallest held
#   estimate, which it then replaces. Items of different types can tie on the estimate, and
#   `1 < "a"` raises `TypeError`: never let the heap compare items.
# - *What do I return?* The held items as `(item, estimate)` pairs with `int` estimates,
#   sorted by estimate from largest to smallest (ties in any order); at most `k` pairs, an
#   empty list for an empty stream.
# - *Complexity?* O(depth + log k) per item (amortised), O(width·depth + k) memory,
#   whatever the stream's length.
# </details>

# %% nbgrader="solution" grade_id="count_min_topk"
### BEGIN SOLUTION
import hashlib
import heapq
import itertools

import numpy as np


def heavy_hitters(stream, k: int, width: int, depth: int, seed: int) -> list[tuple[object, int]]:
    """The ``k`` items with the largest Count-Min estimates, seen in one pass over ``stream``."""
    rng = np.random.default_rng(seed)
    salts = [rng.bytes(16) for _ in range(depth)]  # one hash function per row
    table = np.zeros((depth, width), dtype=np.int64)
    rows = np.arange(depth)
    held: dict[object, int] = {}  # the current top-k: item -> latest estimate
    heap: list[tuple[int, int, object]] = []  # (estimate, tie-breaker, item); stale entries are skipped
    tiebreak = itertools.count()
    for item in stream:
        key = repr((type(item).__qualname__, item)).encode()
        columns = [int.from_bytes(hashlib.blake2b(key, digest_size=8, salt=salt).digest(), "little") % width
                   for salt in salts]
        table[rows, columns] += 1
        estimate = int(table[rows, columns].min())
        if item not in held and len(held) == k:
            while held.get(heap[0][-1]) != heap[0][0]:
                heapq.heappop(heap)  # an item evicted or re-estimated since this entry was pushed
            if estimate <= heap[0][0]:
                continue
            del held[heapq.heappop(heap)[-1]]
        held[item] = estimate
        heapq.heappush(heap, (estimate, next(tiebreak), item))
        if len(heap) > 4 * k + 16:  # drop stale entries so memory stays O(k)
            heap = [(value, next(tiebreak), kept) for kept, value in held.items()]
            heapq.heapify(heap)
    return sorted(held.items(), key=lambda pair: pair[1], reverse=True)
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-count_min_topk_estimates" points=4
_stream = ["a"] * 5 + ["b"] * 3 + ["c"]
_got = [tuple(_pair) for _pair in heavy_hitters(iter(_stream), 2, 1000, 3, seed=0)]
assert _got == [("a", 5), ("b", 3)], "in a wide sketch the two most frequent items come back with their exact counts"
### BEGIN HIDDEN TESTS
from collections import Counter as _Counter
import numpy as np

_rng = np.random.default_rng(20261203)
_light = [f"item{_i}" for _i in range(500)]
_stream = ["heavy_a"] * 600 + ["heavy_b"] * 400 + ["heavy_c"] * 300 + list(_rng.choice(_light, size=1700))
_stream = [str(_x) for _x in _stream]
_order = _rng.permutation(len(_stream))
_stream = [_stream[_i] for _i in _order]
_stream = _light[:40] + _stream  # forty light items arrive first and fill the heap
_true = _Counter(_stream)
_n = len(_stream)
_result = [tuple(_p) for _p in heavy_hitters(iter(list(_stream)), 5, 128, 4, seed=3)]
assert 0 < len(_result) <= 5, "return at most k (item, estimate) pairs"
_estimates = [_e for _, _e in _result]
assert _estimates == sorted(_estimates, reverse=True), "sort the pairs by estimate, largest first"
assert all(_e >= _true[_item] for _item, _e in _result), \
    "an estimate is below the true count: take the minimum over rows after adding, and update held items"
assert all(_e <= _n for _, _e in _result), "an estimate exceeds the stream's length: add one per row per arrival"
assert {"heavy_a", "heavy_b", "heavy_c"} <= {_item for _item, _ in _result}, \
    "a truly frequent item is missing: an arriving item must replace the smallest held one when its estimate is larger"
# In a very wide sketch collisions are (almost surely) absent: estimates are exact and the heap is a true top-k.
_stream = [str(_x) for _x in _rng.choice([f"t{_i}" for _i in range(30)], size=900, p=np.arange(30, 0, -1) / 465)]
_true = _Counter(_stream)
_result = [tuple(_p) for _p in heavy_hitters((_x for _x in _stream), 4, 1 << 20, 4, seed=8)]
assert all(_e == _true[_item] for _item, _e in _result), "in a very wide sketch every estimate is the exact count"
_kth = sorted(_true.values(), reverse=True)[3]
assert len(_result) == 4 and min(_e for _, _e in _result) == _kth, \
    "with exact counts the heap must end holding a true top-k"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-count_min_topk_item_types" points=3
_got = dict(heavy_hitters([1, 1, "1", 1, "1", 1], 2, 4096, 4, seed=1))
assert _got.get(1) == 4 and _got.get("1") == 2, \
    "expected 1 counted four times and '1' twice: hash the item with its type, and refresh held estimates"
### BEGIN HIDDEN TESTS
assert list(heavy_hitters(iter([]), 3, 16, 2, seed=0)) == [], "an empty stream gives an empty list"
_got = dict(heavy_hitters(["x", 7, ("t", 1), 7, "x", ("t", 1)], 5, 4096, 3, seed=2))
assert _got == {"x": 2, 7: 2, ("t", 1): 2}, "fewer than k distinct items: return every item with its count"
import warnings
_mixed = [7, "seven", (7,), 7.5] * 30  # equal estimates for items that cannot be ordered
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _result = heavy_hitters(iter(_mixed), 2, 4096, 2, seed=4)
except TypeError:
    raise AssertionError("TypeError on items of mixed types with equal estimates: add a tie-breaker so the heap "
                         "never compares two items") from None
assert len(_result) == 2, "return exactly k pairs when the stream has at least k distinct items"
_result = heavy_hitters(iter([str(_i % 13) for _i in range(400)] + [_i % 13 for _i in range(200)]), 3, 1 << 16, 4, 5)
assert [_e for _, _e in _result] == [31, 31, 31] and all(isinstance(_item, str) for _item, _ in _result), \
    "the string items are about twice as frequent as the int items: do str(item) and item share counters?"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-count_min_topk_seeded" points=2
_stream = [f"s{_i % 17}" for _i in range(300)]
_first = [tuple(_p) for _p in heavy_hitters(iter(_stream), 3, 8, 2, seed=11)]
_second = [tuple(_p) for _p in heavy_hitters(iter(_stream), 3, 8, 2, seed=11)]
assert sorted(_first, key=repr) == sorted(_second, key=repr), "the same seed must give the same answer"
### BEGIN HIDDEN TESTS
import numpy as np

_rng = np.random.default_rng(5)
_stream = [str(_x) for _x in _rng.choice([f"z{_i}" for _i in range(60)], size=1000)]
_runs = [sorted(tuple(_p) for _p in heavy_hitters(iter(_stream), 5, 16, 3, seed=_s)) for _s in (21, 21, 22, 23)]
assert _runs[0] == _runs[1], "the same seed must give the same answer: derive every row's hash from the seed"
assert any(_run != _runs[0] for _run in _runs[2:]), \
    "other seeds never change a narrow sketch's estimates: does the hash depend on the seed?"
assert all(isinstance(_e, int) for _run in _runs for _, _e in _run), "estimates should be plain ints"
### END HIDDEN TESTS

# %% [markdown]
# **Complexity.** What does each arriving item cost, in time, and what does the whole
# structure cost in memory? What happens to the error as `width` grows?

# %% [markdown] nbgrader="answer" grade_id="communication-count_min_topk_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* Per item: `depth` hashes and counter updates, O(depth), plus
# O(log k) for the heap (amortised, when stale entries are popped lazily or the heap is
# rebuilt now and then), so O(n (depth + log k)) for the stream. Memory O(width·depth + k),
# independent of n and of the number of distinct items. The overcount of an estimate is
# at most about e·n/width with probability 1 − e^(−depth): width sets the error, depth the
# confidence. Full marks need both costs and the reason memory does not grow with n.
# ### END SOLUTION

# %%
from collections import Counter

import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(0)
_stream = [f"song{_i}" for _i in _rng.zipf(1.5, size=5000) if _i < 300]
_true = Counter(_stream)
_top = heavy_hitters(iter(_stream), 8, 64, 4, seed=0)
_names = [str(_item) for _item, _ in _top]
_positions = np.arange(len(_top))
plt.bar(_positions - 0.2, [_e for _, _e in _top], width=0.4, label="sketch estimate")
plt.bar(_positions + 0.2, [_true[_item] for _item, _ in _top], width=0.4, label="true count")
plt.xticks(_positions, _names, rotation=45)
plt.title("Your heavy hitters: estimates never fall below the truth")
plt.legend()
plt.show()
