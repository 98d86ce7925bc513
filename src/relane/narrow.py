"""Verify a rewrite from the rewritten entries alone.

:func:`relane.verify.verify_rewrite` compares every event of the new text
with the old document. Given the edits, it first tries :func:`check_regions`,
which reads only the rewritten entries again and so costs time linear in
their size rather than the file's; when any condition below fails, or a
rewritten entry does not read as meant, the whole-file check decides (and
names the error).

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
from collections.abc import Sequence
from typing import TYPE_CHECKING

import yaml
from yaml.events import ScalarEvent

from relane.errors import VerificationError
from relane.read.source import Source
from relane.read.tree import Alias, AnyNode, Document, Map, Scalar, Seq, content_end, events, flatten

if TYPE_CHECKING:
    from relane.edit.ops import Edit

REGION_COST = 200
"""About how many bytes of the whole-file check one region's check costs:
where edits are denser than that, one whole pass is cheaper."""
_FRAME = Map(False, 0)  # the one-entry mapping a region reads as on its own
_MARKERS = ("---", "...", "%")
_UNICODE_BREAKS = ("\x85", "\u2028", "\u2029")


def _odd_lines(fragment: str) -> bool:
    """Whether a line of ``fragment`` starts with ``---``, ``...`` or ``%``,
    or it breaks a line otherwise than with LF or CRLF."""
    if fragment.startswith(_MARKERS) or any("\n" + m in fragment for m in _MARKERS):
        return True
    if "\r" in fragment and fragment.count("\r") != fragment.count("\r\n"):
        return True
    return not fragment.isascii() and any(b in fragment for b in _UNICODE_BREAKS)
_NOT_FIRST = " \t\r\n\ufeff"


def check_regions(old: Document, new: Source, intended: dict[int, object], edits: Sequence[Edit], compare) -> bool:
    """Whether ``new`` provably reads as ``old`` with the intended
    replacements, from the rewritten entries alone (the conditions are in
    the module's notes). ``compare(order, source, intended, get)`` is the
    whole-file comparison, run on one region; it raises on a difference.
    ``False`` says nothing: the whole-file check decides."""
    text = old.source.text
    root = old.root
    if type(root) is not Map or root.flow:
        return False
    regions = []
    last = None
    limit = -1
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        # An edit inside the region found last (a job's comment lines and
        # its runs-on value) needs no look-up: the entry found for it would
        # be that one or one nested in it, which is folded into it anyway.
        if last is not None and last[0] <= edit.start and edit.end <= limit:
            continue
        last = _entry(text, root, edit.start, edit.end)
        if last is None:
            return False
        regions.append(last)
        # An edit must stop short of the region's final line break.
        limit = last[1] - 1 if text[last[1] - 1 : last[1]] == "\n" else last[1]
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
            new_text[new_at:stop], text, start, end, key, value, intended, new.path, compare
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


class _LastStyle:
    """An event getter that notes the last scalar's style."""

    __slots__ = ("get", "style")

    def __init__(self, get) -> None:
        self.get = get
        self.style: str | None = None

    def __call__(self):
        ev = self.get()
        if type(ev) is ScalarEvent:
            self.style = ev.style
        return ev


_SKIP_COMMENTS = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*")


def _region_reads_as_meant(
    fragment: str, text: str, start: int, end: int, key, value, intended: dict[int, object], path: str, compare
) -> int | None:
    """How many intended replacements the region holds, if its new text
    meets the conditions and reads as meant; else ``None``."""
    column = key.start - start
    if text[end - 1 : end] == "\n" and not fragment.endswith("\n"):
        return None
    if len(fragment) <= column or fragment[:column].strip(" ") or fragment[column] in _NOT_FIRST:
        return None
    if _odd_lines(fragment):
        return None
    order: list[AnyNode | None] = [_FRAME]
    flatten(key, order)
    flatten(value, order)
    order.append(None)
    i = len(order) - 1
    while order[i] is None:
        i -= 1
    final = order[i]
    if isinstance(final, Scalar) and final.style in ("|", ">"):
        return None  # its end mark lies past the lines it takes in
    wanted = {}
    for n in order[1:-1]:
        if n is None:
            continue
        if type(n) is Alias or n.anchor is not None or n.tag is not None:
            return None
        if id(n) in intended:
            wanted[id(n)] = intended[id(n)]
    # The first token (the key) must start in ``column`` too, after any
    # comment lines the edits put above it.
    if fragment[column] == "#":
        skipped = _SKIP_COMMENTS.match(fragment)
        assert skipped is not None  # a starred group matches the empty string too
        at = skipped.end()
        if fragment[at : at + column].strip(" ") or fragment[at + column : at + column + 1] in ("", *_NOT_FIRST):
            return None
    get = events(fragment)
    # Only a block scalar ("|" or ">") can take in lines after the region.
    last = _LastStyle(get) if "|" in fragment or ">" in fragment else None
    try:
        compare(order, Source(path, fragment), wanted, last or get)
    except (VerificationError, yaml.YAMLError):
        return None
    if last is not None and last.style in ("|", ">"):
        return None
    return len(wanted)
