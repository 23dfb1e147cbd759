"""Typical wrong answers for lesson 04 (softmax, cross-entropy, gradient checks, MLP, training);
each must lose points."""

from course.mutants import Mutant

SOFTMAX = "softmax"
CROSS_ENTROPY = "cross_entropy"
NUMGRAD = "numerical_gradient"
MLP = "mlp"
TRAIN = "train"

# from the loss to the weight gradient: a convention changes both ends
_PENALISED_LOSS_AND_WEIGHT_GRADIENT = (
    "loss = cross_entropy(logits, y) + l2 * penalty\n"
    "\n"
    "        # backward pass: grad_z is dJ/dZ of the current layer, shape (n_samples, layer_sizes[layer])\n"
    "        grad_z = softmax(logits)\n"
    "        grad_z[np.arange(n_samples), y] -= 1.0\n"
    "        grad_z /= n_samples\n"
    "        grads = {}\n"
    "        for layer in range(self.n_layers, 0, -1):\n"
    '            W = self.params[f"W{layer}"]\n'
    '            grads[f"W{layer}"] = inputs[layer - 1].T @ grad_z + 2.0 * l2 * W'
)

MUTANTS = [
    # softmax
    Mutant(
        "softmax_no_max_shift",
        "exponentiates the raw logits, so exp(1000) overflows to inf and NaN",
        SOFTMAX,
        "shifted = logits - logits.max(axis=1, keepdims=True)",
        "shifted = logits",
        in_demo=True,
    ),
    Mutant(
        "softmax_wrong_axis",
        "normalises each column (axis=0) instead of each row",
        SOFTMAX,
        "return exp / exp.sum(axis=1, keepdims=True)",
        "return exp / exp.sum(axis=0, keepdims=True)",
    ),
    Mutant(
        "softmax_global_max",
        "subtracts one maximum for the whole batch, so other rows underflow to 0/0",
        SOFTMAX,
        "shifted = logits - logits.max(axis=1, keepdims=True)",
        "shifted = logits - logits.max()",
    ),
    Mutant(
        "softmax_in_place",
        "subtracts the maximum in place and edits the caller's logits",
        SOFTMAX,
        "shifted = logits - logits.max(axis=1, keepdims=True)",
        "logits -= logits.max(axis=1, keepdims=True)\n    shifted = logits",
    ),
    Mutant(
        "softmax_uses_sklearn",
        "calls scikit-learn's softmax instead of writing it",
        SOFTMAX,
        "exp = np.exp(shifted)\n    return exp / exp.sum(axis=1, keepdims=True)",
        "from sklearn.utils.extmath import softmax as sklearn_softmax\n    return sklearn_softmax(logits)",
    ),
    # cross-entropy
    Mutant(
        "cross_entropy_log_of_softmax",
        "takes log(softmax) instead of log-sum-exp, so a confident mistake is log(0)",
        CROSS_ENTROPY,
        "return float(np.mean(log_sum_exp - true_logit))",
        "probs = np.exp(logits - row_max) / np.exp(logits - row_max).sum(axis=1, keepdims=True)\n"
        "    return float(-np.mean(np.log(probs[np.arange(logits.shape[0]), y])))",
    ),
    Mutant(
        "cross_entropy_label_column",
        "keeps labels of shape (n, 1), so the fancy index broadcasts to (n, n)",
        CROSS_ENTROPY,
        "y = np.asarray(y).reshape(-1).astype(int)",
        "y = np.asarray(y).astype(int)",
    ),
    # numerical gradient
    Mutant(
        "numgrad_forward_difference",
        "uses the forward difference (f(x + eps) - f(x)) / eps",
        NUMGRAD,
        "        x[index] = original - eps\n        f_minus = float(f(x))\n        x[index] = original\n"
        "        grad[index] = (f_plus - f_minus) / (2.0 * eps)",
        "        x[index] = original\n        f_minus = float(f(x))\n        grad[index] = (f_plus - f_minus) / eps",
    ),
    Mutant(
        "numgrad_not_restored",
        "forgets to write the original value back after perturbing an entry",
        NUMGRAD,
        "        x[index] = original\n        grad[index]",
        "        grad[index]",
    ),
    Mutant(
        "numgrad_on_a_copy",
        "perturbs a copy of x, so a closure over the real array never sees the change",
        NUMGRAD,
        "grad = np.zeros(x.shape, dtype=float)",
        "x = np.array(x, dtype=float)\n    grad = np.zeros(x.shape, dtype=float)",
    ),
    # MLP
    Mutant(
        "relu_mask_wrong_side",
        "back-propagates through the ReLU where Z < 0 instead of Z > 0",
        MLP,
        "(pre_activations[layer - 2] > 0)",
        "(pre_activations[layer - 2] < 0)",
    ),
    Mutant(
        "grad_missing_mean",
        "forgets the 1/n of the mean in the output gradient",
        MLP,
        "        grad_z /= n_samples\n",
        "",
    ),
    Mutant(
        "l2_on_biases",
        "penalises the biases as well as the weights (in the loss and the gradient)",
        MLP,
        'penalty = sum(np.sum(self.params[f"W{layer}"] ** 2) for layer in range(1, self.n_layers + 1))',
        "penalty = sum(np.sum(value ** 2) for value in self.params.values())",
        in_demo=True,
    ),
    Mutant(
        "l2_bias_gradient",
        "adds 2 * l2 * b to the bias gradient",
        MLP,
        'grads[f"b{layer}"] = grad_z.sum(axis=0)',
        'grads[f"b{layer}"] = grad_z.sum(axis=0) + 2.0 * l2 * self.params[f"b{layer}"]',
    ),
    Mutant(
        "l2_gradient_missing_two",
        "penalises l2 * sum(W ** 2) but adds only l2 * W to the gradient",
        MLP,
        'grads[f"W{layer}"] = inputs[layer - 1].T @ grad_z + 2.0 * l2 * W',
        'grads[f"W{layer}"] = inputs[layer - 1].T @ grad_z + l2 * W',
    ),
    Mutant(
        "l2_half_convention",
        "keeps the other common convention, penalty 0.5 * l2 * sum(W ** 2) with gradient "
        "l2 * W, instead of the course's l2 * sum(W ** 2) with gradient 2 * l2 * W",
        MLP,
        _PENALISED_LOSS_AND_WEIGHT_GRADIENT,
        _PENALISED_LOSS_AND_WEIGHT_GRADIENT.replace("+ l2 * penalty", "+ 0.5 * l2 * penalty").replace(
            "+ 2.0 * l2 * W", "+ l2 * W"
        ),
    ),
    Mutant(
        "relu_on_output",
        "applies ReLU to the output layer as well, clipping the logits at 0",
        MLP,
        "activation = np.maximum(pre_activation, 0.0) if layer < self.n_layers else pre_activation\n        return activation",
        "activation = np.maximum(pre_activation, 0.0)\n        return activation",
    ),
    Mutant(
        "mlp_label_column",
        "keeps labels of shape (n, 1) in the backward pass, so P - Y is built wrongly",
        MLP,
        "y = np.asarray(y).reshape(-1).astype(int)",
        "y = np.asarray(y).astype(int)",
    ),
    Mutant(
        "mlp_init_ignores_seed",
        "draws the weights from an unseeded generator",
        MLP,
        "rng = np.random.default_rng(seed)",
        "rng = np.random.default_rng()",
    ),
    # train
    Mutant(
        "update_sign_flipped",
        "steps up the gradient (params += learning_rate * grads)",
        TRAIN,
        "model.params[key] -= learning_rate * grads[key]",
        "model.params[key] += learning_rate * grads[key]",
    ),
    Mutant(
        "unseeded_shuffle",
        "shuffles with NumPy's global, unseeded generator",
        TRAIN,
        "order = rng.permutation(n_samples)",
        "order = np.random.permutation(n_samples)",
    ),
    Mutant(
        "drops_last_batch",
        "drops the last, smaller batch of every epoch",
        TRAIN,
        "range(0, n_samples, batch_size)",
        "range(0, n_samples - batch_size + 1, batch_size)",
    ),
]
