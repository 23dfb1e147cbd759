"""Typical wrong answers for lesson 05 (data processing); each must lose points."""

from course.mutants import Mutant

CLEAN = "clean"
SPLIT = "train_test_split"
TIME = "time_split"
IMPUTE = "impute_median"
ONE_HOT = "one_hot"
SCALER = "standard_scaler"

ONE_HOT_GET_DUMMIES = """def one_hot(train, test, col):
    def encode(frame):
        dummies = pd.get_dummies(frame[col], prefix=col, dtype=float)
        return pd.concat([frame.drop(columns=col), dummies], axis=1)

    return encode(train), encode(test)
"""

SCALER_ON_ALL_DATA = """class StandardScaler:
    def fit(self, X, y=None):
        self.seen_ = np.asarray(X, dtype=float)
        self.mean_ = self.seen_.mean(axis=0)
        std = self.seen_.std(axis=0)
        self.scale_ = np.where(std <= 1e-12 * np.abs(self.mean_), 1.0, std)
        return self

    def transform(self, X):
        X = np.asarray(X, dtype=float)
        everything = np.vstack([self.seen_, X])
        std = everything.std(axis=0)
        return (X - everything.mean(axis=0)) / np.where(std == 0, 1.0, std)
"""

MUTANTS = [
    # clean
    Mutant(
        "clean_keeps_duplicates",
        "never drops duplicate rows",
        CLEAN,
        '    out = out.drop_duplicates(keep="first")\n',
        "",
    ),
    Mutant(
        "clean_dedupes_raw_values",
        "looks for duplicates in the raw text, before normalising",
        CLEAN,
        'out = out.drop_duplicates(keep="first")',
        "out = out.loc[~df.duplicated().to_numpy()]",
    ),
    Mutant(
        "clean_no_strip",
        "lower-cases labels but leaves the stray whitespace",
        CLEAN,
        "text = out[col].str.strip().str.lower()",
        "text = out[col].str.lower()",
    ),
    Mutant(
        "clean_no_lower",
        "strips labels but leaves mixed case",
        CLEAN,
        "text = out[col].str.strip().str.lower()",
        "text = out[col].str.strip()",
    ),
    Mutant("clean_keeps_id", "keeps customer_id as a feature", CLEAN, "    out = out.drop(columns=ID_COL)\n", ""),
    Mutant(
        "clean_comma_as_decimal",
        "reads the thousands separator as a decimal point",
        CLEAN,
        '.str.replace(",", "", regex=False)',
        '.str.replace(",", ".", regex=False)',
    ),
    Mutant(
        "clean_mutates_input",
        "writes the cleaned columns into the caller's DataFrame",
        CLEAN,
        "out = df.copy()",
        "out = df",
    ),
    Mutant(
        "clean_keeps_bad_dates",
        "keeps rows whose date could not be parsed (NaT)",
        CLEAN,
        "    out = out.dropna(subset=[DATE_COL])\n",
        "",
    ),
    Mutant(
        "clean_nullable_float",
        "ends with pandas' nullable Float64 instead of float64",
        CLEAN,
        '.astype("float64")',
        '.astype("Float64")',
    ),
    Mutant(
        "clean_str_on_mixed_column",
        "uses .str on a column that also holds real floats, which become NaN",
        CLEAN,
        "text = out[col].astype(str).str.strip()",
        "text = out[col].str.strip()",
    ),
    # train_test_split
    Mutant(
        "split_ignores_stratify",
        "accepts stratify but draws the test rows over all classes at once",
        SPLIT,
        "if stratify is None:",
        "if True:",
        in_demo=True,
    ),
    Mutant(
        "split_unseeded",
        "ignores random_state, so the split changes on every run",
        SPLIT,
        "rng = np.random.default_rng(random_state)",
        "rng = np.random.default_rng()",
    ),
    Mutant(
        "split_misaligned",
        "reorders y differently from X",
        SPLIT,
        "_take_rows(y, train_positions), _take_rows(y, test_positions))",
        "_take_rows(y, np.sort(train_positions)), _take_rows(y, np.sort(test_positions)))",
    ),
    Mutant(
        "split_rounds_test_size_down",
        "puts int(test_size * n_samples) rows in the test part instead of the ceiling",
        SPLIT,
        "n_test = int(np.ceil(test_size * n_samples))",
        "n_test = int(test_size * n_samples)",
    ),
    Mutant(
        "split_allows_empty_part",
        "returns an empty training or test part instead of raising ValueError",
        SPLIT,
        "    if not 0 < n_test < n_samples:\n",
        "    if False:\n",
    ),
    Mutant(
        "stratify_rounds_each_class",
        "rounds each class's share on its own, so the stratified test part can miss ceil(test_size * n_samples) rows",
        SPLIT,
        "        per_class = np.floor(share).astype(int)\n"
        "        # largest remainders round up, so the classes add up to n_test again\n"
        '        per_class[np.argsort(per_class - share, kind="stable")[:n_test - per_class.sum()]] += 1\n',
        "        per_class = np.round(share).astype(int)\n",
    ),
    # time_split
    Mutant(
        "time_split_shuffles",
        "shuffles the rows instead of sorting them by time",
        TIME,
        'ordered = df.sort_values(time_col, kind="stable")',
        "ordered = df.sample(frac=1.0, random_state=0)",
    ),
    Mutant(
        "time_split_future_in_train",
        "sorts newest first, so the future ends up in train",
        TIME,
        'ordered = df.sort_values(time_col, kind="stable")',
        'ordered = df.sort_values(time_col, ascending=False, kind="stable")',
    ),
    Mutant(
        "time_split_rounds_down",
        "puts int(test_frac * n_rows) rows in the test part instead of the ceiling",
        TIME,
        "n_test = int(np.ceil(test_frac * n_rows))",
        "n_test = int(test_frac * n_rows)",
    ),
    Mutant(
        "time_split_allows_empty_part",
        "returns an empty training or test part instead of raising ValueError",
        TIME,
        "    if not 0 < n_test < n_rows:\n",
        "    if False:\n",
    ),
    # impute_median
    Mutant(
        "impute_median_of_all_rows",
        "computes the medians on train and test together (leakage)",
        IMPUTE,
        "medians = train[cols].median(skipna=True)",
        "medians = pd.concat([train[cols], test[cols]]).median(skipna=True)",
        in_demo=True,
    ),
    Mutant(
        "impute_test_own_median",
        "fills the test set with the test set's own median",
        IMPUTE,
        "test_filled[col] = test_filled[col].fillna(medians[col])",
        "test_filled[col] = test_filled[col].fillna(test[col].median())",
    ),
    # one_hot
    Mutant(
        "one_hot_categories_from_all_data",
        "learns the categories from train and test together",
        ONE_HOT,
        "categories = sorted(train[col].dropna().unique())",
        "categories = sorted(pd.concat([train[col], test[col]]).dropna().unique())",
    ),
    Mutant(
        "one_hot_get_dummies_each_frame",
        "calls pd.get_dummies on train and test separately",
        ONE_HOT,
        "",
        ONE_HOT_GET_DUMMIES,
    ),
    Mutant(
        "one_hot_unseen_raises",
        "raises on a category that training never saw",
        ONE_HOT,
        "        values = frame[col]\n",
        "        values = frame[col]\n"
        "        unseen = set(values.dropna()) - set(categories)\n"
        "        if unseen:\n"
        '            raise ValueError(f"unknown categories: {sorted(unseen)}")\n',
    ),
    # StandardScaler
    Mutant(
        "scaler_refits_in_transform",
        "recomputes mean and scale from the data given to transform (fits on test)",
        SCALER,
        "return (X - self.mean_) / self.scale_",
        "return (X - X.mean(axis=0)) / np.where(np.ptp(X, axis=0) == 0, 1.0, X.std(axis=0))",
    ),
    Mutant(
        "scaler_fitted_on_all_data",
        "scales with statistics of the training and new rows together",
        SCALER,
        "",
        SCALER_ON_ALL_DATA,
    ),
    Mutant(
        "scaler_constant_column_nan",
        "divides by a zero standard deviation",
        SCALER,
        "self.scale_ = np.where(constant, 1.0, std)",
        "self.scale_ = std",
    ),
    Mutant(
        "scaler_exact_zero_spread_only",
        "treats a column as constant only when its spread is exactly 0, so "
        "rounding noise is divided by a tiny standard deviation",
        SCALER,
        "constant = std <= 1e-12 * np.abs(self.mean_)",
        "constant = np.ptp(X, axis=0) == 0",
    ),
    Mutant(
        "scaler_rounded_mean",
        "takes the plain float mean, which misses a constant column of 1e100 by a rounding "
        "step, so the column maps to -2e84 instead of 0",
        SCALER,
        "self.mean_ = X[0] + (X - X[0]).mean(axis=0)",
        "self.mean_ = X.mean(axis=0)",
    ),
    Mutant(
        "scaler_uses_sklearn",
        "lets scikit-learn compute the statistics",
        SCALER,
        "self.mean_ = X[0] + (X - X[0]).mean(axis=0)",
        "from sklearn.preprocessing import StandardScaler as SkScaler\n        self.mean_ = SkScaler().fit(X).mean_",
    ),
]
