# %% [markdown]
# ## LRU cache
#
# *"Build a cache with a fixed capacity. When it is full and a new key arrives, throw out the
# entry that was used least recently."*
#
# Call shape: `cache = LRUCache(capacity)`, then `cache.get(key)` and `cache.put(key, value)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What goes in?* `capacity` is an integer, at least 1. Keys are hashable (ints, strings,
#   tuples); values are anything, including `0`, `None` or `False`.
# - *What does `get(key)` do?* It returns the stored value, or `-1` if the key is not in the
#   cache. A successful `get` counts as a use of that key.
# - *What does `put(key, value)` do?* It stores the value and counts as a use. If the key is
#   already there, it replaces the value and evicts nothing. If the key is new and the cache
#   already holds `capacity` keys, the least recently used key is removed first. `put`
#   returns nothing.
# - *"Used" means?* Every `get` that finds the key and every `put` of it. A `get` of a missing
#   key changes nothing.
# - *Several caches?* Each instance is independent.
# - *How fast?* O(1) per call. A dict with a doubly linked list is the classic answer;
#   `collections.OrderedDict` (with `move_to_end` and `popitem(last=False)`) is allowed.
# </details>

# %% nbgrader="solution" grade_id="lru_cache"
### BEGIN SOLUTION
from collections import OrderedDict


class LRUCache:
    def __init__(self, capacity):
        self.capacity = capacity
        self.entries = OrderedDict()  # least recently used first

    def get(self, key):
        if key not in self.entries:
            return -1
        self.entries.move_to_end(key)
        return self.entries[key]

    def put(self, key, value):
        if key in self.entries:
            self.entries.move_to_end(key)
        self.entries[key] = value
        if len(self.entries) > self.capacity:
            self.entries.popitem(last=False)
### END SOLUTION

# %% [markdown]
# **Complexity.** What do `get` and `put` cost in time, what does the cache hold in memory, and
# why? One or two lines.

# %% [markdown] nbgrader="answer" grade_id="communication-lru_cache_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* O(1) average per `get` and `put`: the hash map finds the entry,
# and the doubly linked list (inside `OrderedDict`) moves it to the recent end or drops the
# oldest by relinking a constant number of pointers. O(capacity) memory. A plain list of keys in
# recency order makes each use O(capacity) because of the search and the shift. The point
# needs the per-call cost and the memory, each with its reason.
# ### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-lru_cache_against_simulation" points=4
_cache = LRUCache(2)
_cache.put(1, "one")
_cache.put(2, "two")
_seen = [_cache.get(1)]
_cache.put(3, "three")  # 2 is now the least recently used
_seen += [_cache.get(2), _cache.get(3), _cache.get(1)]
assert _seen == ["one", -1, "three", "one"], "after get(1), putting 3 into a full cache must evict 2, not 1"
### BEGIN HIDDEN TESTS
import random


class _LruByList:
    """A slow but obvious LRU: keys in a list, least recent first."""

    def __init__(self, size):
        self.size, self.order, self.values = size, [], {}

    def get(self, key):
        if key not in self.values:
            return -1
        self.order.remove(key)
        self.order.append(key)
        return self.values[key]

    def put(self, key, value):
        if key in self.values:
            self.order.remove(key)
        elif len(self.order) == self.size:
            del self.values[self.order.pop(0)]
        self.order.append(key)
        self.values[key] = value


_rng = random.Random(20260319)
for _trial in range(40):
    _size = _rng.randint(1, 5)
    _model, _cache = _LruByList(_size), LRUCache(_size)
    for _step in range(120):
        _key = _rng.randint(0, 7)
        if _rng.random() < 0.5:
            _value = _rng.randint(0, 100)
            _model.put(_key, _value)
            _cache.put(_key, _value)
        else:
            _expected = _model.get(_key)
            assert _cache.get(_key) == _expected, \
                "a get disagrees with a plain LRU: does every get and put refresh the key, and is the OLDEST key evicted?"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-lru_cache_updates_and_small_caches" points=2
_cache = LRUCache(1)
_cache.put("a", 1)
_cache.put("b", 2)
assert _cache.get("a") == -1 and _cache.get("b") == 2, "a cache of capacity 1 keeps only the newest key"
### BEGIN HIDDEN TESTS
_cache = LRUCache(2)
_cache.put("x", 1)
_cache.put("y", 2)
_cache.put("x", 10)  # an update: nothing is evicted, and x becomes the most recent
assert _cache.get("y") == 2, "updating an existing key must not evict another key"
assert _cache.get("x") == 10, "an update replaces the value"
_cache = LRUCache(2)
_cache.put("x", 1)
_cache.put("y", 2)
_cache.put("x", 3)
_cache.put("z", 4)  # y is the least recently used after x was updated
assert _cache.get("x") == 3 and _cache.get("y") == -1, "a put of an existing key counts as a use and refreshes it"
_cache = LRUCache(3)
for _key, _value in (("zero", 0), ("none", None), ("false", False)):
    _cache.put(_key, _value)
assert _cache.get("zero") == 0 and _cache.get("none") is None and _cache.get("false") is False, \
    "stored values 0, None and False must come back as they are, not as -1: test membership, not truthiness"
_cache = LRUCache(2)
_cache.put(1, 1)
_cache.put(2, 2)
assert _cache.get(3) == -1, "a missing key gives -1"
_cache.put(4, 4)
assert _cache.get(1) == -1 and _cache.get(2) == 2, "a get of a missing key must not count as a use of anything"
_first, _second = LRUCache(1), LRUCache(1)
_first.put("k", "first")
assert _second.get("k") == -1, "two caches share their entries: keep them on the instance, not on the class"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(6)
_popularity = 1.0 / np.arange(1, 501)  # a few keys are requested far more often than the rest
_requests = _rng.choice(500, size=4000, p=_popularity / _popularity.sum())
_capacities = [1, 2, 4, 8, 16, 32, 64, 128, 256]
_hit_rates = []
for _capacity in _capacities:
    _cache, _hits = LRUCache(_capacity), 0
    for _key in _requests.tolist():
        if _cache.get(_key) == -1:
            _cache.put(_key, True)
        else:
            _hits += 1
    _hit_rates.append(_hits / len(_requests))
plt.semilogx(_capacities, _hit_rates, "o-", base=2)
plt.xlabel("capacity")
plt.ylabel("hit rate")
plt.title("Your LRU cache on skewed traffic: each doubling buys less")
plt.show()
