# %% [markdown]
# ## TF-IDF from scratch
#
# *"Turn a list of short documents into TF-IDF vectors, without scikit-learn.
# Give me the vocabulary and the document-term matrix."*
#
# Call shape: `tfidf(documents)` returns `(vocabulary, matrix)`.

# %% [markdown]
# **Your clarifying questions.** Write the questions you would ask, and what you
# would assume without an answer, *before* you open the interviewer's answers.
#
# -

# %% [markdown]
# <details><summary>The interviewer's answers (open after writing your questions)</summary>
#
# - *What is a document?* A string; `documents` is a list of at least one of them.
# - *Tokens?* Lower-case the text, then a token is a maximal run of the letters `a-z` and
#   digits `0-9`: `re.findall(r"[a-z0-9]+", text.lower())`. Everything else separates tokens.
# - *The vocabulary?* Every distinct token, as a Python list sorted in ascending order.
#   Column `j` of the matrix belongs to `vocabulary[j]`.
# - *The formula?* With `n` documents: term frequency `tf = count of the term in the
#   document / number of tokens in the document`; `df` = number of documents containing the
#   term; `idf = ln((1 + n) / (1 + df)) + 1`; the weight is `tf * idf`; then each row is
#   divided by its Euclidean norm.
# - *A document with no tokens?* Its row is all zeros: no NaN, no warning.
# - *What do I return?* `vocabulary` (list of str) and `matrix`, a float array of shape
#   `(n_documents, len(vocabulary))`.
# - *Complexity?* Linear in the total number of tokens, plus the matrix itself.
# </details>

# %% nbgrader="solution" grade_id="tfidf"
### BEGIN SOLUTION
import re
from collections import Counter

import numpy as np


def tfidf(documents):
    tokenised = [re.findall(r"[a-z0-9]+", str(document).lower()) for document in documents]
    vocabulary = sorted({token for tokens in tokenised for token in tokens})
    column = {term: index for index, term in enumerate(vocabulary)}
    counts = np.zeros((len(tokenised), len(vocabulary)))
    for row, tokens in enumerate(tokenised):
        for term, count in Counter(tokens).items():
            counts[row, column[term]] = count
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    df = (counts > 0).sum(axis=0)
    idf = np.log((1 + len(tokenised)) / (1 + df)) + 1
    weights = tf * idf
    norms = np.linalg.norm(weights, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vocabulary, weights / norms
### END SOLUTION

# %% nbgrader="tests" grade_id="correctness-tfidf_values" points=4
import numpy as np

_vocabulary, _matrix = tfidf(["the cat", "the dog"])
assert list(_vocabulary) == ["cat", "dog", "the"], "the vocabulary is every distinct token, sorted"
assert np.shape(_matrix) == (2, 3), "the matrix has one row per document and one column per term"
_rare = 1 + np.log(1.5)
assert np.allclose(_matrix[0], np.array([_rare, 0.0, 1.0]) / np.hypot(_rare, 1.0)), \
    "'the' is in every document (idf 1), 'cat' in one (idf 1 + ln 1.5); then the row is scaled to length 1"
### BEGIN HIDDEN TESTS
import re
from collections import Counter

_rng = np.random.default_rng(2024)
_words = ["Model", "data", "loss", "ROC", "auc", "grad", "x2", "layer", "the", "a", "of"]
_documents = []
for _length in [5, 9, 3, 12, 7, 1]:
    _picked = _rng.choice(_words, size=_length)
    _documents.append(" ".join(_word + str(_rng.choice(["", ",", ".", "!", "?", ";"])) for _word in _picked))
_documents.append("Data-driven models; (data) and DATA!")
_tokens = [re.findall(r"[a-z0-9]+", _doc.lower()) for _doc in _documents]
_expected_vocabulary = sorted(set().union(*map(set, _tokens)))
_n = len(_documents)
_df = {_t: sum(_t in _doc for _doc in _tokens) for _t in _expected_vocabulary}
_expected = np.zeros((_n, len(_expected_vocabulary)))
for _row, _doc in enumerate(_tokens):
    _counts = Counter(_doc)
    for _col, _t in enumerate(_expected_vocabulary):
        _expected[_row, _col] = _counts[_t] / len(_doc) * (np.log((1 + _n) / (1 + _df[_t])) + 1)
    _expected[_row] /= np.sqrt(np.sum(_expected[_row] ** 2))
_vocabulary, _matrix = tfidf(list(_documents))
_matrix = np.asarray(_matrix, dtype=float)
assert list(_vocabulary) == _expected_vocabulary, \
    "the vocabulary differs: lower-case, split on anything that is not a-z or 0-9, sort the distinct tokens"
assert _matrix.shape == (_n, len(_expected_vocabulary)), "the matrix must be (n_documents, n_terms)"
assert np.allclose(np.linalg.norm(_matrix, axis=1), 1.0), "every row with a token must have Euclidean norm 1"
assert np.allclose(_matrix, _expected, atol=1e-12), \
    "the weights differ: df counts documents (not occurrences), idf = ln((1 + n) / (1 + df)) + 1, tf * idf per row"
### END HIDDEN TESTS

# %% nbgrader="tests" grade_id="edge_cases-tfidf_empty_and_common" points=2
import warnings

import numpy as np

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _vocabulary, _matrix = tfidf(["apples and pears", "", "pears"])
assert np.shape(_matrix) == (3, 3) and np.all(np.isfinite(_matrix)) and np.allclose(_matrix[1], 0.0), \
    "a document without tokens must give a row of zeros, not NaN (0 / 0)"
### BEGIN HIDDEN TESTS
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    _vocabulary, _matrix = tfidf(["...", "Same same", "same!"])
_matrix = np.asarray(_matrix, dtype=float)
assert list(_vocabulary) == ["same"] and _matrix.shape == (3, 1), \
    "punctuation is not a token, and case does not make a new term"
assert np.all(np.isfinite(_matrix)) and np.allclose(_matrix[:, 0], [0.0, 1.0, 1.0]), \
    "a term in every non-empty document still gets a positive weight (idf has + 1), and empty rows stay zero"
_vocabulary, _matrix = tfidf(["solo"])
assert list(_vocabulary) == ["solo"] and np.allclose(np.asarray(_matrix, dtype=float), [[1.0]]), \
    "one document with one term gives the 1 x 1 matrix [[1]]"
### END HIDDEN TESTS

# %%
import matplotlib.pyplot as plt

_docs = ["the model overfits the training data", "more data helps the model",
         "regularisation fights overfitting", "the learning rate is too high", "data, data, data!"]
_vocabulary, _matrix = tfidf(_docs)
plt.figure(figsize=(9, 3))
plt.imshow(_matrix, cmap="Blues", aspect="auto")
plt.xticks(range(len(_vocabulary)), _vocabulary, rotation=70)
plt.yticks(range(len(_docs)), [f"doc {_i}" for _i in range(len(_docs))])
plt.colorbar(label="tf-idf")
plt.title("Your TF-IDF matrix: common words fade, distinctive ones stand out")
plt.tight_layout()
plt.show()
