"""JSON text laid out as ``json.dumps(value, indent=2, ensure_ascii=False)`` lays it out.

With an indent, the standard library encodes in pure Python, a generator
per container; a report of thousands of jobs spent more time there than in
building it. :func:`dumps` writes the same characters, each string through
the C string encoder.
"""

from __future__ import annotations

import json
from itertools import repeat
from typing import Any

_STRING = json.encoder.encode_basestring  # the C function when available
_FLOAT = float.__repr__
_INT = int.__repr__
_LITERALS = {True: "true", False: "false", None: "null"}


def dumps(value: Any, indent: int = 2) -> str:
    """``json.dumps(value, indent=indent, ensure_ascii=False)``, faster."""
    out: list[str] = []
    _write(value, out, "\n", " " * indent, {})
    return "".join(out)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, float):
        return _number(key)
    if key is True or key is False or key is None:
        return _LITERALS[key]
    if isinstance(key, int):
        return _INT(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _number(value: float) -> str:
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == -float("inf"):
        return "-Infinity"
    return _FLOAT(value)


def _write(value: Any, out: list[str], newline: str, step: str, names: dict) -> None:
    # ``names``: each key as written after a line break and indent, once.
    # The checks in the order json's encoder makes them.
    if isinstance(value, str):
        out.append(_STRING(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(_INT(value))
    elif isinstance(value, float):
        out.append(_number(value))
    elif isinstance(value, (list, tuple, dict)):
        mapping = isinstance(value, dict)
        if not value:
            out.append("{}" if mapping else "[]")
            return
        inner = newline + step
        between = "," + inner
        out.append("{" if mapping else "[")
        lead = inner
        for key, item in value.items() if isinstance(value, dict) else zip(repeat(None), value):
            if mapping:
                # Only str keys are kept: 0, 0.0 and False are one dict key.
                name = names.get((lead, key)) if type(key) is str else None
                if name is None:
                    name = lead + _STRING(_key(key)) + ": "
                    if type(key) is str:
                        names[(lead, key)] = name
            else:
                name = lead
            if type(item) is str:  # most values: written at once
                out.append(name + _STRING(item))
            elif item is None:
                out.append(name + "null")
            else:
                out.append(name)
                _write(item, out, inner, step, names)
            lead = between
        out.append(newline + ("}" if mapping else "]"))
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
