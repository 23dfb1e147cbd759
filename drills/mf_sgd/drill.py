# %% [markdown]
# ## Matrix factorisation by SGD
#
# *"We have a list of (user, item, rating) triples, a tiny fraction of all
# possible pairs. Learn a user vector and an item vector for each id with
# stochastic gradient descent so that their dot product predicts the rating."*
#
# Call shape: `factorize_sgd(ratings, n_users, n_items, n_factors, learning_rate, reg, epochs, seed)`
# returns `(P, Q, rmse_history)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is `ratings`?* An array (or list) of shape `(n_ratings, 3)`: user id, item id,
#   rating. Ids are integers in `0..n_users-1` and `0..n_items-1`, stored as numbers. There
#   is at least one rating, and no pair appears twice.
# - *How big?* Millions of users and items, a few thousand ratings. A dense
#   `n_users x n_items` matrix does not fit in memory: never build one.
# - *The model?* The prediction for `(u, i)` is `P[u] @ Q[i]`; no biases, no global mean.
# - *Initialisation?* Small random numbers (normal, scale 0.1, say) from
#   `np.random.default_rng(seed)`, not zeros. The same seed gives the same result.
# - *The update?* One epoch visits every rating once in a fresh random order (from the
#   same generator). For rating `r` of `(u, i)`, with `error = r - P[u] @ Q[i]`:
#   `P[u] += learning_rate * (error * Q[i] - reg * P[u])` and
#   `Q[i] += learning_rate * (error * P[u] - reg * Q[i])`, both using the vectors from
#   before this step.
# - *What do I return?* `P` of shape `(n_users, n_factors)`, `Q` of shape
#   `(n_items, n_factors)`, and `rmse_history` of shape `(epochs,)`: the RMSE over the
#   training ratings measured after each epoch. `epochs` may be 0 (then `P` and `Q` are
#   the starting vectors).
# - *Users or items with no rating?* Their vectors stay exactly as initialised.
# - *Complexity?* One epoch costs O(n_ratings · n_factors); nothing may scale with
#   `n_users * n_items`.
# </details>

# %% nbgrader="solution" grade_id="mf_sgd"
### BEGIN SOLUTION
import numpy as np


def factorize_sgd(ratings, n_users, n_items, n_factors, learning_rate, reg, epochs, seed):
    ratings = np.asarray(ratings, dtype=float).reshape(-1, 3)
    users = ratings[:, 0].astype(int)
    items = ratings[:, 1].astype(int)
    values = ratings[:, 2]
    rng = np.random.default_rng(seed)
    P = rng.normal(0.0, 0.1, size=(n_users, n_factors))
    Q = rng.normal(0.0, 0.1, size=(n_items, n_factors))
    history = []
    for _ in range(epochs):
        for index in rng.permutation(len(values)):
            u, i = users[index], items[index]
            error = values[index] - P[u] @ Q[i]
            p_before = P[u].copy()
            P[u] += learning_rate * (error * Q[i] - reg * P[u])
            Q[i] += learning_rate * (error * p_before - reg * Q[i])
        predictions = np.einsum("ij,ij->i", P[users], Q[items])
        history.append(np.sqrt(np.mean((values - predictions) ** 2)))
    return P, Q, np.array(history)
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-mf_sgd_training" points=4
import numpy as np

_tiny = [(0, 0, 5.0), (0, 1, 3.0), (1, 0, 4.0), (1, 1, 1.0), (2, 1, 2.0)]
_P, _Q, _h = factorize_sgd(_tiny, 3, 2, 2, 0.05, 0.0, 150, seed=0)
assert np.shape(_P) == (3, 2) and np.shape(_Q) == (2, 2) and np.shape(_h) == (150,), \
    "return P (n_users, n_factors), Q (n_items, n_factors) and one RMSE per epoch"
assert _h[-1] < 0.5 * _h[0], "the training RMSE should fall a lot over 150 epochs"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(777)
_n_users, _n_items = 20, 15
_full = _rng.uniform(0.5, 1.5, size=(_n_users, 2)) @ _rng.uniform(0.5, 1.5, size=(_n_items, 2)).T \
    + _rng.normal(scale=0.1, size=(_n_users, _n_items))
_u, _i = np.nonzero(_rng.random((_n_users, _n_items)) < 0.5)
_ratings = np.column_stack([_u, _i, _full[_u, _i]])
_baseline = np.sqrt(np.mean((_ratings[:, 2] - _ratings[:, 2].mean()) ** 2))
_P, _Q, _h = factorize_sgd(_ratings.copy(), _n_users, _n_items, 3, 0.05, 0.01, 25, seed=3)
_P, _Q, _h = (np.asarray(_a, dtype=float) for _a in (_P, _Q, _h))
assert _P.shape == (_n_users, 3) and _Q.shape == (_n_items, 3), "P and Q must have one row per user and per item"
assert _h.shape == (25,) and np.all(np.isfinite(_h)), "rmse_history must hold one finite RMSE per epoch"
_rmse = np.sqrt(np.mean((_ratings[:, 2] - np.sum(_P[_u] * _Q[_i], axis=1)) ** 2))
assert np.isclose(_h[-1], _rmse, rtol=1e-6), \
    "the last RMSE must be measured on the training ratings with the returned P and Q, after the epoch"
