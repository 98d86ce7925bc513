"""A YAML document as a light tree of nodes that know where they are.

relane never re-serialises YAML: it reads libyaml's event stream (through
PyYAML's C binding when present) and keeps, for every node, its span in the
source text, its style and its anchor. Aliases stay aliases: nothing here
ever expands one into a copy, so an "alias bomb" costs what its text costs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)

from relane.collector import gc_paused
from relane.read.source import Source

# libyaml's parser alone (reading events needs no constructor or resolver),
# or PyYAML's own loader where it was built without libyaml.
_Parser = getattr(getattr(yaml, "cyaml", None), "CParser", None) or yaml.SafeLoader

MAX_DEPTH = 256
"""Deepest nesting accepted. Real workflows stay under 20 levels; the bound
keeps every walk over a tree far from Python's recursion limit."""


class Node:
    """Common part of every node: its span ``[start, end)`` in the text,
    its anchor and explicit tag, and ``aliased``: whether an alias somewhere
    in the document refers to it."""

    __slots__ = ("start", "end", "anchor", "tag", "aliased")


class Scalar(Node):
    __slots__ = ("value", "style")

    # Each subclass sets every slot itself: a tree has a node per event, and
    # a super() call per node is a measurable share of the load time.
    def __init__(self, value, style, start, end, anchor=None, tag=None):
        self.start = start
        self.end = end
        self.anchor = anchor
        self.tag = tag
        self.aliased = False
        self.value: str = value
        # None (plain), "'", '"', "|" or ">".
        self.style: str | None = style or None  # libyaml says "" for plain

    @property
    def plain(self) -> bool:
        return self.style is None

    def __repr__(self) -> str:
        return f"Scalar({self.value!r})"


class Seq(Node):
    __slots__ = ("items", "flow")

    def __init__(self, flow, start, anchor=None, tag=None):
        self.start = self.end = start
        self.anchor = anchor
        self.tag = tag
        self.aliased = False
        self.items: list[AnyNode] = []
        self.flow: bool = flow

    def __repr__(self) -> str:
        return f"Seq({self.items!r})"


class Map(Node):
    __slots__ = ("pairs", "index", "flow", "_key")

    def __init__(self, flow, start, anchor=None, tag=None):
        self.start = self.end = start
        self.anchor = anchor
        self.tag = tag
        self.aliased = False
        self.pairs: list[tuple[AnyNode, AnyNode]] = []
        # Scalar key text (an alias key: its target's) -> position in ``pairs``.
        self.index: dict[str, int] = {}
        self.flow: bool = flow
        self._key: AnyNode | None = None

    def get(self, key: str) -> AnyNode | None:
        i = self.index.get(key)
        return None if i is None else self.pairs[i][1]

    def key_node(self, key: str) -> AnyNode | None:
        i = self.index.get(key)
        return None if i is None else self.pairs[i][0]

    @property
    def has_merge(self) -> bool:
        """Whether a plain ``<<`` merge key brings in entries from elsewhere."""
        i = self.index.get("<<")
        if i is None:
            return False
        key = self.pairs[i][0]
        return isinstance(key, Scalar) and key.plain

    def __repr__(self) -> str:
        return f"Map({dict((getattr(k, 'value', k), v) for k, v in self.pairs)!r})"


class Alias(Node):
    __slots__ = ("name", "target")

    def __init__(self, name, target, start, end):
        self.start = start
        self.end = end
        self.anchor = self.tag = None
        self.aliased = False
        self.name: str = name
        self.target: AnyNode = target

    def __repr__(self) -> str:
        return f"Alias({self.name!r})"


AnyNode = Scalar | Seq | Map | Alias


class Document:
    """A parsed file: its ``root`` node (``None`` when empty)."""

    __slots__ = ("source", "root")

    def __init__(self, source: Source, root: AnyNode | None):
        self.source = source
        self.root = root

    @property
    def order(self) -> list[AnyNode | None]:
        """Every node in event order, with ``None`` where a collection ends
        (what :func:`relane.verify.verify_rewrite` compares a rewrite's
        events against). Built on demand: most rewrites are checked entry
        by entry, without it."""
        out: list[AnyNode | None] = []
        if self.root is not None:
            flatten(self.root, out)
        return out


def flatten(node: AnyNode, out: list) -> None:
    """Append ``node``'s subtree to ``out`` in event order (``None`` ends a collection)."""
    stack: list[AnyNode | None] = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        t = type(n)
        if t is Map:
            stack.append(None)
            for k, v in reversed(cast(Map, n).pairs):
                stack.append(v)
                stack.append(k)
        elif t is Seq:
            stack.append(None)
            stack.extend(reversed(cast(Seq, n).items))


def parse(source: Source) -> Document:
    """The single document in ``source`` as a tree.

    Raises :class:`InputError` with the line and column for a YAML syntax
    error, a character YAML forbids, a duplicate mapping key, an undefined
    alias, nesting deeper than :data:`MAX_DEPTH`, or a second document.
    """
    try:
        with gc_paused():
            return _build(source)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.problem} ({exc.context})"
        index = mark.index if mark else None
        raise source.error(_yaml_message(message, source, index), index) from None
    except yaml.reader.ReaderError as exc:
        raise source.error(
            f"{exc.reason} (character U+{exc.character:04X})"
            if isinstance(exc.character, int)
            else exc.reason,
            exc.position,
        ) from None


