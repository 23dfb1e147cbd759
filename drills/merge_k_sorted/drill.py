# %% [markdown]
# ## Merge k sorted lists
#
# *"Each shard hands you its results already sorted. Combine the k lists into one
# sorted list, and do better than sorting everything again."*
#
# Call shape: `merge_sorted_lists(lists)` returns one sorted list.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is `lists`?* A list of k lists, each sorted in ascending order. k may be 0, and any
#   list may be empty. All items can be compared with each other (numbers, or strings, or
#   objects with a consistent `<` and `==`).
# - *What do I return?* A new list holding every item of every list exactly once, in
#   ascending order. An empty input gives `[]`.
# - *Equal items?* Keep them stable: items that compare equal come out in list order, those
#   from `lists[0]` before those from `lists[1]`, and so on; within one list, in their order
#   there. (Equal numbers look alike, but the items may be records sorted by a score.)
# - *May I change the input lists?* No: do not pop from them or sort them in place.
# - *How fast?* With N items in all, aim for O(N log k) using a heap of the k list heads;
#   `heapq` is allowed, `heapq.merge` is not.
# </details>

# %% nbgrader="solution" grade_id="merge_k_sorted"
### BEGIN SOLUTION
import heapq


def merge_sorted_lists(lists):
    # Each heap entry is (item, list index, position): equal items fall back on the list index.
    heads = [(items[0], index, 0) for index, items in enumerate(lists) if items]
    heapq.heapify(heads)
    merged = []
    while heads:
        item, index, position = heapq.heappop(heads)
        merged.append(item)
        if position + 1 < len(lists[index]):
            heapq.heappush(heads, (lists[index][position + 1], index, position + 1))
    return merged
### END SOLUTION

# %% [markdown]
# **Complexity.** With N items in k lists, what does your merge cost in time and in extra
# memory, and why? One or two lines.

# %% [markdown] nbgrader="answer" grade_id="communication-merge_k_sorted_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* O(N log k) time: each of the N items is pushed and popped once on
# a heap that never holds more than k entries. Extra memory O(k) for the heap, plus the O(N)
# output. Concatenating and sorting costs O(N log N); merging the lists two at a time in
# rounds is also O(N log k). The point needs time and memory, each with its reason.
# ### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-merge_k_sorted_values" points=3
assert list(merge_sorted_lists([[1, 4, 7], [2, 5, 8], [3, 6, 9]])) == [1, 2, 3, 4, 5, 6, 7, 8, 9], \
    "three interleaved lists should merge to 1..9"
### BEGIN HIDDEN TESTS
import random

_rng = random.Random(20260314)
for _trial in range(40):
    _lists = [sorted(_rng.randint(-15, 15) for _ in range(_rng.randint(0, 9))) for _ in range(_rng.randint(1, 7))]
    _expected = sorted(_item for _items in _lists for _item in _items)
    _got = list(merge_sorted_lists([list(_items) for _items in _lists]))
    assert len(_got) == len(_expected), \
        "the merge lost or repeated items: after taking an item, refill the heap from the same list"
    assert _got == _expected, "the merged list is not the sorted union of the inputs"
_words = [["ant", "cat", "fox"], ["bee", "cow"], ["ape", "eel", "yak", "zebu"]]
_expected = sorted(_w for _group in _words for _w in _group)
assert list(merge_sorted_lists([list(_group) for _group in _words])) == _expected, \
    "strings compare with < too: the merge should not assume numbers"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-merge_k_sorted_empties_and_ties" points=2
assert list(merge_sorted_lists([[], [2], []])) == [2], "empty lists contribute nothing"
### BEGIN HIDDEN TESTS
import functools
import random


@functools.total_ordering
class _MergeRecord:
    """An item sorted by its score alone, which remembers where it came from."""

    def __init__(self, score, origin):
        self.score, self.origin = score, origin

    def __eq__(self, other):
        return self.score == other.score

    def __lt__(self, other):
        return self.score < other.score



assert list(merge_sorted_lists([])) == [], "no lists give an empty merge"
assert list(merge_sorted_lists([[], []])) == [], "only empty lists give an empty merge"
_rng = random.Random(11)
for _trial in range(25):
    _lists = [sorted((_MergeRecord(_rng.randint(0, 4), None) for _ in range(_rng.randint(0, 8))),
                     key=lambda _r: _r.score)
              for _ in range(_rng.randint(2, 6))]
    for _index, _items in enumerate(_lists):
        for _pos, _record in enumerate(_items):
            _record.origin = (_index, _pos)
    _expected = [_r.origin for _r in sorted((_r for _items in _lists for _r in _items), key=lambda _r: _r.score)]
    _got = [_r.origin for _r in merge_sorted_lists([list(_items) for _items in _lists])]
    assert len(_got) == len(_expected), "the merge lost or repeated items"
    assert _got == _expected, \
        "equal items came out of order: break ties by list index, then by position (not by push order)"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-merge_k_sorted_inputs_untouched" points=1
_inputs = [[1, 3, 5], [2, 4], [0, 6]]
_merged = merge_sorted_lists(_inputs)
assert _inputs == [[1, 3, 5], [2, 4], [0, 6]], "the input lists changed: read them by position, do not pop from them"
assert _merged is not _inputs[0], "return a new list, not one of the inputs"
### BEGIN HIDDEN TESTS
_single = [[4, 8, 9]]
_merged = merge_sorted_lists(_single)
assert list(_merged) == [4, 8, 9] and _merged is not _single[0], \
    "a single list should come back as a new list with the same items"
_merged.append(100)
assert _single == [[4, 8, 9]], "appending to the result changed the input: return a copy"
### END HIDDEN TESTS

# %%
import random

import matplotlib.pyplot as plt

_rng = random.Random(2)
_shards = [sorted(_rng.uniform(0, 100) for _ in range(_rng.randint(5, 25))) for _ in range(6)]
_merged = list(merge_sorted_lists(_shards))
for _index, _items in enumerate(_shards):
    plt.plot(_items, [_index] * len(_items), "|", markersize=12)
plt.plot(_merged, [len(_shards) + 1] * len(_merged), "k|", markersize=12)
plt.yticks(list(range(len(_shards))) + [len(_shards) + 1],
           [f"list {_index}" for _index in range(len(_shards))] + ["your merge"])
plt.xlabel("value")
plt.title("Every tick of the six lists should reappear in the merge")
plt.show()
