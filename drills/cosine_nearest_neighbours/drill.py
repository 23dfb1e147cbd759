# %% [markdown]
# ## Nearest neighbours by cosine similarity
#
# *"We have embeddings for a catalogue of items. Given one query embedding,
# return the `k` items most similar to it by cosine similarity, best first.
# Vectorised, please."*
#
# Call shape: `top_k_similar(query, items, k)` returns an array of item indices.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Shapes?* `query` has shape `(d,)`, `items` has shape `(n_items, d)`; lists are fine.
#   `k >= 1`; if `k > n_items`, return all items, ranked.
# - *What do I return?* An integer NumPy array of `min(k, n_items)` row indices into
#   `items`, in decreasing order of cosine similarity.
# - *Ties?* Equal similarities go to the lower index first.
# - *Zero vectors?* Cosine is undefined for a zero vector: treat its similarity as 0 (a zero
#   item, or every item if the query is zero). No NaN, no warnings.
# - *Inputs changed?* No: leave `query` and `items` as they were.
# - *Style?* No Python loop over the items; NumPy does the work.
# </details>

# %% nbgrader="solution" grade_id="cosine_nearest_neighbours"
### BEGIN SOLUTION
import numpy as np


def top_k_similar(query, items, k):
    query = np.asarray(query, dtype=float)
    items = np.asarray(items, dtype=float)
    denominators = np.linalg.norm(items, axis=1) * np.linalg.norm(query)
    dots = items @ query
    similarity = np.divide(dots, denominators, out=np.zeros(len(items)), where=denominators > 0)
    return np.argsort(-similarity, kind="stable")[:k]
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-cosine_nearest_neighbours_ranking" points=4
import numpy as np

_items = np.array([[1.0, 0.0], [0.0, 1.0], [10.0, 1.0], [-1.0, 0.0]])
_top = np.asarray(top_k_similar([1.0, 0.0], _items, 2))
assert _top.shape == (2,) and list(_top) == [0, 2], \
    "cosine ignores length: [1, 0] is closer to [1, 0] than [10, 1] is, whatever their norms"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(515)
for _n, _d, _k in [(50, 8, 5), (200, 3, 17), (30, 16, 30)]:
    _items = _rng.normal(size=(_n, _d)) * _rng.uniform(0.1, 20.0, size=(_n, 1))
    _query = _rng.normal(size=_d)
    _similarity = np.array([_row @ _query / (np.sqrt(_row @ _row) * np.sqrt(_query @ _query)) for _row in _items])
    _best = np.sort(_similarity)[::-1][:_k]
    _items_before, _query_before = _items.copy(), _query.copy()
    _top = np.asarray(top_k_similar(_query, _items, _k))
    assert np.array_equal(_items, _items_before) and np.array_equal(_query, _query_before), \
        "top_k_similar changed its inputs: normalise copies"
    assert _top.shape == (_k,) and np.issubdtype(_top.dtype, np.integer), "return an integer array of k indices"
    assert len(set(_top.tolist())) == _k, "the same item came back twice"
    assert np.allclose(_similarity[_top], _best, atol=1e-12), \
        "these are not the k most cosine-similar items, best first: divide the dot product by both norms " \
        "and sort in decreasing order"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-cosine_nearest_neighbours_ties_and_zeros" points=3
import warnings

import numpy as np

_top = np.asarray(top_k_similar([0.0, 2.0], [[0.0, 3.0], [1.0, 0.0], [0.0, 5.0]], 2))
assert _top.shape == (2,) and list(_top) == [0, 2], "equal similarities go to the lower index first"
### BEGIN HIDDEN TESTS
# Exactly tied similarities (parallel integer vectors), in the middle of the ranking.
_items = np.array([[-1.0, 0.0], [0.0, 3.0], [2.0, 0.0], [0.0, 1.0], [3.0, 4.0], [4.0, 0.0], [0.0, -2.0]])
_top = np.asarray(top_k_similar([1.0, 0.0], _items, 4))
assert _top.shape == (4,) and list(_top) == [2, 5, 4, 1], \
    "ties must be broken by the lower index: a stable sort on the negated similarity, not a reversed ascending sort"
# A zero item has similarity 0: above the negative items, below the positive ones.
_items = np.array([[1.0, 1.0], [0.0, 0.0], [-1.0, -0.5], [2.0, 0.0], [-3.0, 0.0]])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _top = np.asarray(top_k_similar([1.0, 0.0], _items, 5))
assert _top.shape == (5,) and list(_top) == [3, 0, 1, 2, 4], \
    "a zero item must rank with similarity 0 (not NaN): between the positive and the negative items"
# A zero query: every similarity is 0, so the order is the index order.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _top = np.asarray(top_k_similar([0.0, 0.0], _items, 3))
assert _top.shape == (3,) and list(_top) == [0, 1, 2], "a zero query gives similarity 0 everywhere: lowest indices first"
_top = np.asarray(top_k_similar([1.0, 0.0], _items[:3], 10))
assert _top.shape == (3,) and sorted(_top.tolist()) == [0, 1, 2], "k larger than the catalogue returns every item, ranked"
_top = np.asarray(top_k_similar([1.0, 2.0], [[2, 4], [1, 0]], 1))
assert _top.shape == (1,) and _top[0] == 0, "integer inputs must work: cast to float"
### END HIDDEN TESTS

# %% [markdown]
# The interviewer asks: *"What does one query cost, in time and memory, for `n_items`
# items of dimension `d`? What would you change if the catalogue were a hundred million
# items and the queries kept coming?"*

# %% [markdown] nbgrader="answer" grade_id="communication-cosine_nearest_neighbours_complexity" points=1
### BEGIN SOLUTION
*Marking guide (1 point).* O(n_items · d) time for the dot products and norms, plus
O(n_items log n_items) for a full sort, or O(n_items + k log k) with `np.argpartition`
then sorting the k survivors; O(n_items) extra memory for the similarities. At scale,
normalise the catalogue once up front (each query is then one matrix-vector product), and
use an approximate index (IVF, HNSW, product quantisation) to avoid scanning every item.
Full marks need the O(n·d) scan and either the partial sort or the precomputed norms.
### END SOLUTION

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(3)
_items = _rng.normal(size=(60, 2)) * _rng.uniform(0.3, 2.0, size=(60, 1))
_query = np.array([1.0, 0.6])
_top = np.asarray(top_k_similar(_query, _items, 8))
plt.scatter(_items[:, 0], _items[:, 1], s=15, color="lightgrey", label="items")
plt.scatter(_items[_top, 0], _items[_top, 1], s=30, color="tab:red", label="your top 8")
plt.annotate("", xy=_query * 2, xytext=(0, 0), arrowprops={"arrowstyle": "->", "lw": 2})
plt.axis("equal")
plt.legend()
plt.title("Cosine neighbours lie in a cone around the query, at any distance")
plt.show()
