"""Typical wrong answers for lesson 07 (recommenders and streams); each must lose points."""

from course.mutants import Mutant

MF = "MatrixFactorization"
TOPK = "top_k_frequent"
CMS = "CountMinSketch"
STREAM_TOPK = "streaming_top_k"
MG = "misra_gries"

_SPARSE_LOOP = (
    "            for n in rng.permutation(len(values)).tolist():  # observed ratings only: O(nnz * k)\n"
    "                u, i = u_list[n], i_list[n]\n"
    "                p_u, q_i = user_factors[u], item_factors[i]\n"
    "                error = r_list[n] - (mu + user_bias[u] + item_bias[i] + float(p_u @ q_i))\n"
)
_DENSE_LOOP = (
    "            dense = np.zeros((len(self.user_ids_), len(self.item_ids_)))\n"
    "            observed = np.zeros(dense.shape, dtype=bool)\n"
    "            dense[user_rows, item_rows] = values\n"
    "            observed[user_rows, item_rows] = True\n"
    "            for u, i in np.ndindex(*dense.shape):  # every (user, item) pair\n"
    "                if not observed[u, i]:\n"
    "                    continue\n"
    "                p_u, q_i = user_factors[u], item_factors[i]\n"
    "                error = dense[u, i] - (mu + user_bias[u] + item_bias[i] + float(p_u @ q_i))\n"
)

_BLAKE_BUCKETS = (
    '        data = f"{type(item).__qualname__}:{item!r}".encode()  # the type keeps 1 and "1" apart\n'
    "        columns = []\n"
    "        for hasher in self._row_hashers:\n"
    "            h = hasher.copy()\n"
    "            h.update(data)\n"
    '            columns.append(int.from_bytes(h.digest(), "little") % self.width)\n'
    "        return np.array(columns)\n"
)

# a learner who reuses top_k_frequent's key (-count, word) for the heap: heap[0] is then the strongest candidate
_STREAM_TOPK_MAX_HEAP = """def streaming_top_k(stream, k, width, depth, seed=0):
    if k < 0:
        raise ValueError("k must be non-negative")
    if k == 0:
        return []
    sketch = CountMinSketch(width, depth, seed)
    candidates = {}
    heap = []
    for item in stream:
        sketch.add(item)
        estimate = sketch.estimate(item)
        if item in candidates:
            candidates[item] = estimate
        elif len(candidates) < k:
            candidates[item] = estimate
            heapq.heappush(heap, (-estimate, item))
        else:
            while -heap[0][0] != candidates[heap[0][1]]:
                heapq.heapreplace(heap, (-candidates[heap[0][1]], heap[0][1]))
            if estimate > -heap[0][0]:
                _, evicted = heapq.heapreplace(heap, (-estimate, item))
                del candidates[evicted]
                candidates[item] = estimate
    return sorted(candidates.items(), key=lambda pair: (-pair[1], pair[0]))
"""

_STREAM_TOPK_COUNTING = (
    "    sketch = CountMinSketch(width, depth, seed)\n"
    "    candidates = {}  # item -> its estimate when it last arrived; at most k items\n"
    "    heap = []        # one (estimate, _Reversed(item)) per candidate, weakest on top; an estimate may lag behind\n"
    "    for item in stream:\n"
    "        sketch.add(item)\n"
    "        estimate = sketch.estimate(item)\n"
)

_MG_DECREMENT = (
    "        else:\n"
    "            for key in list(counters):\n"
    "                counters[key] -= 1\n"
    "                if counters[key] == 0:\n"
    "                    del counters[key]\n"
)

