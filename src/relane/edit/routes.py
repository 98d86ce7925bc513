"""The edit API: change any value of a YAML document, byte-exactly.

>>> import relane
>>> text = "jobs:\\n  build:\\n    runs-on: ubuntu-latest  # the pool\\n"
>>> print(relane.patch(text, [relane.Add(("jobs", "build"), "timeout-minutes", 30)]), end="")
jobs:
  build:
    runs-on: ubuntu-latest  # the pool
    timeout-minutes: 30

A route is a tuple of mapping keys (strings) and list indices (integers,
negative ones counting from the end). Each operation is applied to the text
the one before it left, and each result is parsed again and compared, as
data, with the old document's data with that one change made; only then is
the text returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from relane.edit.data import (
    Marked,
    Pairs,
    first_difference,
    node_data,
    same,
    value_data,
)
from relane.edit.emit import Layout, layout
from relane.edit.labels import value_end
from relane.edit.ops import Edit, apply
from relane.edit.place import add_entry, append_item, remove_entry, replace_value
from relane.errors import InputError, PatchError, VerificationError
from relane.read.source import Source
from relane.read.tree import Alias, AnyNode, Document, Map, Seq, parse, walk

Route = tuple


@dataclass(frozen=True)
class Replace:
    """Make the value at ``route`` ``value`` (nothing changes if it is equal)."""

    route: Route
    value: object


@dataclass(frozen=True)
class Add:
    """Add ``key: value`` at the end of the mapping at ``route``."""

    route: Route
    key: str
    value: object


@dataclass(frozen=True)
class Remove:
    """Remove the mapping entry or list item at ``route``."""

    route: Route


@dataclass(frozen=True)
class Append:
    """Add ``value`` at the end of the list at ``route``."""

    route: Route
    value: object


Op = Replace | Add | Remove | Append


def patch(text: str, ops: Iterable[Op], *, path: str | None = None) -> str:
    """``text`` with ``ops`` applied, every byte outside the edited entries
    kept (line breaks, a byte-order mark, a missing final line break).

    Raises :class:`~relane.errors.PatchError` (naming ``path``, line and
    column) for a route that does not exist, an ``Add`` of a key that
    exists, an edit through an alias or of an anchored node, or text that
    is not valid YAML; :class:`~relane.errors.VerificationError` if a result
    would not read as intended (relane's own fault).
    """
    name = path or "<text>"
    try:
        source = Source.from_bytes(text.encode("utf-8", "surrogatepass"), name)
    except InputError as exc:
        raise PatchError(exc.message, exc.path, exc.line, exc.col) from None
    except UnicodeEncodeError:  # pragma: no cover - surrogatepass encodes every str
        raise PatchError("text cannot be encoded as UTF-8", name) from None
    for op in ops:
        source = _apply_op(source, op)
    return ("\ufeff" if source.bom else "") + source.text


def _parse(source: Source) -> Document:
    try:
        return parse(source)
    except InputError as exc:
        raise PatchError(exc.message, exc.path, exc.line, exc.col) from None


def _apply_op(source: Source, op: Op) -> Source:
    if not isinstance(op, (Replace, Add, Remove, Append)):
        raise TypeError(f"not an edit operation: {op!r}")
    route = tuple(op.route)
    doc = _parse(source)
    whole = isinstance(op, (Add, Append))
    chain = _follow(source, doc.root, route, whole)
    node = chain[-1][2]
    lay = layout(doc)
    old = node_data(doc.root)
    if isinstance(op, Add):
        if type(node) is not Map:
            raise _error(source, node, f"{_show(route)} is not a mapping")
        if not isinstance(op.key, str):
            raise TypeError(f"a key must be a string, not {type(op.key).__name__}")
        if op.key in node.index:
            raise _error(source, node.key_node(op.key), f"{_show((*route, op.key))} exists already")
        edits = add_entry(source, lay, node, op.key, op.value)
        _target(old, chain).append((op.key, value_data(op.value)))
    elif isinstance(op, Append):
        if type(node) is not Seq:
            raise _error(source, node, f"{_show(route)} is not a list")
        edits = append_item(source, lay, node, op.value)
        _target(old, chain).append(value_data(op.value))
    else:
        if not route:
            raise PatchError("an empty route names the whole document; replace or remove an entry of it", source.path)
        _no_shared_anchor(source, node)
        parent, index = chain[-2][2], chain[-1][1]
        holder = _target(old, chain[:-1])
        if isinstance(op, Replace):
            want = value_data(op.value)
            if same(node_data(node), want):
                return source
            edits = replace_value(source, lay, parent, index, op.value)
            holder[index] = (holder[index][0], want) if type(parent) is Map else want
        else:
            found = remove_entry(source, parent, index)
            if found is None:  # the only entry: the collection becomes empty
                grand, at = (chain[-3][2], chain[-2][1]) if len(chain) > 2 else (None, 0)
                found = _empty(source, lay, grand, at, parent)
            edits = found
            del holder[index]
    return _verified(source, edits, old)


def _empty(source: Source, lay: Layout, grand: Map | Seq | None, at: int, parent: Map | Seq) -> list[Edit]:
    """Edits that leave ``parent`` (entry ``at`` of ``grand``, or the whole
    document) an empty ``{}`` or ``[]``."""
    empty: dict | list = {} if isinstance(parent, Map) else []
    if grand is None:
        end = parent.end if parent.flow else value_end(source, parent)
        return [Edit(parent.start, end, "{}" if isinstance(parent, Map) else "[]")]
    return replace_value(source, lay, grand, at, empty)


def _follow(source: Source, root: AnyNode | None, route: Route, whole: bool) -> list[tuple]:
    """``(route so far, index, node)`` for the root and each step of ``route``,
    refusing aliases, anchors and merge keys on the way."""
    if root is None:
        raise PatchError("the document is empty", source.path)
    chain: list[tuple] = [((), 0, root)]
    node: AnyNode = root
    for depth, step in enumerate(route):
        here = route[:depth]
        _check(source, node, here)
        if isinstance(step, str) and not isinstance(step, bool):
            if type(node) is not Map:
                raise _error(source, node, f"{_show(here)} is not a mapping, so it has no key {step!r}")
            i = node.index.get(step)
            if i is None:
                if node.has_merge:
                    raise _error(source, node, f"{_show(here)} takes entries from a merge key (<<); relane does not edit through it")
                raise _error(source, node, f"route {_show(route)} does not exist: {_show(here)} has no key {step!r}")
            node = node.pairs[i][1]
        elif isinstance(step, int) and not isinstance(step, bool):
            if type(node) is not Seq:
                raise _error(source, node, f"{_show(here)} is not a list, so it has no item {step}")
            count = len(node.items)
            i = step + count if step < 0 else step
            if not 0 <= i < count:
                raise _error(source, node, f"route {_show(route)} does not exist: {_show(here)} has {count} item(s)")
            node = node.items[i]
        else:
            raise TypeError(f"a route step must be a key (str) or an index (int), not {step!r}")
        chain.append((route[: depth + 1], i, node))
    if whole:
        _check(source, node, route)
    return chain


def _check(source: Source, node: AnyNode, route: Route) -> None:
    """Refuse to edit inside ``node`` if other nodes share it or it is shared."""
    if type(node) is Alias:
        raise _error(source, node, f"{_show(route)} is an alias (*{node.name}); an edit through it would change its anchor's node")
    if node.anchor is not None:
        raise _error(source, node, f"{_show(route)} is anchored (&{node.anchor}); an edit of it would change what aliases share")
    if type(node) is Map and node.has_merge:
        raise _error(source, node, f"{_show(route)} takes entries from a merge key (<<); relane does not edit it")


def _no_shared_anchor(source: Source, node: AnyNode) -> None:
    """Refuse to replace or remove ``node`` if it or a node inside it is anchored
    and aliased: the aliases would lose what they name."""
    if node.anchor is not None:
        raise _error(source, node, f"the value is anchored (&{node.anchor}); an edit of it would change what aliases share")
    for inner in walk(node):
        if inner.anchor is not None and inner.aliased:
            raise _error(source, inner, f"the value holds anchor &{inner.anchor}, which aliases refer to")


def _target(data: object, chain: list[tuple]) -> list:
    """The list (or :class:`Pairs`) in ``data`` that the last node of ``chain`` reads as."""
    for _, index, _node in chain[1:]:
        if isinstance(data, Marked):  # an explicitly tagged collection
            data = data.data
        data = data[index][1] if isinstance(data, Pairs) else data[index]  # type: ignore[index]
    return data.data if isinstance(data, Marked) else data  # type: ignore[return-value]


def _verified(source: Source, edits: list[Edit], intended: object) -> Source:
    new = Source(source.path, apply(source.text, edits), source.bom)
    try:
        got = node_data(parse(new).root)
    except InputError as exc:
        raise VerificationError(f"edit does not parse: {exc.message}", new.path, exc.line, exc.col) from None
    if not same(got, intended):
        where = first_difference(got, intended)
        raise VerificationError(f"edit changed {_show(where)}, which it was not meant to", new.path)
    return new


def _show(route: Route) -> str:
    return "the document" if not route else "".join(f"[{step!r}]" for step in route)


def _error(source: Source, node: AnyNode | None, message: str) -> PatchError:
    if node is None:
        return PatchError(message, source.path)
    line, col = source.line_col(node.start)
    return PatchError(message, source.path, line, col)
