# %% [markdown]
# ## Gaussian naive Bayes
#
# *"Write Gaussian naive Bayes: learn it from the training set and give me, for each query,
# the predicted class and the log-probability of every class."*
#
# Call shape: `gnb_fit_predict(X_train, y_train, X_query, var_smoothing)` returns
# `(labels, log_proba)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *Inputs?* `X_train` of shape `(n_train, n_features)`, integer labels `y_train` (not
#   necessarily `0..c-1`), `X_query` of shape `(n_queries, n_features)`, and
#   `var_smoothing > 0`. At least one feature of `X_train` is not constant.
# - *Classes?* The sorted distinct labels of `y_train`; column `j` of `log_proba` belongs to
#   the `j`-th of them.
# - *What is learnt?* For each class: its prior, the fraction of training rows with that
#   label; and for each feature, the mean and the variance of that class's rows. Variances
#   are population variances (divide by the count, not the count minus one), and every one
#   of them gets `epsilon = var_smoothing * (largest per-feature variance of all of X_train)`
#   added, so a class with one sample or a constant feature still works.
# - *What is `log_proba`?* The log of the posterior `P(class | x)` under the naive
#   (independent features) Gaussian model, shape `(n_queries, n_classes)`: each row's
#   exponentials sum to one.
# - *Far-away queries?* A query thousands of standard deviations from every class must
#   still give finite log-probabilities, normalised, without warnings. Work in log space.
# - *And `labels`?* The class with the highest posterior, ties to the smallest label, as an
#   integer array of shape `(n_queries,)`.
# - *Complexity?* O(n·d) to fit, O(n_queries·c·d) to predict.
# </details>

# %% nbgrader="solution" grade_id="gaussian_naive_bayes"
### BEGIN SOLUTION
import numpy as np


def gnb_fit_predict(X_train, y_train, X_query, var_smoothing):
    X_train = np.asarray(X_train, dtype=float)
    X_query = np.asarray(X_query, dtype=float)
    classes, codes = np.unique(np.asarray(y_train), return_inverse=True)
    epsilon = var_smoothing * X_train.var(axis=0).max()
    means = np.array([X_train[codes == c].mean(axis=0) for c in range(len(classes))])
    variances = np.array([X_train[codes == c].var(axis=0) for c in range(len(classes))]) + epsilon
    log_priors = np.log(np.bincount(codes) / len(codes))
    gaps = (X_query[:, None, :] - means[None, :, :]) ** 2 / variances[None, :, :]
    joint = log_priors - 0.5 * (np.log(2 * np.pi * variances).sum(axis=1) + gaps.sum(axis=2))
    peak = joint.max(axis=1, keepdims=True)
    log_evidence = peak + np.log(np.exp(joint - peak).sum(axis=1, keepdims=True))
    log_proba = joint - log_evidence
    return classes[log_proba.argmax(axis=1)].astype(int), log_proba
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-gaussian_naive_bayes_posteriors" points=4
import numpy as np

_X = np.array([[0.0], [0.5], [1.0], [5.0], [5.5], [6.0]])
_labels, _log_proba = gnb_fit_predict(_X, np.array([0, 0, 0, 1, 1, 1]), np.array([[0.2], [5.8]]), 1e-9)
assert np.array_equal(np.asarray(_labels), [0, 1]), "each query sits inside one class"
assert np.asarray(_log_proba).shape == (2, 2), "log_proba has one row per query and one column per class"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(808)
_X = np.vstack([_rng.normal([0, 2, -1], [1.0, 0.5, 2.0], size=(30, 3)),
                _rng.normal([2, 0, 1], [0.7, 1.5, 1.0], size=(50, 3)),
                _rng.normal([-1, -1, 3], [1.2, 0.8, 0.6], size=(20, 3))])
_y = np.repeat([3, 8, 11], [30, 50, 20])
_Q = _rng.normal(scale=2.0, size=(40, 3))
# The posterior computed here, one class at a time, straight from the stated model.
_eps = 1e-3 * np.max(np.var(_X, axis=0))
_joint = np.zeros((40, 3))
for _j, _c in enumerate([3, 8, 11]):
    _rows = _X[_y == _c]
    _mu, _var = _rows.mean(axis=0), _rows.var(axis=0) + _eps
    _joint[:, _j] = np.log(len(_rows) / 100) + np.sum(
        -0.5 * np.log(2 * np.pi * _var) - (_Q - _mu) ** 2 / (2 * _var), axis=1)
