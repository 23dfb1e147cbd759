# %% [markdown]
# ## Interval scheduling
#
# *"One meeting room, many booking requests, each with a start and an end time. Accept as many
# requests as you can without two of them overlapping, and tell me which ones."*
#
# Call shape: `max_non_overlapping(intervals)` returns `(count, chosen)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is `intervals`?* A list of `(start, end)` pairs of numbers (ints or floats) with
#   `start < end`, possibly empty, possibly with repeats.
# - *When do two requests overlap?* When they share some stretch of time. One that ends at 3
#   and one that starts at 3 do **not** overlap: the room is free at the hand-over.
# - *What do I return?* A tuple `(count, chosen)`: `chosen` is a list of positions in
#   `intervals` (not the pairs themselves), no two of them overlapping, and `count` is
#   `len(chosen)`, as large as possible. When several choices reach the maximum, any of them
#   is accepted; the order of `chosen` does not matter. An empty input gives `(0, [])`.
# - *May I sort the input?* Not in place: the positions refer to the caller's list, and it
#   must stay as it was.
# - *How fast?* O(n log n). A greedy rule works; say which one and why it is safe.
# </details>

# %% nbgrader="solution" grade_id="interval_scheduling"
### BEGIN SOLUTION
import math


def max_non_overlapping(intervals):
    by_end = sorted(range(len(intervals)), key=lambda i: intervals[i][1])
    chosen = []
    room_free_from = -math.inf
    for i in by_end:
        start, end = intervals[i]
        if start >= room_free_from:  # the earliest-ending request that still fits
            chosen.append(i)
            room_free_from = end
    return len(chosen), chosen
### END SOLUTION

# %% [markdown]
# **Complexity.** What does your answer cost in time and memory, and why is your rule safe?
# One or two lines.

# %% [markdown] nbgrader="answer" grade_id="communication-interval_scheduling_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* O(n log n) time for sorting by end time, then one O(n) pass; O(n)
# memory for the sorted positions and the chosen list. The rule is safe by exchange: the
# request that ends first can replace the first request of any optimal schedule without a
# clash, and it leaves the room free earliest. Sorting by start or by length is not optimal.
# The point needs time and memory with a reason; the exchange argument is a welcome extra.
# ### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-interval_scheduling_optimal" points=4
_requests = [(1, 4), (3, 5), (0, 6), (5, 7), (3, 9), (5, 9), (6, 10), (8, 11)]
_count, _chosen = max_non_overlapping(list(_requests))
assert int(_count) == 3 and len(_chosen) == 3, "three requests fit here, for example (1, 4), (5, 7), (8, 11)"
### BEGIN HIDDEN TESTS
import itertools
import random


def _fits_together(requests, picks):
    _spans = sorted(requests[_p] for _p in picks)
    return all(_a[1] <= _b[0] for _a, _b in zip(_spans, _spans[1:]))


def _most_by_brute_force(requests):
    for _size in range(len(requests), 0, -1):
        if any(_fits_together(requests, _picks) for _picks in itertools.combinations(range(len(requests)), _size)):
            return _size
    return 0


_rng = random.Random(20260320)
for _trial in range(60):
    _requests = []
    for _ in range(_rng.randint(1, 9)):
        _start = _rng.randint(0, 12)
        _requests.append((_start, _start + _rng.randint(1, 6)))
    _best = _most_by_brute_force(_requests)
    _count, _chosen = max_non_overlapping(list(_requests))
    _chosen = [int(_p) for _p in _chosen]
    assert int(_count) == len(_chosen), "count must equal the number of chosen positions"
    assert len(set(_chosen)) == len(_chosen) and all(0 <= _p < len(_requests) for _p in _chosen), \
        "chosen must hold distinct positions of the input list"
    assert _fits_together(_requests, _chosen), \
        "two chosen requests overlap (touching at an end point is allowed)"
    assert len(_chosen) == _best, \
        "a larger set of requests fits: take the request that ENDS first, not the one that starts first or is shortest"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-interval_scheduling_touching_and_empty" points=2
_count, _chosen = max_non_overlapping([])
assert int(_count) == 0 and list(_chosen) == [], "no requests give (0, [])"
### BEGIN HIDDEN TESTS
_count, _chosen = max_non_overlapping([(0, 1), (1, 2), (2, 3)])
assert int(_count) == 3 and sorted(int(_p) for _p in _chosen) == [0, 1, 2], \
    "requests that only touch at an end point do not overlap: all three fit"
_count, _chosen = max_non_overlapping([(2, 5), (2, 5), (2, 5)])
assert int(_count) == 1 and len(_chosen) == 1, "three identical requests: only one fits"
_count, _chosen = max_non_overlapping([(0, 10), (1, 2), (3, 4), (5, 6)])
assert int(_count) == 3 and sorted(int(_p) for _p in _chosen) == [1, 2, 3], \
    "one long request covering three short ones: take the three short ones"
_count, _chosen = max_non_overlapping([(0.5, 1.25), (1.25, 2.0), (0.0, 3.0)])
assert int(_count) == 2 and sorted(int(_p) for _p in _chosen) == [0, 1], "float times work like integers"
_count, _chosen = max_non_overlapping([(4, 6)])
assert int(_count) == 1 and [int(_p) for _p in _chosen] == [0], "a single request is accepted"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-interval_scheduling_input_untouched" points=1
_requests = [(6, 8), (2, 7), (1, 3), (0, 0.5)]
_count, _chosen = max_non_overlapping(_requests)
assert _requests == [(6, 8), (2, 7), (1, 3), (0, 0.5)], "the caller's list changed: sort a copy or sort positions"
### BEGIN HIDDEN TESTS
_spans = sorted(_requests[int(_p)] for _p in _chosen)
assert _spans == [(0, 0.5), (1, 3), (6, 8)], \
    "the chosen positions must refer to the caller's list as given, not to a sorted copy"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(7)
_starts = _rng.uniform(0, 20, size=18)
_requests = [(float(_s), float(_s + _rng.uniform(0.5, 5))) for _s in _starts]
_count, _chosen = max_non_overlapping(_requests)
_picked = {int(_p) for _p in _chosen}
for _row, (_start, _end) in enumerate(_requests):
    plt.plot([_start, _end], [_row, _row], linewidth=6, solid_capstyle="butt",
             color="tab:green" if _row in _picked else "lightgrey")
plt.xlabel("time")
plt.ylabel("request")
plt.title(f"Your schedule accepts {int(_count)} of {len(_requests)} requests (green)")
plt.show()
