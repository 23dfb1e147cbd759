# %% [markdown]
# ## Two sum
#
# *"You get a list of integers and a target number. Tell me where two of the
# entries sit that add up to the target."*
#
# Call shape: `two_sum(nums, target)` returns `(i, j)` or `None`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What are the inputs?* `nums` is a list of Python integers (negative numbers, zeros and
#   repeats allowed, possibly empty); `target` is an integer.
# - *What do I return?* A tuple `(i, j)` of two positions with `i < j` and
#   `nums[i] + nums[j] == target`, or `None` when no such pair exists.
# - *Can I use one entry twice?* No: `i` and `j` are different positions. Two equal values at
#   different positions are fine.
# - *There may be several pairs: which one?* The one whose second position `j` is smallest,
#   that is the first pair you can complete while reading the list from left to right; if
#   several partners `i` complete that `j`, take the smallest `i`.
# - *May I change `nums`?* No, leave the caller's list as it was.
# - *How fast?* Aim for a single pass with a dictionary, O(n). A quadratic answer is still
#   correct, so say what it costs and how you would improve it.
# </details>

# %% nbgrader="solution" grade_id="two_sum"
### BEGIN SOLUTION
def two_sum(nums, target):
    first_position = {}
    for j, value in enumerate(nums):
        partner = target - value
        if partner in first_position:
            return first_position[partner], j
        if value not in first_position:
            first_position[value] = j
    return None
### END SOLUTION

# %% [markdown]
# **Complexity.** What does your answer cost in time and in memory as `nums` grows, and why?
# One or two lines.

# %% [markdown] nbgrader="answer" grade_id="communication-two_sum_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* The one-pass dictionary answer is O(n) time (one average O(1)
# lookup and insert per entry) and O(n) extra memory (the dictionary may hold every value).
# A double loop is O(n²) time and O(1) memory; sorting with two pointers is O(n log n) but must
# carry the original positions. The point needs the time and the memory, each with its reason.
# ### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-two_sum_first_pair" points=4
_found = two_sum([2, 7, 11, 15], 9)
assert _found is not None and tuple(int(_p) for _p in _found) == (0, 1), \
    "2 + 7 = 9 sits at positions 0 and 1"
### BEGIN HIDDEN TESTS
import random


def _two_sum_brute(values, total):
    for _second in range(len(values)):
        for _first in range(_second):
            if values[_first] + values[_second] == total:
                return _first, _second
    return None


_rng = random.Random(20260311)
for _trial in range(300):
    _nums = [_rng.randint(-6, 6) for _ in range(_rng.randint(0, 12))]
    _target = _rng.randint(-8, 8)
    _expected = _two_sum_brute(_nums, _target)
    _original = list(_nums)
    _got = two_sum(_nums, _target)
    assert _nums == _original, "two_sum changed the caller's list: work on positions, do not sort nums in place"
    if _expected is None:
        assert _got is None, "returned a pair although no two different positions add up to the target"
        continue
    assert _got is not None, "returned None although a pair adds up to the target"
    assert len(_got) == 2, "return a pair (i, j)"
    _i, _j = (int(_p) for _p in _got)
    assert _i < _j, "return the positions with i < j, and never the same position twice"
    assert _nums[_i] + _nums[_j] == _target, "the two returned positions do not add up to the target"
    assert (_i, _j) == _expected, \
        "not the first pair: take the smallest j, then the smallest i (keep the FIRST position of a repeated value)"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-two_sum_no_pair_and_repeats" points=2
assert two_sum([1, 2, 3], 100) is None, "no pair adds up to 100: return None"
### BEGIN HIDDEN TESTS
assert two_sum([], 0) is None, "an empty list has no pair"
assert two_sum([5], 10) is None, "a single entry cannot be used twice"
assert two_sum([4, 1, 9], 8) is None, "4 + 4 = 8 but there is only one 4: one position cannot be used twice"
_pair = two_sum([5, 5], 10)
assert _pair is not None and tuple(int(_p) for _p in _pair) == (0, 1), \
    "two equal values at different positions form a pair"
_pair = two_sum([0, 4, 0, 3], 0)
assert _pair is not None and tuple(int(_p) for _p in _pair) == (0, 2), "zeros are entries like any other"
_pair = two_sum([-3, 8, 1, -5, 11], 6)
assert _pair is not None and tuple(int(_p) for _p in _pair) == (3, 4), \
    "negative entries: the partner of x is target - x, whatever the signs"
_pair = two_sum([3, 3, 3, 5], 8)
assert _pair is not None and tuple(int(_p) for _p in _pair) == (0, 3), \
    "a repeated partner: take the smallest i, so keep the first position of each value"
### END HIDDEN TESTS

# %%
import time

import matplotlib.pyplot as plt

_sizes = [125, 250, 500, 1000, 2000]
_seconds = []
for _n in _sizes:
    _values = list(range(0, 2 * _n, 2))  # even numbers: no pair adds up to an odd target
    _start = time.perf_counter()
    two_sum(_values, 1)
    _seconds.append(max(time.perf_counter() - _start, 1e-7))
plt.loglog(_sizes, _seconds, "o-", label="your two_sum (no pair: the worst case)")
plt.loglog(_sizes, [_seconds[0] * _n / _sizes[0] for _n in _sizes], "--", label="slope 1: O(n)")
plt.loglog(_sizes, [_seconds[0] * (_n / _sizes[0]) ** 2 for _n in _sizes], ":", label="slope 2: O(n²)")
plt.xlabel("length of nums")
plt.ylabel("seconds")
plt.title("Which slope does your answer follow?")
plt.legend()
plt.show()
