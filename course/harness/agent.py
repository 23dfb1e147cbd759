"""The agent the grader runs in the learner's kernel: it serves the trusted process's requests.

Its source text is sent into the sandboxed kernel with :mod:`course.harness.wire`'s
(the kernel cannot import the course), as a small package of two modules, so it
imports nothing from ``course`` but its sibling.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

from .wire import Decoder, Encoder, WireError, dumps, fingerprint, loads, numpy_module, pandas_module

PROMPT = "\x00course-harness\x00"

# ---------------------------------------------------------------------------
# The agent: what runs in the learner's kernel. While a test cell runs, the
# agent's loop holds the kernel and talks through ``input()``: each prompt
# carries a reply (or a callback), each line typed back is the next request.
# ---------------------------------------------------------------------------


class Agent:
    """Serves the trusted process's requests inside the kernel: calls, attributes and probes."""

    def __init__(self, namespace: dict) -> None:
        self.namespace = namespace
        self.handles: dict[int, Any] = {}
        # Attributes the trusted side holds a copy of ("views"): (handle id, name) -> digest last sent.
        self.views: dict[tuple[int, str], str] = {}
        # The calls under way, innermost last: arguments and the digests the trusted side has of them.
        self.calls: list[tuple[list, dict, dict[str, str]]] = []
        self.stand_ins: dict[Any, _TrustedObject] = {}
        self.memory = _MemoryMeter()

    # -- references ---------------------------------------------------------

    def _refer(self, value: Any) -> dict:
        if isinstance(value, (_Callback, _RemoteIterator, _TrustedObject)):
            return {"$": "local", "id": value._number}  # the trusted side's own object, going home
        if value is NotImplemented:
            return {"$": "notimplemented"}
        self.handles[id(value)] = value
        kind = "callable" if callable(value) else "object"
        name = getattr(value, "__qualname__", None)
        return {
            "$": "handle",
            "id": id(value),
            "kind": kind,
            "type": type(value).__name__,
            "name": name if isinstance(name, str) else type(value).__name__,
        }

    def _resolve(self, data: dict) -> Any:
        tag = data["$"]
        if tag == "handle":
            if data.get("id") not in self.handles:
                raise WireError("an unknown handle (was the kernel restarted?)")
            return self.handles[data["id"]]
        if tag == "callback":
            return _Callback(self, data.get("id"))
        if tag == "iterator":
            return _RemoteIterator(self, data.get("id"))
        if tag == "object":
            # One stand-in per object of the test's, so `is` and dict keys behave.
            number = data.get("id")
            if number not in self.stand_ins:
                self.stand_ins[number] = _TrustedObject(self, number)
            return self.stand_ins[number]
        if tag == "notimplemented":
            return NotImplemented
        raise WireError(f"unknown type tag {tag!r}")

    def encoder(self, known: dict[int, dict] | None = None) -> Encoder:
        return Encoder(self._refer, known)

    def decode(self, data: Any) -> Any:
        return Decoder(self._resolve)(data)

    # -- requests -----------------------------------------------------------

    def loop(self) -> None:
        """Serve requests until told to stop: each reply goes out as the prompt that asks for the next request."""
        reply: dict = {"ready": True}
        self.views.clear()  # a new test cell: the trusted side starts with no views
        while True:
            request = loads(self._exchange(PROMPT + dumps(reply)))
            if request.get("op") == "stop":
                return
            reply = self._serve(request)

    def _serve(self, request: dict) -> dict:
        """One request's reply, with the views it changed; first, the views the test changed."""
        try:
            for item in request.get("assign", []):
                target = self.handles[item["id"]]
                _assign_into(target, item["name"], self.decode(item["value"]))
                self.views[(item["id"], item["name"])] = fingerprint(self.encoder()(getattr(target, item["name"])))
            reply = self._answer(request)
        except Exception as error:  # the trusted side decides what a failure means
            reply = {"raised": _described(error)}
        try:
            reply["views"] = self._changed_views()
        except Exception as error:
            reply = {"raised": _described(error)}
        return reply

    def _answer(self, request: dict) -> dict:
        op = request.get("op")
        if op == "lookup":
            found = [
                [name, self.encoder()(self.namespace[name])] for name in request["names"] if name in self.namespace
            ]
            return {"value": {"$": "dict", "items": found}}
        if op == "call":
            return self._call(request)
        target = self.decode(request.get("target"))
        if op == "getattr":
            value = getattr(target, request["name"])
            if _is_class_method(target, request["name"], value):
                return {"value": self.encoder()(value), "method": True}
            encoded = self.encoder()(value)
            if type(value) in _containers() and id(target) in self.handles:
                self.views[(id(target), request["name"])] = fingerprint(encoded)
                return {"value": encoded, "view": True}
            return {"value": encoded}
        if op == "setattr":
            setattr(target, request["name"], self.decode(request["value"]))
            return {"value": None}
        if op == "getitem":
            return {"value": self.encoder()(target[self.decode(request["key"])])}
        if op == "setitem":
            target[self.decode(request["key"])] = self.decode(request["value"])
            return {"value": None}
        if op == "len":
            return {"value": len(target)}
        if op == "list":
            return {"value": self.encoder()(list(target))}
        if op == "repr":
            return {"value": repr(target)[:2000]}
        if op == "probe":
            return {"value": self.encoder()(self._probe(request["name"], target, request.get("argument")))}
        raise WireError(f"unknown request {op!r}")

    def _call(self, request: dict) -> dict:
        target = self.decode(request["target"])
        if "method" in request:
            target = _method_of(target, request["method"])
        args = self.decode(request["args"])
        kwargs = self.decode(request["kwargs"])
        synced = {key: fingerprint(self.encoder()(value)) for key, value in _mutable(args, kwargs)}
        self.calls.append((args, kwargs, synced))
        try:
            result = _strictly(request.get("strict") or {}, target, args, kwargs)
        except Exception as error:
            return {"raised": _described(error), "mutated": self.mutated()}
        finally:
            mutated = self.mutated()
            self.calls.pop()
        known = {id(value): {"$": "arg", "key": key} for key, value in _mutable(args, kwargs)}
        known.update(self._view_references())
        return {"value": self.encoder(known)(result), "mutated": mutated}

    def mutated(self) -> dict:
        """The innermost call's arguments that changed since the trusted side last saw them."""
        if not self.calls:
            return {}
        args, kwargs, synced = self.calls[-1]
        changed = {}
        for key, value in _mutable(args, kwargs):
            encoded = self.encoder()(value)
            digest = fingerprint(encoded)
            if digest != synced.get(key):
                changed[key] = encoded
                synced[key] = digest
        return changed

    def _changed_views(self) -> list:
        """The viewed attributes that changed since they were last sent, with their new value."""
        changed = []
        for (number, name), digest in list(self.views.items()):
            encoded = self.encoder()(getattr(self.handles[number], name, None))
            if fingerprint(encoded) != digest:
                self.views[(number, name)] = fingerprint(encoded)
                changed.append({"id": number, "name": name, "value": encoded})
        return changed

    def _view_references(self) -> dict[int, dict]:
        """Viewed attributes (and a dict's values) by object id, so a result that is one of them says so."""
        known: dict[int, dict] = {}
        for number, name in self.views:
            value = getattr(self.handles[number], name, None)
            known[id(value)] = {"$": "view", "id": number, "name": name}
            if type(value) is dict:
                for key, item in value.items():
                    if isinstance(key, str):
                        known[id(item)] = {"$": "view", "id": number, "name": name, "key": key}
        return known

    def _probe(self, name: str, target: Any, argument: Any) -> Any:
        import sys

        if name == "modules":
            return sorted(sys.modules)
        if name == "source":
            import inspect
            import textwrap

            return textwrap.dedent(inspect.getsource(target))
        if name == "random_state":
            import random

            numpy = sys.modules.get("numpy")
            state = repr(random.getstate())
            if numpy is not None:
                state += repr(numpy.random.get_state(legacy=False))
            return hashlib.sha256(state.encode()).hexdigest()
        if name == "seed":
            import random

            random.seed(argument)
            numpy = sys.modules.get("numpy")
            if numpy is not None:
                numpy.random.seed(argument)
            return None
        if name == "salt_hash":
            salt_string_hash(bool(argument))
            return None
        if name == "memory_start":
            self.memory.start()
            return None
        if name == "memory_peak":
            return self.memory.stop()
        raise WireError(f"unknown probe {name!r}")

    # -- calls back into the trusted process ----------------------------------

    def _exchange(self, prompt: str) -> str:
        """One round trip to the trusted process: ``prompt`` out, the next line in."""
        self.memory.pause()
        try:
            return _prompt(prompt)
        finally:
            self.memory.resume()

    def ask(self, request: dict) -> Any:
        prompt = PROMPT + dumps(request)
        while True:
            reply = loads(self._exchange(prompt))
            if not (isinstance(reply, dict) and "op" in reply):
                break
            # The test's callable itself calls the learner's code (a spy wrapping a method): serve that first.
            prompt = PROMPT + dumps(self._serve(reply))
        if "raised" in reply:
            raise RuntimeError(
                f"the grader's callable raised {reply['raised'].get('type')}: {reply['raised'].get('message')}"
            )
        return self.decode(reply.get("value"))


