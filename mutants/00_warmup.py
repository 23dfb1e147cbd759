"""Typical wrong answers for lesson 00 (mse_rmse); each must lose points."""

from course.mutants import Mutant

CELL = "mse_rmse"

MUTANTS = [
    Mutant(
        "sum_not_mean",
        "returns the sum of squared errors instead of the mean",
        CELL,
        "mse = float(np.mean(residuals**2))",
        "mse = float(np.sum(residuals**2))",
    ),
    Mutant(
        "divides_by_n_minus_1",
        "divides by n - 1 as for a sample variance",
        CELL,
        "mse = float(np.mean(residuals**2))",
        "mse = float(np.sum(residuals**2) / max(residuals.size - 1, 1))",
    ),
    Mutant(
        "no_square_root",
        "returns the MSE twice instead of its root",
        CELL,
        "return mse, float(np.sqrt(mse))",
        "return mse, mse",
    ),
    Mutant(
        "swapped_outputs",
        "returns (rmse, mse)",
        CELL,
        "return mse, float(np.sqrt(mse))",
        "return float(np.sqrt(mse)), mse",
    ),
    Mutant(
        "absolute_errors",
        "averages absolute instead of squared errors",
        CELL,
        "mse = float(np.mean(residuals**2))",
        "mse = float(np.mean(np.abs(residuals)))",
    ),
    Mutant(
        "no_empty_check",
        "forgets to reject empty input",
        CELL,
        '    if y_true.size == 0 or y_pred.size == 0:\n        raise ValueError("mse_rmse needs at least one value")\n',
        "",
    ),
    Mutant(
        "no_length_check",
        "forgets to compare the lengths, so NumPy broadcasts",
        CELL,
        "if y_true.size != y_pred.size:",
        "if False:",
        in_demo=True,
    ),
    Mutant(
        "assert_not_valueerror",
        "validates with assert, which raises AssertionError",
        CELL,
        'if y_true.size == 0 or y_pred.size == 0:\n        raise ValueError("mse_rmse needs at least one value")',
        'assert y_true.size > 0 and y_pred.size > 0, "empty input"',
    ),
    Mutant(
        "no_flatten",
        "keeps a column (n, 1) as it is, so it broadcasts to (n, n)",
        CELL,
        "y_pred = np.asarray(y_pred, dtype=float).ravel()",
        "y_pred = np.asarray(y_pred, dtype=float)",
    ),
    Mutant(
        "integer_cast",
        "converts the inputs to int, truncating them",
        CELL,
        "y_true = np.asarray(y_true, dtype=float).ravel()",
        "y_true = np.asarray(y_true, dtype=int).ravel()",
    ),
    Mutant(
        "keeps_native_int",
        "keeps the input dtype, so squaring int32 overflows",
        CELL,
        "y_true = np.asarray(y_true, dtype=float).ravel()\n    y_pred = np.asarray(y_pred, dtype=float).ravel()",
        "y_true = np.asarray(y_true).ravel()\n    y_pred = np.asarray(y_pred).ravel()",
    ),
    Mutant(
        "array_outputs",
        "returns arrays of shape (1,) instead of numbers",
        CELL,
        "return mse, float(np.sqrt(mse))",
        "return np.array([mse]), np.sqrt(np.array([mse]))",
    ),
    Mutant(
        "mutates_input",
        "subtracts in place and changes the caller's array",
        CELL,
        "residuals = y_true - y_pred",
        "residuals = y_true\n    residuals -= y_pred",
    ),
    Mutant(
        "uses_sklearn",
        "calls scikit-learn instead of computing the error",
        CELL,
        "mse = float(np.mean(residuals**2))",
        "from sklearn.metrics import mean_squared_error\n    mse = float(mean_squared_error(y_true, y_pred))",
        in_demo=True,
    ),
]
