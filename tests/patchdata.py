"""Plain-Python data checks for the edit API's tests: an operation applied
to loaded data, and equality that tells ``1`` from ``True`` and ``1.0``."""

from __future__ import annotations

import math

from relane import Add, Append, Remove


def apply_ops(data, ops):
    """``data`` (as a YAML loader gives it) with ``ops`` applied, in place."""
    for op in ops:
        route = list(op.route)
        last = None if isinstance(op, (Add, Append)) else route.pop()
        holder = data
        for step in route:
            holder = holder[step]
        if isinstance(op, Add):
            holder[op.key] = op.value
        elif isinstance(op, Append):
            holder.append(op.value)
        elif isinstance(op, Remove):
            del holder[last]
        else:
            holder[last] = op.value
    return data


def strictly_equal(a, b) -> bool:
    """``a == b`` with types compared too, and mappings in the same order."""
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(strictly_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(strictly_equal(a[k], b[k]) for k in a)
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b
