# %% [markdown]
# ## Precision and recall at k
#
# *"Our recommender shows each user a ranked list. Tell me precision@k and recall@k for
# one user, then the mean precision@k over all users."*
#
# Call shape: `precision_recall_at_k(recommended, relevant, k)` returns
# `(precision, recall)`; `mean_precision_at_k(recommended_lists, relevant_sets, k)`
# returns a float.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `recommended` is a ranked sequence of item ids (ints or strings), best
#   first, without repeats. `relevant` is any collection of item ids (set, list, array).
#   `k` is an integer `>= 1`; a smaller `k` raises `ValueError`.
# - *Definitions?* A hit is a relevant item among the first `k` recommended.
#   precision@k = hits / `k`; recall@k = hits / (number of relevant items).
# - *Fewer than `k` recommendations?* The empty slots count as misses: still divide by `k`.
# - *No relevant items?* Recall is undefined; return `0.0` for it (precision is `0.0` too).
# - *The mean?* `recommended_lists` and `relevant_sets` hold one entry per user, in the same
#   order (different lengths raise `ValueError`). Average precision@k over the users who
#   have at least one relevant item: the others cannot be judged and are skipped. If no
#   user is left, raise `ValueError`.
# - *What do I return?* Python floats: a `(precision, recall)` tuple, and one float for
#   the mean. Do not change the caller's lists.
# </details>

# %% nbgrader="solution" grade_id="precision_recall_at_k"
### BEGIN SOLUTION
def precision_recall_at_k(recommended, relevant, k: int) -> tuple[float, float]:
    """Precision@k (hits over k) and recall@k (hits over relevant items) for one user."""
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    relevant = set(relevant)
    hits = len(set(list(recommended)[:k]) & relevant)
    precision = hits / k
    recall = hits / len(relevant) if relevant else 0.0
    return precision, recall


def mean_precision_at_k(recommended_lists, relevant_sets, k: int) -> float:
    """Mean precision@k over the users with at least one relevant item."""
    if len(recommended_lists) != len(relevant_sets):
        raise ValueError("need one relevant set per recommended list")
    judged = [precision_recall_at_k(recommended, relevant, k)[0]
              for recommended, relevant in zip(recommended_lists, relevant_sets) if len(set(relevant)) > 0]
    if not judged:
        raise ValueError("no user has a relevant item: the mean is undefined")
    return sum(judged) / len(judged)
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-precision_recall_at_k_values" points=3
_p, _r = precision_recall_at_k(["a", "b", "c", "d"], {"b", "d", "e"}, 3)
assert abs(_p - 1 / 3) < 1e-12 and abs(_r - 1 / 3) < 1e-12, "one hit (b) in the top 3, out of 3 relevant items"
### BEGIN HIDDEN TESTS
import numpy as _np

_rng = _np.random.default_rng(20261208)
_lists, _sets, _precisions = [], [], []
for _user in range(25):
    _recommended = [int(_x) for _x in _rng.permutation(40)[: int(_rng.integers(1, 15))]]
    _relevant = {int(_x) for _x in _rng.choice(40, size=int(_rng.integers(1, 10)), replace=False)}
    _k = int(_rng.integers(1, 12))
    _hits = 0
    for _rank, _item in enumerate(_recommended):
        if _rank < _k and _item in _relevant:
            _hits += 1
    _got = precision_recall_at_k(list(_recommended), set(_relevant), _k)
    assert len(_got) == 2, "return a (precision, recall) pair"
    assert abs(float(_got[0]) - _hits / _k) < 1e-12, \
        "precision@k is the hits among the first k, divided by k (not by the number recommended)"
    assert abs(float(_got[1]) - _hits / len(_relevant)) < 1e-12, \
        "recall@k is the hits among the first k, divided by the number of relevant items"
    _lists.append(_recommended)
    _sets.append(_relevant)
    _precisions.append(sum(_item in _relevant for _item in _recommended[:5]) / 5)
_mean = mean_precision_at_k([list(_l) for _l in _lists], [set(_s) for _s in _sets], 5)
assert abs(float(_mean) - sum(_precisions) / len(_precisions)) < 1e-12, "the mean of the users' precision@k"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-precision_recall_at_k_short_and_empty" points=2
_p, _r = precision_recall_at_k([7], {7, 8}, 4)
assert abs(_p - 0.25) < 1e-12 and abs(_r - 0.5) < 1e-12, "one recommendation for k = 4: three empty slots are misses"
### BEGIN HIDDEN TESTS
assert tuple(precision_recall_at_k(["x", "y"], set(), 2)) == (0.0, 0.0), "no relevant items: precision 0, recall 0"
assert tuple(precision_recall_at_k([], {"x"}, 3)) == (0.0, 0.0), "nothing recommended: no hits"
_mean = mean_precision_at_k([["a", "b"], ["c", "d"], ["e"]], [{"a"}, set(), {"e", "f"}], 2)
assert abs(_mean - 0.5) < 1e-12, "users without relevant items are skipped in the mean"
for _call in (lambda: precision_recall_at_k([1, 2], {1}, 0),
              lambda: mean_precision_at_k([[1], [2]], [set(), []], 1),
              lambda: mean_precision_at_k([[1], [2]], [{1}], 1)):
    try:
        _call()
    except ValueError:
        pass
    else:
        raise AssertionError("k < 1, no judgeable user, or lists of different lengths must raise ValueError")
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-precision_recall_at_k_any_collection" points=1
import numpy as np

_p, _r = precision_recall_at_k((3, 1, 2), np.array([1, 5]), 2)
assert abs(_p - 0.5) < 1e-12 and abs(_r - 0.5) < 1e-12, "relevant can be any collection, a NumPy array included"
### BEGIN HIDDEN TESTS
_recommended = ["m", "n", "o", "p"]
_relevant = ["n", "p", "q"]
_before = (list(_recommended), list(_relevant))
_p, _r = precision_recall_at_k(_recommended, _relevant, 3)
assert (_recommended, _relevant) == _before, "the caller's lists were changed"
assert isinstance(_p, float) and isinstance(_r, float), "return Python floats"
assert isinstance(mean_precision_at_k([_recommended], [_relevant], 2), float), "the mean is a Python float"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(0)
_ranked = [int(_x) for _x in _rng.permutation(50)]
_wanted = {int(_x) for _x in _rng.choice(_ranked[:15], size=6, replace=False)} | {_ranked[40]}
_ks = np.arange(1, 31)
_curves = np.array([precision_recall_at_k(_ranked, _wanted, int(_k)) for _k in _ks])
plt.plot(_ks, _curves[:, 0], label="precision@k")
plt.plot(_ks, _curves[:, 1], label="recall@k")
plt.xlabel("k")
plt.title("Your precision@k falls and recall@k rises as the list grows")
plt.legend()
plt.show()
