"""The trusted process's line to the learner's kernel: proxies for what the kernel holds.

A name the learner's cells define becomes a :class:`Remote` in the trusted
process. Calling it (or a method of what it returns) sends the arguments to
the kernel as data (:mod:`course.harness.kernel_side`), runs the learner's code
there, and brings the result back as data; objects stay in the kernel behind a
handle. A callable or an iterator the test passes in stays here: the kernel
calls back for it through the Jupyter stdin channel.
"""

from __future__ import annotations

import builtins
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import zmq
from jupyter_client.blocking import BlockingKernelClient

from .kernel_side import ITERATOR_CHUNK, MIME, PROMPT, Decoder, Encoder, WireError, dumps, loads

AGENT_NAME = "__course_agent__"
_AGENT_SOURCE = (Path(__file__).with_name("kernel_side.py")).read_text()
_BOOTSTRAP = (
    "import types as _course_types\n"
    "_course_module = _course_types.ModuleType('course_harness_agent')\n"
    f"exec(compile({_AGENT_SOURCE!r}, '<course harness>', 'exec'), _course_module.__dict__)\n"
    f"{AGENT_NAME} = _course_module.Agent(globals())\n"
    "del _course_types, _course_module\n"
)
# Why the kernel must be restarted after a test.
STOPPED_TIMED_OUT = "the learner's code did not return within the time limit"
STOPPED_DIED = "the kernel died running the learner's code"
STOPPED_WAITING = "the test stopped waiting for the learner's code"
# How often a wait for the kernel checks that it is still alive.
_POLL_SECONDS = 0.5


class KernelStopped(BaseException):
    """The learner's kernel did not answer in time, or died.

    A ``BaseException``, as a timeout is: a test's ``except Exception`` must not
    swallow it and go on calling a kernel that is busy or gone.
    """


class LearnerError(Exception):
    """An exception of a class the trusted process does not have, raised by the learner's code."""


class Remote:
    """An object of the learner's kernel, seen from the trusted process."""

    __slots__ = ("_kind", "_link", "_ref", "_type")

    def __init__(self, link: Link, ref: dict) -> None:
        object.__setattr__(self, "_link", link)
        object.__setattr__(self, "_ref", {"$": "handle", "id": ref.get("id")})
        object.__setattr__(self, "_kind", ref.get("kind"))
        object.__setattr__(self, "_type", str(ref.get("type", "object")))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._link.call(self._ref, args, kwargs)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._link.request({"op": "getattr", "target": self._ref, "name": name})

    def __setattr__(self, name: str, value: Any) -> None:
        self._link.request({"op": "setattr", "target": self._ref, "name": name, "value": self._link.encode(value)})

    def __getitem__(self, key: Any) -> Any:
        return self._link.request({"op": "getitem", "target": self._ref, "key": self._link.encode(key)})

    def __setitem__(self, key: Any, value: Any) -> None:
        request = {
            "op": "setitem",
            "target": self._ref,
            "key": self._link.encode(key),
            "value": self._link.encode(value),
        }
        self._link.request(request)

    def __len__(self) -> int:
        return int(self._link.request({"op": "len", "target": self._ref}))

    def __iter__(self) -> Iterator[Any]:
        return iter(self._link.request({"op": "list", "target": self._ref}))

    def __repr__(self) -> str:
        return f"<the learner's {self._type}>"