class _Callback:
    """A callable of the trusted process, as the learner's code sees it."""

    def __init__(self, agent: Agent, number: Any) -> None:
        self._agent, self._number = agent, number

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        encode = self._agent.encoder()
        request = {"callback": self._number, "args": encode(list(args)), "kwargs": encode(kwargs)}
        # The test's callable may read the arguments the learner's code is changing in place
        # (a loss that closes over x, while x[i] is nudged): they go along with the call.
        request["mutated"] = self._agent.mutated()
        return self._agent.ask(request)


class _TrustedObject:
    """An object of the test's (not data) as the learner's code sees it: comparisons and reads are asked for."""

    def __init__(self, agent: Agent, number: Any) -> None:
        self._agent, self._number = agent, number

    def _ask(self, op: str, *args: Any) -> Any:
        return self._agent.ask({"object": self._number, "op": op, "args": self._agent.encoder()(list(args))})

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return self._agent.ask({"object": self._number, "op": "getattr", "name": name})

    def __lt__(self, other: Any) -> Any:
        return self._ask("__lt__", other)

    def __le__(self, other: Any) -> Any:
        return self._ask("__le__", other)

    def __gt__(self, other: Any) -> Any:
        return self._ask("__gt__", other)

    def __ge__(self, other: Any) -> Any:
        return self._ask("__ge__", other)

    def __eq__(self, other: object) -> Any:
        return self._ask("__eq__", other)

    def __ne__(self, other: object) -> Any:
        return self._ask("__ne__", other)

    def __hash__(self) -> int:
        return int(self._ask("__hash__"))

    def __len__(self) -> int:
        return int(self._ask("__len__"))

    def __getitem__(self, key: Any) -> Any:
        return self._ask("__getitem__", key)

    def __contains__(self, item: Any) -> bool:
        return bool(self._ask("__contains__", item))

    def __repr__(self) -> str:
        return str(self._ask("__repr__"))


