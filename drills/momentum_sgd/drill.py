# %% [markdown]
# ## Gradient descent with momentum
#
# *"Plain gradient descent crawls along narrow valleys. Add heavy-ball momentum:
# run it for a number of steps and hand me the path."*
#
# Call shape: `sgd_momentum(grad_fn, x0, learning_rate, momentum, n_steps)` returns the path.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What are the inputs?* `x0` is a 1-D float array (or list) of shape `(d,)`; leave it
#   unchanged. `grad_fn(x)` returns the gradient at `x`, same shape. `0 <= momentum < 1`.
# - *Which form of momentum?* Heavy ball. The velocity starts at zero; each step takes
#   the gradient `g` at the current point, then `velocity = momentum * velocity - learning_rate * g`
#   and `x = x + velocity`. Not Nesterov, and no dampening factor on the gradient.
# - *What do I return?* A float array of shape `(n_steps + 1, d)`: row 0 is `x0`, row `t`
#   the point after step `t`. `n_steps` may be 0.
# - *Stochastic?* The gradient function is whatever you are handed (full or mini-batch);
#   you just call it once per step.
# - *How will you check it?* Step by step against that recurrence, and on a narrow valley
#   where momentum should beat plain gradient descent with the same step size.
# </details>

# %% nbgrader="solution" grade_id="momentum_sgd"
### BEGIN SOLUTION
import numpy as np


def sgd_momentum(grad_fn, x0, learning_rate, momentum, n_steps):
    x = np.array(x0, dtype=float)
    velocity = np.zeros_like(x)
    path = [x.copy()]
    for _ in range(n_steps):
        gradient = np.asarray(grad_fn(x), dtype=float)
        velocity = momentum * velocity - learning_rate * gradient
        x = x + velocity
        path.append(x)
    return np.array(path)
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-momentum_sgd_recurrence" points=4
import numpy as np

_path = np.asarray(sgd_momentum(lambda _x: 2 * np.asarray(_x), np.array([1.0]), 0.1, 0.9, 2), dtype=float)
assert _path.shape == (3, 1), "return n_steps + 1 rows (x0 first), one column per coordinate"
assert np.allclose(_path[:, 0], [1.0, 0.8, 0.46]), \
    "on f(x) = x^2 from 1 with learning_rate 0.1 and momentum 0.9 the path starts 1, 0.8, 0.46"
### BEGIN HIDDEN TESTS
_rng = np.random.default_rng(1618)
for _mu in (0.0, 0.5, 0.9):
    _M = _rng.normal(size=(3, 3))
    _A = _M @ _M.T + np.eye(3)
    _centre = _rng.normal(size=3)
    _x0 = _rng.normal(size=3)
    _grad = lambda _x, _A=_A, _centre=_centre: _A @ (np.asarray(_x, dtype=float) - _centre)
    _lr = 0.5 / np.linalg.eigvalsh(_A).max()
    # The same method written with the previous point instead of a velocity (Polyak's form).
    _previous, _current = _x0.copy(), _x0.copy()
    _expected = [_x0.copy()]
    for _step in range(50):
        _previous, _current = _current, _current - _lr * _grad(_current) + _mu * (_current - _previous)
        _expected.append(_current)
    _expected = np.array(_expected)
    _path = np.asarray(sgd_momentum(_grad, _x0.copy(), _lr, _mu, 50), dtype=float)
    assert _path.shape == (51, 3), "the path must have shape (n_steps + 1, d)"
    assert np.allclose(_path, _expected, rtol=1e-9, atol=1e-12), \
        "the path departs from heavy-ball momentum: gradient at the current point (not a look-ahead), " \
        "velocity = momentum * velocity - learning_rate * gradient, no (1 - momentum) factor, a copy per row"
# A narrow valley (condition number 100): momentum gets much closer than plain descent.
_A = np.diag([1.0, 100.0])
_grad = lambda _x: _A @ np.asarray(_x, dtype=float)
_plain = np.asarray(sgd_momentum(_grad, [1.0, 1.0], 0.01, 0.0, 200), dtype=float)
_heavy = np.asarray(sgd_momentum(_grad, [1.0, 1.0], 0.01, 0.8, 200), dtype=float)
assert np.linalg.norm(_heavy[-1]) < 1e-3 and np.linalg.norm(_heavy[-1]) < 0.01 * np.linalg.norm(_plain[-1]), \
    "on a narrow valley momentum 0.8 should end far closer to the minimum than plain gradient descent"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-momentum_sgd_inputs" points=2
import numpy as np

_path = np.asarray(sgd_momentum(lambda _x: np.ones(2), [3.0, 4.0], 0.1, 0.5, 0), dtype=float)
assert _path.shape == (1, 2) and np.allclose(_path[0], [3.0, 4.0]), "with n_steps = 0 return x0 alone, as one row"
### BEGIN HIDDEN TESTS
_x0 = np.array([1.0, -1.0])
_copy = _x0.copy()
_path = np.asarray(sgd_momentum(lambda _x: np.array([1.0, 2.0]), _x0, 0.1, 0.5, 3), dtype=float)
assert np.array_equal(_x0, _copy), "sgd_momentum changed x0 in place: work on a copy"
# A constant gradient: the velocity grows 0.1, 0.15, 0.175 times the gradient.
_steps = np.array([0.1, 0.15, 0.175])
_expected = _copy - np.cumsum(_steps)[:, None] * np.array([1.0, 2.0])
assert _path.shape == (4, 2) and np.allclose(_path[1:], _expected), \
    "under a constant gradient the velocity must build up geometrically (momentum * velocity - learning_rate * g)"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_A = np.diag([1.0, 25.0])
_grid_u, _grid_v = np.meshgrid(np.linspace(-2.2, 2.2, 150), np.linspace(-1.2, 1.2, 150))
plt.contour(_grid_u, _grid_v, 0.5 * (_grid_u ** 2 + 25 * _grid_v ** 2), levels=15, cmap="Greys")
for _mu, _colour in [(0.0, "tab:blue"), (0.8, "tab:red")]:
    _path = np.asarray(sgd_momentum(lambda _x: _A @ _x, [-2.0, 1.0], 0.035, _mu, 60))
    plt.plot(_path[:, 0], _path[:, 1], ".-", color=_colour, markersize=3, label=f"momentum {_mu}")
plt.legend()
plt.title("Your paths: 60 steps with and without momentum")
plt.show()
