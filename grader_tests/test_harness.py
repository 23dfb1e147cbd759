"""The grading harness on its own: the wire format, and a trusted session driving a real kernel.

The red-team corpus (test_red_team.py) shows the harness closing attacks
through ``course grade``; these tests pin down what crosses the boundary and
how a test cell sees the learner's objects, in seconds, with a plain local
kernel standing in for the sandboxed one.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from jupyter_client.manager import start_new_kernel

from course.harness import probes
from course.harness.agent import Agent
from course.harness.link import Link
from course.harness.trusted import TrustedSession
from course.harness.wire import Decoder, Encoder, WireError, dumps, loads

LEARNER = """
import heapq
import numpy as np


def scale(X, factor):
    X *= factor  # changes the caller's array: the test must see it
    return X


def draw(rng, n):
    return rng.normal(size=n)


def merged(lists):
    return list(heapq.merge(*lists))


def apply_twice(f, x):
    return f(f(x))


def count(stream):
    return sum(1 for _ in stream)


class ShapeError(ValueError):
    pass


def checked(X):
    raise ShapeError("X must be 2-D")


class Model:
    def __init__(self):
        self.params = {"W": np.ones((2, 2))}

    def fit(self, X):
        self.params["W"] += 1.0
        return self

    def loss(self):
        return float(self.params["W"].sum())