class _RemoteIterator:
    """An iterator of the trusted process, read in chunks as the learner's code consumes it."""

    def __init__(self, agent: Agent, number: Any) -> None:
        self._agent, self._number = agent, number
        self._buffer: list = []
        self._done = False

    def __iter__(self) -> Iterator[Any]:
        return self

    def __next__(self) -> Any:
        if not self._buffer and not self._done:
            chunk = self._agent.ask({"next": self._number})
            self._buffer, self._done = list(chunk["items"]), bool(chunk["done"])
        if not self._buffer:
            raise StopIteration
        return self._buffer.pop(0)


def salt_string_hash(on: bool) -> None:
    """Make the built-in ``hash()`` answer as a Python process with another string salt would (or stop)."""
    import builtins
    import threading

    real = getattr(salt_string_hash, "real", builtins.hash)
    if not on:
        builtins.hash = real
        return
    salt_string_hash.real = real  # type: ignore[attr-defined]
    thread = threading.get_ident()

    def salted(value: Any) -> int:
        digest = real(value)
        return real((digest, "another process")) if threading.get_ident() == thread else digest

    builtins.hash = salted


class _MemoryMeter:
    """The learner's peak traced memory while a probe watches, the harness's round trips left out.

    Each message the kernel receives grows its session's record of message
    signatures, which now and then reallocates a table of megabytes. So the
    peak is read before every round trip and restarted after it, and what a
    round trip leaves allocated is taken off every later reading.
    """

    def __init__(self) -> None:
        self.watching = False
        self.peak = self.harness_bytes = self.before = 0

    def start(self) -> None:
        import tracemalloc

        tracemalloc.start()
        self.watching, self.peak, self.harness_bytes = True, 0, 0

    def pause(self) -> None:
        if self.watching:
            import tracemalloc

            self.before, peak = tracemalloc.get_traced_memory()
            self.peak = max(self.peak, peak - self.harness_bytes)

    def resume(self) -> None:
        if self.watching:
            import tracemalloc

            # Memory a round trip frees may be the learner's garbage: only growth is the harness's.
            self.harness_bytes += max(0, tracemalloc.get_traced_memory()[0] - self.before)
            tracemalloc.reset_peak()

    def stop(self) -> int:
        import tracemalloc

        self.pause()
        tracemalloc.stop()
        self.watching = False
        return self.peak


