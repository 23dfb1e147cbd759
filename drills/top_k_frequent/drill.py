# %% [markdown]
# ## The k most frequent words
#
# *"I have a long list of words. Give me the `k` words that occur most often,
# each with how many times it occurs."*
#
# Call shape: `top_k_words(words, k)` returns a list of `(word, count)` pairs.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is `words`?* A list (or tuple) of strings, possibly empty. Compare words exactly as
#   given: `"Cat"` and `"cat"` are different words. Do not change the caller's list.
# - *What is `k`?* An integer `k >= 0`; `k = 0` gives an empty list.
# - *What do I return?* A list of `(word, count)` tuples, `count` an `int`, most frequent
#   first. If fewer than `k` distinct words exist, return all of them.
# - *Ties?* Words with the same count come in alphabetical order (Python's string order,
#   so `"apple"` before `"banana"`), and that order also decides which tied word makes the
#   cut at position `k`.
# - *Complexity?* Say it. Counting is one pass; selecting with a heap of size `k` beats
#   sorting every distinct word when `k` is small.
# </details>

# %% nbgrader="solution" grade_id="top_k_frequent"
### BEGIN SOLUTION
import heapq


def top_k_words(words: list[str], k: int) -> list[tuple[str, int]]:
    """The ``k`` most frequent words with their counts, ties in alphabetical order."""
    counts: dict[str, int] = {}
    for word in words:
        counts[word] = counts.get(word, 0) + 1
    # The smallest (-count, word) keys are the most frequent words, alphabetical among ties.
    return heapq.nsmallest(k, counts.items(), key=lambda pair: (-pair[1], pair[0]))
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-top_k_frequent_counts" points=3
_words = ["to", "be", "or", "not", "to", "be", "that", "is", "the", "question", "to"]
_got = [tuple(_pair) for _pair in top_k_words(_words, 2)]
assert _got == [("to", 3), ("be", 2)], "expected the two most frequent words with their counts, most frequent first"
### BEGIN HIDDEN TESTS
from collections import Counter as _Counter
import numpy as np

_rng = np.random.default_rng(20261202)
_vocabulary = [f"w{_i:02d}" for _i in range(30)] + ["Apple", "apple", "b", "ab"]
for _trial in range(6):
    _words = [str(_w) for _w in _rng.choice(_vocabulary, size=int(_rng.integers(20, 300)))]
    _k = int(_rng.integers(1, 12))
    _expected = sorted(_Counter(_words).items(), key=lambda _p: (-_p[1], _p[0]))[:_k]
    _result = top_k_words(list(_words), _k)
    assert isinstance(_result, list), "return a list of (word, count) pairs"
    _got = [tuple(_pair) for _pair in _result]
    assert len(_got) == len(_expected), "return exactly k pairs when there are at least k distinct words"
    assert [_c for _, _c in _got] == [_c for _, _c in _expected], \
        "the counts are wrong or not in decreasing order: count every word, most frequent first"
    assert _got == _expected, \
        "right counts, wrong words: equal counts must come in alphabetical order, also at the k-th place"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-top_k_frequent_small_inputs" points=2
assert [tuple(_p) for _p in top_k_words(["b", "a", "b"], 5)] == [("b", 2), ("a", 1)], \
    "with fewer than k distinct words, return all of them"
### BEGIN HIDDEN TESTS
assert list(top_k_words([], 3)) == [], "no words: return an empty list"
assert list(top_k_words(["x", "y", "x"], 0)) == [], "k = 0: return an empty list"
assert [tuple(_p) for _p in top_k_words(["Cat", "cat", "cat"], 2)] == [("cat", 2), ("Cat", 1)], \
    "words are compared exactly: 'Cat' and 'cat' are different words"
assert [tuple(_p) for _p in top_k_words(["z", "y", "x"], 2)] == [("x", 1), ("y", 1)], \
    "all counts tie: the alphabetically first words win"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-top_k_frequent_plain_output" points=1
_words = ("b", "a", "b", "c", "a", "b")
_result = top_k_words(_words, 2)
assert all(isinstance(_c, int) for _, _c in _result), "counts should be plain ints"
### BEGIN HIDDEN TESTS
_listed = ["q", "p", "q", "r", "q", "p"]
_copy = list(_listed)
_result = top_k_words(_listed, 3)
assert _listed == _copy, "the caller's list was changed: count without sorting or popping it in place"
assert all(type(_c) is int for _, _c in _result), "counts should be plain ints, not floats or NumPy scalars"
assert all(len(_p) == 2 for _p in _result), "each entry is a (word, count) pair"
### END HIDDEN TESTS

# %% [markdown]
# **Complexity.** What are the time and memory costs of your answer, for `n` words of
# which `m` are distinct? Would you change anything if `k` were close to `m`?

# %% [markdown] nbgrader="answer" grade_id="communication-top_k_frequent_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* Counting is O(n) time with a hash map of O(m) memory. Selecting
# with a heap of size k costs O(m log k) (sorting every distinct word costs O(m log m)), so
# O(n + m log k) time and O(m + k) memory in all. Full marks need both costs and the one-line
# reason (one pass to count, log k per heap operation); when k is close to m a plain sort is
# just as good.
# ### END SOLUTION

# %%
import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(1)
_text = [f"word{_i}" for _i in _rng.zipf(1.6, size=3000) if _i < 40]
_top = top_k_words(_text, 10)
plt.barh([_w for _w, _ in _top][::-1], [_c for _, _c in _top][::-1], color="tab:blue")
plt.xlabel("count")
plt.title("Your top 10 words of a Zipf-like text")
plt.show()