"""


def _no_handles(reference: object) -> dict:
    raise AssertionError(f"unexpected reference {reference}")


def round_trip(value: object) -> object:
    return Decoder(_no_handles)(loads(dumps(Encoder(_no_handles)(value))))


@pytest.mark.parametrize(
    "value",
    [
        [1, 2.5, "x", None, True],
        {"a": (1, 2), 3: {4, 5}, (1, "k"): frozenset({1})},
        range(2, 11, 3),
        float("nan"),
        -float("inf"),
        1 + 2j,
        b"\x00\xff",
        np.arange(12, dtype=np.int32).reshape(3, 4),
        np.array(["ab", "c"]),
        np.array([np.datetime64("2026-01-02")]),
        np.float32(1.5),
    ],
    ids=repr,
)
def test_plain_data_crosses_unchanged(value: object) -> None:
    back = round_trip(value)
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert isinstance(back, np.ndarray) and back.dtype == value.dtype and np.array_equal(back, value)
    elif isinstance(value, float) and np.isnan(value):
        assert isinstance(back, float) and np.isnan(back)
    else:
        assert back == value


def test_pandas_frames_and_generators_cross_with_their_types() -> None:
    frame = pd.DataFrame({"x": [1.0, None], "when": pd.to_datetime(["2026-01-01", None]), "s": ["a", None]})
    back = round_trip(frame)
    assert isinstance(back, pd.DataFrame) and list(back.columns) == ["x", "when", "s"]
    assert back["when"].dtype == frame["when"].dtype and back.isna().equals(frame.isna())
    rng = np.random.default_rng(3)
    twin = round_trip(rng)
    assert isinstance(twin, np.random.Generator) and twin.normal() == rng.normal()


@pytest.mark.parametrize(
    "data",
    [
        {"$": "nd", "dtype": "O", "shape": [1], "b64": "AAAAAAAAAAA="},  # objects never cross as raw bytes
        {"$": "nd", "dtype": "<f8", "shape": [3], "b64": "AAAAAAAAAAA="},  # bytes that do not fill the shape
        {"$": "rng", "kind": "os.system", "state": {}},  # only NumPy's bit generators, by name
        {"$": "pickle", "data": "gASV"},  # no such thing
        {"no": "tag"},
    ],
)
def test_data_that_could_run_code_or_lies_about_itself_is_refused(data: dict) -> None:
    with pytest.raises((WireError, TypeError, ValueError)):
        Agent({}).decode(data)  # the kernel agent's own decoder, references included


@pytest.fixture(scope="module")
def session() -> Iterator[TrustedSession]:
    manager, client = start_new_kernel()
    try:
        client.execute_interactive(LEARNER, output_hook=lambda message: None, timeout=60)
        trusted = TrustedSession(Link(dict(manager.get_connection_info())))
        probes.LINK = trusted.link
        yield trusted
    finally:
        probes.LINK = None
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def passes(session: TrustedSession, source: str) -> dict:
    record = session.run(source, "<test>", 60)
    assert record["error"] is None, record
    return record


def test_a_call_brings_back_the_result_and_the_arguments_as_the_learner_left_them(session: TrustedSession) -> None:
    passes(
        session,
        "import numpy as np\nX = np.ones(3)\nY = scale(X, 2.0)\n"
        "assert np.array_equal(X, [2.0, 2.0, 2.0]), X\nassert Y is X",
    )


def test_a_generator_argument_advances_as_the_learner_draws(session: TrustedSession) -> None:
    passes(
        session,
        "import numpy as np\nrng = np.random.default_rng(1)\nfirst = draw(rng, 2)\n"
        "assert np.array_equal(first, np.random.default_rng(1).normal(size=2))\n"
        "assert np.array_equal(draw(rng, 1), np.random.default_rng(1).normal(size=3)[2:])",
    )


def test_the_tests_callables_iterators_and_objects_stay_in_the_trusted_process(session: TrustedSession) -> None:
    passes(
        session,
        "calls = []\n"
        "def double(x):\n    calls.append(x)\n    return 2 * x\n"
        "assert apply_twice(double, 3) == 12 and calls == [3, 6]\n"
        "assert count(x for x in range(2000)) == 2000\n"
        "class Rank:\n    def __init__(self, score):\n        self.score = score\n"
        "    def __lt__(self, other):\n        return self.score < other.score\n"
        "a, b = Rank(2), Rank(1)\nout = merged([[a], [b]])\nassert out[0] is b and out[1] is a",
    )


def test_objects_stay_in_the_kernel_and_their_attributes_stay_in_step(session: TrustedSession) -> None:
    passes(
        session,
        "m = Model()\nassert m.fit(None) is m\nW = m.params['W']\nassert W[0, 0] == 2.0\n"
        "m.params['W'][...] = 0.0\nassert m.loss() == 0.0\nm.fit(None)\nassert W[0, 0] == 1.0",
    )


def test_a_learner_exception_is_caught_as_its_base_class_and_says_who_raised_it(session: TrustedSession) -> None:
    passes(
        session, "try:\n    checked(1)\nexcept ValueError as error:\n    assert type(error).__name__ == 'ShapeError'"
    )
    record = session.run("checked(1)", "<test>", 60)
    assert record["error"] == ["ShapeError", "X must be 2-D"]
    assert record["origin"] == "learner" and record["function"] == "checked"


def test_a_test_failure_is_the_tests_own_message(session: TrustedSession) -> None:
    record = session.run("assert scale([1], 1) == [1]\nassert False, 'the test says so'", "<test>", 60)
    assert record["error"] == ["AssertionError", "the test says so"] and record["origin"] == "test"


def test_the_probes_answer_for_the_kernel_not_the_trusted_process(session: TrustedSession) -> None:
    passes(
        session,
        "import sys, math\nfrom course.harness import probes\n"
        "assert 'heapq' in probes.loaded_modules()\n"
        "assert 'X *= factor' in probes.source_of(scale)\n"
        "probes.seed_global_random(5)\nbefore = probes.global_random_state()\n"
        "draw(__import__('numpy').random.default_rng(0), 3)\nassert probes.global_random_state() == before\n"
        "_, peak = probes.peak_memory(lambda: count(x for x in range(10_000)))\nassert 0 < peak < 2e6",
    )


def test_memory_is_the_learners_not_the_round_trips(session: TrustedSession) -> None:
    # Each message the kernel receives grows its session's record of message signatures,
    # and once in a while that record reallocates a table of megabytes: a round trip's
    # memory is the harness's, and must not be charged to the learner's sampler.
    execute = session.link.client.execute_interactive
    execute(
        "_session = get_ipython().kernel.session\n_kept = []\n"
        "def _costly_recv(*args, **kwargs):\n    _kept.append(bytes(3_000_000))\n"
        "    return type(_session).recv(_session, *args, **kwargs)\n"
        "_session.recv = _costly_recv\n"
        "def hoard(stream):\n    return len(list(stream))",
        output_hook=lambda message: None,
        timeout=30,
    )
    try:
        record = passes(
            session,
            "from course.harness import probes\n"
            "_, lean = probes.peak_memory(lambda: count(x for x in range(60_000)))\n"
            "_, hoarding = probes.peak_memory(lambda: hoard(x for x in range(60_000)))\n"
            "print(lean, hoarding)",
        )
    finally:
        execute("del _session.recv, _kept", output_hook=lambda message: None, timeout=30)
    lean, hoarding = map(int, record["stdout"].split())
    assert lean < 1e6 < hoarding


def test_a_call_that_does_not_return_in_time_stops_the_test_not_the_trusted_process(session: TrustedSession) -> None:
    session.link.client.execute_interactive(
        "import time\ndef stall():\n    time.sleep(30)", output_hook=lambda message: None, timeout=30
    )
    record = session.run("stall()", "<test>", 2)
    assert record["error"][0] == "KernelStopped" and record["kernel"]