def _prompt(text: str) -> str:
    """``input(text)``, without flushing the learner's output first.

    ipykernel flushes standard output and error before each input request,
    a wait on its output thread that made every call several times slower;
    what the learner's code prints during a hidden test is never shown anyway.
    """
    import sys

    streams = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = None
    try:
        return input(text)
    finally:
        sys.stdout, sys.stderr = streams


def _strictly(strict: dict, target: Any, args: list, kwargs: dict) -> Any:
    """Call ``target`` under the test's warning filter and NumPy error rules, as the test set them."""
    import warnings

    numpy = numpy_module()
    action = strict.get("warnings")
    errstate = strict.get("errstate")
    rules = {key: value for key, value in (errstate or {}).items() if key in ("divide", "over", "under", "invalid")}
    with warnings.catch_warnings(), numpy.errstate(**rules):
        if action in ("error", "ignore", "always", "default", "module", "once"):
            warnings.simplefilter(action)
        return target(*args, **kwargs)


def _is_class_method(owner: Any, name: str, value: Any) -> bool:
    """Whether ``owner.name`` is a method its class defines, not shadowed by the instance."""
    function = getattr(value, "__func__", None)
    return (
        getattr(value, "__self__", None) is owner
        and name not in getattr(owner, "__dict__", {})
        and getattr(type(owner), name, None) is function
    )


def _method_of(owner: Any, name: str) -> Any:
    """The method ``name`` of ``owner``'s class, bound to ``owner``.

    The class's, even if the instance has since been given its own attribute of
    that name: a test that kept ``real = model.fit`` and then replaced
    ``model.fit`` with a spy still calls the real one through ``real``.
    """
    return getattr(type(owner), name).__get__(owner, type(owner))


def _containers() -> tuple[type, ...]:
    """The types a call may change in place, so the trusted side's copy must follow."""
    numpy = numpy_module()
    kinds: tuple[type, ...] = (list, dict, set, numpy.ndarray, numpy.random.Generator)
    pandas = pandas_module()
    if pandas is not None:
        kinds += (pandas.DataFrame, pandas.Series)
    return kinds


def _assign_into(target: Any, name: str, value: Any) -> None:
    """Give ``target.name`` the trusted side's value, in place where it can, so the learner's aliases see it."""
    numpy = numpy_module()
    current = getattr(target, name, None)
    if type(current) is dict and type(value) is dict:
        for key in [key for key in current if key not in value]:
            del current[key]
        for key, item in value.items():
            held = current.get(key)
            if type(held) is numpy.ndarray and type(item) is numpy.ndarray and held.shape == item.shape:
                held[...] = item
            else:
                current[key] = item
    elif type(current) is numpy.ndarray and type(value) is numpy.ndarray and current.shape == value.shape:
        current[...] = value
    elif type(current) is list and type(value) is list:
        current[:] = value
    else:
        setattr(target, name, value)


def _mutable(args: list, kwargs: dict) -> list[tuple[str, Any]]:
    """The arguments a call could change in place, keyed by position or name."""
    kinds = _containers()
    pairs = [(str(position), value) for position, value in enumerate(args)] + list(kwargs.items())
    return [(key, value) for key, value in pairs if type(value) in kinds]


def _described(error: BaseException) -> dict:
    """An exception as data: its class's lineage (names only) and its message."""
    lineage = [[cls.__module__, cls.__qualname__] for cls in type(error).__mro__]
    return {"type": type(error).__name__, "lineage": lineage, "message": str(error)[:2000]}
