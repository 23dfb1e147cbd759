"""Typical wrong answers for lesson 03 (distances, k-means++, KMeans, k-NN); each must lose points."""

from course.mutants import Mutant

DISTS = "pairwise_sq_dists"
KPP = "kmeans_plus_plus"
KMEANS = "KMeans"
KNN = "KNNClassifier"
# The reference's in-place expansion ||a||^2 + ||b||^2 - 2 a.b.
EXPANSION = (
    "    sq = A @ B.T  # (n_a, n_b)\n"
    "    sq *= -2.0\n"
    "    sq += np.sum(A**2, axis=1)[:, None]  # ||a||^2, (n_a, 1)\n"
    "    sq += np.sum(B**2, axis=1)[None, :]  # ||b||^2, (1, n_b)\n"
)

MUTANTS = [
    # pairwise_sq_dists
    Mutant(
        "dists_with_loops",
        "computes the distance matrix with a Python loop over rows",
        DISTS,
        EXPANSION,
        "    sq = np.empty((A.shape[0], B.shape[0]))\n"
        "    for i in range(A.shape[0]):\n"
        "        sq[i] = np.sum((B - A[i]) ** 2, axis=1)\n",
    ),
    Mutant(
        "dists_can_go_negative",
        "forgets to clip the expansion at zero, so cancellation gives negative distances",
        DISTS,
        "return np.maximum(sq, 0.0, out=sq)",
        "return sq",
    ),
    Mutant(
        "uses_sklearn",
        "calls scikit-learn for the distance matrix",
        DISTS,
        EXPANSION,
        "    from sklearn.metrics.pairwise import euclidean_distances\n"
        "    sq = euclidean_distances(A, B, squared=True)\n",
    ),
    # kmeans_plus_plus
    Mutant(
        "kpp_uniform_draws",
        "draws every k-means++ centre uniformly (random init in disguise)",
        KPP,
        "idx = rng.choice(n_samples, p=closest_sq / total)",
        "idx = rng.integers(n_samples)",
    ),
    Mutant(
        "kpp_distance_not_squared",
        "samples proportionally to D(x) instead of D(x)^2",
        KPP,
        "idx = rng.choice(n_samples, p=closest_sq / total)",
        "idx = rng.choice(n_samples, p=np.sqrt(closest_sq) / np.sqrt(closest_sq).sum())",
    ),
    Mutant(
        "kpp_last_centre_only",
        "measures D(x) to the last chosen centre instead of the nearest one",
        KPP,
        "closest_sq = np.minimum(closest_sq, pairwise_sq_dists(X, centers[j : j + 1]).ravel())",
        "closest_sq = pairwise_sq_dists(X, centers[j : j + 1]).ravel()",
    ),
    Mutant(
        "kpp_first_centre_fixed",
        "always starts from the first row instead of a uniform draw",
        KPP,
        "first = rng.integers(n_samples)",
        "first = 0",
    ),
    Mutant(
        "kpp_zero_division",
        "divides by a zero total when there are fewer distinct points than k",
        KPP,
        "if total > 0:",
        "if True:",
    ),
    Mutant(
        "kpp_global_random",
        "draws the first centre from the global np.random state, not rng",
        KPP,
        "first = rng.integers(n_samples)",
        "first = np.random.randint(n_samples)",
    ),
    # KMeans
    Mutant(
        "empty_cluster_nan",
        "takes the mean of an empty cluster, which is NaN, and never re-seeds it",
        KMEANS,
        "new_centers[filled] = sums[filled] / counts[filled, None]\n"
        "            # an empty cluster takes over the points worst served by their centres\n"
        "            empty = np.flatnonzero(~filled)\n"
        "            if empty.size:\n"
        "                farthest = np.argsort(closest_sq)[::-1][: empty.size]\n"
        "                new_centers[empty] = X[farthest]\n",
        "new_centers = sums / counts[:, None]\n",
        in_demo=True,
    ),
    Mutant(
        "empty_cluster_never_reseeded",
        "keeps an empty cluster's old centre, so it stays empty",
        KMEANS,
        "                new_centers[empty] = X[farthest]\n",
        "                pass\n",
    ),
    Mutant(
        "unseeded_init",
        "ignores random_state and draws from an unseeded generator",
        KMEANS,
        "rng = np.random.default_rng(self.random_state)",
        "rng = np.random.default_rng()",
    ),
    Mutant(
        "random_init_not_kmeans_plus_plus",
        "starts from uniformly random points instead of k-means++",
        KMEANS,
        "centers = kmeans_plus_plus(X, k, rng)",
        "centers = X[rng.choice(n_samples, size=k, replace=False)].copy()",
    ),
    Mutant(
        "no_tol_stop", "never stops on tol, always runs max_iter iterations", KMEANS, "if shift <= tol:", "if False:"
    ),
    Mutant(
        "inertia_not_squared",
        "sums distances instead of squared distances for inertia_",
        KMEANS,
        "self.inertia_ = float(final_sq.sum())",
        "self.inertia_ = float(np.sqrt(final_sq).sum())",
    ),
    Mutant(
        "n_iter_off_by_one",
        "counts iterations from 0, so n_iter_ is one short",
        KMEANS,
        "self.n_iter_ = n_iter",
        "self.n_iter_ = n_iter - 1",
    ),
    Mutant(
        "stale_labels",
        "returns the labels from before the last centre update",
        KMEANS,
        "self.labels_, final_sq = self._nearest_centers(X, centers)",
        "_, final_sq = self._nearest_centers(X, centers)\n        self.labels_ = labels",
    ),
    # KNNClassifier
    Mutant(
        "knn_ties_to_largest",
        "breaks vote ties towards the largest label",
        KNN,
        "self.classes_[np.argmax(counts, axis=1)]",
        "self.classes_[counts.shape[1] - 1 - np.argmax(counts[:, ::-1], axis=1)]",
        in_demo=True,
    ),
    Mutant(
        "knn_ties_first_seen",
        "votes with Counter.most_common, so ties go to the nearest neighbour's label",
        KNN,
        "            votes = self._y_index[nearest]  # class positions, (rows, k)\n",
        "            from collections import Counter\n"
        "            by_distance = np.argsort(sq, axis=1)[:, :k]\n"
        "            y_hat[block] = [Counter(self.y_train_[row].tolist()).most_common(1)[0][0] for row in by_distance]\n"
        "            continue\n",
    ),
    Mutant(
        "knn_skips_nearest",
        "drops the nearest neighbour, as if every query were a training point",
        KNN,
        "nearest = np.argpartition(sq, k - 1, axis=1)[:, :k]",
        "nearest = np.argsort(sq, axis=1)[:, 1 : k + 1]",
    ),
]
