"""Typical wrong answers for lesson 01 (linear and logistic regression); each must lose points."""

from course.mutants import Mutant

STD = "standardize"
NORMAL = "normal_equation"
LIN = "linear_regression_gd"
SIG = "sigmoid"
BCE = "binary_cross_entropy"
LOG = "logistic_regression_gd"

MUTANTS = [
    # standardize
    Mutant(
        "standardize_no_scaling",
        "only centres the features, never divides by the standard deviation",
        STD,
        "Xs = np.where(constant, 0.0, (X - mean) / std)",
        "Xs = np.where(constant, 0.0, X - mean)",
    ),
    Mutant(
        "standardize_zero_std_nan",
        "divides a constant column by its zero standard deviation (NaN)",
        STD,
        "    std = np.where(constant, 1.0, std)\n",
        "",
    ),
    Mutant(
        "standardize_exact_zero_check",
        "treats only std == 0 as constant, so a constant column whose std is "
        "rounding noise is scaled into values near +-1",
        STD,
        "constant = std <= n_samples * np.finfo(float).eps * np.abs(mean)",
        "constant = std == 0",
    ),
    Mutant(
        "standardize_constant_not_zeroed",
        "replaces a constant column's std by 1 but keeps X - mean, its rounding noise",
        STD,
        "Xs = np.where(constant, 0.0, (X - mean) / std)",
        "Xs = (X - mean) / std",
    ),
    Mutant(
        "standardize_absolute_tolerance",
        "calls a column constant when its std is below a fixed 1e-6, whatever its scale",
        STD,
        "constant = std <= n_samples * np.finfo(float).eps * np.abs(mean)",
        "constant = std <= 1e-6",
    ),
    # normal_equation
    Mutant(
        "normal_equation_inv",
        "inverts X^T X instead of solving (fails when it is singular)",
        NORMAL,
        "coef = np.linalg.lstsq(A, Xc.T @ yc, rcond=None)[0]",
        "coef = np.linalg.inv(A) @ (Xc.T @ yc)",
        in_demo=True,
    ),
    Mutant(
        "normal_equation_no_bias",
        "forgets the bias: no centring and an intercept of 0",
        NORMAL,
        "x_mean, y_mean = X.mean(axis=0), y.mean()",
        "x_mean, y_mean = np.zeros(n_features), 0.0",
    ),
    Mutant(
        "normal_equation_bias_regularised",
        "adds a column of ones and penalises the bias with the weights",
        NORMAL,
        "    x_mean, y_mean = X.mean(axis=0), y.mean()\n    Xc = X - x_mean\n    yc = y - y_mean\n"
        "    A = Xc.T @ Xc + n_samples * l2 * np.eye(n_features)\n"
        "    # lstsq also copes with a singular A, where solve and inv raise LinAlgError.\n"
        "    coef = np.linalg.lstsq(A, Xc.T @ yc, rcond=None)[0]\n"
        "    intercept = float(y_mean - x_mean @ coef)\n",
        "    Z = np.column_stack([np.ones(n_samples), X])\n"
        "    A = Z.T @ Z + n_samples * l2 * np.eye(n_features + 1)\n"
        "    theta = np.linalg.lstsq(A, Z.T @ y, rcond=None)[0]\n"
        "    coef, intercept = theta[1:], float(theta[0])\n",
    ),
    Mutant(
        "normal_equation_penalty_not_scaled",
        "adds l2 * I although the loss is a mean (should be n * l2 * I)",
        NORMAL,
        "A = Xc.T @ Xc + n_samples * l2 * np.eye(n_features)",
        "A = Xc.T @ Xc + l2 * np.eye(n_features)",
    ),
    Mutant(
        "normal_equation_uses_sklearn",
        "calls scikit-learn's Ridge instead of solving the equations",
        NORMAL,
        "    coef = np.linalg.lstsq(A, Xc.T @ yc, rcond=None)[0]\n",
        "    from sklearn.linear_model import Ridge\n"
        "    coef = Ridge(alpha=max(n_samples * l2, 1e-12)).fit(X, y).coef_\n",
    ),
    # LinearRegressionGD
    Mutant(
        "linear_gd_bias_forgotten",
        "never updates the intercept",
        LIN,
        "self.intercept_ = float(self.intercept_ - self.learning_rate * grad_intercept)",
        "self.intercept_ = 0.0",
    ),
    Mutant(
        "linear_gd_bias_regularised",
        "adds the L2 penalty to the bias gradient as well",
        LIN,
        "grad_intercept = (2.0 / n_samples) * np.sum(residuals)",
        "grad_intercept = (2.0 / n_samples) * np.sum(residuals) + 2.0 * self.l2 * self.intercept_",
    ),
    Mutant(
        "linear_gd_missing_factor_2",
        "uses (1/n) X^T r instead of (2/n) X^T r for the weight gradient",
        LIN,
        "grad_coef = (2.0 / n_samples) * (X.T @ residuals)",
        "grad_coef = (1.0 / n_samples) * (X.T @ residuals)",
    ),
    Mutant(
        "linear_gd_wrong_sign",
        "uses y - y_hat as the residual, so the update climbs the loss",
        LIN,
        "residuals = X @ self.coef_ + self.intercept_ - y",
        "residuals = y - (X @ self.coef_ + self.intercept_)",
    ),
    Mutant(
        "linear_gd_y_column",
        "reshapes y into a column (n, 1), so the residuals broadcast to (n, n)",
        LIN,
        "y = np.asarray(y, dtype=float).ravel()",
        "y = np.asarray(y, dtype=float).reshape(-1, 1)",
    ),
    Mutant(
        "linear_gd_predict_column",
        "returns predictions as a column (n, 1)",
        LIN,
        "return X @ self.coef_ + self.intercept_",
        "return (X @ self.coef_ + self.intercept_).reshape(-1, 1)",
    ),
    # sigmoid
    Mutant(
        "sigmoid_naive",
        "uses 1 / (1 + exp(-z)), which overflows for very negative z",
        SIG,
        "    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows\n"
        "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
        "    return 1.0 / (1.0 + np.exp(-z))",
        in_demo=True,
    ),
    Mutant(
        "sigmoid_where_both_branches",
        "np.where with exp(-z) and exp(z) branches: both are evaluated and overflow",
        SIG,
        "    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows\n"
        "    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
        "    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))",
    ),
    # binary_cross_entropy
    Mutant(
        "bce_log_zero",
        "takes log(p) without clipping, so p = 0 or 1 gives inf or NaN",
        BCE,
        "p = np.clip(np.asarray(p, dtype=float).ravel(), eps, 1.0 - eps)",
        "p = np.asarray(p, dtype=float).ravel()",
    ),
    # LogisticRegressionGD
    Mutant(
        "logistic_gd_wrong_sign",
        "uses y - p as the error, so gradient descent climbs the loss",
        LOG,
        "error = p - y",
        "error = y - p",
    ),
    Mutant(
        "logistic_gd_bias_regularised",
        "penalises the intercept as well as the weights",
        LOG,
        "grad_intercept = np.mean(error)",
        "grad_intercept = np.mean(error) + 2.0 * self.l2 * self.intercept_",
    ),
    Mutant(
        "logistic_gd_predict_proba_column",
        "returns P(y = 1) as a column (n, 1)",
        LOG,
        "return sigmoid(X @ self.coef_ + self.intercept_)",
        "return sigmoid(X @ self.coef_.reshape(-1, 1) + self.intercept_)",
    ),
    Mutant(
        "logistic_gd_ignores_threshold",
        "always thresholds at 0.5, ignoring the threshold argument",
        LOG,
        "return (self.predict_proba(X) >= threshold).astype(float)",
        "return (self.predict_proba(X) >= 0.5).astype(float)",
    ),
]
