"""The ``# relane:`` record of a label map: every scalar it rewrote in a job, and every item it removed.

A label map (:mod:`relane.codemods.labelmap`) edits scalars all over a job:
runs-on items, matrix axis values, ``include`` and ``exclude`` entries,
``if:`` conditions, callers' ``with:`` values. With a record (migrations
always; ``retarget --map`` with ``--comment``) it writes one block of
comment lines above the job's ``runs-on:`` (above the job's first key when
the job has no ``runs-on:`` line), at that key's indentation::

    # relane: map ["strategy","matrix","os",0] "ubuntu-20.04"
    # relane: now "ubuntu-24.04"
    # relane: map ["steps",2,"if"] "matrix.os == 'ubuntu-20.04'"
    # relane: now "matrix.os == 'ubuntu-24.04'"
    # relane: gone ["strategy","matrix","os",2] "          - Ubuntu-20.04\\n"
    runs-on: ${{ matrix.os }}

* ``map ROUTE "..."``: the scalar at ROUTE (a JSON list of the keys and
  list indexes from the job down to it, indexes as the file reads after the
  map) was exactly this source text (quotes included);
* ``now "..."``: the source text the map wrote there; a rollback restores
  the ``map`` text only while the scalar still reads exactly so;
* ``gone ROUTE "..."``: a list item the map removed (its new label was
  already listed): the exact text removed, ROUTE naming the list and the
  item's index before the map; it goes back before the item now at that
  place (after the last item when it was last);
* ``+ "..."``: more of the string on the line above (see
  :mod:`relane.comments.record`).

A second run of the same map finds nothing to map, so writes no second
record; a job that already carries one is not mapped again.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from relane.comments.record import MARKER, MARKER_LINE, _strung, _unquote, line_text, skip_blank_lines
from relane.edit.ops import Edit, indentation, line_position
from relane.read.plain import to_data
from relane.read.source import Source
from relane.read.tree import AnyNode, Map, Scalar, Seq, parse

Route = tuple  # of str keys and int indexes

_ENTRY = re.compile(r'relane: (map|gone) (\[[^\]]*\]) (".*")\Z')
_NOW = re.compile(r'relane: now (".*")\Z')
_MORE = re.compile(r'relane: \+ (".*")\Z')
_OURS = re.compile(r"relane: (?:map|now|gone|\+) ")
_OPENS = re.compile(r"relane: (?:map|gone) ")
"""A line a map record can open with (``+`` lines go on with a retarget's record too)."""


class Unrecordable(Exception):
    """An edit the record cannot carry (outside the job, or across nodes)."""


@dataclass(frozen=True)
class Entry:
    kind: str  # "map" or "gone"
    route: Route
    old: str
    now: str = ""

    def lines(self, room: int | None) -> list[str]:
        head = f"{MARKER}{self.kind} {json.dumps(list(self.route), ensure_ascii=False, separators=(',', ':'))} "
        out = _strung(head, self.old, room)
        if self.kind == "map":
            out.extend(_strung(f"{MARKER}now ", self.now, room))
        return out


def routes(node: AnyNode, route: Route = ()):
    """Every node under ``node`` with its route (keys must be scalars)."""
    yield route, node
    if isinstance(node, Map):
        for key, value in node.pairs:
            if type(key) is Scalar:
                yield from routes(value, route + (key.value,))
    elif isinstance(node, Seq):
        for i, item in enumerate(node.items):
            yield from routes(item, route + (i,))


def resolve(node: AnyNode, route: Route) -> AnyNode | None:
    for step in route:
        child: AnyNode | None = None
        if isinstance(step, int) and isinstance(node, Seq) and 0 <= step < len(node.items):
            child = node.items[step]
        elif isinstance(step, str) and isinstance(node, Map) and step in node.index:
            child = node.get(step)
        if child is None:
            return None
        node = child
    return node


def anchor_key(job_node: Map) -> AnyNode:
    """The key the record goes above: ``runs-on``, else the job's first key."""
    key = job_node.key_node("runs-on")
    if key is not None:
        return key
    return job_node.pairs[0][0]


def entries_for(source: Source, job_node: AnyNode, edits: list[Edit]) -> list[Entry]:
    """The record of ``edits`` (all inside ``job_node``)."""
    if type(job_node) is not Map or job_node.flow or not job_node.pairs:
        raise Unrecordable("the job is not a block mapping")
    text = source.text
    nodes = list(routes(job_node))
    gone: list[Entry] = []
    changed: dict[Route, tuple[AnyNode, list[Edit]]] = {}
    for edit in edits:
        if not (job_node.start <= edit.start <= edit.end <= job_node.end):
            raise Unrecordable("it edits outside the job (workflow inputs or another job)")
        if edit.text == "" and edit.end > edit.start:
            hit = [
                (route, i)
                for route, n in nodes
                if type(n) is Seq
                for i, item in enumerate(n.items)
                if edit.start <= item.start and item.end <= edit.end
            ]
            if len(hit) == 1:
                route, i = hit[0]
                gone.append(Entry("gone", route + (i,), text[edit.start : edit.end]))
                continue
        inside = [
            (route, n)
            for route, n in nodes
            if n.start <= edit.start and edit.end <= n.end and (type(n) is Scalar or edit.end > edit.start)
        ]
        if not inside:
            raise Unrecordable("an edit spans more than one value")
        route, n = max(inside, key=lambda rn: len(rn[0]))
        changed.setdefault(route, (n, []))[1].append(edit)
    out: list[Entry] = []
    for route, (n, mine) in changed.items():
        old = text[n.start : n.end]
        new = old
        for e in sorted(mine, key=lambda e: e.start, reverse=True):
            new = new[: e.start - n.start] + e.text + new[e.end - n.start :]
        out.append(Entry("map", _shifted(route, gone), old, new))
    return out + sorted(gone, key=lambda g: g.route)


def _shifted(route: Route, gone: list[Entry]) -> Route:
    """``route`` with the indexes of lists that lost items as they read after."""
    for g in gone:
        seq, i = g.route[:-1], g.route[-1]
        n = len(seq)
        if route[:n] == seq and len(route) > n and isinstance(route[n], int) and route[n] > i:
            route = route[:n] + (route[n] - 1,) + route[n + 1 :]
    return route


def block_edit(source: Source, job_node: Map, entries: list[Entry], text: list[str], room: int | None) -> Edit:
    """The record block (and the comment ``text`` lines after it, written
    out in full) above the job's anchor key."""
    key = anchor_key(job_node)
    indent = indentation(source, key.start)
    room = None if room is None else max(room - len(indent) - 2, 1)
    lines = [f"{indent}# {line}" for entry in entries for line in entry.lines(room)] + text
    newline = "\r\n" if source.text.endswith("\r\n", 0, source.line_span(source.line_index(key.start))[1]) else "\n"
    body = "".join(line + newline for line in lines)
    at = line_position(source, source.line_index(key.start))
    return Edit(at, at, body)


@dataclass(frozen=True)
class MapBlock:
    first: int
    stop: int  # the line after the block: the anchor key's, a blank line or a retarget's record
    entries: tuple[Entry, ...]


def find_map_block(source: Source, job_node: AnyNode) -> MapBlock | None:
    """The map record above the job's anchor key (or above the blank lines
    right above it), or ``None``. An unreadable one is an :class:`InputError`."""
    if type(job_node) is not Map or job_node.flow or not job_node.pairs:
        return None
    key = anchor_key(job_node)
    line = skip_blank_lines(source, source.line_index(key.start) - 1)
    stop = line + 1
    prefix = indentation(source, key.start) + "# "
    first = None
    while line >= 0:
        body = line_text(source, line)
        if not body.startswith(prefix[:-1]):
            break
        if _OPENS.match(body, len(prefix)) and body.startswith(prefix):
            first = line
        line -= 1
    if first is None:
        return None
    column = len(prefix)
    i = first
    entries: list[Entry] = []

    def string(match, at: int) -> str:
        nonlocal i
        value = _unquote(source, match, at, match.re.groups if match else 1)
        i += 1
        while i < stop and line_text(source, i)[column:].startswith(MARKER + "+ "):
            more = line_text(source, i)[column:]
            value += _unquote(source, _MORE.match(more), source.line_start(i) + column)
            i += 1
        return value

    while i < stop:
        body = line_text(source, i)[column:]
        if not body.startswith(MARKER) or not _OURS.match(body):
            break
        at = source.line_start(i) + column
        m = _ENTRY.match(body)
        if m is None:
            raise source.error("unreadable relane record (# relane: ...)", at)
        try:
            route = tuple(json.loads(m.group(2)))
        except ValueError:
            raise source.error("unreadable relane record (# relane: ...)", at) from None
        old = string(m, at)
        now = ""
        if m.group(1) == "map":
            body = line_text(source, i)[column:] if i < stop else ""
            n = _NOW.match(body)
            now = string(n, source.line_start(min(i, stop - 1)) + column)
        entries.append(Entry(m.group(1), route, old, now))
    # The comment text below the entries is the record's, down to the key
    # or to a retarget's record written after the map (which is its own).
    while i < stop and not MARKER_LINE.match(line_text(source, i), column - 1):
        i += 1
    return MapBlock(first, i, tuple(entries))


def scalar_data(text: str, column: int):
    """The data of a scalar's recorded source text, read at its column."""
    return to_data(parse(Source("relane record", " " * column + text)).root)


def item_data(text: str, flow: bool):
    """The data of a removed list item, from the exact text removed."""
    if flow:
        t = text.strip(" \t")
        t = t[1:] if t.startswith(",") else t.rstrip(" \t")[:-1]
        data = to_data(parse(Source("relane record", "[" + t + "]")).root)
    else:
        data = to_data(parse(Source("relane record", text)).root)
    if not isinstance(data, list) or len(data) != 1:
        raise ValueError("unreadable removed item")
    return data[0]
