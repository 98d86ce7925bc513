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

Verifying only what changed
---------------------------
Given the edits, :func:`verify` first tries to check just the rewritten
entries (:func:`narrow`), which costs time linear in their size rather than
the file's; when any condition below fails, or a rewritten entry does not
read as meant, the whole-file check above decides (and gives the error).

Each edit is put in the smallest *entry* holding it: a ``key: value`` pair
of a block mapping, found by bisection from the root (so the look-up costs
the logarithm of a mapping's size, not its size), whose *region* runs from
the start of the key's line to the end of the line where the value's text
ends, that line's break included. The narrow check accepts a rewrite only
when, for every region (regions nested in another are folded into it):

1. outside the regions, the new text is the old text byte for byte;
2. the key is a scalar that starts its line after ``c`` spaces; the
   value's text ends on the region's last line (a block scalar's end mark
   lies on a later line, past the blank lines it takes in) and its last
   scalar is not a block scalar; no node of the old entry has an anchor
   or a tag or is an alias (so the rewrite cannot change what an alias
   elsewhere reaches, and no ``%TAG`` directive can read a tag in the
   region differently in place);
3. every edit lies in ``[start, end - 1)`` of its region when the region
   ends with a line break (an edit never swallows that break, so the next
   line keeps its own), and the region's new text ends with a line break
   too;
4. the region's new text starts with ``c`` spaces and a character that is
   not blank (not a blank line, which a ``|+`` block scalar above would
   take in), holds no line starting with ``---``, ``...`` or ``%``
   (document markers and directives end or start a document in place)
   and no line break but LF and CRLF;
5. read on its own, the new text is one implicit document holding a block
   mapping of one entry whose key starts in column ``c``, whose last
   scalar is not a block scalar (a ``|+`` block scalar would take in the
   blank lines after the region), and whose nodes equal the old entry's
   node for node, the intended replacements aside (the same comparison as
   the whole-file check).

Why that suffices: the text before a region is unchanged, and the region's
first line, like the old key line, is not blank and starts in column
``c``, so every scalar above ends where it did. Inside the region the
scanner is in block context at a line start in a mapping indented ``c``,
alone and in place; every token of the entry lies right of column ``c``
(one left of it would end the mapping, which (5) refuses), so the
indentations below ``c``, the only difference between the two readings,
are never consulted. After the region, the first token of the old text
lies in column ``c`` or left of it (it belonged to no value of the entry),
so it closes whatever the region's new text left open, as it did the old,
and the rest reads as before: no anchor it may refer to was added, lost or
moved.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import TYPE_CHECKING, Sequence

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
from relane.read.source import Source
from relane.read.tree import Alias, Document, Map, Scalar, Seq, content_end, events, gc_paused

if TYPE_CHECKING:
    from relane.edit.ops import Edit

_NULLS = ("", "~", "null", "Null", "NULL")


def verify(
    old: Document, new: Source, intended: dict[int, object], edits: Sequence[Edit] | None = None
) -> None:
    """Check that ``new`` reads as ``old`` with the intended replacements.

    ``intended`` maps ``id(node)`` of each replaced node of ``old`` to the
    data it must read as afterwards (a string, or a list of strings).
    ``edits``, when given, are the edits that made ``new``: they say where
    to look first (see the module's notes), never what to accept.
    Raises :class:`VerificationError` naming where the rewrite went wrong.
    """
    try:
        with gc_paused():
            # Each region costs about what reading a couple of hundred
            # bytes does: where edits are that dense, one whole pass is cheaper.
            if edits and len(edits) * _REGION_COST < len(new.text) and narrow(old, new, intended, edits):
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
        items = []
        while True:
            ev = get()
            if type(ev) is SequenceEndEvent:
                return items
            items.append(_data(ev, get, new))
    if t is MappingStartEvent and ev.anchor is None:
        pairs = {}
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


# -- verifying only what changed ---------------------------------------------------

_REGION_COST = 200  # bytes of the whole-file check a region's check costs, about
_FRAME = Map(False, 0)  # the one-entry mapping a region reads as on its own
_ODD_LINES = re.compile(r"^(?:---|\.\.\.|%)|\r(?!\n)|[\x85\u2028\u2029]", re.M)
_NOT_FIRST = " \t\r\n\ufeff"


def narrow(old: Document, new: Source, intended: dict[int, object], edits: Sequence[Edit]) -> bool:
    """Whether ``new`` provably reads as ``old`` with the intended
    replacements, from the rewritten entries alone (the conditions are in
    the module's notes). ``False`` says nothing: the whole-file check decides."""
    text = old.source.text
    root = old.root
    if type(root) is not Map or root.flow:
        return False
    regions = []
    for edit in edits:
        region = _entry(text, root, edit.start, edit.end)
        if region is None:
            return False
        regions.append(region)
    regions.sort(key=lambda r: (r[0], -r[1]))
    kept: list[tuple] = []
    for region in regions:
        if kept and region[0] < kept[-1][1]:
            if region[1] <= kept[-1][1]:
                continue  # the same entry, or one nested in it
            return False  # pragma: no cover - entries nest or stay apart
        kept.append(region)
    edits = sorted(edits, key=lambda e: (e.start, e.end))
    new_text = new.text
    old_at = new_at = 0
    j = 0
    replaced = 0
    for start, end, key, value in kept:
        gap = start - old_at
        if text[old_at:start] != new_text[new_at : new_at + gap]:
            return False
        new_at += gap
        grown = 0
        while j < len(edits) and edits[j].start < end:
            edit = edits[j]
            grown += len(edit.text) - (edit.end - edit.start)
            j += 1
        stop = new_at + (end - start) + grown
        count = _region_reads_as_meant(
            new_text[new_at:stop], text, start, end, key, value, intended, new.path
        )
        if count is None:
            return False
        replaced += count
        old_at, new_at = end, stop
    return (
        j == len(edits)
        and replaced == len(intended)
        and len(text) - old_at == len(new_text) - new_at
        and text[old_at:] == new_text[new_at:]
    )


def _key_start(pair) -> int:
    return pair[0].start


def _entry(text: str, node, start: int, end: int) -> tuple | None:
    """(region start, region end, key, value) of the smallest entry of a
    block mapping whose key starts its line and whose region holds the
    edit ``[start, end)`` short of its last line break; ``None`` if none."""
    best = None
    while True:
        t = type(node)
        if t is Map and not node.flow:
            pairs = node.pairs
            i = bisect_right(pairs, start, key=_key_start)
            # The entry after ``start`` holds it if its key's line begins
            # at or before ``start``; else the entry before may.
            if i < len(pairs):
                k, v = pairs[i]
                line = text.rfind("\n", 0, k.start) + 1
                if line > start:
                    if not i:
                        return best
                    k, v = pairs[i - 1]
                    line = text.rfind("\n", 0, k.start) + 1
            elif i:
                k, v = pairs[i - 1]
                line = text.rfind("\n", 0, k.start) + 1
            else:
                return best
            last = content_end(v)
            brk = text.find("\n", last)
            if end > (len(text) if brk < 0 else brk):
                return best
            # The value's text must end on the line the region ends with: a
            # block scalar's end mark lies past its trailing lines, at the
            # start of the next line with text.
            if (
                type(k) is Scalar
                and not text[line : k.start].strip(" ")
                and text[text.rfind("\n", 0, last) + 1 : last].strip()
            ):
                best = (line, len(text) if brk < 0 else brk + 1, k, v)
            node = v
        elif t is Seq and not node.flow:
            i = bisect_right(node.items, start, key=_node_start) - 1
            if i < 0:
                return best
            node = node.items[i]
        else:
            return best


def _node_start(node) -> int:
    return node.start


def _flatten(node, out: list) -> None:
    """Append ``node``'s subtree to ``out`` in event order (``None`` ends a collection)."""
    stack = [node]
    while stack:
        n = stack.pop()
        out.append(n)
        t = type(n)
        if t is Map:
            stack.append(None)
            for k, v in reversed(n.pairs):
                stack.append(v)
                stack.append(k)
        elif t is Seq:
            stack.append(None)
            stack.extend(reversed(n.items))


class _LastStyle:
    """An event getter that notes the last scalar's style."""

    __slots__ = ("get", "style")

    def __init__(self, get) -> None:
        self.get = get
        self.style = None

    def __call__(self):
        ev = self.get()
        if type(ev) is ScalarEvent:
            self.style = ev.style
        return ev


_SKIP_COMMENTS = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*")


def _region_reads_as_meant(
    fragment: str, text: str, start: int, end: int, key, value, intended: dict[int, object], path: str
) -> int | None:
    """How many intended replacements the region holds, if its new text
    meets the conditions and reads as meant; else ``None``."""
    column = key.start - start
    if text[end - 1 : end] == "\n" and not fragment.endswith("\n"):
        return None
    if len(fragment) <= column or fragment[:column].strip(" ") or fragment[column] in _NOT_FIRST:
        return None
    if _ODD_LINES.search(fragment):
        return None
    order = [_FRAME]
    _flatten(key, order)
    _flatten(value, order)
    order.append(None)
    i = len(order) - 1
    while order[i] is None:
        i -= 1
    if type(order[i]) is Scalar and order[i].style in ("|", ">"):
        return None  # its end mark lies past the lines it takes in
    wanted = {}
    for n in order[1:-1]:
        if n is None:
            continue
        if type(n) is Alias or n.anchor is not None or n.tag is not None:
            return None
        want = intended.get(id(n), _KEEP)
        if want is not _KEEP:
            wanted[id(n)] = want
    # The first token (the key) must start in ``column`` too, after any
    # comment lines the edits put above it.
    if fragment[column] == "#":
        at = _SKIP_COMMENTS.match(fragment).end()
        if fragment[at : at + column].strip(" ") or fragment[at + column : at + column + 1] in ("", *_NOT_FIRST):
            return None
    get = events(fragment)
    # Only a block scalar ("|" or ">") can take in lines after the region.
    last = _LastStyle(get) if "|" in fragment or ">" in fragment else None
    try:
        _compare(order, Source(path, fragment), wanted, last or get)
    except (VerificationError, yaml.YAMLError):
        return None
    if last is not None and last.style in ("|", ">"):
        return None
    return len(wanted)
