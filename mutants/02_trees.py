"""Typical wrong answers for lesson 02 (trees and forests); each must lose points."""

from course.mutants import Mutant

IMPURITY = "impurity"
SPLIT = "best_split"
TREE = "decision_tree"
FOREST = "random_forest"

MUTANTS = [
    # impurity
    Mutant(
        "entropy_in_nats",
        "computes entropy with the natural log (nats, not bits)",
        IMPURITY,
        "return float(-np.sum(p * np.log2(p)))",
        "return float(-np.sum(p * np.log(p)))",
        in_demo=True,
    ),
    Mutant(
        "entropy_log0",
        "counts over a fixed set of classes, so absent classes give 0 * log(0)",
        IMPURITY,
        "    _, counts = np.unique(y, return_counts=True)\n    p = counts / y.size\n    return float(-np.sum(p * np.log2(p)))",
        "    codes = np.unique(y, return_inverse=True)[1].ravel()\n"
        "    counts = np.bincount(codes, minlength=2)\n    p = counts / y.size\n    return float(-np.sum(p * np.log2(p)))",
    ),
    Mutant(
        "gini_empty_is_one",
        "forgets that an empty node has impurity 0 (1 - sum of nothing = 1)",
        IMPURITY,
        "    if y.size == 0:\n        return 0.0\n    _, counts = np.unique(y, return_counts=True)\n    p = counts / y.size\n    return float(1.0",
        "    _, counts = np.unique(y, return_counts=True)\n    p = counts / max(y.size, 1)\n    return float(1.0",
    ),
    # best_split
    Mutant(
        "threshold_at_value",
        "puts the threshold on the left sample value instead of the midpoint",
        SPLIT,
        "best_threshold = float((x_sorted[i] + x_sorted[i + 1]) / 2)",
        "best_threshold = float(x_sorted[i])",
    ),
    Mutant(
        "threshold_upper_value",
        "puts the threshold on the right sample value (wrong side of <=)",
        SPLIT,
        "best_threshold = float((x_sorted[i] + x_sorted[i + 1]) / 2)",
        "best_threshold = float(x_sorted[i + 1])",
    ),
    Mutant(
        "gain_not_weighted",
        "averages the children's impurities instead of weighting them by size",
        SPLIT,
        "children = (n_left * impurity_of_counts(left_counts)\n"
        "                    + (n_samples - n_left) * impurity_of_counts(right_counts)) / n_samples",
        "children = (impurity_of_counts(left_counts) + impurity_of_counts(right_counts)) / 2",
    ),
    Mutant(
        "split_between_duplicates",
        "allows a threshold between two equal values",
        SPLIT,
        "gains = np.where(x_sorted[1:] > x_sorted[:-1], parent - children, -np.inf)",
        "gains = parent - children",
    ),
    Mutant(
        "accepts_useless_split",
        "returns a split even when it does not lower the impurity",
        SPLIT,
        "if gains[i] > best_gain + 1e-12:",
        "if gains[i] >= best_gain:",
    ),
    Mutant(
        "split_entropy_in_nats",
        "uses the natural log in the split search's entropy",
        SPLIT,
        "plogp[present] = p[present] * np.log2(p[present])",
        "plogp[present] = p[present] * np.log(p[present])",
    ),
    # decision tree
    Mutant(
        "depth_off_by_one",
        "lets the tree grow one level deeper than max_depth",
        TREE,
        "depth >= self.max_depth",
        "depth > self.max_depth",
    ),
    Mutant(
        "depth_ignored",
        "never checks max_depth",
        TREE,
        "(self.max_depth is not None and depth >= self.max_depth)",
        "False",
    ),
    Mutant(
        "min_samples_split_off_by_one",
        "refuses to split a node with exactly min_samples_split samples",
        TREE,
        "len(codes) < self.min_samples_split",
        "len(codes) <= self.min_samples_split",
    ),
    Mutant(
        "predict_strict_less",
        "uses < instead of <= when sending a point down the tree",
        TREE,
        "goes_left = X[rows, node.feature] <= node.threshold",
        "goes_left = X[rows, node.feature] < node.threshold",
    ),
    Mutant(
        "leaf_counts_not_proportions",
        "stores class counts in the leaves, so predict_proba is not normalised",
        TREE,
        "node = Node(value=counts / counts.sum(),",
        "node = Node(value=counts.astype(float),",
    ),
    Mutant(
        "tree_predicts_indices",
        "returns column indices instead of class labels",
        TREE,
        "return self.classes_[np.argmax(self.predict_proba(X), axis=1)]",
        "return np.argmax(self.predict_proba(X), axis=1)",
    ),
    # random forest
    Mutant(
        "no_bootstrap",
        "fits every tree on the full training set (no bootstrap)",
        FOREST,
        "rows = rng.integers(0, n_samples, size=n_samples)",
        "rows = np.arange(n_samples)",
        in_demo=True,
    ),
    Mutant(
        "bootstrap_is_permutation",
        "samples rows without replacement, which is just a shuffle",
        FOREST,
        "rows = rng.integers(0, n_samples, size=n_samples)",
        "rows = rng.permutation(n_samples)",
    ),
    Mutant(
        "no_feature_subsampling",
        "lets every split look at every feature",
        FOREST,
        "return np.sort(self.rng.choice(n_features, size=self.n_candidates, replace=False))",
        "return np.arange(n_features)",
    ),
    Mutant(
        "ignores_random_state",
        "creates an unseeded generator",
        FOREST,
        "rng = np.random.default_rng(self.random_state)",
        "rng = np.random.default_rng()",
    ),
    Mutant(
        "fixed_seed",
        "hard-codes the seed instead of using random_state",
        FOREST,
        "rng = np.random.default_rng(self.random_state)",
        "rng = np.random.default_rng(0)",
    ),
    Mutant(
        "global_np_random",
        "draws the bootstrap from the global np.random state",
        FOREST,
        "rows = rng.integers(0, n_samples, size=n_samples)",
        "rows = np.random.randint(0, n_samples, size=n_samples)",
    ),
    Mutant(
        "forest_proba_not_averaged",
        "sums the trees' probabilities without dividing by the number of trees",
        FOREST,
        "return proba / len(self.estimators_)",
        "return proba",
    ),
    Mutant(
        "forest_columns_misaligned",
        "assumes every bootstrap sample holds every class",
        FOREST,
        "proba[:, tree.classes_] += tree.predict_proba(X)",
        "proba[:, :len(tree.classes_)] += tree.predict_proba(X)",
    ),
    Mutant(
        "uses_sklearn",
        "imports scikit-learn's forest instead of writing one",
        FOREST,
        "X = np.asarray(X, dtype=float)\n        y = np.asarray(y).ravel()\n        if X.ndim",
        "from sklearn.ensemble import RandomForestClassifier as _SkForest  # noqa: F401\n"
        "        X = np.asarray(X, dtype=float)\n        y = np.asarray(y).ravel()\n        if X.ndim",
    ),
]
