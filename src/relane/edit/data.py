"""The data a document holds, as the edit API compares it.

Scalars read as a YAML 1.1 loader types them (strings, integers, floats,
booleans, null, dates), mappings as ordered :class:`Pairs`, sequences as
lists. Aliases are never expanded: one reads as :class:`Ref` to its anchor's
name, and an anchored or explicitly tagged collection carries its anchor or
tag (:class:`Marked`), so comparing two documents costs time linear in their
size whatever their anchors hold.
"""

from __future__ import annotations

import math

import yaml
import yaml.constructor

from relane.edit.scalar import RESOLVER, STR_TAG
from relane.read.tree import AnyNode, Map, Scalar, Seq

_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_TYPES = {
    f"tag:yaml.org,2002:{name}": getattr(_CONSTRUCTOR, f"construct_yaml_{name}")
    for name in ("null", "bool", "int", "float", "str", "timestamp")
}


class Pairs(list):
    """A mapping's entries in order: ``(key, value)`` tuples."""

    def keys(self) -> list:
        return [k for k, _ in self]


class Ref:
    """An alias: it reads as whatever its anchor names, never expanded here."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"*{self.name}"


class Marked:
    """A node with an anchor or an explicit tag that a plain value lacks."""

    __slots__ = ("anchor", "data", "tag")

    def __init__(self, anchor: str | None, tag: str | None, data: object) -> None:
        self.anchor = anchor
        self.tag = tag
        self.data = data

    def __repr__(self) -> str:
        return f"Marked({self.anchor!r}, {self.tag!r}, {self.data!r})"


class _NaN:
    def __repr__(self) -> str:
        return "nan"


NAN = _NaN()


def node_data(node: AnyNode | None) -> object:
    """The data of ``node``'s subtree (``None`` for no node)."""
    if node is None:
        return None
    data: object
    if isinstance(node, Scalar):
        data = _scalar(node)
        return Marked(node.anchor, None, data) if node.anchor is not None else data
    if isinstance(node, Map):
        data = Pairs((node_data(k), node_data(v)) for k, v in node.pairs)
    elif isinstance(node, Seq):
        data = [node_data(item) for item in node.items]
    else:
        return Ref(node.name)
    if node.anchor is not None or node.tag is not None:
        return Marked(node.anchor, node.tag, data)
    return data


def _scalar(node: Scalar) -> object:
    tag = node.tag
    if tag is None or tag == "!":
        if node.style is None and tag is None:
            tag = RESOLVER.resolve(yaml.ScalarNode, node.value, (True, False))
        else:
            tag = STR_TAG
    make = _TYPES.get(tag)
    if make is None:
        return Marked(None, tag, node.value)
    try:
        value = make(yaml.ScalarNode(tag, node.value))
    except (ValueError, yaml.constructor.ConstructorError):
        return Marked(None, tag, node.value)
    if isinstance(value, float) and math.isnan(value):
        return NAN
    return value


def value_data(value: object) -> object:
    """The data a new value is written to hold (see :func:`relane.patch`)."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return NAN if math.isnan(value) else value
    if isinstance(value, dict):
        return Pairs((value_data(k), value_data(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [value_data(item) for item in value]
    raise TypeError(f"cannot write a {type(value).__name__} as YAML (strings, numbers, booleans, None, lists and dicts can be)")


def same(a: object, b: object) -> bool:
    """Whether two data are equal, types included (``1`` is not ``True``
    nor ``1.0``; mappings in the same order)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, list) and isinstance(b, list):  # lists and Pairs
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, tuple) and isinstance(b, tuple):
        return same(a[0], b[0]) and same(a[1], b[1])
    if isinstance(a, Ref) and isinstance(b, Ref):
        return a.name == b.name
    if isinstance(a, Marked) and isinstance(b, Marked):
        return a.anchor == b.anchor and a.tag == b.tag and same(a.data, b.data)
    return a is b if a is NAN else a == b


def first_difference(a: object, b: object, route: tuple = ()) -> tuple:
    """The route to the first place where ``a`` and ``b`` differ."""
    if isinstance(a, Pairs) and isinstance(b, Pairs) and len(a) == len(b):
        for (ka, va), (kb, vb) in zip(a, b, strict=True):
            if not same(ka, kb):
                return (*route, ka)
            if not same(va, vb):
                return first_difference(va, vb, (*route, ka))
    elif type(a) is list and type(b) is list and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if not same(x, y):
                return first_difference(x, y, (*route, i))
    return route
