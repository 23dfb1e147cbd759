# %% [markdown]
# ## Alternating least squares
#
# *"Factorise a partly observed ratings matrix with alternating least squares:
# fix the item vectors and solve for the users exactly, then the other way round,
# and repeat."*
#
# Call shape: `als(R_observed_mask, R, n_factors, reg, n_iters, seed)` returns `(P, Q, objective_history)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What are the inputs?* `R` is a float array of shape `(n_users, n_items)`;
#   `R_observed_mask` is a boolean array (or 0/1) of the same shape, True where a rating
#   was observed. Where the mask is False, `R` holds anything, NaN included: never use it.
# - *What is minimised?* With `P` of shape `(n_users, n_factors)` and `Q` of shape
#   `(n_items, n_factors)`:
#   `sum over observed (u, i) of (R[u, i] - P[u] @ Q[i])**2 + reg * (sum(P**2) + sum(Q**2))`,
#   with `reg > 0`.
# - *One iteration?* First every user vector, the exact minimiser with `Q` fixed (a small
#   ridge regression on the items that user rated); then every item vector, the exact
#   minimiser with the new `P` fixed.
# - *Start?* Small random vectors from `np.random.default_rng(seed)`; the same seed gives
#   the same result.
# - *What do I return?* `P`, `Q` after `n_iters >= 1` iterations, and `objective_history`
#   of shape `(n_iters,)`: the objective after each full iteration.
# - *A user or item with no rating?* Its exact minimiser is the zero vector.
# - *How will you check it?* The objective must never go up, and the last item update must
#   be the exact ridge solution given your `P`.
# </details>

# %% nbgrader="solution" grade_id="als"
### BEGIN SOLUTION
import numpy as np


def als(R_observed_mask, R, n_factors, reg, n_iters, seed):
    mask = np.asarray(R_observed_mask, dtype=bool)
    R = np.asarray(R, dtype=float)
    rng = np.random.default_rng(seed)
    P = rng.normal(0.0, 0.1, size=(mask.shape[0], n_factors))
    Q = rng.normal(0.0, 0.1, size=(mask.shape[1], n_factors))
    ridge = reg * np.eye(n_factors)

    def solve_rows(fixed, row_mask, values):
        solved = np.zeros((row_mask.shape[0], n_factors))
        for row in range(row_mask.shape[0]):
            seen = row_mask[row]
            F = fixed[seen]
            solved[row] = np.linalg.solve(F.T @ F + ridge, F.T @ values[row, seen])
        return solved

    history = []
    for _ in range(n_iters):
        P = solve_rows(Q, mask, R)
        Q = solve_rows(P, mask.T, R.T)
        residuals = (R - P @ Q.T)[mask]
        history.append(np.sum(residuals ** 2) + reg * (np.sum(P ** 2) + np.sum(Q ** 2)))
    return P, Q, np.array(history)
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-als_exact_half_steps" points=4
import numpy as np

_R = np.outer([1.0, 2.0, 3.0, 4.0], [1.0, 0.5, 2.0])
_P, _Q, _h = als(np.ones_like(_R, dtype=bool), _R, 1, 0.01, 10, seed=0)
assert np.shape(_P) == (4, 1) and np.shape(_Q) == (3, 1) and np.shape(_h) == (10,), \
    "return P (n_users, n_factors), Q (n_items, n_factors) and one objective per iteration"
assert np.allclose(np.asarray(_P) @ np.asarray(_Q).T, _R, atol=0.05), "a rank-one matrix should be fitted closely"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(4242)
_n_users, _n_items, _k, _reg = 30, 20, 3, 0.5
_truth = _rng.normal(size=(_n_users, 2)) @ _rng.normal(size=(2, _n_items)) + _rng.normal(scale=0.3, size=(_n_users, _n_items))
_mask = _rng.random((_n_users, _n_items)) < 0.4
_R = np.where(_mask, _truth, np.nan)
_P, _Q, _h = als(_mask.copy(), _R.copy(), _k, _reg, 12, seed=5)
_P, _Q, _h = (np.asarray(_a, dtype=float) for _a in (_P, _Q, _h))
assert _P.shape == (_n_users, _k) and _Q.shape == (_n_items, _k) and _h.shape == (12,), \
    "P, Q and objective_history have the wrong shapes"
assert np.all(np.isfinite(_P)) and np.all(np.isfinite(_Q)) and np.all(np.isfinite(_h)), \
    "NaN in the result: R is NaN where nothing was observed, so use only the observed entries"
_expected_objective = np.sum((_truth - _P @ _Q.T)[_mask] ** 2) + _reg * (np.sum(_P ** 2) + np.sum(_Q ** 2))
assert np.isclose(_h[-1], _expected_objective, rtol=1e-8), \
    "the last objective must be the squared error on observed entries plus reg * (sum P^2 + sum Q^2), after the iteration"
assert np.all(np.diff(_h) <= 1e-9 * np.abs(_h[:-1])), \
    "the objective went up: each half-step must be the exact minimiser given the other side"
for _item in range(_n_items):
    _F = _P[_mask[:, _item]]
    _best = np.linalg.solve(_F.T @ _F + _reg * np.eye(_k), _F.T @ _truth[_mask[:, _item], _item])
    assert np.allclose(_Q[_item], _best, atol=1e-7), \
        "an item vector is not the ridge solution given the final P: solve with the users who rated " \
        "that item only, add reg * I, and update Q after P within each iteration"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-als_empty_rows_and_seeds" points=2
import numpy as np

_mask = np.array([[1, 0, 1], [0, 0, 0], [1, 1, 0]])
_P, _Q, _h = als(_mask, np.where(_mask == 1, 3.0, np.nan), 2, 0.1, 3, seed=1)
assert np.allclose(np.asarray(_P)[1], 0.0), "a user with no rating gets the zero vector"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(12)
_mask = _rng.random((8, 6)) < 0.5
_mask[3] = False
_mask[:, 4] = False
_mask[0, 0] = True
_R = np.where(_mask, _rng.normal(size=(8, 6)), np.nan)
_P, _Q, _h = (np.asarray(_a, dtype=float) for _a in als(_mask, _R.copy(), 4, 0.2, 5, seed=2))
assert np.all(np.isfinite(_P)) and np.all(np.isfinite(_Q)), \
    "users with fewer ratings than factors need reg * I to keep the solve well posed"
assert np.allclose(_P[3], 0.0) and np.allclose(_Q[4], 0.0), \
    "a user or item without any rating must end as the zero vector (the exact minimiser)"
_again = als(_mask, _R.copy(), 4, 0.2, 5, seed=2)
assert np.allclose(np.asarray(_again[0], dtype=float), _P) and np.allclose(np.asarray(_again[1], dtype=float), _Q), \
    "the same seed must give the same factors: draw the start from default_rng(seed)"
_P1, _Q1, _h1 = als(_mask, _R.copy(), 4, 0.2, 1, seed=2)
assert np.shape(_h1) == (1,), "with n_iters = 1 the history holds one objective"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(0)
_truth = _rng.normal(size=(60, 3)) @ _rng.normal(size=(3, 40))
_mask = _rng.random((60, 40)) < 0.3
for _reg in (0.1, 1.0, 10.0):
    _, _, _h = als(_mask, np.where(_mask, _truth, np.nan), 3, _reg, 15, seed=0)
    plt.semilogy(np.arange(1, 16), _h, marker=".", label=f"reg = {_reg}")
plt.xlabel("iteration")
plt.ylabel("objective")
plt.legend()
plt.title("Your ALS: the objective never goes up")
plt.show()
