# %% [markdown]
# ## Number of islands
#
# *"This grid is a map: 1 is land, 0 is water. How many separate islands are on it?"*
#
# Call shape: `count_islands(grid)` returns an `int`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is `grid`?* A rectangular 2-D grid of 0s and 1s: a NumPy array or a list of lists
#   of equal length. It may have no rows or no columns.
# - *When do two land cells belong to the same island?* When you can walk from one to the
#   other through land, one step up, down, left or right at a time. Diagonal neighbours do
#   not join. The map does not wrap around its edges.
# - *What do I return?* The number of islands as an `int`; a map without land gives 0.
# - *May I mark visited cells in the grid?* No: leave the caller's grid as it was and keep
#   your own record of visited cells.
# - *How big?* Up to a few hundred rows and columns, and one island may cover most of the
#   map. A recursive search then goes deeper than Python's recursion limit (about 1000
#   calls), so walk with an explicit stack or queue, or use union-find.
# - *How fast?* Each cell a constant number of times: O(rows · cols).
# </details>

# %% nbgrader="solution" grade_id="number_of_islands"
### BEGIN SOLUTION
from collections import deque

import numpy as np


def count_islands(grid):
    land = np.asarray(grid, dtype=bool)
    if land.size == 0:
        return 0
    rows, cols = land.shape
    land = land.tolist()  # Python lists index faster than NumPy in a cell-by-cell walk
    seen = [[False] * cols for _ in range(rows)]
    islands = 0
    for row in range(rows):
        for col in range(cols):
            if not land[row][col] or seen[row][col]:
                continue
            islands += 1
            seen[row][col] = True
            queue = deque([(row, col)])
            while queue:
                r, c = queue.popleft()
                for nr, nc in ((r + 1, c), (r - 1, c), (r, c + 1), (r, c - 1)):
                    if 0 <= nr < rows and 0 <= nc < cols and land[nr][nc] and not seen[nr][nc]:
                        seen[nr][nc] = True
                        queue.append((nr, nc))
    return islands
### END SOLUTION

# %% [markdown]
# **Complexity.** What does your answer cost in time and in memory for a map of
# `rows × cols` cells, and why? One or two lines.

# %% [markdown] nbgrader="answer" grade_id="communication-number_of_islands_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* O(rows · cols) time: every cell is visited once by the outer scan
# and enters the queue or stack at most once, with four neighbour checks. O(rows · cols) memory
# for the visited marks, and the queue can hold O(rows · cols) cells in the worst case.
# Union-find is the same up to the near-constant inverse Ackermann factor. The point needs time
# and memory, each with its reason; a bonus remark on the recursion depth of a recursive search.
# ### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-number_of_islands_against_union_find" points=4
_map = [[1, 1, 0, 0, 1],
        [1, 0, 0, 1, 1],
        [0, 0, 1, 0, 0],
        [0, 1, 1, 0, 1]]
assert int(count_islands(_map)) == 4, "this map has four islands: only up, down, left and right steps join land, and the edges do not wrap"
### BEGIN HIDDEN TESTS
import numpy as np


def _islands_union_find(cells):
    _rows, _cols = cells.shape
    _parent = list(range(_rows * _cols))

    def _root(_node):
        while _parent[_node] != _node:
            _parent[_node] = _parent[_parent[_node]]
            _node = _parent[_node]
        return _node

    for _r in range(_rows):
        for _c in range(_cols):
            if not cells[_r, _c]:
                continue
            for _nr, _nc in ((_r + 1, _c), (_r, _c + 1)):
                if _nr < _rows and _nc < _cols and cells[_nr, _nc]:
                    _parent[_root(_r * _cols + _c)] = _root(_nr * _cols + _nc)
    return len({_root(_r * _cols + _c) for _r in range(_rows) for _c in range(_cols) if cells[_r, _c]})


_rng = np.random.default_rng(20260316)
for _trial in range(30):
    _shape = (int(_rng.integers(1, 16)), int(_rng.integers(1, 16)))
    _cells = (_rng.random(_shape) < _rng.uniform(0.2, 0.7)).astype(int)
    _expected = _islands_union_find(_cells)
    _as_array, _as_lists = _cells.copy(), _cells.tolist()
    assert int(count_islands(_as_array)) == _expected, \
        "wrong count: only up, down, left and right join land cells, and the map does not wrap around its edges"
    assert int(count_islands(_as_lists)) == _expected, "a list of lists should count like the same NumPy array"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-number_of_islands_edges_and_one_big_island" points=2
assert int(count_islands([[0, 0], [0, 0]])) == 0, "a map of water has no island"
### BEGIN HIDDEN TESTS
import numpy as np

assert int(count_islands(np.zeros((0, 0), dtype=int))) == 0, "a map with no cells has no island"
assert int(count_islands([[1]])) == 1, "a single land cell is an island"
assert int(count_islands(np.ones((5, 7), dtype=int))) == 1, "a map of land is one island"
assert int(count_islands([[1, 0, 1, 0, 1, 1]])) == 3, "a single row counts its runs of land"
assert int(count_islands([[1], [0], [1]])) == 2, "a single column counts its runs of land"
assert int(count_islands([[1, 0, 1], [0, 0, 0], [1, 0, 1]])) == 4, \
    "land on opposite edges stays apart: the map does not wrap (negative indices wrap in Python)"
assert int(count_islands([[1, 0], [0, 1]])) == 2, "diagonal neighbours are separate islands"
# A snake of land winding through the whole map: one island of about 20,000 cells.
_snake = np.zeros((199, 199), dtype=int)
_snake[::2, :] = 1
_snake[1::4, -1] = 1
_snake[3::4, 0] = 1
try:
    _count = int(count_islands(_snake))
except RecursionError:
    raise AssertionError("a large island hit the recursion limit: walk with an explicit stack or queue") from None
assert _count == 1, "a long winding island should count once"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-number_of_islands_grid_untouched" points=1
_map = [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
_count = count_islands(_map)
assert _map == [[1, 1, 0], [0, 1, 0], [1, 0, 1]], "the caller's grid changed: keep visited cells in your own record"
### BEGIN HIDDEN TESTS
import numpy as np

_array = np.array([[0, 1, 1], [1, 1, 0], [0, 0, 1]])
_count = count_islands(_array)
assert np.array_equal(_array, [[0, 1, 1], [1, 1, 0], [0, 0, 1]]), \
    "the caller's array changed: keep visited cells in your own record"
assert isinstance(_count, (int, np.integer)), "return the number of islands as an integer"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(4)
_map = (_rng.random((30, 40)) < 0.45).astype(int)
plt.figure(figsize=(5, 4))
plt.imshow(_map, cmap="Greens", interpolation="nearest")
plt.title(f"count_islands says {count_islands(_map)} islands (up, down, left, right only)")
plt.xticks([])
plt.yticks([])
plt.show()
