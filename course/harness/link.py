"""The trusted process's line to the learner's kernel: proxies for what the kernel holds.

A name the learner's cells define becomes a :class:`Remote` in the trusted
process. Calling it (or a method of what it returns) sends the arguments to
the kernel as data (:mod:`course.harness.wire`), runs the learner's code
there, and brings the result back as data; objects stay in the kernel behind a
handle. A callable or an iterator the test passes in stays here: the kernel
calls back for it through the Jupyter stdin channel.
"""

from __future__ import annotations

import builtins
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import zmq
from jupyter_client.blocking import BlockingKernelClient

from .agent import PROMPT
from .wire import ITERATOR_CHUNK, Decoder, Encoder, WireError, dumps, fingerprint, loads

AGENT_NAME = "__course_agent__"
_HERE = Path(__file__).parent
# The agent goes into the kernel as a package of two modules built from their source
# text, so its relative import of the wire format resolves there as it does here.
_BOOTSTRAP = (
    "import sys as _course_sys, types as _course_types\n"
    "_course_package = _course_types.ModuleType('course_harness_agent')\n"
    "_course_package.__path__ = []\n"
    "_course_sys.modules['course_harness_agent'] = _course_package\n"
    "for _course_name, _course_source in ("
    f"('wire', {(_HERE / 'wire.py').read_text()!r}), ('agent', {(_HERE / 'agent.py').read_text()!r})):\n"
    "    _course_module = _course_types.ModuleType('course_harness_agent.' + _course_name)\n"
    "    _course_module.__package__ = 'course_harness_agent'\n"
    "    _course_sys.modules[_course_module.__name__] = _course_module\n"
    "    exec(compile(_course_source, '<course harness ' + _course_name + '>', 'exec'), _course_module.__dict__)\n"
    f"{AGENT_NAME} = _course_module.Agent(globals())\n"
    "del _course_sys, _course_types, _course_package, _course_name, _course_source, _course_module\n"
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

    __slots__ = ("_kind", "_link", "_name", "_ref", "_type")

    def __init__(self, link: Link, ref: dict) -> None:
        object.__setattr__(self, "_link", link)
        object.__setattr__(self, "_ref", {"$": "handle", "id": ref.get("id")})
        object.__setattr__(self, "_kind", ref.get("kind"))
        object.__setattr__(self, "_type", _label(ref.get("type")))
        object.__setattr__(self, "_name", _label(ref.get("name")))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._link.call(self._ref, args, kwargs, self._name)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._link.attribute(self._ref, name, f"{self._name}.{name}")

    def __setattr__(self, name: str, value: Any) -> None:
        self._link.forget_method(self._ref, name)
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


class Method:
    """A method of a kernel object, called in one request (``sketch.add(word)`` in a loop)."""

    __slots__ = ("_label", "_link", "_name", "_owner")

    def __init__(self, link: Link, owner: dict, name: str, label: str) -> None:
        self._link, self._owner, self._name, self._label = link, owner, name, label

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._link.call(self._owner, args, kwargs, self._label, method=self._name)

    def __repr__(self) -> str:
        return f"<the learner's method {self._label}>"


class Link:
    """Requests to the agent in the learner's kernel, over a Jupyter kernel client."""

    def __init__(self, connection_info: dict) -> None:
        self.client = BlockingKernelClient()
        self.client.load_connection_info(connection_info)  # type: ignore[arg-type]
        self.client.start_channels()
        self.deadline = float("inf")
        self.stopped: str | None = None
        # The test's callables, iterators and other objects the kernel holds stand-ins for, by id.
        self._local: dict[int, Any] = {}
        self._remotes: dict[int, Remote] = {}
        self._methods: set[tuple[int, str]] = set()  # (object id, name) of methods its class defines
        # Attributes of kernel objects held here as data, kept in step both ways: (id, name) -> [value, digest].
        self._views: dict[tuple[int, str], list] = {}
        # The arguments of the calls under way, innermost last, for callbacks that read them.
        self._arguments: list[dict[str, Any]] = []
        self._serving: str | None = None  # the id of the execute request running the agent's loop
        self._prompted: dict | None = None  # the kernel's latest input request, which a reply answers
        self._poller = zmq.Poller()
        self._poller.register(self.client.iopub_channel.socket, zmq.POLLIN)
        self._poller.register(self.client.stdin_channel.socket, zmq.POLLIN)

    def close(self) -> None:
        self.client.stop_channels()

    # -- encoding ------------------------------------------------------------

    def _refer(self, value: Any) -> dict:
        if isinstance(value, Remote):
            return object.__getattribute__(value, "_ref")
        if value is NotImplemented:
            return {"$": "notimplemented"}
        self._local[id(value)] = value
        if isinstance(value, Iterator):
            return {"$": "iterator", "id": id(value)}
        if callable(value):
            return {"$": "callback", "id": id(value)}
        # Any other object of the test's (records that compare by one field, say)
        # stays here; the learner's code gets a stand-in that asks about it.
        return {"$": "object", "id": id(value), "type": _label(type(value).__name__)}

    def encode(self, value: Any) -> Any:
        return Encoder(self._refer)(value)

    def decode(self, data: Any, arguments: dict[str, Any] | None = None) -> Any:
        def resolve(reference: dict) -> Any:
            if reference["$"] == "handle":
                # One proxy per kernel object, so that `model.fit(X) is model` holds as it does in the kernel.
                key = reference.get("id")
                if not isinstance(key, int):
                    raise WireError("a handle's id must be an integer")
                if key not in self._remotes:
                    self._remotes[key] = Remote(self, reference)
                return self._remotes[key]
            if reference["$"] == "local" and reference.get("id") in self._local:
                return self._local[reference["id"]]
            if reference["$"] == "notimplemented":
                return NotImplemented
            if reference["$"] == "arg" and arguments is not None and reference.get("key") in arguments:
                return arguments[reference["key"]]
            view = self._views.get((reference.get("id"), reference.get("name")))  # type: ignore[arg-type]
            if reference["$"] == "view" and view is not None:
                key = reference.get("key")
                return view[0] if key is None else view[0][key]
            raise WireError(f"the kernel sent a reference it may not send ({reference['$']!r})")

        return Decoder(resolve)(data)

    # -- requests ------------------------------------------------------------

    def call(self, target: dict, args: tuple, kwargs: dict, name: str, method: str | None = None) -> Any:
        arguments = {**{str(position): value for position, value in enumerate(args)}, **kwargs}
        request = {"op": "call", "target": target, "args": self.encode(list(args)), "kwargs": self.encode(kwargs)}
        if method is not None:
            request["method"] = method
        request["strict"] = _strictness()
        self._arguments.append(arguments)
        try:
            reply = self._exchange(request)
        finally:
            self._arguments.pop()
        self._apply_mutations(arguments, reply.get("mutated"))
        if "raised" in reply:
            raise _rebuilt(reply["raised"], name)
        return self.decode(reply.get("value"), arguments)

    def request(self, request: dict, name: str = "the learner's code") -> Any:
        reply = self._exchange(request)
        if "raised" in reply:
            raise _rebuilt(reply["raised"], name)
        return self.decode(reply.get("value"))

    def attribute(self, target: dict, name: str, label: str) -> Any:
        """An attribute of a kernel object; a container comes back as a view kept in step with the kernel.

        A method the object's class defines is asked for once; later it is a
        :class:`Method`, called without asking again.
        """
        key = (int(target["id"]), name)
        if key in self._methods:
            return Method(self, target, name, label)
        reply = self._exchange({"op": "getattr", "target": target, "name": name})
        if "raised" in reply:
            raise _rebuilt(reply["raised"], label)
        value = self.decode(reply.get("value"))
        if reply.get("method"):
            self._methods.add(key)
            return value
        if not reply.get("view"):
            return value
        if key in self._views:
            _update_in_place(self._views[key][0], value)
        else:
            self._views[key] = [value, ""]
        self._views[key][1] = fingerprint(self.encode(self._views[key][0]))
        return self._views[key][0]

    def forget_method(self, target: dict, name: str) -> None:
        """The test sets an attribute: from now on it is asked for again."""
        self._methods.discard((int(target["id"]), name))

    def _apply_mutations(self, arguments: dict[str, Any], mutated: Any) -> None:
        for key, data in (mutated or {}).items():
            if key in arguments:
                _update_in_place(arguments[key], self.decode(data))

    def _changed_views(self) -> list[dict]:
        """The views the test changed here (``model.params["W"][...] = 0``), for the kernel to take first."""
        changed = []
        for (number, name), view in self._views.items():
            encoded = self.encode(view[0])
            digest = fingerprint(encoded)
            if digest != view[1]:
                view[1] = digest
                changed.append({"id": number, "name": name, "value": encoded})
        return changed

    def _pull_views(self, changed: Any) -> None:
        """Bring the views the kernel changed (a training step) up to date, in place."""
        for item in changed or []:
            view = self._views.get((item.get("id"), item.get("name")))
            if view is not None:
                _update_in_place(view[0], self.decode(item.get("value")))
                view[1] = fingerprint(self.encode(view[0]))

    def lookup(self, names: list[str]) -> dict[str, Any]:
        found = self.request({"op": "lookup", "names": names})
        return found if isinstance(found, dict) else {}

    def probe(self, name: str, target: Any = None, argument: Any = None) -> Any:
        request = {"op": "probe", "name": name, "target": self.encode(target), "argument": self.encode(argument)}
        return self.request(request)

    def _exchange(self, request: dict) -> dict:
        """Send one request to the agent's serving loop and wait for its reply."""
        if self.stopped:
            raise KernelStopped(self.stopped)
        try:
            request["assign"] = self._changed_views()
            if self._serving is None:
                self._serving = self._start_serving()
            self._reply_to_prompt(dumps(request))
            reply = self._next_reply()
        except KernelStopped:
            raise
        except BaseException:
            # Something of the test's own (an alarm, an interrupt) stopped the wait:
            # the kernel may still be running the learner's code.
            self.stopped = STOPPED_WAITING
            raise
        if reply is None:
            raise WireError("the learner's kernel stopped answering the grader")
        self._pull_views(reply.get("views"))
        return reply

    def finish(self) -> None:
        """End the agent's serving loop, so the kernel is free for the learner's next cell."""
        self._views.clear()  # the kernel's agent forgets them too when its next loop starts
        if self._serving is None or self.stopped:
            self._serving = None
            return
        try:
            self._reply_to_prompt(dumps({"op": "stop"}))
            while self._wait() is not None:
                pass  # prompts of the learner's own input() calls, answered empty
        except KernelStopped:
            pass
        self._serving = None

    def _start_serving(self) -> str:
        """Start the agent's loop in the kernel (sending the agent first if the kernel lacks it)."""
        for code in (f"{AGENT_NAME}.loop()", _BOOTSTRAP + f"{AGENT_NAME}.loop()"):
            self._serving = self.client.execute(code, store_history=False, allow_stdin=True, stop_on_error=False)
            if self._next_reply() is not None:  # the loop's first prompt: ready
                return self._serving
        raise WireError("the grader's agent could not start in the learner's kernel")

    def _next_reply(self) -> dict | None:
        """The agent's next reply, answering its callbacks on the way; None if the loop ended."""
        while True:
            prompt = self._wait()
            if prompt is None:
                self._serving = None
                return None
            if not prompt.startswith(PROMPT):
                self._reply_to_prompt("")  # the learner's own input(): an empty line
                continue
            try:
                message = loads(prompt[len(PROMPT) :])
            except ValueError:
                message = {"raised": {"type": "WireError", "message": "the kernel's answer was not valid JSON"}}
            if isinstance(message, dict) and ("callback" in message or "next" in message or "object" in message):
                self._reply_to_prompt(dumps(self._call_back(message)))
                continue
            return message if isinstance(message, dict) else {"raised": {"type": "WireError", "message": "no reply"}}

    def _wait(self) -> str | None:
        """The kernel's next input prompt, or None once the serving request has finished."""
        client = self.client
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0:
                self.stopped = STOPPED_TIMED_OUT
                raise KernelStopped(self.stopped)
            events = dict(self._poller.poll(int(1000 * min(left, _POLL_SECONDS))))
            if not events:
                if not client.is_alive():
                    self.stopped = STOPPED_DIED
                    raise KernelStopped(self.stopped)
                continue
            if client.stdin_channel.socket in events:
                _, msg = client.session.recv(client.stdin_channel.socket, mode=zmq.NOBLOCK)
                if msg is not None and msg["msg_type"] == "input_request":
                    self._prompted = msg
                    return str(msg["content"].get("prompt", ""))
            if client.iopub_channel.socket in events:
                _, msg = client.session.recv(client.iopub_channel.socket, mode=zmq.NOBLOCK)
                finished = (
                    msg is not None and msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle"
                )
                if finished and msg["parent_header"].get("msg_id") == self._serving:
                    return None

    def _reply_to_prompt(self, text: str) -> None:
        client = self.client
        client.session.send(client.stdin_channel.socket, "input_reply", {"value": text}, parent=self._prompted)

    def _ask_object(self, request: dict) -> Any:
        subject = self._local[request["object"]]
        question = request.get("op")
        if question == "getattr":
            name = str(request.get("name", ""))
            if name.startswith("_"):
                raise AttributeError(name)
            return getattr(subject, name)
        if question == "__repr__":
            return f"<the test's {type(subject).__name__}>"
        if question not in OBJECT_QUESTIONS:
            raise TypeError(f"{question!r} cannot be asked of an object of the test's")
        return getattr(subject, str(question))(*self.decode(request.get("args", [])))

    def _call_back(self, request: dict) -> dict:
        """Answer the kernel's call to a callable, iterator or other object of the test's."""
        try:
            if "object" in request:
                return {"value": self.encode(self._ask_object(request))}
            if "next" in request:
                iterator = self._local[request["next"]]
                items = [item for _, item in zip(range(ITERATOR_CHUNK), iterator, strict=False)]
                return {"value": self.encode({"items": items, "done": len(items) < ITERATOR_CHUNK})}
            if self._arguments:
                self._apply_mutations(self._arguments[-1], request.get("mutated"))
            function = self._local[request["callback"]]
            args, kwargs = self.decode(request.get("args", [])), self.decode(request.get("kwargs", {}))
            return {"value": self.encode(function(*args, **kwargs))}
        except Exception as error:
            return {"raised": {"type": type(error).__name__, "message": str(error)[:2000]}}


# What the learner's code may ask of an object of the test's: compare it, hash it, read it.
OBJECT_QUESTIONS = frozenset(
    {"__lt__", "__le__", "__gt__", "__ge__", "__eq__", "__ne__", "__hash__", "__len__", "__getitem__", "__contains__"}
)


def _strictness() -> dict[str, Any]:
    """The test's own warning and floating-point rules at this point, for the learner's call to run under.

    A test that says ``warnings.simplefilter("error")`` (or ``np.errstate(over="raise")``)
    around a call means the learner's code must not warn (overflow): the kernel
    applies the same rule while it runs the call.
    """
    action, message, category, module, line = (
        warnings.filters[0] if warnings.filters else ("default", None, Warning, None, 0)
    )
    catch_all = message is None and category is Warning and module is None and line == 0
    return {"warnings": action if catch_all else None, "errstate": np.geterr()}


def _label(text: Any) -> str:
    """A name the kernel gave, as safe text: letters, digits, dots and underscores, 60 at most."""
    kept = "".join(char for char in str(text) if char.isalnum() or char in "._")[:60]
    return kept or "object"


def _rebuilt(raised: dict, function: str) -> BaseException:
    """The learner's exception, as an exception of the nearest class the trusted process knows.

    A ``ValueError`` subclass of the learner's is still caught by ``except
    ValueError``; its name is kept, so messages can say what was raised, and
    ``raised_in`` names the learner's function that raised it.
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
        error = cls(str(raised.get("message", "")))
    except Exception:
        error = LearnerError(str(raised.get("message", "")))
    error.raised_in = function
    error.learner_type = name[:200]  # as the learner named it, for the report to show (escaped)
    return error


def _same_array_shape(held: Any, value: Any) -> bool:
    return isinstance(held, np.ndarray) and isinstance(value, np.ndarray) and held.shape == value.shape


def _update_in_place(original: Any, changed: Any) -> None:
    """Give a value of the test's the state the learner's code left it in, keeping the objects it holds."""
    if _same_array_shape(original, changed):
        if original.flags.writeable:
            original[...] = changed
    elif isinstance(original, list) and isinstance(changed, list):
        original[:] = changed
    elif isinstance(original, dict) and isinstance(changed, dict):
        for key in [key for key in original if key not in changed]:
            del original[key]
        for key, value in changed.items():
            held = original.get(key)
            if isinstance(held, np.ndarray) and _same_array_shape(held, value):
                held[...] = value
            else:
                original[key] = value
    elif isinstance(original, set) and isinstance(changed, set):
        original.clear()
        original.update(changed)
    elif isinstance(original, np.random.Generator) and isinstance(changed, np.random.Generator):
        if type(original.bit_generator) is type(changed.bit_generator):
            original.bit_generator.state = changed.bit_generator.state
    elif hasattr(original, "_update_inplace") and type(changed) is type(original):
        original._update_inplace(changed)  # pandas: the frame or series object itself, as the caller holds it
