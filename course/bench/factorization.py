"""Section 2: lesson 07's per-rating SGD against the benchmark's own vectorised ALS."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from scipy import sparse

from .measure import Row, Section, load_solutions, paired

RATINGS_SHAPE = (2_000, 1_000, 0.0625)  # users, items, density: about 100k ratings to train on
MF_EPOCHS = 20


class ALSFactorization:
    """The benchmark's own vectorised variant: biased matrix factorisation by alternating least squares.

    Same model as lesson 07 (``mu + b_u + b_i + p_u . q_i``). One epoch solves,
    for all users at once, the ridge problem of each user's ``[p_u, b_u]``
    with the items fixed, then the same for the items. Each user's normal
    equations sum ``x_i x_i^T`` over the items they rated: a sparse
    (users x items) indicator times the per-item outer products, so an epoch
    costs O(nnz k^2 + (users + items) k^3) and never builds a dense rating grid.

    Parameters
    ----------
    n_factors : int
        Length ``k`` of every user and item vector.
    reg : float
        L2 penalty per observed rating (weighted-lambda ALS), on biases and factors.
    n_epochs : int
        Number of user-then-item sweeps.
    random_state : int
        Seed of the initial item factors.
    """

    def __init__(self, n_factors: int = 10, reg: float = 0.05, n_epochs: int = MF_EPOCHS, random_state: int = 0):
        self.n_factors, self.reg, self.n_epochs, self.random_state = n_factors, reg, n_epochs, random_state

    def fit(self, ratings: np.ndarray) -> ALSFactorization:
        """Learn the model from rows of (user id, item id, rating); ids must be integers 0..n-1."""
        users, items, values = ratings[:, 0].astype(int), ratings[:, 1].astype(int), ratings[:, 2]
        shape = (users.max() + 1, items.max() + 1)
        rated = sparse.csr_matrix((np.ones(len(values)), (users, items)), shape=shape)
        rng = np.random.default_rng(self.random_state)
        self.global_mean_ = float(values.mean())
        self.item_factors_ = rng.normal(scale=0.1, size=(shape[1], self.n_factors))
        self.item_bias_ = np.zeros(shape[1])
        self.train_rmse_history_: list[float] = []
        for _ in range(self.n_epochs):
            residual = values - self.global_mean_ - self.item_bias_[items]
            self.user_factors_, self.user_bias_ = self._half_step(rated, users, items, residual, self.item_factors_)
            residual = values - self.global_mean_ - self.user_bias_[users]
            self.item_factors_, self.item_bias_ = self._half_step(
                rated.T.tocsr(), items, users, residual, self.user_factors_
            )
            self.train_rmse_history_.append(float(np.sqrt(np.mean((values - self.predict(users, items)) ** 2))))
        return self

    def _half_step(
        self, rated: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray, residual: np.ndarray, other: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Solve every row's ridge problem for ``[factors, bias]`` with the other side's factors fixed."""
        design = np.hstack([other, np.ones((len(other), 1))])  # the bias is the weight of a ones column
        d = design.shape[1]
        gram = (rated @ (design[:, :, None] * design[:, None, :]).reshape(len(other), d * d)).reshape(-1, d, d)
        rhs = sparse.csr_matrix((residual, (rows, cols)), shape=rated.shape) @ design
        counts = np.asarray(rated.sum(axis=1)).ravel()
        # the count-weighted penalty also keeps a row without ratings at zero instead of singular
        penalty = self.reg * np.maximum(counts, 1.0)[:, None, None] * np.eye(d)
        solution = np.linalg.solve(gram + penalty, rhs[:, :, None])[:, :, 0]
        return solution[:, :-1], solution[:, -1]

    def predict(self, users: np.ndarray, items: np.ndarray) -> np.ndarray:
        """Predicted ratings for known integer ids."""
        users, items = np.asarray(users, dtype=int), np.asarray(items, dtype=int)
        return (
            self.global_mean_
            + self.user_bias_[users]
            + self.item_bias_[items]
            + np.einsum("nk,nk->n", self.user_factors_[users], self.item_factors_[items])
        )


def bench_factorization(
    root: Path, repeats: int, shape: tuple[int, int, float] = RATINGS_SHAPE, timing_epochs: int = 2
) -> Section:
    """Section 2: seconds per epoch and RMSE of the lesson's SGD loop and of ALS."""
    section = Section(
        "Matrix factorisation",
        ("ratings", "s / epoch", "epoch time ratio", "train RMSE", "held-out RMSE"),
        notes=[
            f"Ratings from lesson 07's `make_ratings` ({shape[0]:,} users x {shape[1]:,} items, "
            f"density {shape[2]}), 80 % to train. RMSE after {MF_EPOCHS} epochs for both, 10 factors. "
            "The ALS variant is the benchmark's own (course/bench/factorization.py), not lesson code. "
            f"Seconds per epoch: median over {repeats} fits of {timing_epochs} epochs; ratio: "
            "SGD / ALS within each run."
        ],
    )
    lesson = "07_recsys_streaming"
    if not (root / "source" / lesson / f"{lesson}.ipynb").is_file():
        section.notes.append(f"Not measured: lesson {lesson} is not in source/ yet; this section runs once it lands.")
        return section
    ns = load_solutions(root, lesson)
    ratings = ns["make_ratings"](n_users=shape[0], n_items=shape[1], density=shape[2], random_state=0)
    cut = int(0.8 * len(ratings))
    train, valid = ratings[:cut], ratings[cut:]
    # held-out pairs whose user or item never appears in training would test cold start, not the fit
    seen = np.isin(valid[:, 0], train[:, 0]) & np.isin(valid[:, 1], train[:, 1])
    valid = valid[seen]
    sgd = ns["MatrixFactorization"](n_factors=10, n_epochs=MF_EPOCHS, random_state=0).fit(train)
    als = ALSFactorization(n_factors=10, n_epochs=MF_EPOCHS).fit(train)
    ratio, sgd_seconds = paired(
        lambda: ns["MatrixFactorization"](n_factors=10, n_epochs=timing_epochs).fit(train),
        lambda: ALSFactorization(n_factors=10, n_epochs=timing_epochs).fit(train),
        repeats,
    )
    for name, model, per_epoch, epoch_ratio in (
        ("MatrixFactorization (lesson 07, per-rating SGD)", sgd, sgd_seconds / timing_epochs, ratio),
        ("ALSFactorization (benchmark's own, vectorised)", als, sgd_seconds / timing_epochs / ratio, 1.0),
    ):
        held_out = float(np.sqrt(np.mean((valid[:, 2] - model.predict(valid[:, 0], valid[:, 1])) ** 2)))
        section.rows.append(
            Row(
                name,
                f"{len(train):,} train",
                {
                    "ratings": float(len(train)),
                    "s / epoch": per_epoch,
                    "epoch time ratio": epoch_ratio,
                    "train RMSE": model.train_rmse_history_[-1],
                    "held-out RMSE": held_out,
                },
            )
        )
    return section
