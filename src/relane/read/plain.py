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
    if node is None:
        return None
    if type(node) is Scalar:  # the usual runs-on: no walk to set up
        return _scalar(node)
    return _Walk(budget).convert(node, 0)


def _scalar(n: Scalar) -> str | None:
    if n.plain and n.value in ("", "~", "null", "Null", "NULL") and n.tag is None:
        return None
    return n.value


class _Walk:
    """One :func:`to_data` walk: the alias budget left, and how many aliases
    deep it is. (A class, not a closure: a closure calling itself is a
    reference cycle, which only the cycle collector frees, and a run pauses
    it.)"""

    __slots__ = ("remaining", "inside")

    def __init__(self, budget: int) -> None:
        self.remaining = budget
        self.inside = 0

    def convert(self, n, depth: int):
        if self.inside:
            self.remaining -= 1
            if self.remaining < 0 or depth > MAX_DEPTH:
                raise _OverBudget()
        t = type(n)
        if t is Alias:
            if self.inside:
                return self.convert(n.target, depth + 1)
            if self.remaining <= 0:
                return Unexpanded(n.name)
            self.inside += 1
            try:
                return self.convert(n.target, depth + 1)
            except _OverBudget:
                self.remaining = 0
                return Unexpanded(n.name)
            finally:
                self.inside -= 1
        if t is Scalar:
            return _scalar(n)
        # Loops rather than comprehensions: one stack frame per level.
        if t is Seq:
            items = []
            for i in n.items:
                items.append(self.convert(i, depth + 1))
            return items
        if t is Map:
            data = {}
            for k, v in n.pairs:
                key = self.convert(k, depth + 1)
                data[_key(key)] = self.convert(v, depth + 1)
            return data
        return None


def _key(key) -> str:
    """A mapping key from :func:`to_data` as the string JSON needs."""
    if isinstance(key, Unexpanded):
        return "*" + key.name
    return str(key)
