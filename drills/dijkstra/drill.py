# %% [markdown]
# ## Shortest paths (Dijkstra)
#
# *"Here is a road network with travel times on one-way roads. From one starting node, how
# long does it take to reach every other node?"*
#
# Call shape: `shortest_paths(n, edges, source)` returns the `n` shortest distances.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What are the inputs?* `n` nodes numbered `0 .. n-1` (`n >= 1`); `edges` is a list of
#   triples `(u, v, w)`, a one-way road from `u` to `v` taking time `w`; `source` is a node.
# - *Weights?* Non-negative numbers, ints or floats; zero is allowed. There may be several
#   roads between the same two nodes, and roads from a node to itself.
# - *Directed?* Yes: `(u, v, w)` lets you go from `u` to `v`, not back.
# - *What do I return?* A list (or 1-D NumPy array) of `n` floats: entry `v` is the shortest
#   total time from `source` to `v`, `0.0` for the source itself and `float("inf")` for a node
#   that cannot be reached. Not the paths, only the distances.
# - *Accuracy?* Compared with an independent computation to within 1e-9 relative.
# - *How fast?* Dijkstra with a binary heap (`heapq`), O((n + m) log n) for m roads.
# </details>

# %% nbgrader="solution" grade_id="dijkstra"
### BEGIN SOLUTION
import heapq
import math


def shortest_paths(n, edges, source):
    roads = [[] for _ in range(n)]
    for u, v, w in edges:
        roads[u].append((v, w))
    distance = [math.inf] * n
    distance[source] = 0.0
    frontier = [(0.0, source)]
    while frontier:
        so_far, node = heapq.heappop(frontier)
        if so_far > distance[node]:
            continue  # an outdated entry: this node was settled by a shorter route
        for neighbour, w in roads[node]:
            if so_far + w < distance[neighbour]:
                distance[neighbour] = so_far + w
                heapq.heappush(frontier, (distance[neighbour], neighbour))
    return [float(d) for d in distance]
### END SOLUTION

# %% [markdown]
# **Complexity.** What does your answer cost in time and memory for `n` nodes and `m` roads,
# and why? One or two lines.

# %% [markdown] nbgrader="answer" grade_id="communication-dijkstra_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* With a binary heap and lazy deletion: O((n + m) log n) time, since
# each road can push one entry (O(m) entries in all) and each push or pop costs O(log m) =
# O(log n); O(n + m) memory for the adjacency lists and the heap. Scanning an array for the
# closest unsettled node instead costs O(n² + m), better for dense graphs. Non-negative weights
# are what make a popped node final. The point needs time and memory, each with its reason.
# ### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-dijkstra_against_bellman_ford" points=4
_roads = [(0, 1, 4.0), (0, 2, 1.0), (2, 1, 2.0), (1, 3, 1.0), (2, 3, 5.0)]
_got = [float(_d) for _d in shortest_paths(4, _roads, 0)]
assert _got == [0.0, 3.0, 1.0, 4.0], "0→2→1→3 takes 1 + 2 + 1 = 4; the direct road 0→1 (4) is slower than 0→2→1 (3)"
### BEGIN HIDDEN TESTS
import numpy as np


def _bellman_ford(count, roads, start):
    _dist = np.full(count, np.inf)
    _dist[start] = 0.0
    if not roads:
        return _dist
    _u, _v, _w = (np.array(_col, dtype=float) for _col in zip(*roads))
    _u, _v = _u.astype(int), _v.astype(int)
    for _ in range(count - 1):
        _candidate = _dist.copy()
        np.minimum.at(_candidate, _v, _dist[_u] + _w)
        if np.array_equal(_candidate, _dist):
            break
        _dist = _candidate
    return _dist


_rng = np.random.default_rng(20260318)
for _trial in range(40):
    _n = int(_rng.integers(1, 40))
    _m = int(_rng.integers(0, 4 * _n + 1))
    _weights = _rng.uniform(0, 10, size=_m) if _trial % 2 else _rng.integers(0, 6, size=_m).astype(float)
    _roads = [(int(_a), int(_b), float(_c))
              for _a, _b, _c in zip(_rng.integers(0, _n, _m), _rng.integers(0, _n, _m), _weights)]
    _source = int(_rng.integers(0, _n))
    _expected = _bellman_ford(_n, _roads, _source)
    _got = np.asarray(shortest_paths(_n, list(_roads), _source), dtype=float)
    assert _got.shape == (_n,), "return one distance per node"
    assert np.array_equal(np.isinf(_got), np.isinf(_expected)), \
        "a node is reachable in one answer and not in the other: unreachable means inf, and roads go one way, u to v"
    _finite = np.isfinite(_expected)
    assert np.allclose(_got[_finite], _expected[_finite], rtol=1e-9, atol=1e-12), \
        "a distance is not the shortest one-way route: improve a node whenever a shorter route appears"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-dijkstra_unreachable_and_zero_weights" points=2
_got = [float(_d) for _d in shortest_paths(3, [(0, 1, 2.0)], 0)]
assert _got[:2] == [0.0, 2.0] and _got[2] == float("inf"), "a node with no road to it is at distance inf"
### BEGIN HIDDEN TESTS
import math

assert [float(_d) for _d in shortest_paths(1, [], 0)] == [0.0], "the source alone is at distance 0"
_got = [float(_d) for _d in shortest_paths(3, [(1, 0, 1.0), (2, 0, 1.0)], 0)]
assert _got[0] == 0.0 and math.isinf(_got[1]) and math.isinf(_got[2]), \
    "roads are one-way: (u, v, w) does not lead from v back to u"
_got = [float(_d) for _d in shortest_paths(3, [(0, 1, 0.0), (1, 2, 0.0)], 0)]
assert _got == [0.0, 0.0, 0.0], "zero-time roads are allowed and give distance 0"
_got = [float(_d) for _d in shortest_paths(2, [(0, 1, 9.0), (0, 1, 2.5), (0, 0, 1.0), (1, 1, 0.0)], 0)]
assert _got == [0.0, 2.5], "among parallel roads the fastest counts; a road to itself changes nothing"
_got = [float(_d) for _d in shortest_paths(4, [(2, 3, 1.0), (3, 0, 1.0), (0, 1, 1.0)], 2)]
assert _got == [2.0, 3.0, 0.0, 1.0], "the source need not be node 0"
_got = [float(_d) for _d in shortest_paths(4, [(0, 1, 1), (1, 2, 1), (0, 2, 5), (2, 3, 2)], 0)]
assert _got == [0.0, 1.0, 2.0, 4.0], "integer weights work too; a later, shorter route must replace a first one"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(5)
_side = 25
_cost = _rng.uniform(1, 10, size=(_side, _side))
_cost[5:20, 12] = 200  # a slow wall with a gap at the bottom and the top
_roads = []
for _r in range(_side):
    for _c in range(_side):
        for _dr, _dc in ((0, 1), (1, 0), (0, -1), (-1, 0)):
            _nr, _nc = _r + _dr, _c + _dc
            if 0 <= _nr < _side and 0 <= _nc < _side:
                _roads.append((_r * _side + _c, _nr * _side + _nc, float(_cost[_nr, _nc])))
_dist = np.asarray(shortest_paths(_side * _side, _roads, 0), dtype=float).reshape(_side, _side)
plt.figure(figsize=(5, 4))
plt.imshow(_dist, cmap="magma")
plt.colorbar(label="your shortest time from the top-left cell")
plt.title("Entering a cell costs its weight; the column 12 wall is slow")
plt.show()
