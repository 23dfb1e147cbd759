# %% [markdown]
# ## Reservoir sampling
#
# *"Events stream past and we do not know how many there will be. Keep a uniform
# random sample of `k` of them, in one pass, without storing the stream."*
#
# Call shape: `reservoir_sample(stream, k, seed)` returns a list of sampled items.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is `stream`?* Any iterable, typically a generator: you can read it once, and it has
#   no `len`. Its items are arbitrary Python objects.
# - *Memory?* O(k): never hold the whole stream (no `list(stream)`).
# - *What do I return?* A list of `min(k, length of the stream)` items. When the stream has
#   at least `k` items, every set of `k` positions must be equally likely; when it is
#   shorter, return all of its items. `k = 0` gives an empty list.
# - *Order of the list?* Any order.
# - *Randomness?* Use `np.random.default_rng(seed)` (or `random.Random(seed)`); the same seed
#   and stream give the same sample.
# - *How will you check it?* By running it with many seeds and counting how often each item
#   is picked.
# </details>

# %% nbgrader="solution" grade_id="reservoir_sampling"
### BEGIN SOLUTION
import numpy as np


def reservoir_sample(stream, k, seed):
    rng = np.random.default_rng(seed)
    reservoir = []
    for seen, item in enumerate(stream):
        if seen < k:
            reservoir.append(item)
        else:
            slot = rng.integers(0, seen + 1)
            if slot < k:
                reservoir[slot] = item
    return reservoir
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-reservoir_sampling_uniform" points=4
import numpy as np

_sample = reservoir_sample(iter(range(100)), 5, seed=0)
assert len(_sample) == 5 and len(set(_sample)) == 5 and set(_sample) <= set(range(100)), \
    "return k distinct items taken from the stream"
### BEGIN HIDDEN TESTS
# Each of 10 items must be picked about k / n = 30 % of the time over many seeds.
_runs, _n, _k = 2000, 10, 3
_picked = np.zeros(_n)
for _seed in range(_runs):
    _sample = list(reservoir_sample((_x for _x in range(_n)), _k, _seed))
    assert len(_sample) == _k and len(set(_sample)) == _k, "each sample must hold k distinct stream items"
    _picked[_sample] += 1
_expected = _runs * _k / _n
_spread = np.sqrt(_runs * (_k / _n) * (1 - _k / _n))
assert np.all(np.abs(_picked - _expected) < 5 * _spread), \
    "some positions are picked far more often than others: item number i (from 0) must replace a random " \
    "slot with probability k / (i + 1)"
# Pairs must be uniform too: with 4 items and k = 2 each of the 6 pairs comes up about 1/6 of the time.
_pairs = {}
for _seed in range(1200):
    _pair = tuple(sorted(reservoir_sample(iter("abcd"), 2, _seed)))
    _pairs[_pair] = _pairs.get(_pair, 0) + 1
_chi_square = sum((_count - 200) ** 2 / 200 for _count in _pairs.values()) + 200 * (6 - len(_pairs))
assert len(_pairs) == 6 and _chi_square < 30, "the pairs of items are not equally likely"
_first = reservoir_sample(iter(range(50)), 4, seed=7)
_second = reservoir_sample(iter(range(50)), 4, seed=7)
assert sorted(_first) == sorted(_second), "the same seed must give the same sample"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-reservoir_sampling_short_streams" points=2
_sample = reservoir_sample((_x for _x in ["a", "b"]), 5, seed=1)
assert sorted(_sample) == ["a", "b"], "a stream shorter than k gives all of its items"
### BEGIN HIDDEN TESTS
assert list(reservoir_sample(iter(range(10)), 0, seed=1)) == [], "k = 0 must give an empty list"
assert list(reservoir_sample(iter([]), 3, seed=1)) == [], "an empty stream gives an empty list"
_sample = reservoir_sample(iter([("x", 1), ("y", 2), ("z", 3)]), 3, seed=2)
assert sorted(_sample) == [("x", 1), ("y", 2), ("z", 3)], "k equal to the stream's length returns every item"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-reservoir_sampling_memory" points=2
_sample = reservoir_sample((_x * 2 for _x in range(1000)), 3, seed=0)
assert len(_sample) == 3 and all(_x % 2 == 0 for _x in _sample), "sample from the stream's own items"
### BEGIN HIDDEN TESTS
from course.harness.probes import peak_memory

# What the sampler holds while it reads a long stream, measured in the learner's process.
# (60,000 items kept in a list take about 2 MB; the reservoir itself, a few hundred bytes.)
_sample, _peak = peak_memory(lambda: reservoir_sample((_x for _x in range(60_000)), 5, seed=3))
assert len(_sample) == 5, "return k items"
assert _peak < 1e6, "the sampler held on to most of the stream: keep only the k-item reservoir, never list(stream)"
### END HIDDEN TESTS

# %% [markdown]
# The interviewer asks: *"What does your sampler cost in time and memory for a stream of
# `n` items? Why is every item kept with probability `k / n`?"*

# %% [markdown] nbgrader="answer" grade_id="communication-reservoir_sampling_complexity" points=1
### BEGIN SOLUTION
*Marking guide (1 point).* O(n) time (one constant-time step per item) and O(k) memory
(the reservoir). Why uniform: by induction, after `i` items each is in the reservoir with
probability `k / i`; item `i + 1` enters with probability `k / (i + 1)`, and an item
already in stays with probability `1 - (k / (i + 1)) * (1 / k) = i / (i + 1)`, so
`k / i * i / (i + 1) = k / (i + 1)`. Skip-ahead variants (Algorithm L) draw
O(k log(n / k)) random numbers instead of n. Full marks need the O(n) / O(k) costs and the
inductive argument (or an equivalent one).
### END SOLUTION

# %%
import matplotlib.pyplot as plt

_counts = np.zeros(20)
for _seed in range(1000):
    for _item in reservoir_sample(iter(range(20)), 4, _seed):
        _counts[_item] += 1
plt.bar(range(20), _counts / 1000)
plt.axhline(4 / 20, color="red", linestyle="--", label="k / n")
plt.xlabel("position in the stream")
plt.ylabel("share of samples containing it")
plt.legend()
plt.title("Your reservoir over 1000 seeds: every position equally likely")
plt.show()