assert _h[-1] < 0.5 * _h[0], "the training RMSE should fall: is the error r - P[u] @ Q[i] and the update a step down?"
assert _rmse < 0.5 * _baseline, \
    "the model should fit the training ratings far better than predicting their mean"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-mf_sgd_unrated_and_zero_epochs" points=2
import numpy as np

_P, _Q, _h = factorize_sgd([(0, 0, 3.0)], 2, 2, 2, 0.1, 0.0, 0, seed=1)
assert np.shape(_h) == (0,) and np.shape(_P) == (2, 2), "with epochs = 0 return the starting P, Q and an empty history"
### BEGIN HIDDEN TESTS
_ratings = np.array([[0, 1, 4.0], [2, 1, 2.0], [2, 3, 5.0], [4, 0, 1.0]])
_start_P, _start_Q, _ = factorize_sgd(_ratings.copy(), 6, 5, 3, 0.05, 0.1, 0, seed=9)
_P, _Q, _h = factorize_sgd(_ratings.copy(), 6, 5, 3, 0.05, 0.1, 20, seed=9)
_start_P, _start_Q, _P, _Q = (np.asarray(_a, dtype=float) for _a in (_start_P, _start_Q, _P, _Q))
_P2, _Q2, _ = factorize_sgd(_ratings.copy(), 6, 5, 3, 0.05, 0.1, 20, seed=9)
assert np.allclose(np.asarray(_P2, dtype=float), _P) and np.allclose(np.asarray(_Q2, dtype=float), _Q), \
    "the same seed must give the same factors: draw the start and the shuffles from default_rng(seed)"
assert np.allclose(_start_P[[1, 3, 5]], _P[[1, 3, 5]]) and np.allclose(_start_Q[[2, 4]], _Q[[2, 4]]), \
    "users and items without a rating must keep their starting vectors: update only the observed pairs"
assert not np.allclose(_start_P[[0, 2, 4]], _P[[0, 2, 4]]), "rated users' vectors should move during training"
assert np.any(_start_P != 0), "start from small random vectors, not zeros (zero is a saddle point)"
_as_list = [tuple(_row) for _row in _ratings]
_P3, _, _ = factorize_sgd(_as_list, 6, 5, 3, 0.05, 0.1, 20, seed=9)
assert np.allclose(np.asarray(_P3, dtype=float), _P), "ratings given as a list of tuples must work the same"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="code_quality-mf_sgd_sparse_only" points=2
import numpy as np

_P, _Q, _h = factorize_sgd([(3, 7, 4.0), (9, 2, 2.0)], 10, 10, 2, 0.05, 0.0, 3, seed=0)
assert np.shape(_h) == (3,), "one RMSE per epoch"
### BEGIN HIDDEN TESTS
# 300,000 users and items: a dense ratings matrix would need 720 GB. Where the platform allows,
# the address space is capped for this call, so a dense matrix fails at once on any machine.
_rng = np.random.default_rng(8)
_n = 300_000
_ratings = np.column_stack([_rng.choice(_n, 150, replace=False), _rng.choice(_n, 150, replace=False),
                            _rng.integers(1, 6, 150)]).astype(float)
try:
    import resource as _resource

    _limits = _resource.getrlimit(_resource.RLIMIT_AS)
    with open("/proc/self/status") as _status:
        _used = next(int(_line.split()[1]) * 1024 for _line in _status if _line.startswith("VmSize:"))
    _cap = _used + 4 * 1024 ** 3
    if _limits[0] == _resource.RLIM_INFINITY or _cap < _limits[0]:
        _resource.setrlimit(_resource.RLIMIT_AS, (_cap if _limits[1] == _resource.RLIM_INFINITY
                                                  else min(_cap, _limits[1]), _limits[1]))
except (ImportError, AttributeError, OSError, ValueError, StopIteration):
    _limits = None
try:
    _P, _Q, _h = factorize_sgd(_ratings, _n, _n, 2, 0.05, 0.01, 3, seed=0)
except MemoryError:
    raise AssertionError("factorize_sgd ran out of memory on a large, sparse catalogue: "
                         "work with the observed triples only, never a users x items matrix") from None
finally:
    if _limits is not None:
        _resource.setrlimit(_resource.RLIMIT_AS, _limits)
assert np.shape(_P) == (_n, 2) and np.shape(_Q) == (_n, 2) and np.shape(_h) == (3,), \
    "P and Q need one row per id even when most ids have no rating"
assert np.all(np.isfinite(np.asarray(_h, dtype=float))), "the RMSE history must be finite"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(1)
_full = _rng.uniform(0.5, 1.5, size=(30, 2)) @ _rng.uniform(0.5, 1.5, size=(25, 2)).T
_u, _i = np.nonzero(_rng.random((30, 25)) < 0.3)
_ratings = np.column_stack([_u, _i, _full[_u, _i] + _rng.normal(scale=0.1, size=len(_u))])
_, _, _h = factorize_sgd(_ratings, 30, 25, 3, 0.05, 0.01, 20, seed=0)
plt.plot(np.arange(1, len(_h) + 1), _h, marker=".", label="your training RMSE")
plt.axhline(_ratings[:, 2].std(), color="grey", linestyle="--", label="predicting the mean rating")
plt.xlabel("epoch")
plt.ylabel("RMSE on the observed ratings")
plt.legend()
plt.title("Matrix factorisation by SGD")
plt.show()
