"""Which node of a parsed tree holds a position of its text."""

from __future__ import annotations

import bisect

from relane.read.tree import AnyNode, Map, Scalar, Seq


def inside_scalar(root: AnyNode | None, index: int) -> bool:
    """Whether ``index`` lies inside the text of a scalar (after its start)."""
    return scalar_at(root, index) is not None


def scalar_at(root: AnyNode | None, index: int) -> Scalar | None:
    """The scalar whose text holds ``index`` (after its start), if any.

    Siblings lie in document order without overlapping, so only the last
    child starting before ``index`` can hold it: a bisection per level keeps
    this logarithmic in a mapping's size (it runs once per job).
    """
    node = root
    while node is not None and node.start < index < node.end:
        if isinstance(node, Scalar):
            return node
        if isinstance(node, Map):
            i = bisect.bisect_left(node.pairs, index, key=_key_start) - 1
            if i < 0:
                return None
            key, value = node.pairs[i]
            node = value if value is not None and value.start < index else key
        elif isinstance(node, Seq):
            i = bisect.bisect_left(node.items, index, key=_start) - 1
            node = node.items[i] if i >= 0 else None
        else:
            return None
    return None


def _start(node: AnyNode) -> int:
    return node.start


def _key_start(pair: tuple[AnyNode, AnyNode]) -> int:
    return pair[0].start
