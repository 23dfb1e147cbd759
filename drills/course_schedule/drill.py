# %% [markdown]
# ## Course schedule
#
# *"Some courses must be taken before others. Give me an order in which a student can take
# every course, or tell me that no such order exists."*
#
# Call shape: `topological_order(n, prerequisites)` returns a list of courses, or `None`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What are the inputs?* `n` courses numbered `0 .. n-1` (`n` may be 0), and a list of
#   pairs `(course, required)`: `required` must be taken before `course`. The same pair may
#   appear twice; a pair `(c, c)` says a course requires itself.
# - *What do I return?* A list holding each of the `n` courses exactly once, in an order
#   where every required course comes before the course that needs it. Any such order is
#   accepted. Courses without prerequisites can go anywhere that respects the pairs.
# - *And when the requirements go round in a circle?* Return `None`, never a partial order.
#   A course that requires itself is such a circle.
# - *How big?* Up to a few thousand courses and pairs, and one chain of prerequisites can be
#   that long: deeper than Python's recursion limit (about 1000 calls), so do not recurse once
#   per course; use a queue or an explicit stack.
# - *How fast?* O(n + number of pairs).
# </details>

# %% nbgrader="solution" grade_id="course_schedule"
### BEGIN SOLUTION
from collections import deque


def topological_order(n, prerequisites):
    unlocks = [[] for _ in range(n)]
    missing = [0] * n  # how many prerequisites of each course are not taken yet
    for course, required in prerequisites:
        unlocks[required].append(course)
        missing[course] += 1
    ready = deque(course for course in range(n) if missing[course] == 0)
    order = []
    while ready:
        course = ready.popleft()
        order.append(course)
        for follower in unlocks[course]:
            missing[follower] -= 1
            if missing[follower] == 0:
                ready.append(follower)
    return order if len(order) == n else None
### END SOLUTION

# %% [markdown]
# **Complexity.** What does your answer cost in time and memory for `n` courses and `m`
# pairs, and why? One or two lines.

# %% [markdown] nbgrader="answer" grade_id="communication-course_schedule_complexity" points=1
# ### BEGIN SOLUTION
# *Marking guide (1 point).* O(n + m) time: building the adjacency lists reads each pair once,
# and each course enters the queue once and walks its outgoing pairs once (Kahn's algorithm; a
# depth-first search with three colours costs the same). O(n + m) memory for the adjacency
# lists, the counts and the queue. A cycle shows up as courses that never reach zero missing
# prerequisites. The point needs time and memory, each with its reason.
# ### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-course_schedule_valid_order" points=4
_order = topological_order(4, [(1, 0), (2, 0), (3, 1), (3, 2)])
assert _order is not None and sorted(int(_c) for _c in _order) == [0, 1, 2, 3], "return every course exactly once"
_position = {int(_c): _i for _i, _c in enumerate(_order)}
assert _position[0] < _position[1] < _position[3] and _position[2] < _position[3], \
    "a required course must come before the course that needs it"
### BEGIN HIDDEN TESTS
import random

_rng = random.Random(20260317)
for _trial in range(40):
    _n = _rng.randint(1, 40)
    _rank = list(range(_n))
    _rng.shuffle(_rank)  # a hidden valid order; every pair points forward in it
    _pairs = []
    for _ in range(_rng.randint(0, 3 * _n)):
        _a, _b = _rng.sample(range(_n), 2) if _n > 1 else (0, 0)
        if _a != _b:
            _early, _late = sorted((_a, _b), key=_rank.index)
            _pairs.append((_late, _early))
    _pairs += _pairs[: _rng.randint(0, 3)]  # repeated pairs
    _order = topological_order(_n, [tuple(_p) for _p in _pairs])
    assert _order is not None, "returned None although the requirements have no cycle"
    _order = [int(_c) for _c in _order]
    assert sorted(_order) == list(range(_n)), "the order must hold each course exactly once"
    _position = {_c: _i for _i, _c in enumerate(_order)}
    assert all(_position[_req] < _position[_course] for _course, _req in _pairs), \
        "a course comes before one of its prerequisites: (course, required) means required goes first"
