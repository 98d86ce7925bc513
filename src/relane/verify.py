"""Prove a rewrite did what was meant, before anything is shown or written.

The new text is parsed afresh and its events are compared, one by one, with
the nodes of the original document in event order: every node must be the
same (value, tag, quoting, anchor, alias name, shape) except the nodes that
were meant to change, which must now hold exactly their intended data.
Comments produce no events, so comment edits must leave the data alone.
Aliases are never expanded, so the check costs time linear in the size of
the two texts; each must name an anchor the new text defines, on the node
the original alias reached (an anchor lost with a replaced value, or an
earlier anchor of the same name now in force, is a failure).

Given the edits, :func:`verify_rewrite` first checks just the rewritten
entries (:mod:`relane.narrow`, where the conditions that make this sound
are written down); the whole-file check decides whenever that cannot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

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

from relane.errors import VerificationError
from relane.narrow import REGION_COST, check_regions
from relane.read.source import Source
from relane.read.tree import Alias, Document, Map, Scalar, Seq, events, gc_paused

if TYPE_CHECKING:
    from relane.edit.ops import Edit

_NULLS = ("", "~", "null", "Null", "NULL")


def verify_rewrite(
    old: Document, new: Source, intended: dict[int, object], edits: Sequence[Edit] | None = None
) -> None:
    """Check that ``new`` reads as ``old`` with the intended replacements.

    ``intended`` maps ``id(node)`` of each replaced node of ``old`` to the
    data it must read as afterwards (a string, or a list of strings).
    ``edits``, when given, are the edits that made ``new``: they say where
    to look first (see :mod:`relane.narrow`), never what to accept.
    Raises :class:`VerificationError` naming where the rewrite went wrong.
    """
    try:
        with gc_paused():
            # Each region costs about what reading a couple of hundred
            # bytes does: where edits are that dense, one whole pass is cheaper.
            if edits and len(edits) * REGION_COST < len(new.text) and check_regions(old, new, intended, edits, _compare):
                return
            _compare(old.order, new, intended)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        _fail(new, mark.index if mark else None, f"rewrite does not parse: {problem}")


def _compare(order: list, new: Source, intended: dict[int, object], get=None) -> None:
    get = get or events(new.text)
    n = len(order)
    i = 0
    replaced = 0
    documents = 0
    anchors: dict[str, object] = {}  # anchor name -> the node of ``old`` it now names
    while True:
        ev = get()
        t = type(ev)
        if t is DocumentStartEvent:
            documents += 1
            if documents > 1:
                _fail(new, ev.start_mark.index, "rewrite holds a second document")
            continue
        if t is DocumentEndEvent:
            continue
        if t is StreamEndEvent:
            break
        if i >= n:
            _fail(new, ev.start_mark.index, "rewrite has content the original did not")
        old = order[i]
        i += 1
        if t is MappingEndEvent or t is SequenceEndEvent:
            if old is not None:
                _fail(new, ev.start_mark.index, "rewrite ends a collection early")
            continue
        if old is None:
            _fail(new, ev.start_mark.index, "rewrite adds an entry to a collection")
        want = intended.get(id(old), _KEEP)
        if want is not _KEEP:
            got = _data(ev, get, new)
            if got != want:
                _fail(new, ev.start_mark.index, f"rewritten value reads {got!r}, meant {want!r}")
            i = _skip(order, i, old)
            replaced += 1
            continue
        ot = type(old)
        if t is ScalarEvent:
            same = (
                ot is Scalar
                and old.value == ev.value
                and old.style == (ev.style or None)
                and old.anchor == ev.anchor
                and old.tag == ev.tag
            )
        elif t is MappingStartEvent:
            same = ot is Map and old.flow == ev.flow_style and old.anchor == ev.anchor and old.tag == ev.tag
        elif t is SequenceStartEvent:
            same = ot is Seq and old.flow == ev.flow_style and old.anchor == ev.anchor and old.tag == ev.tag
        else:  # AliasEvent
            same = ot is Alias and old.name == ev.anchor
            if same and anchors.get(ev.anchor) is not old.target:
                _fail(new, ev.start_mark.index, f"alias *{ev.anchor} no longer reaches the value it did")
        if not same:
            _fail(new, ev.start_mark.index, "rewrite changed data it was not meant to change")
        if ev.anchor is not None and t is not AliasEvent:
            anchors[ev.anchor] = old
    if i != n:
        _fail(new, None, "rewrite lost content of the original")
    if replaced != len(intended):
        _fail(new, None, f"rewrite lost {len(intended) - replaced} of the values it meant to change")


_KEEP = object()


def _skip(order: list, i: int, node) -> int:
    """Index just past ``node``'s subtree in ``order`` (``i`` is just past ``node``)."""
    if type(node) is not Seq and type(node) is not Map:
        return i
    depth = 1
    while depth:
        x = order[i]
        i += 1
        if x is None:
            depth -= 1
        elif type(x) is Seq or type(x) is Map:
            depth += 1
    return i


def _data(ev, get, new: Source):
    """Plain data for the node starting at ``ev``: scalars, lists and mappings
    (a rolled-back runner-group mapping), without anchors or aliases."""
    t = type(ev)
    # relane writes labels plainly: no anchor, no tag.
    if t is ScalarEvent and ev.anchor is None and ev.tag is None:
        if not ev.style and ev.value in _NULLS:
            return None
        return ev.value
    if t is SequenceStartEvent and ev.anchor is None and ev.tag is None:
        items: list = []
        while True:
            ev = get()
            if type(ev) is SequenceEndEvent:
                return items
            items.append(_data(ev, get, new))
    if t is MappingStartEvent and ev.anchor is None:
        pairs: dict = {}
        while True:
            ev = get()
            if type(ev) is MappingEndEvent:
                return pairs
            key = _data(ev, get, new)
            pairs[str(key)] = _data(get(), get, new)
    _fail(new, ev.start_mark.index, "rewritten value is not a plain label, list or mapping")


def _fail(source: Source, index: int | None, message: str) -> None:
    if index is None:
        raise VerificationError(message, source.path)
    line, col = source.line_col(index)
    raise VerificationError(message, source.path, line, col)