MUTANTS = [
    # matrix factorisation
    Mutant(
        "zero_init_factors",
        "initialises both factor matrices to zero, so their gradients stay zero",
        MF,
        "user_factors = rng.normal(scale=0.1, size=(len(self.user_ids_), k))\n"
        "        item_factors = rng.normal(scale=0.1, size=(len(self.item_ids_), k))",
        "user_factors = np.zeros((len(self.user_ids_), k))\n        item_factors = np.zeros((len(self.item_ids_), k))",
        in_demo=True,
    ),
    Mutant(
        "dense_every_pair", "builds a dense user x item matrix and loops over every pair", MF, _SPARSE_LOOP, _DENSE_LOOP
    ),
    Mutant(
        "no_biases",
        "never updates the user and item biases",
        MF,
        "                user_bias[u] += lr * (error - reg * user_bias[u])\n"
        "                item_bias[i] += lr * (error - reg * item_bias[i])\n",
        "",
    ),
    Mutant(
        "no_global_mean",
        "leaves the global mean out of the prediction",
        MF,
        "mu = self.global_mean_ = float(values.mean())",
        "mu = self.global_mean_ = 0.0",
    ),
    Mutant(
        "no_regularisation",
        "ignores reg in the updates",
        MF,
        "k, lr, reg = self.n_factors, self.learning_rate, self.reg",
        "k, lr, reg = self.n_factors, self.learning_rate, 0.0",
    ),
    Mutant(
        "unseeded_rng",
        "draws the initial factors and shuffles from an unseeded generator",
        MF,
        "rng = np.random.default_rng(self.random_state)",
        "rng = np.random.default_rng()",
    ),
    Mutant(
        "history_is_mse",
        "records the training MSE instead of the RMSE",
        MF,
        "self.train_rmse_history_.append(float(np.sqrt(np.mean((values - fitted) ** 2))))",
        "self.train_rmse_history_.append(float(np.mean((values - fitted) ** 2)))",
    ),
    Mutant(
        "cold_start_crashes",
        "looks ids up without a fallback, so an unknown id raises IndexError",
        MF,
        "        u_rows, u_known = lookup(users, self.user_ids_)\n"
        "        i_rows, i_known = lookup(items, self.item_ids_)\n",
        "        u_rows = np.array([np.flatnonzero(self.user_ids_ == u)[0] for u in users], dtype=int)\n"
        "        i_rows = np.array([np.flatnonzero(self.item_ids_ == i)[0] for i in items], dtype=int)\n"
        "        u_known = i_known = np.ones(len(users), dtype=bool)\n",
    ),
    Mutant(
        "cold_start_zero",
        "predicts 0 for an unknown user or item",
        MF,
        "        return y_hat\n",
        "        y_hat[~(u_known & i_known)] = 0.0\n        return y_hat\n",
    ),
    Mutant(
        "cold_start_borrows_row",
        "maps an unknown id to the nearest known row instead of treating it as unknown",
        MF,
        "return rows, known_ids[rows] == ids",
        "return rows, np.ones(len(ids), dtype=bool)",
    ),
    # top-k
    Mutant(
        "topk_first_appearance",
        "uses Counter.most_common, which breaks ties by first appearance",
        TOPK,
        "best = heapq.nsmallest(k, counts.items(), key=lambda pair: (-pair[1], pair[0]))",
        "best = counts.most_common(k)",
        in_demo=True,
    ),
    Mutant(
        "topk_reverse_lexicographic",
        "breaks ties in reverse alphabetical order",
        TOPK,
        "best = heapq.nsmallest(k, counts.items(), key=lambda pair: (-pair[1], pair[0]))",
        "best = heapq.nlargest(k, counts.items(), key=lambda pair: (pair[1], pair[0]))",
    ),
    Mutant(
        "topk_k_too_large_crashes",
        "pops k times from the heap, which fails when k exceeds the distinct words",
        TOPK,
        "best = heapq.nsmallest(k, counts.items(), key=lambda pair: (-pair[1], pair[0]))",
        "heap = [(-count, word) for word, count in counts.items()]\n"
        "    heapq.heapify(heap)\n"
        "    best = [(word, -negative) for negative, word in [heapq.heappop(heap) for _ in range(k)]]",
    ),
    # Count-Min Sketch
    Mutant(
        "cms_single_row",
        "reads the estimate from the first row only instead of the minimum over rows",
        CMS,
        "return int(self.table_[self._rows, self._buckets(item)].min())",
        "return int(self.table_[0, self._buckets(item)[0]])",
    ),
    Mutant(
        "cms_builtin_hash",
        "hashes with the built-in hash(), which is salted differently in every process",
        CMS,
        _BLAKE_BUCKETS,
        "        return np.array([hash((self.seed, row, str(item))) % self.width for row in range(self.depth)])\n",
    ),
    Mutant(
        "cms_ignores_seed",
        "uses the same hash functions whatever the seed",
        CMS,
        "key = str(seed).encode()",
        'key = b"fixed"',
    ),
    Mutant(
        "cms_hashes_str",
        'hashes str(item), so the number 1 and the text "1" share every counter',
        CMS,
        'data = f"{type(item).__qualname__}:{item!r}".encode()  # the type keeps 1 and "1" apart',
        "data = str(item).encode()",
    ),
    # streaming top-k
    Mutant(
        "stream_topk_never_updates",
        "never updates a candidate's estimate when it arrives again",
        STREAM_TOPK,
        "            candidates[item] = estimate  # its heap entry now lags behind until it reaches the top\n",
        "            pass\n",
    ),
    Mutant(
        "stream_topk_max_heap",
        "keys the heap like top_k_frequent, (-estimate, item), so the candidate it "
        "compares with and evicts is the strongest, not the weakest",
        STREAM_TOPK,
        "",
        _STREAM_TOPK_MAX_HEAP,
    ),
    Mutant(
        "stream_topk_evicts_last_entry",
        "evicts with list.pop(), the last entry of the heap's list, instead of the weakest candidate on top",
        STREAM_TOPK,
        "                _, evicted = heapq.heapreplace(heap, newcomer)\n",
        "                _, evicted = heap.pop()\n                heapq.heappush(heap, newcomer)\n",
    ),
    Mutant(
        "stream_topk_stale_top",
        "compares newcomers with out-of-date heap entries and evicts a candidate that has grown since",
        STREAM_TOPK,
        "            while heap[0][0] != candidates[heap[0][1].item]:\n"
        "                weakest = heap[0][1]\n"
        "                heapq.heapreplace(heap, (candidates[weakest.item], weakest))\n",
        "",
    ),
    Mutant(
        "stream_topk_ties_keep_incumbent",
        "lets the weakest candidate keep its place on a tie, whatever the items",
        STREAM_TOPK,
        "if heap[0] < newcomer:",
        "if heap[0][0] < estimate:",
    ),
    Mutant(
        "stream_topk_exact_counts",
        "counts exactly with a dict instead of the sketch, so memory grows with the number of distinct items",
        STREAM_TOPK,
        _STREAM_TOPK_COUNTING,
        _STREAM_TOPK_COUNTING.replace(
            "    sketch = CountMinSketch(width, depth, seed)\n", "    exact = Counter()\n"
        ).replace(
            "        sketch.add(item)\n        estimate = sketch.estimate(item)\n",
            "        exact[item] += 1\n        estimate = exact[item]\n",
        ),
    ),
    # Misra-Gries
    Mutant(
        "mg_keeps_zero_counters",
        "decrements but never removes counters that reach zero",
        MG,
        "                if counters[key] == 0:\n                    del counters[key]\n",
        "",
    ),
    Mutant(
        "mg_k_counters",
        "keeps k counters instead of the documented k - 1",
        MG,
        "elif len(counters) < k - 1:",
        "elif len(counters) < k:",
    ),
    Mutant(
        "mg_replace_smallest",
        "evicts the smallest counter and hands its count to the new item",
        MG,
        _MG_DECREMENT,
        "        elif counters:\n"
        "            weakest = min(counters, key=counters.get)\n"
        "            counters[item] = counters.pop(weakest) + 1\n",
    ),
    # from scratch
    Mutant(
        "uses_sklearn",
        "imports scikit-learn in a from-scratch exercise",
        TOPK,
        "counts = Counter(words)",
        "from sklearn.feature_extraction.text import CountVectorizer  # noqa: F401\n    counts = Counter(words)",
    ),
]