class Link:
    """Requests to the agent in the learner's kernel, over a Jupyter kernel client."""

    def __init__(self, connection_info: dict) -> None:
        self.client = BlockingKernelClient()
        self.client.load_connection_info(connection_info)  # type: ignore[arg-type]
        self.client.start_channels()
        self.deadline = float("inf")
        self.stopped: str | None = None
        self._callbacks: dict[int, Callable[..., Any]] = {}
        self._iterators: dict[int, Iterator[Any]] = {}

    def close(self) -> None:
        self.client.stop_channels()

    # -- encoding ------------------------------------------------------------

    def _refer(self, value: Any) -> dict:
        if isinstance(value, Remote):
            return object.__getattribute__(value, "_ref")
        if isinstance(value, Iterator):
            self._iterators[id(value)] = value
            return {"$": "iterator", "id": id(value)}
        if callable(value):
            self._callbacks[id(value)] = value
            return {"$": "callback", "id": id(value)}
        raise TypeError(f"a {type(value).__name__} cannot be sent to the learner's code")

    def encode(self, value: Any) -> Any:
        return Encoder(self._refer)(value)

    def decode(self, data: Any, arguments: dict[str, Any] | None = None) -> Any:
        def resolve(reference: dict) -> Any:
            if reference["$"] == "handle":
                return Remote(self, reference)
            if reference["$"] == "arg" and arguments is not None and reference.get("key") in arguments:
                return arguments[reference["key"]]
            raise WireError(f"the kernel sent a reference it may not send ({reference['$']!r})")

        return Decoder(resolve)(data)

    # -- requests ------------------------------------------------------------

    def call(self, target: dict, args: tuple, kwargs: dict) -> Any:
        arguments = {**{str(position): value for position, value in enumerate(args)}, **kwargs}
        request = {"op": "call", "target": target, "args": self.encode(list(args)), "kwargs": self.encode(kwargs)}
        reply = self._exchange(request)
        for key, data in reply.get("mutated", {}).items():
            if key in arguments:
                _update_in_place(arguments[key], self.decode(data))
        if "raised" in reply:
            raise _rebuilt(reply["raised"])
        return self.decode(reply.get("value"), arguments)

    def request(self, request: dict) -> Any:
        reply = self._exchange(request)
        if "raised" in reply:
            raise _rebuilt(reply["raised"])
        return self.decode(reply.get("value"))

    def lookup(self, names: list[str]) -> dict[str, Any]:
        found = self.request({"op": "lookup", "names": names})
        return found if isinstance(found, dict) else {}

    def probe(self, name: str, target: Any = None, argument: Any = None) -> Any:
        request = {"op": "probe", "name": name, "target": self.encode(target), "argument": self.encode(argument)}
        return self.request(request)

    def _exchange(self, request: dict) -> dict:
        code = f"{AGENT_NAME}.serve({dumps(request)!r})"
        reply = self._execute(code)
        if reply is None:  # a new kernel (or a learner who deleted it): the agent goes in again
            self._execute(_BOOTSTRAP)
            reply = self._execute(code)
        if reply is None:
            raise WireError("the learner's kernel did not answer the grader")
        return reply

    def _execute(self, code: str) -> dict | None:
        """Run code in the kernel; the agent's reply, or None if it sent none."""
        if self.stopped:
            raise KernelStopped(self.stopped)
        client = self.client
        msg_id = client.execute(code, store_history=False, allow_stdin=True, stop_on_error=False)
        poller = zmq.Poller()
        poller.register(client.iopub_channel.socket, zmq.POLLIN)
        poller.register(client.stdin_channel.socket, zmq.POLLIN)
        try:
            return self._collect(msg_id, poller)
        except KernelStopped:
            raise
        except BaseException:
            # Something of the test's own (an alarm, an interrupt) stopped the wait:
            # the kernel may still be running the learner's code.
            self.stopped = STOPPED_WAITING
            raise

    def _collect(self, msg_id: str, poller: zmq.Poller) -> dict | None:
        client = self.client
        reply: dict | None = None
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.stopped = STOPPED_TIMED_OUT
                raise KernelStopped(self.stopped)
            events = dict(poller.poll(int(1000 * min(left, _POLL_SECONDS))))
            if not events:
                if not client.is_alive():
                    self.stopped = STOPPED_DIED
                    raise KernelStopped(self.stopped)
                continue
            if client.stdin_channel.socket in events:
                self._answer_input(client.get_stdin_msg(timeout=0))
                continue
            msg = client.get_iopub_msg(timeout=0)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["header"]["msg_type"], msg["content"]
            if kind == "display_data" and isinstance(content.get("data", {}).get(MIME), str):
                try:
                    reply = loads(content["data"][MIME])
                except ValueError:
                    reply = {"raised": {"type": "WireError", "message": "the kernel's answer was not valid JSON"}}
            elif kind == "status" and content.get("execution_state") == "idle":
                return reply if isinstance(reply, dict) else None

    def _answer_input(self, msg: dict) -> None:
        """The kernel's ``input()``: a callback of the agent, or the learner's own (who gets an empty line)."""
        prompt = msg["content"].get("prompt", "")
        if not prompt.startswith(PROMPT):
            self.client.input("")
            return
        try:
            request = loads(prompt[len(PROMPT) :])
            if "next" in request:
                iterator = self._iterators[request["next"]]
                items = [item for _, item in zip(range(ITERATOR_CHUNK), iterator, strict=False)]
                answer = {"value": self.encode({"items": items, "done": len(items) < ITERATOR_CHUNK})}
            else:
                function = self._callbacks[request["callback"]]
                args, kwargs = self.decode(request.get("args", [])), self.decode(request.get("kwargs", {}))
                answer = {"value": self.encode(function(*args, **kwargs))}
        except Exception as error:
            answer = {"raised": {"type": type(error).__name__, "message": str(error)[:2000]}}
        self.client.input(dumps(answer))


def _rebuilt(raised: dict) -> BaseException:
    """The learner's exception, as an exception of the nearest class the trusted process knows.

    A ``ValueError`` subclass of the learner's is still caught by ``except
    ValueError``; its name is kept, so messages can say what was raised.
    """
    known: dict[tuple[str, str], type] = {("numpy.linalg", "LinAlgError"): np.linalg.LinAlgError}
    base: type = LearnerError
    for module, name in raised.get("lineage", []):
        candidate = getattr(builtins, name, None) if module == "builtins" else known.get((module, name))
        if isinstance(candidate, type) and issubclass(candidate, Exception):
            base = candidate
            break
    name = str(raised.get("type", "Exception"))
    cls = base if base.__name__ == name else type(name if name.isidentifier() else "LearnerError", (base,), {})
    try:
        return cls(str(raised.get("message", "")))
    except Exception:
        return LearnerError(str(raised.get("message", "")))


def _update_in_place(original: Any, changed: Any) -> None:
    """Give an argument of the test the state the learner's code left it in."""
    if isinstance(original, np.ndarray) and isinstance(changed, np.ndarray):
        if original.shape == changed.shape and original.flags.writeable:
            original[...] = changed
    elif isinstance(original, list) and isinstance(changed, list):
        original[:] = changed
    elif isinstance(original, (dict, set)) and type(changed) is type(original):
        original.clear()
        original.update(changed)
    elif isinstance(original, np.random.Generator) and isinstance(changed, np.random.Generator):
        if type(original.bit_generator) is type(changed.bit_generator):
            original.bit_generator.state = changed.bit_generator.state
    elif hasattr(original, "_update_inplace") and type(changed) is type(original):
        original._update_inplace(changed)  # pandas: the frame or series object itself, as the caller holds it
