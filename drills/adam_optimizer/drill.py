# %% [markdown]
# ## The Adam optimiser
#
# *"Implement Adam from memory: given a gradient function and a starting point,
# run it for a fixed number of steps and give me every point it visits."*
#
# Call shape: `adam(grad_fn, x0, learning_rate, n_steps, beta1=0.9, beta2=0.999, eps=1e-8)`
# returns the trajectory.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What are the inputs?* `x0` is a 1-D float array (or list) of shape `(d,)`; leave it
#   unchanged. `grad_fn(x)` takes such an array and returns the gradient, same shape.
#   Call it once per step, at the current point.
# - *What do I return?* A float array of shape `(n_steps + 1, d)`: row 0 is `x0`, row `t`
#   the point after step `t`. `n_steps` may be 0.
# - *Which version of Adam?* The textbook one. Moments start at zero; at step
#   `t = 1, 2, ...` with gradient `g`: `m = beta1 * m + (1 - beta1) * g`,
#   `v = beta2 * v + (1 - beta2) * g**2`, bias-corrected
#   `m_hat = m / (1 - beta1**t)`, `v_hat = v / (1 - beta2**t)`, and
#   `x = x - learning_rate * m_hat / (sqrt(v_hat) + eps)`, all element-wise.
# - *Learning-rate schedules, weight decay, AMSGrad?* None of them.
# - *How will you check it?* Step by step against the formula on quadratics, with other
#   betas and `eps` too, so follow it exactly; and it should converge on a simple bowl.
# </details>

# %% nbgrader="solution" grade_id="adam_optimizer"
### BEGIN SOLUTION
import numpy as np


def adam(grad_fn, x0, learning_rate, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    x = np.array(x0, dtype=float)
    m = np.zeros_like(x)
    v = np.zeros_like(x)
    path = [x.copy()]
    for t in range(1, n_steps + 1):
        g = np.asarray(grad_fn(x), dtype=float)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        x = x - learning_rate * m_hat / (np.sqrt(v_hat) + eps)
        path.append(x)
    return np.array(path)
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-adam_optimizer_steps" points=4
import numpy as np

_path = np.asarray(adam(lambda _x: 2 * _x, np.array([1.0]), 0.1, 1), dtype=float)
assert _path.shape == (2, 1), "return n_steps + 1 rows (x0 first), one column per coordinate"
assert np.isclose(_path[1, 0], 0.9), \
    "with bias correction the first step moves each coordinate by learning_rate (against the gradient)"
### BEGIN HIDDEN TESTS


def _adam_reference_path(_grad, _start, _lr, _steps, _b1, _b2, _eps):
    _point = np.array(_start, dtype=float)
    _first, _second = np.zeros_like(_point), np.zeros_like(_point)
    _rows = [_point]
    for _t in range(1, _steps + 1):
        _g = _grad(_point)
        _first = _b1 * _first + (1 - _b1) * _g
        _second = _b2 * _second + (1 - _b2) * _g * _g
        _point = _point - _lr * (_first / (1 - _b1 ** _t)) / (np.sqrt(_second / (1 - _b2 ** _t)) + _eps)
        _rows.append(_point)
    return np.vstack(_rows)


_rng = np.random.default_rng(2718)
for _b1, _b2, _eps in [(0.9, 0.999, 1e-8), (0.5, 0.9, 1e-8), (0.8, 0.99, 0.3)]:
    _d = 4
    _M = _rng.normal(size=(_d, _d))
    _A = _M @ _M.T + 0.5 * np.eye(_d)
    _centre = _rng.normal(size=_d)
    _x0 = _rng.normal(scale=2.0, size=_d)
    _grad = lambda _x, _A=_A, _centre=_centre: _A @ (np.asarray(_x, dtype=float) - _centre)
    _expected = _adam_reference_path(_grad, _x0, 0.05, 60, _b1, _b2, _eps)
    _path = np.asarray(adam(_grad, _x0.copy(), 0.05, 60, beta1=_b1, beta2=_b2, eps=_eps), dtype=float)
    assert _path.shape == (61, _d), "the trajectory must have shape (n_steps + 1, d)"
    assert np.allclose(_path[0], _x0), "row 0 of the trajectory must be x0"
    assert np.allclose(_path, _expected, rtol=1e-9, atol=1e-12), \
        "the trajectory departs from Adam's update: check the moment averages, the bias correction " \
        "with t starting at 1, the square root, where eps goes, and that each row is a copy"
# On a narrow bowl, Adam with a small step reaches the bottom.
_A = np.diag([1.0, 10.0])
_path = np.asarray(adam(lambda _x: _A @ (np.asarray(_x) - [1.0, 1.0]), [3.0, -2.0], 0.05, 2000), dtype=float)
assert np.linalg.norm(_path[-1] - [1.0, 1.0]) < 1e-6, "Adam should reach the minimum of a simple quadratic"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-adam_optimizer_inputs" points=2
import numpy as np

_path = np.asarray(adam(lambda _x: 2 * _x, [1.0, -3.0], 0.1, 0), dtype=float)
assert _path.shape == (1, 2) and np.allclose(_path[0], [1.0, -3.0]), "with n_steps = 0 return x0 alone, as one row"
### BEGIN HIDDEN TESTS
_x0 = np.array([0.5, -2.0, 4.0])
_copy = _x0.copy()
_path = np.asarray(adam(lambda _x: np.zeros(3), _x0, 0.1, 5), dtype=float)
assert np.array_equal(_x0, _copy), "adam changed x0 in place: work on a copy"
assert _path.shape == (6, 3) and np.all(np.isfinite(_path)) and np.allclose(_path, _copy), \
    "a zero gradient must leave x where it is (eps keeps 0 / 0 away)"
# Adam divides by the gradient's own scale: multiplying the loss by 10^4 barely changes the path.
_A = np.diag([1.0, 4.0])
_small = np.asarray(adam(lambda _x: _A @ _x, [1.0, 1.0], 0.05, 40), dtype=float)
_large = np.asarray(adam(lambda _x: 1e4 * (_A @ _x), [1.0, 1.0], 0.05, 40), dtype=float)
assert np.allclose(_small, _large, atol=1e-6), \
    "scaling the gradient changed Adam's steps: divide m_hat by the square root of v_hat"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_A = np.array([[3.0, 1.2], [1.2, 1.0]])
_path = np.asarray(adam(lambda _x: _A @ _x, [2.5, -2.0], 0.1, 150))
_grid = np.linspace(-3, 3, 200)
_U, _V = np.meshgrid(_grid, _grid)
_loss = 0.5 * (_A[0, 0] * _U ** 2 + 2 * _A[0, 1] * _U * _V + _A[1, 1] * _V ** 2)
plt.contour(_U, _V, _loss, levels=20, cmap="Greys")
plt.plot(_path[:, 0], _path[:, 1], ".-", color="tab:red", markersize=3)
plt.title("Your Adam trajectory on a tilted bowl")
plt.axis("equal")
plt.show()