_n = 3000
_chain = [(_c + 1, _c) for _c in range(_n - 1)]
random.Random(5).shuffle(_chain)
_order = topological_order(_n, _chain)
assert _order is not None and [int(_c) for _c in _order] == list(range(_n)), \
    "a long chain of prerequisites has one valid order: avoid recursing once per course"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-course_schedule_cycles" points=3
assert topological_order(2, [(0, 1), (1, 0)]) is None, "0 needs 1 and 1 needs 0: no order exists, return None"
### BEGIN HIDDEN TESTS
import random

import numpy as np


def _has_cycle(count, pairs):
    """Whether some course can reach itself, from the transitive closure of the pairs."""
    _reach = np.zeros((count, count), dtype=bool)
    for _course, _req in pairs:
        _reach[_req, _course] = True
    for _ in range(max(1, int(np.ceil(np.log2(max(count, 2)))) + 1)):
        _reach = _reach | ((_reach.astype(int) @ _reach.astype(int)) > 0)
    return bool(np.diag(_reach).any())


assert list(topological_order(0, [])) == [], "no courses give an empty order"
assert topological_order(1, [(0, 0)]) is None, "a course that requires itself is a cycle"
assert sorted(int(_c) for _c in topological_order(5, [])) == [0, 1, 2, 3, 4], \
    "courses without prerequisites must all appear"
assert topological_order(6, [(1, 0), (2, 1), (4, 3), (5, 4), (3, 5)]) is None, \
    "one component is fine but another has a cycle: return None, not a partial order"
_rng = random.Random(99)
for _trial in range(60):
    _n = _rng.randint(1, 12)
    _pairs = [(_rng.randrange(_n), _rng.randrange(_n)) for _ in range(_rng.randint(0, 14))]
    _pairs = [_p for _p in _pairs if _p[0] != _p[1] or _rng.random() < 0.1]
    _cyclic = _has_cycle(_n, _pairs)
    _order = topological_order(_n, list(_pairs))
    if _cyclic:
        assert _order is None, "the requirements contain a cycle: return None"
    else:
        assert _order is not None, "returned None although the requirements have no cycle"
        _order = [int(_c) for _c in _order]
        _position = {_c: _i for _i, _c in enumerate(_order)}
        assert sorted(_order) == list(range(_n)) and all(_position[_r] < _position[_c] for _c, _r in _pairs), \
            "the order misses a course or puts one before its prerequisite"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt
from matplotlib.patches import FancyArrowPatch

_pairs = [(1, 0), (2, 0), (3, 1), (3, 2), (4, 3), (5, 2), (6, 5), (6, 4), (7, 0), (8, 7), (8, 6)]
_order = topological_order(9, _pairs)
_fig, _ax = plt.subplots(figsize=(8, 3))
if _order is None:
    _ax.set_title("topological_order returned None for an acyclic schedule")
else:
    _x = {int(_c): _i for _i, _c in enumerate(_order)}
    for _course, _req in _pairs:
        _forward = _x[_req] < _x[_course]
        _ax.add_patch(FancyArrowPatch((_x[_req], 0), (_x[_course], 0), connectionstyle="arc3,rad=-0.5",
                                      arrowstyle="-|>", mutation_scale=12,
                                      color="tab:green" if _forward else "tab:red"))
    _ax.scatter(range(len(_order)), [0] * len(_order), s=300, zorder=3, color="white", edgecolor="black")
    for _i, _c in enumerate(_order):
        _ax.annotate(str(_c), (_i, 0), ha="center", va="center")
    _ax.set_title("Your order, left to right: every arrow (required → course) should point right, in green")
_ax.set_xlim(-1, 9)
_ax.set_ylim(-1, 3)
_ax.axis("off")
plt.show()
