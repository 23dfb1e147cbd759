# %% [markdown]
# ## Group anagrams
#
# *"Here is a list of words. Put the words that are anagrams of each other, the
# same letters in another order, into the same group."*
#
# Call shape: `group_anagrams(words)` returns a list of groups, each a list of words.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What are the words?* A list of strings of lower-case letters `a` to `z`, possibly
#   empty; the empty string is a word too. Compare letters exactly, no case folding.
# - *When are two words anagrams?* When each letter occurs the same number of times in both:
#   `"aab"` and `"aba"` are, `"aab"` and `"abb"` are not. A word is an anagram of itself.
# - *What do I return?* A list of lists of strings. Inside a group, the words keep their
#   order in the input; the groups are ordered by where their first word appears in the
#   input. An empty input gives `[]`.
# - *Repeated words?* Each occurrence is kept: `["ab", "ba", "ab"]` gives
#   `[["ab", "ba", "ab"]]`.
# - *May I change `words`?* No.
# - *How fast?* Each word once, with a dictionary; say the cost in terms of the number of
#   words `n` and the longest word's length `L`.
# </details>

# %% nbgrader="solution" grade_id="group_anagrams"
### BEGIN SOLUTION
def group_anagrams(words):
    groups = {}
    for word in words:
        groups.setdefault("".join(sorted(word)), []).append(word)
    return list(groups.values())
### END SOLUTION

# %% [markdown]
# **Complexity.** What does your answer cost in time and in memory, in terms of `n` and `L`,
# and why? One or two lines.

# %% [markdown] nbgrader="answer" grade_id="communication-group_anagrams_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* With the sorted letters as the key: O(n · L log L) time (one sort
# of each word, then an average O(1) dictionary step), O(n · L) memory for the keys and groups.
# With a 26-count tuple as the key the time drops to O(n · L). Comparing every pair of words
# is O(n² · L) and should be named as the slow option. The point needs time and memory, each
# with its reason.
# ### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-group_anagrams_groups" points=4
_groups = group_anagrams(["eat", "tea", "tan", "ate", "nat", "bat"])
assert [list(_g) for _g in _groups] == [["eat", "tea", "ate"], ["tan", "nat"], ["bat"]], \
    "expected eat/tea/ate, then tan/nat, then bat: groups by first appearance, words in input order"
### BEGIN HIDDEN TESTS
import random
from collections import Counter


def _group_anagrams_brute(items):
    result = []
    for _word in items:
        for _group in result:
            if Counter(_group[0]) == Counter(_word):
                _group.append(_word)
                break
        else:
            result.append([_word])
    return result


_rng = random.Random(20260312)
for _trial in range(60):
    _words = ["".join(_rng.choice("abc") for _ in range(_rng.randint(0, 4))) for _ in range(_rng.randint(1, 25))]
    _expected = _group_anagrams_brute(_words)
    _original = list(_words)
    _got = group_anagrams(_words)
    assert _words == _original, "group_anagrams changed the caller's list"
    _got = [list(_g) for _g in _got]
    assert sorted(_w for _g in _got for _w in _g) == sorted(_original), \
        "every word must appear exactly once per occurrence across the groups (no word lost or doubled)"
    assert len(_got) == len(_expected), \
        "wrong number of groups: anagrams need the same letters the same number of times (a set of letters is not enough)"
    assert _got == _expected, \
        "groups or their order differ: keep each group's words in input order and order groups by first appearance"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-group_anagrams_empty_and_repeats" points=2
assert [list(_g) for _g in group_anagrams([])] == [], "no words give no groups"
### BEGIN HIDDEN TESTS
assert [list(_g) for _g in group_anagrams([""])] == [[""]], "the empty string is a word with its own group"
assert [list(_g) for _g in group_anagrams(["", "a", ""])] == [["", ""], ["a"]], \
    "empty strings are anagrams of each other"
assert [list(_g) for _g in group_anagrams(["ab", "ba", "ab"])] == [["ab", "ba", "ab"]], \
    "a repeated word is kept each time it occurs, in input order"
assert [list(_g) for _g in group_anagrams(["aab", "abb", "bab", "aba"])] == [["aab", "aba"], ["abb", "bab"]], \
    "aab and abb use the same letters but not equally often: they are not anagrams"
assert [list(_g) for _g in group_anagrams(["ab", "aab", "ba"])] == [["ab", "ba"], ["aab"]], \
    "words of different lengths are never anagrams"
assert [list(_g) for _g in group_anagrams(["z", "y", "z"])] == [["z", "z"], ["y"]], \
    "groups come in order of first appearance, not sorted"
### END HIDDEN TESTS

# %%
import random

import matplotlib.pyplot as plt

_rng = random.Random(0)
_bases = ["listen", "stone", "parse", "night", "dusty", "heart", "evil"]
_words = []
for _base in _bases:
    for _ in range(_rng.randint(1, 6)):
        _words.append("".join(_rng.sample(_base, k=len(_base))))
_rng.shuffle(_words)
_groups = group_anagrams(_words)
plt.barh([", ".join(list(_g)[:2]) + (" ..." if len(_g) > 2 else "") for _g in _groups],
         [len(_g) for _g in _groups])
plt.gca().invert_yaxis()
plt.xlabel("words in the group")
plt.title(f"{len(_words)} shuffled words, {len(_groups)} groups (first appearance on top)")
plt.show()
