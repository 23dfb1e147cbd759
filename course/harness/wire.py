"""The harness's wire format: values as JSON text, and nothing that runs code on load.

This file imports nothing from ``course``: the grader sends its source text
into the sandboxed kernel (which cannot see the course) along with
:mod:`course.harness.agent`, and the trusted process imports it for the same
format. Values the format does not know stay where they are, behind a
numbered handle.

Wire format
-----------
``None``, ``bool``, ``int``, ``str`` and finite ``float`` are themselves; a list
is a JSON list; everything else is a JSON object with a type tag ``"$"``:

* ``tuple``, ``set``, ``dict`` (items as pairs, so keys may be any value),
  ``range``, ``slice``, ``float`` (non-finite), ``complex``, ``bytes``;
* ``nd``, a NumPy array as raw bytes with its dtype and shape (object arrays
  element by element); ``np``, a NumPy scalar; ``rng``, a NumPy Generator as
  its bit generator's state;
* ``frame``, ``series``, ``index``, ``ts``, ``nat``: pandas values;
* ``handle``, an object left in the kernel; ``callback`` and ``iterator``, a
  callable or an iterator left in the trusted process; ``arg``, the call's own
  argument, so ``result is X`` holds.

Decoding builds only these types: no pickle, no ``eval``, no import named by
the data.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from collections.abc import Callable
from typing import Any

# The dtypes an array may cross with as raw bytes: no objects, no structured records.
RAW_KINDS = frozenset("biufcmMSU")
MAX_DEPTH = 64
# NumPy's bit generators a Generator may cross with (as its state, which is data).
BIT_GENERATORS = frozenset({"PCG64", "PCG64DXSM", "MT19937", "Philox", "SFC64"})
# Items of a trusted iterator sent per round trip: few enough that a test counting
# what was consumed sees a stream read as it goes, many enough to be fast.
ITERATOR_CHUNK = 512


class WireError(ValueError):
    """Data that does not follow the wire format."""


def numpy_module() -> Any:
    import numpy

    return numpy


def pandas_module() -> Any:
    import sys

    # pandas is never imported because a message names it: only if the sender's side has it loaded.
    return sys.modules.get("pandas")


class Encoder:
    """Turns values into wire data; what it cannot send becomes a reference from ``refer``."""

    def __init__(self, refer: Callable[[Any], dict], known: dict[int, dict] | None = None) -> None:
        self.refer = refer
        self.known = known or {}

    def __call__(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise WireError("a value nested more than 64 levels deep cannot be sent")
        if id(value) in self.known:
            return self.known[id(value)]
        if value is None or isinstance(value, (bool, str)):
            return value
        if type(value) is int:
            return value
        if type(value) is float:
            return value if math.isfinite(value) else {"$": "float", "v": repr(value)}
        if type(value) is complex:
            return {"$": "complex", "re": self(value.real), "im": self(value.imag)}
        if type(value) is bytes:
            return {"$": "bytes", "b64": base64.b64encode(value).decode()}
        if type(value) is list:
            return [self(item, depth + 1) for item in value]
        if type(value) is range:
            return {"$": "range", "start": value.start, "stop": value.stop, "step": value.step}
        if type(value) is slice:
            return {"$": "slice", "items": [self(value.start), self(value.stop), self(value.step)]}
        if type(value) is tuple:
            return {"$": "tuple", "items": [self(item, depth + 1) for item in value]}
        if type(value) in (set, frozenset):
            return {"$": "set", "items": [self(item, depth + 1) for item in value], "frozen": type(value) is frozenset}
        if type(value) is dict:
            return {"$": "dict", "items": [[self(k, depth + 1), self(v, depth + 1)] for k, v in value.items()]}
        numpy = numpy_module()
        if type(value) is numpy.ndarray:
            return self._array(value, depth)
        if type(value) is numpy.random.Generator:
            bit_generator = value.bit_generator
            return {"$": "rng", "kind": type(bit_generator).__name__, "state": self(bit_generator.state, depth + 1)}
        if isinstance(value, numpy.generic) and value.dtype.kind in RAW_KINDS:
            return {"$": "np", "dtype": value.dtype.str, "b64": base64.b64encode(value.tobytes()).decode()}
        pandas = pandas_module()
        if pandas is not None:
            encoded = self._pandas(pandas, value, depth)
            if encoded is not None:
                return encoded
        return self.refer(value)

    def _array(self, value: Any, depth: int) -> dict:
        if value.dtype.kind in RAW_KINDS and value.dtype.fields is None:
            data = value.tobytes(order="C")
            return {
                "$": "nd",
                "dtype": value.dtype.str,
                "shape": list(value.shape),
                "b64": base64.b64encode(data).decode(),
            }
        items = [self(item, depth + 1) for item in value.ravel(order="C").tolist()]
        return {"$": "nd", "dtype": "object", "shape": list(value.shape), "items": items}

    def _pandas(self, pandas: Any, value: Any, depth: int) -> dict | None:
        if type(value) is pandas.Timestamp:
            return {"$": "ts", "v": value.isoformat()}
        if value is pandas.NaT:
            return {"$": "nat"}
        if type(value) is pandas.Index or type(value) is pandas.RangeIndex or type(value) is pandas.DatetimeIndex:
            return {
                "$": "index",
                "dtype": str(value.dtype),
                "name": self(value.name),
                "values": self._column(value, depth),
            }
        if type(value) is pandas.Series:
            return {
                "$": "series",
                "dtype": str(value.dtype),
                "name": self(value.name, depth + 1),
                "index": self(value.index, depth + 1),
                "values": self._column(value, depth),
            }
        if type(value) is pandas.DataFrame:
            return {
                "$": "frame",
                "columns": [self(column, depth + 1) for column in value.columns],
                "index": self(value.index, depth + 1),
                "data": [self(value.iloc[:, position], depth + 1) for position in range(value.shape[1])],
            }
        return None

    def _column(self, values: Any, depth: int) -> list:
        pandas = pandas_module()
        return [None if _missing(pandas, item) else self(item, depth + 1) for item in values.tolist()]


def _missing(pandas: Any, item: Any) -> bool:
    if item is None or item is pandas.NA or item is pandas.NaT:
        return True
    return isinstance(item, float) and math.isnan(item)


class Decoder:
    """Turns wire data back into values; references go to ``resolve``."""

    def __init__(self, resolve: Callable[[dict], Any]) -> None:
        self.resolve = resolve

    def __call__(self, data: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise WireError("data nested more than 64 levels deep")
        if data is None or isinstance(data, (bool, int, float, str)):
            return data
        if isinstance(data, list):
            return [self(item, depth + 1) for item in data]
        if not isinstance(data, dict) or not isinstance(data.get("$"), str):
            raise WireError("an object without a type tag")
        tag = data["$"]
        if tag == "float":
            return float(_text(data, "v"))
        if tag == "complex":
            return complex(self(data["re"]), self(data["im"]))
        if tag == "bytes":
            return base64.b64decode(_text(data, "b64"), validate=True)
        if tag == "range":
            bounds = [data.get(key) for key in ("start", "stop", "step")]
            if not all(type(bound) is int for bound in bounds):
                raise WireError("a range's bounds must be integers")
            return range(*(int(bound) for bound in bounds if bound is not None))
        if tag == "slice":
            return slice(*(self(item, depth + 1) for item in _items(data)))
        if tag == "tuple":
            return tuple(self(item, depth + 1) for item in _items(data))
        if tag == "set":
            items = {self(item, depth + 1) for item in _items(data)}
            return frozenset(items) if data.get("frozen") else items
        if tag == "dict":
            pairs = _items(data)
            if not all(isinstance(pair, list) and len(pair) == 2 for pair in pairs):
                raise WireError("a dict's items must be pairs")
            return {self(key, depth + 1): self(value, depth + 1) for key, value in pairs}
        if tag == "nd":
            return self._array(data, depth)
        if tag == "np":
            numpy = numpy_module()
            dtype = _raw_dtype(numpy, _text(data, "dtype"))
            return numpy.frombuffer(base64.b64decode(_text(data, "b64"), validate=True), dtype=dtype)[0]
        if tag == "rng":
            numpy = numpy_module()
            kind = _text(data, "kind")
            if kind not in BIT_GENERATORS:
                raise WireError(f"unknown bit generator {kind!r}")
            bit_generator = getattr(numpy.random, kind)()
            bit_generator.state = self(data.get("state"), depth + 1)
            return numpy.random.Generator(bit_generator)
        if tag in ("ts", "nat", "index", "series", "frame"):
            return self._pandas(tag, data, depth)
        return self.resolve(data)

    def _array(self, data: dict, depth: int) -> Any:
        numpy = numpy_module()
        shape = data.get("shape")
        if not isinstance(shape, list) or not all(type(size) is int and size >= 0 for size in shape):
            raise WireError("an array's shape must be a list of sizes")
        if data.get("dtype") == "object":
            items = [self(item, depth + 1) for item in _items(data)]
            array = numpy.empty(len(items), dtype=object)
            array[:] = items
            return array.reshape(shape)
        dtype = _raw_dtype(numpy, _text(data, "dtype"))
        raw = base64.b64decode(_text(data, "b64"), validate=True)
        if len(raw) != dtype.itemsize * math.prod(shape):
            raise WireError("an array's bytes do not match its shape")
        return numpy.frombuffer(raw, dtype=dtype).reshape(shape).copy()

    def _pandas(self, tag: str, data: dict, depth: int) -> Any:
        import pandas

        if tag == "ts":
            return pandas.Timestamp(_text(data, "v"))
        if tag == "nat":
            return pandas.NaT
        values = [self(item, depth + 1) for item in _items(data, "values")] if tag != "frame" else []
        if tag == "index":
            return pandas.Index(values, dtype=_pandas_dtype(pandas, data), name=self(data.get("name"), depth + 1))
        if tag == "series":
            index = self(data.get("index"), depth + 1)
            name = self(data.get("name"), depth + 1)
            return pandas.Series(values, index=index, name=name, dtype=_pandas_dtype(pandas, data))
        columns = [self(column, depth + 1) for column in _items(data, "columns")]
        series = [self(column, depth + 1) for column in _items(data, "data")]
        if len(columns) != len(series) or not all(isinstance(column, pandas.Series) for column in series):
            raise WireError("a frame needs one series per column")
        index = self(data.get("index"), depth + 1)
        frame = pandas.concat(series, axis=1) if series else pandas.DataFrame(index=index)
        frame.columns = pandas.Index(columns, dtype=object) if columns else frame.columns
        return frame


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str):
        raise WireError(f"{key!r} must be text")
    return value


def _items(data: dict, key: str = "items") -> list:
    value = data.get(key)
    if not isinstance(value, list):
        raise WireError(f"{key!r} must be a list")
    return value


def _raw_dtype(numpy: Any, text: str) -> Any:
    dtype = numpy.dtype(text)
    if dtype.kind not in RAW_KINDS or dtype.fields is not None:
        raise WireError(f"arrays of dtype {text!r} do not cross as raw bytes")
    return dtype


def _pandas_dtype(pandas: Any, data: dict) -> Any:
    text = _text(data, "dtype")
    if text == "object":
        return object
    try:
        # pandas_dtype parses a dtype's name; it never imports or runs what the text names.
        return pandas.api.types.pandas_dtype(text)
    except TypeError:
        return None


def fingerprint(encoded: Any) -> str:
    """A short digest of encoded data, to tell whether a value changed."""
    return hashlib.sha256(json.dumps(encoded, sort_keys=True).encode()).hexdigest()


def dumps(data: Any) -> str:
    return json.dumps(data, allow_nan=False, separators=(",", ":"))


def loads(text: str) -> Any:
    if not isinstance(text, str):
        raise WireError("a message must be text")
    return json.loads(text)