_expected = _joint - np.logaddexp.reduce(_joint, axis=1, keepdims=True)
_labels, _log_proba = gnb_fit_predict(_X.copy(), _y.copy(), _Q.copy(), 1e-3)
_labels, _log_proba = np.asarray(_labels), np.asarray(_log_proba, dtype=float)
assert _labels.shape == (40,) and _log_proba.shape == (40, 3), \
    "labels (n_queries,) and log_proba (n_queries, n_classes), classes in sorted order"
assert np.allclose(np.exp(_log_proba).sum(axis=1), 1.0), "each row of exp(log_proba) must sum to one"
assert np.allclose(_log_proba, _expected, atol=1e-8), \
    "the log-posteriors differ from the stated model: population variances (ddof = 0) plus epsilon, " \
    "class priors included, normalised over classes"
assert np.array_equal(_labels, np.array([3, 8, 11])[np.argmax(_expected, axis=1)]), \
    "labels must be the sorted classes at each row's highest posterior"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-gaussian_naive_bayes_far_and_degenerate" points=3
import numpy as np
import warnings

_X = np.array([[0.0], [1.0], [10.0], [11.0]])
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        _labels, _log_proba = gnb_fit_predict(_X, np.array([1, 1, 2, 2]), np.array([[5000.0]]), 1e-9)
    except (RuntimeWarning, FloatingPointError) as _warning:
        raise AssertionError(f"a far-away query raised a warning ({_warning}): work in log space") from None
assert np.all(np.isfinite(np.asarray(_log_proba, dtype=float))), "a far-away query needs finite log-probabilities"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(9)
_X = np.vstack([_rng.normal(0, 1, size=(10, 2)), _rng.normal(4, 1, size=(10, 2)), [[2.0, 9.0]]])
_X[:10, 1] = 1.5
_y = np.array([5] * 10 + [0] * 10 + [7])
_Q = np.array([[2e4, -3e4], [-5e3, 1e4], [2.0, 9.0], [0.0, 1.5]])
_before_X, _before_Q = _X.copy(), _Q.copy()
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        _labels, _log_proba = gnb_fit_predict(_X, _y, _Q, 1e-2)
    except (RuntimeWarning, FloatingPointError) as _warning:
        raise AssertionError(f"far queries or a one-sample class raised a warning ({_warning}): "
                             "normalise with the log-sum-exp trick") from None
_labels, _log_proba = np.asarray(_labels), np.asarray(_log_proba, dtype=float)
assert np.array_equal(_X, _before_X) and np.array_equal(_Q, _before_Q), "the inputs were modified"
assert _log_proba.shape == (4, 3) and np.all(np.isfinite(_log_proba)), \
    "far queries, a constant feature and a one-sample class must still give finite log-probabilities"
assert np.allclose(np.exp(_log_proba).sum(axis=1), 1.0), "each row of exp(log_proba) must sum to one, even far away"
assert _labels[2] == 7 and _labels[3] == 5, "a query on a class's own data should be given that class"
# A query exactly between two mirror-image classes is a tie: the smallest label wins.
_X = np.array([[-2.0], [-1.0], [1.0], [2.0]])
_labels, _log_proba = gnb_fit_predict(_X, np.array([9, 9, 4, 4]), np.array([[0.0]]), 1e-9)
assert np.allclose(np.asarray(_log_proba, dtype=float), np.log(0.5)) and int(np.asarray(_labels)[0]) == 4, \
    "a query exactly between two mirror-image classes has posterior 1/2 each, and the tie goes to the smallest label"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_rng = np.random.default_rng(14)
_X = np.vstack([_rng.normal([0, 0], [1.0, 0.4], size=(80, 2)), _rng.normal([2, 1.5], [0.5, 1.2], size=(80, 2))])
_y = np.repeat([0, 1], 80)
_grid = np.linspace(-3.5, 5, 150)
_xx, _yy = np.meshgrid(_grid, _grid)
_, _log_proba = gnb_fit_predict(_X, _y, np.column_stack([_xx.ravel(), _yy.ravel()]), 1e-9)
plt.contourf(_xx, _yy, np.exp(np.asarray(_log_proba)[:, 1]).reshape(_xx.shape), levels=20, cmap="RdBu_r", alpha=0.6)
plt.colorbar(label="P(class 1 | x)")
plt.scatter(_X[:, 0], _X[:, 1], c=_y, cmap="RdBu_r", edgecolors="k", s=12)
plt.title("Your naive Bayes posterior: curved boundaries from per-class variances")
plt.show()
