"""Plain Python data for a small subtree of a workflow's YAML tree, with a
bound on what aliases may expand to."""

from __future__ import annotations

from relane.read.tree import MAX_DEPTH, Alias, AnyNode, Map, Scalar, Seq

ALIAS_BUDGET = 64
"""Most nodes :func:`to_data` visits through aliases in one call. A runs-on
value never needs more; an "alias bomb" would need billions."""


class Unexpanded(dict):
    """What :func:`to_data` gives for an alias it did not expand: the mapping
    ``{"alias": NAME, "expanded": False}``, which JSON writes as it is."""

    def __init__(self, name: str) -> None:
        super().__init__(alias=name, expanded=False)

    @property
    def name(self) -> str:
        return self["alias"]


class _OverBudget(Exception):
    pass


def to_data(node: AnyNode | None, budget: int = ALIAS_BUDGET):
    """Plain Python data for a small subtree: str scalars, lists and dicts.

    Scalars stay strings (relane never guesses types). The subtree's own
    nodes are each visited once; aliases are followed while the nodes
    reached through them number at most ``budget`` in all, and an alias past
    that stays :class:`Unexpanded`. So the cost is linear in the subtree's
    text, whatever a hostile document nests in its anchors.
    """
    remaining = budget
    inside = 0  # how many aliases deep the walk is

    def convert(n, depth):
        nonlocal remaining, inside
        if inside:
            remaining -= 1
            if remaining < 0 or depth > MAX_DEPTH:
                raise _OverBudget()
        t = type(n)
        if t is Alias:
            if inside:
                return convert(n.target, depth + 1)
            if remaining <= 0:
                return Unexpanded(n.name)
            inside += 1
            try:
                return convert(n.target, depth + 1)
            except _OverBudget:
                remaining = 0
                return Unexpanded(n.name)
            finally:
                inside -= 1
        if t is Scalar:
            if n.plain and n.value in ("", "~", "null", "Null", "NULL") and n.tag is None:
                return None
            return n.value
        # Loops rather than comprehensions: one stack frame per level.
        if t is Seq:
            items = []
            for i in n.items:
                items.append(convert(i, depth + 1))
            return items
        if t is Map:
            data = {}
            for k, v in n.pairs:
                key = convert(k, depth + 1)
                data[_key(key)] = convert(v, depth + 1)
            return data
        return None

    return None if node is None else convert(node, 0)


def _key(key) -> str:
    """A mapping key from :func:`to_data` as the string JSON needs."""
    if isinstance(key, Unexpanded):
        return "*" + key.name
    return str(key)
