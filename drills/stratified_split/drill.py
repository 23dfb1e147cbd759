# %% [markdown]
# ## A stratified train/test split
#
# *"Split this labelled data set into train and test rows so that every class keeps
# its share in the test part. No scikit-learn."*
#
# Call shape: `stratified_split(y, test_frac, seed)` returns `(train_idx, test_idx)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is `y`?* A 1-D array or list of class labels (ints or strings), at least one
#   row. Rows are identified by their position `0..n-1`.
# - *How many test rows per class?* For a class with `n_c` rows,
#   `min(ceil(test_frac * n_c), n_c - 1)`: round up, as the course's other splits do,
#   but always leave at least one row of each class in train. A class with a single row
#   therefore goes to train entirely.
# - *Which rows?* Chosen at random within each class, with `np.random.default_rng(seed)`:
#   the same seed gives the same split, other seeds give other splits.
# - *What do I return?* Two integer NumPy arrays of row positions, in any order: together
#   they hold every row exactly once.
# - *Bad input?* `test_frac` outside the open interval `(0, 1)`, an empty `y`, or a split
#   whose test part would be empty (every class has one row) raise `ValueError`.
# </details>

# %% nbgrader="solution" grade_id="stratified_split"
### BEGIN SOLUTION
import math

import numpy as np


def stratified_split(y, test_frac: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of a train and a test part with every class's share kept in the test part."""
    y = np.asarray(y)
    if not 0 < test_frac < 1:
        raise ValueError(f"test_frac must lie strictly between 0 and 1, got {test_frac}")
    if y.ndim != 1 or len(y) == 0:
        raise ValueError("y must be a non-empty 1-D array of labels")
    rng = np.random.default_rng(seed)
    test_parts = []
    for label in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == label))
        n_test = min(math.ceil(test_frac * len(rows)), len(rows) - 1)
        test_parts.append(rows[:n_test])
    test_idx = np.sort(np.concatenate(test_parts))
    if len(test_idx) == 0:
        raise ValueError("every class has a single row: nothing can go to the test part")
    train_idx = np.setdiff1d(np.arange(len(y)), test_idx)
    return train_idx, test_idx
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-stratified_split_counts" points=4
import numpy as np

_train, _test = stratified_split(np.array([0] * 8 + [1] * 4), 0.25, seed=0)
_test = np.asarray(_test)
assert len(_test) == 3 and np.sum(_test < 8) == 2, "0.25 of 8 rows of class 0 is 2 test rows, of 4 rows of class 1 is 1"
### BEGIN HIDDEN TESTS
import math as _math

_rng = np.random.default_rng(20261205)
for _trial, _frac in enumerate([0.25, 0.5, 0.375, 0.125, 0.25]):
    _labels = np.array(["cat", "dog", "eel", "fox"])[_rng.integers(0, 4, size=int(_rng.integers(40, 200)))]
    _labels[:3] = ["cat", "dog", "eel"]
    _y = _labels.copy()
    _classes, _sizes = np.unique(_y, return_counts=True)
    _want = {_c: min(_math.ceil(_frac * _s), _s - 1) for _c, _s in zip(_classes, _sizes)}
    _train, _test = stratified_split(_y.copy(), _frac, seed=_trial)
    _train = np.asarray(_train)
    _test = np.asarray(_test)
    assert _train.ndim == 1 and _test.ndim == 1, "return two 1-D arrays of row positions"
    assert np.issubdtype(_train.dtype, np.integer) and np.issubdtype(_test.dtype, np.integer), \
        "return integer row positions, not labels or a boolean mask"
    assert len(np.intersect1d(_train, _test)) == 0, "a row is in both train and test"
    assert np.array_equal(np.sort(np.concatenate([_train, _test])), np.arange(len(_y))), \
        "train and test together must hold every row exactly once"
    for _c in _classes:
        assert int(np.sum(_y[_test] == _c)) == _want[_c], \
            "a class has the wrong number of test rows: round test_frac * n_c up, per class, and keep one in train"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-stratified_split_rare_classes" points=3
import numpy as np

_train, _test = stratified_split(["a", "a", "a", "b"], 0.5, seed=1)
assert 3 in list(np.asarray(_train)), "a class with a single row stays in train"
### BEGIN HIDDEN TESTS
_y = np.array([5] * 3 + [7] * 2 + [9])
_train, _test = stratified_split(_y.copy(), 0.875, seed=2)
_test = np.asarray(_test)
assert sorted(_y[_test].tolist()) == [5, 5, 7], \
    "a large test_frac must still leave one row of every class in train"
for _bad_frac in (0.0, 1.0, -0.2, 1.5):
    try:
        stratified_split(np.array([0, 0, 1, 1]), _bad_frac, seed=0)
    except ValueError:
        pass
    else:
        raise AssertionError("test_frac outside (0, 1) must raise ValueError")
for _bad_y in (np.array([]), np.array([1, 2, 3])):
    try:
        stratified_split(_bad_y, 0.5, seed=0)
    except ValueError:
        pass
    else:
        raise AssertionError("an empty y, or one whose test part would be empty, must raise ValueError")
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-stratified_split_seeded" points=2
import numpy as np

_y = np.repeat([0, 1, 2], 20)
_first = stratified_split(_y, 0.25, seed=3)
_again = stratified_split(_y, 0.25, seed=3)
assert np.array_equal(np.sort(_first[1]), np.sort(_again[1])), "the same seed must give the same split"
### BEGIN HIDDEN TESTS
_y = np.repeat([0, 1, 2], 40)
_y_before = _y.copy()
_tests = [np.sort(np.asarray(stratified_split(_y, 0.25, seed=_s)[1])) for _s in (4, 5, 6)]
assert np.array_equal(_y, _y_before), "y was changed: shuffle positions, not the caller's labels"
assert not (np.array_equal(_tests[0], _tests[1]) and np.array_equal(_tests[0], _tests[2])), \
    "different seeds give the same test rows: shuffle each class with np.random.default_rng(seed)"
_first = np.sort(np.asarray(stratified_split(_y, 0.25, seed=4)[1]))
assert np.array_equal(_first, _tests[0]), "the same seed must give the same split"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt
import numpy as np

_rng = np.random.default_rng(0)
_y = _rng.choice(["common", "medium", "rare"], size=400, p=[0.7, 0.25, 0.05])
_train, _test = stratified_split(_y, 0.25, seed=0)
_names = ["common", "medium", "rare"]
_positions = np.arange(3)
plt.bar(_positions - 0.2, [np.mean(_y[_train] == _c) for _c in _names], width=0.4, label="train")
plt.bar(_positions + 0.2, [np.mean(_y[_test] == _c) for _c in _names], width=0.4, label="test")
plt.xticks(_positions, _names)
plt.ylabel("share of the part")
plt.title("Your stratified split keeps each class's share")
plt.legend()
plt.show()