def _yaml_message(message: str, source: Source, index: int | None) -> str:
    token = "found character that cannot start any token"
    if token in message and index is not None and index < len(source.text):
        # libyaml does not say which character; name it.
        char = source.text[index]
        if char == "\t":
            return message.replace(token, "found a tab that cannot start any token") + (
                "; tabs cannot indent YAML"
            )
        return message.replace(token, f"found character {char!r} that cannot start any token")
    return message


def events(text: str):
    """libyaml's ``get_event`` for ``text`` (the first event, StreamStart, taken)."""
    get = _Parser(text).get_event
    get()
    return get


def _build(source: Source) -> Document:
    get = events(source.text)
    stack: list[Seq | Map] = []
    anchors: dict[str, AnyNode] = {}
    root: AnyNode | None = None
    node: AnyNode
    # The innermost open collection (``stack[-1]``), kept in locals: this
    # loop runs once per event, and every lookup saved counts.
    parent: Seq | Map | None = None
    items: list | None = None  # ``parent.items`` when it is a Seq
    documents = 0
    while True:
        ev = get()
        t = type(ev)
        if t is ScalarEvent:
            node = Scalar(ev.value, ev.style, ev.start_mark.index, ev.end_mark.index, ev.anchor, ev.tag)
        elif t is MappingEndEvent or t is SequenceEndEvent:
            assert parent is not None
            parent.end = ev.end_mark.index
            stack.pop()
            if stack:
                parent = stack[-1]
                items = parent.items if type(parent) is Seq else None
            else:
                parent = items = None
            continue
        elif t is MappingStartEvent:
            node = Map(ev.flow_style, ev.start_mark.index, ev.anchor, ev.tag)
        elif t is SequenceStartEvent:
            node = Seq(ev.flow_style, ev.start_mark.index, ev.anchor, ev.tag)
        elif t is AliasEvent:
            target = anchors.get(ev.anchor)
            if target is None:
                raise source.error(f"undefined alias *{ev.anchor}", ev.start_mark.index)
            target.aliased = True
            node = Alias(ev.anchor, target, ev.start_mark.index, ev.end_mark.index)
        elif t is DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise source.error(
                    "a second YAML document; a workflow file holds exactly one",
                    ev.start_mark.index,
                )
            continue
        elif t is DocumentEndEvent:
            continue
        elif t is StreamEndEvent:
            return Document(source, root)
        else:  # pragma: no cover - libyaml emits no other events
            raise source.error(f"unexpected YAML event {t.__name__}", ev.start_mark.index)

        if items is not None:
            items.append(node)
        elif parent is not None:
            # Not a Seq, so a Map; cast, not isinstance, keeps this per-event path cheap.
            pmap = cast(Map, parent)
            key = pmap._key
            if key is None:
                pmap._key = node
            else:
                pmap._key = None
                # A key written as an alias (``*k :``) is the scalar it names.
                named = key.target if type(key) is Alias else key
                if type(named) is Scalar:
                    index = pmap.index
                    if named.value in index:
                        first = pmap.pairs[index[named.value]][0]
                        line = source.line_col(first.start)[0]
                        raise source.error(
                            f"duplicate key {named.value!r} in mapping (first at line {line})",
                            key.start,
                        )
                    index[named.value] = len(pmap.pairs)
                pmap.pairs.append((key, node))
        else:
            root = node
        if ev.anchor is not None and t is not AliasEvent:
            anchors[ev.anchor] = node
        if t is MappingStartEvent or t is SequenceStartEvent:
            # A start event made ``node`` a Map or a Seq just above.
            parent = cast("Seq | Map", node)
            stack.append(parent)
            items = cast(Seq, parent).items if t is SequenceStartEvent else None
            if len(stack) > MAX_DEPTH:
                raise source.error(f"nesting deeper than {MAX_DEPTH} levels", node.start)


def resolve(node: AnyNode | None) -> AnyNode | None:
    """``node``, or the node an alias refers to (never a copy)."""
    while type(node) is Alias:
        node = node.target
    return node


def content_end(node: AnyNode) -> int:
    """Where the text of ``node`` itself ends.

    A block collection's end mark lies at the next token, past any trailing
    comments and blank lines; this returns the end of its last entry instead.
    """
    return last_descendant(node).end


def last_descendant(node: AnyNode) -> AnyNode:
    """The node whose text ends ``node``'s (see :func:`content_end`)."""
    while True:
        if type(node) is Map and not node.flow and node.pairs:
            # An empty value (``key:``) is a zero-width scalar just after the colon.
            node = node.pairs[-1][1]
        elif type(node) is Seq and not node.flow and node.items:
            node = node.items[-1]
        else:
            return node


def walk(node: AnyNode | None) -> Iterator[AnyNode]:
    """Every node under ``node`` (aliases are yielded, not followed)."""
    stack = [node] if node is not None else []
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, Map):
            for k, v in reversed(n.pairs):
                stack.append(v)
                stack.append(k)
        elif isinstance(n, Seq):
            stack.extend(reversed(n.items))
