"""What a hidden test may ask about the learner's code beyond calling it.

Under the grading harness the test runs in the trusted process and the
learner's code in the kernel, so ``sys.modules``, ``inspect`` or
``tracemalloc`` in a test would look at the wrong process. These functions ask
the kernel instead; run anywhere else (a plain notebook, ``nbval``) they look
at the current process, so a test written with them means the same thing in
both places. docs/AUTHORING.md lists them. Outside the grader this module needs
only NumPy (and its siblings ``agent`` and ``wire``), so hidden tests that use
it run wherever the learner's packages do.
"""

from __future__ import annotations

import hashlib
import inspect
import random
import sys
import textwrap
import tracemalloc
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from .agent import salt_string_hash

if TYPE_CHECKING:  # the trusted process sets LINK; a plain notebook needs nothing beyond NumPy here
    from .link import Link

Result = TypeVar("Result")

# The trusted process's line to the kernel, set while it grades; None elsewhere.
LINK: Link | None = None


def loaded_modules() -> list[str]:
    """The modules the learner's process has imported (``sys.modules``'s keys)."""
    if LINK is not None:
        return list(LINK.probe("modules"))
    return sorted(sys.modules)


def banned_imports(names: tuple[str, ...] = ("sklearn", "torch", "tensorflow", "keras", "jax")) -> list[str]:
    """Which of ``names`` (top-level packages or dotted modules) the learner's process imported."""
    loaded = set(loaded_modules())
    return sorted(name for name in names if name in loaded)


def source_of(function: Any) -> str:
    """The source text of a function or class of the learner's, dedented."""
    if LINK is not None:
        return str(LINK.probe("source", function))
    return textwrap.dedent(inspect.getsource(function))


def seed_global_random(seed: int) -> None:
    """Seed the learner's process's global generators (``random`` and ``np.random``)."""
    if LINK is not None:
        LINK.probe("seed", argument=seed)
        return
    random.seed(seed)
    np.random.seed(seed)


def global_random_state() -> str:
    """A digest of the learner's process's global random state: equal digests, untouched state."""
    if LINK is not None:
        return str(LINK.probe("random_state"))
    state = repr(random.getstate()) + repr(np.random.get_state(legacy=False))
    return hashlib.sha256(state.encode()).hexdigest()


def in_another_process(call: Callable[[], Result]) -> Result:
    """Run ``call`` while the built-in ``hash()`` of the learner's process salts strings as another process would.

    Python salts ``hash()`` of strings per process, so code that must give the
    same answer in every run may not depend on it; this shows whether it does.
    """
    if LINK is not None:
        LINK.probe("salt_hash", argument=True)
        try:
            return call()
        finally:
            LINK.probe("salt_hash", argument=False)
    salt_string_hash(True)
    try:
        return call()
    finally:
        salt_string_hash(False)


def peak_memory(call: Callable[[], Result]) -> tuple[Result, int]:
    """Run ``call`` (which calls the learner's code); its result and the learner's process's peak traced bytes.

    Under the grader, the memory the harness's own round trips take is left out.
    """
    if LINK is not None:
        LINK.probe("memory_start")
        try:
            result = call()
        finally:
            peak = int(LINK.probe("memory_peak"))
        return result, peak
    tracemalloc.start()
    try:
        result = call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return result, peak
