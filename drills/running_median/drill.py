# %% [markdown]
# ## Running median
#
# *"Latencies stream in from a service. After every new measurement, report the median of
# all measurements so far."*
#
# Call shape: `running_medians(stream)` returns one median per element.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is `stream`?* Any iterable of numbers (ints or floats), read once: it may be a
#   generator, so do not take its length or index it. It may be empty.
# - *What do I return?* A list of floats, as long as the stream: entry `t` is the median of
#   the first `t + 1` values. An empty stream gives `[]`.
# - *Even count?* The mean of the two middle values, as a float: after 1 and 2 the median is
#   1.5, never 1.
# - *Accuracy?* Answers are compared with NumPy's median of each prefix to within 1e-9.
# - *How fast?* O(log n) per value, not a sort per value: keep the smaller half in a max-heap
#   and the larger half in a min-heap. `heapq` is allowed (it only has min-heaps).
# </details>

# %% nbgrader="solution" grade_id="running_median"
### BEGIN SOLUTION
import heapq


def running_medians(stream):
    lower = []  # the smaller half, negated so heapq's min-heap acts as a max-heap
    upper = []  # the larger half, a plain min-heap
    medians = []
    for value in stream:
        if lower and value > -lower[0]:
            heapq.heappush(upper, value)
        else:
            heapq.heappush(lower, -value)
        # Keep the halves balanced: lower holds as many values as upper, or one more.
        if len(lower) > len(upper) + 1:
            heapq.heappush(upper, -heapq.heappop(lower))
        elif len(upper) > len(lower):
            heapq.heappush(lower, -heapq.heappop(upper))
        if len(lower) > len(upper):
            medians.append(float(-lower[0]))
        else:
            medians.append((-lower[0] + upper[0]) / 2)
    return medians
### END SOLUTION

# %% [markdown]
# **Complexity.** What does your answer cost per value and in total, in time and in memory,
# and why? One or two lines.

# %% [markdown] nbgrader="answer" grade_id="communication-running_median_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* Two heaps: O(log n) per value (one push, at most one move between
# the heaps), O(n log n) for the stream, O(n) memory since every value is kept. Inserting into
# a sorted list is O(n) per value (the shift), and re-sorting each prefix O(n² log n) in total.
# The point needs the cost per value and the memory, each with its reason.
# ### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-running_median_against_prefixes" points=4
_medians = running_medians([5, 15, 1, 3])
assert [float(_m) for _m in _medians] == [5.0, 10.0, 5.0, 4.0], "after 5, 15, 1, 3 the medians read 5, 10, 5, 4"
### BEGIN HIDDEN TESTS
import numpy as np

_rng = np.random.default_rng(20260315)
for _trial in range(8):
    if _trial % 2:
        _values = _rng.normal(size=120).tolist()
    else:
        _values = _rng.integers(-30, 30, size=120).tolist()
    _expected = np.array([np.median(_values[: _t + 1]) for _t in range(len(_values))])
    _got = np.asarray(running_medians(list(_values)), dtype=float)
    assert _got.shape == _expected.shape, "return one median per value of the stream"
    _wrong = ~np.isclose(_got, _expected, rtol=0, atol=1e-9)
    assert not _wrong.any(), (
        "a median differs from the median of its prefix"
        + (" after an even number of values: average the two middle values, as a float"
           if _wrong[1::2].any() and not _wrong[0::2].any() else ": are the two halves kept balanced?")
    )
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-running_median_generators_and_order" points=2
assert list(running_medians([])) == [], "an empty stream has no medians"
### BEGIN HIDDEN TESTS
import numpy as np

assert [float(_m) for _m in running_medians([1, 2])] == [1.0, 1.5], \
    "the median of an even count is the mean of the two middle values: 1.5, not 1"
_from_list = [float(_m) for _m in running_medians([4, 1, 7, 3])]
try:
    _from_generator = [float(_m) for _m in running_medians(_v for _v in [4, 1, 7, 3])]
except TypeError:
    raise AssertionError("a generator stream raised TypeError: read the stream once, without len() or indexing") \
        from None
assert _from_generator == _from_list, "the stream may be a generator: read it once, without len() or indexing"
assert [float(_m) for _m in running_medians([7, 7, 7, 7])] == [7.0] * 4, "equal values: the median stays put"
for _values in (list(range(40)), list(range(40, 0, -1)), [(-1) ** _i * _i for _i in range(40)]):
    _expected = [float(np.median(_values[: _t + 1])) for _t in range(len(_values))]
    _got = np.asarray(running_medians(iter(_values)), dtype=float)
    assert _got.shape == (len(_values),) and np.allclose(_got, _expected, rtol=0, atol=1e-9), \
        "a rising, falling or zig-zag stream breaks the medians: rebalance the halves after every value"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(3)
_latencies = np.concatenate([_rng.lognormal(3.0, 0.4, 150), _rng.lognormal(3.6, 0.4, 150)])
_medians = np.asarray(running_medians(_latencies.tolist()), dtype=float)
plt.plot(_latencies, ".", color="lightgrey", label="latency (ms)")
plt.plot(_medians, label="your running median")
plt.plot(np.cumsum(_latencies) / np.arange(1, 301), "--", label="running mean, for comparison")
plt.axvline(150, color="black", linewidth=0.8)
plt.xlabel("measurement")
plt.title("The service slows down at 150: the median follows, ignoring the spikes")
plt.legend()
plt.show()
