# %% [markdown]
# ## K-th largest in a stream
#
# *"Scores arrive one at a time. After each new score, tell me the k-th largest score
# seen so far, without sorting everything again."*
#
# Call shape: `tracker = KthLargest(k, initial)`, then `tracker.add(value)` returns the
# current k-th largest.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What are the inputs?* `k` is an integer, at least 1. `initial` is a list of numbers seen
#   before the stream starts (it may be empty, shorter than `k`, or much longer). Each
#   `add(value)` brings one more number, an int or a float.
# - *What does `add` return?* The k-th largest of everything seen so far, `initial`
#   included: with `k = 1` the largest. Repeated values count separately (after 5, 5, 4 the
#   2nd largest is 5).
# - *And before `k` values have arrived?* Then `add` returns `None`.
# - *Several trackers?* Each instance keeps its own state.
# - *May I keep `initial`?* Do not change the caller's list.
# - *How fast?* `add` should cost O(log k), with memory O(k): no full sort per value.
#   `heapq` is allowed.
# </details>

# %% nbgrader="solution" grade_id="kth_largest_stream"
### BEGIN SOLUTION
import heapq


class KthLargest:
    def __init__(self, k, initial):
        self.k = k
        self.top = []  # a min-heap of the k largest values seen, so top[0] is the k-th largest
        for value in initial:
            self._keep(value)

    def _keep(self, value):
        if len(self.top) < self.k:
            heapq.heappush(self.top, value)
        elif value > self.top[0]:
            heapq.heapreplace(self.top, value)

    def add(self, value):
        self._keep(value)
        return self.top[0] if len(self.top) == self.k else None
### END SOLUTION

# %% [markdown]
# **Complexity.** What do the constructor and `add` cost in time, what does the tracker hold
# in memory, and why? One or two lines.

# %% [markdown] nbgrader="answer" grade_id="communication-kth_largest_stream_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* A min-heap holding only the k largest values: `add` is O(log k)
# (at most one push or one replace on a heap of size k), the constructor O(m log k) for m
# initial values, memory O(k). Its root is the smallest of the k largest, which is the
# answer. Keeping every value sorted costs O(n) per insertion and O(n) memory. The point needs
# the cost of `add` and the memory, each with its reason.
# ### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-kth_largest_stream_against_sorting" points=4
_tracker = KthLargest(3, [4, 5, 8, 2])
_answers = [_tracker.add(_v) for _v in (3, 5, 10, 9, 4)]
assert _answers == [4, 5, 5, 8, 8], "after 3, 5, 10, 9, 4 the 3rd largest should read 4, 5, 5, 8, 8"
### BEGIN HIDDEN TESTS
import random

_rng = random.Random(20260313)
for _trial in range(40):
    _k = _rng.randint(1, 6)
    _initial = [_rng.randint(-20, 20) for _ in range(_rng.randint(_k, 12))]
    _stream = [_rng.choice([_rng.randint(-20, 20), _rng.uniform(-20, 20)]) for _ in range(30)]
    _kept = list(_initial)
    _tracker = KthLargest(_k, _kept)
    assert _kept == _initial, "the constructor changed the caller's list: copy it before heapifying"
    _seen = list(_initial)
    for _value in _stream:
        _seen.append(_value)
        _expected = sorted(_seen)[-_k]
        _got = _tracker.add(_value)
        assert _got is not None, "returned None although at least k values have been seen"
        assert _got == _expected, \
            "not the k-th largest of everything seen: is the initial list counted, and is a small new value ignored?"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-kth_largest_stream_short_start" points=2
_tracker = KthLargest(1, [])
assert [_tracker.add(_v) for _v in (3, 1, 7, 2)] == [3, 3, 7, 7], "with k = 1 add returns the running maximum"
### BEGIN HIDDEN TESTS
_tracker = KthLargest(3, [10])
assert _tracker.add(4) is None, "with fewer than k values seen, add returns None"
assert _tracker.add(7) == 4, "once k values have arrived, the k-th largest is the smallest of them"
assert _tracker.add(1) == 4, "a value below the k-th largest leaves it unchanged"
_tracker = KthLargest(2, [5, 5])
assert _tracker.add(4) == 5, "repeated values count separately: after 5, 5, 4 the 2nd largest is 5"
_first, _second = KthLargest(1, [100]), KthLargest(2, [])
_first.add(1)
assert _second.add(3) is None and _second.add(2) == 2, \
    "one tracker's values leaked into another: keep the heap on the instance, not on the class"
_tracker = KthLargest(2, [-3.5, -1.0, -8.0])
assert _tracker.add(-2.0) == -2.0, "negative values: the heap must keep the largest values, not the smallest"
### END HIDDEN TESTS

# %%
import random

import matplotlib.pyplot as plt

_rng = random.Random(1)
_k = 5
_stream = [_rng.gauss(0, 1) for _ in range(300)]
_tracker = KthLargest(_k, [])
_answers = [_tracker.add(_v) for _v in _stream]
plt.plot(_stream, ".", color="lightgrey", label="arriving scores")
plt.plot([float("nan") if _a is None else _a for _a in _answers], label=f"your {_k}-th largest so far")
plt.xlabel("arrival")
plt.ylabel("score")
plt.title("The k-th largest can only rise as the stream grows")
plt.legend()
plt.show()
