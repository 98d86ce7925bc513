"""Where the edit API's changes go: the spans each kind of edit rewrites.

Every function here returns :class:`~relane.edit.ops.Edit` spans for one
change to one collection, written in the collection's own style (block or
flow) and the document's :class:`~relane.edit.emit.Layout`. Whole entries
are inserted or removed as whole lines where the layout allows, so that
comments around them stay where they were.
"""

from __future__ import annotations

import re
from dataclasses import replace

from relane.edit.emit import (
    Layout,
    column,
    entry_lines,
    flow_text,
    is_block,
    item_lines,
    literal_lines,
    value_parts,
)
from relane.edit.labels import _separator, _whole_line, key_colon, value_end
from relane.edit.ops import Edit, indentation, insert_lines, line_end, line_position, remove_lines
from relane.edit.scalar import write_string
from relane.errors import PatchError
from relane.read.source import Source
from relane.read.tree import AnyNode, Map, Scalar, Seq, last_descendant

_BLANK = re.compile(r"[ \t\r\n]*\Z")
_DASH = re.compile(r"[ \t]*-(?=[ \t\r\n]|\Z)")
_ENDS_PLAIN = frozenset(" \t\r\n,]}")
_TRAILING_BLANKS = re.compile(r"[ \t]*(?=\r?\n|\Z)")
_SPACED_BLANKS = re.compile(r"(?:[ \t]*\r?\n)*[ \t]+(?:\r?\n|\Z)")
# The first line after empty ones, when it holds only a comment: its indentation.
_NEXT_COMMENT = re.compile(r"(?:\r?\n)*([ \t]*)#")


def last_line(source: Source, node: AnyNode) -> int:
    """The 0-based line where the text of ``node`` ends (a block scalar that
    keeps its trailing line breaks ends after them)."""
    inner = last_descendant(node)
    if type(inner) is Scalar and inner.style in ("|", ">"):
        header = source.text[inner.start : line_end(source, inner.start)]
        if "+" in header.split("#")[0]:
            line = source.line_index(inner.end)
            return line - 1 if inner.end == source.line_start(line) else line
    return source.line_index(value_end(source, node))


def _insert_line(source: Source, node: AnyNode, col: int) -> int:
    """The line new entries at column ``col`` go before, after ``node``:
    past the comment lines indented deeper than ``col`` that follow it (they
    belong to the entry before)."""
    text = source.text
    line = found = last_line(source, node) + 1
    while line < source.line_count:
        start, stop = source.line_span(line)
        body = text[start:stop].rstrip("\r\n")
        content = body.lstrip(" ")
        line += 1
        if not content.strip(" \t"):
            continue
        if not content.startswith("#") or len(body) - len(content) <= col:
            break
        found = line
    return found


def dash(source: Source, seq: Seq, index: int) -> int:
    """Where the dash of item ``index`` of a block list is."""
    if index == 0:
        return seq.start
    text = source.text
    item = seq.items[index]
    for line in range(last_line(source, seq.items[index - 1]) + 1, source.line_index(item.start) + 1):
        start, stop = source.line_span(line)
        found = _DASH.match(text, start, stop)
        if found:
            return found.end() - 1
    raise ValueError(f"no dash before the list item at offset {item.start}")  # pragma: no cover


def _at_the_end(source: Source, lay: Layout, at: int, col: int) -> Layout:
    """``lay`` for new lines that end where the line at ``at`` begins (or
    the text ends), written under a key or dash at column ``col``: at the
    end of a file without a final line break no literal block keeps its
    last break, and before a line of blanks, or a comment indented past
    ``col``, no literal block is written (it would take that line in)."""
    if at == len(source.text) and not source.text.endswith("\n"):
        return replace(lay, final_break=False)
    if _SPACED_BLANKS.match(source.text, at):
        return replace(lay, literals=False)
    comment = _NEXT_COMMENT.match(source.text, at)
    if comment is not None and (len(comment.group(1)) > col or "\t" in comment.group(1)):
        return replace(lay, literals=False)
    return lay


def _after(source: Source, coll: Map | Seq, col: int, lay: Layout) -> tuple[int, Layout]:
    """The line new entries of ``coll`` go before, and the layout there.

    A file that ends, without a line break, on a block scalar that keeps
    its last line break cannot take new lines after it: the break they need
    would join the scalar's value."""
    line = _insert_line(source, coll, col)
    at = line_position(source, line)
    block = _open_block(source, coll)
    if block is not None and at == len(source.text) and not source.text.endswith("\n"):
        where = source.line_col(block.start)
        raise PatchError(
            "the file ends in this block scalar without a final line break; an entry after it would"
            " change its value (end the file with a line break first)",
            source.path,
            *where,
        )
    return line, _at_the_end(source, lay, at, col)


def _first_on_line(source: Source, index: int) -> bool:
    start = source.line_start(source.line_index(index))
    return not source.text[start:index].strip(" \t")


def _open_block(source: Source, node: AnyNode | None) -> Scalar | None:
    """The block scalar ``node`` ends with, if it keeps its last line break
    (it has no ``-`` chomping indicator)."""
    inner = None if node is None else last_descendant(node)
    if type(inner) is not Scalar or inner.style not in ("|", ">"):
        return None
    header = source.text[inner.start : line_end(source, inner.start)].split("#")[0]
    return None if "-" in header else inner


def _drop_lines(source: Source, first: int, last: int, before: AnyNode | None) -> Edit:
    """Remove whole lines; a file that ends without a line break still does
    (the blank lines before them go too), unless the line break before them
    ends a block scalar ``before`` (its value holds that break)."""
    edit = remove_lines(source, first, last)
    text = source.text
    if edit.end == len(text) and not text.endswith("\n") and edit.start > 0 and not _open_block(source, before):
        return Edit(len(text[: edit.start].rstrip(" \t\r\n")), edit.end, "")
    return edit


# -- replacing a value -----------------------------------------------------


def replace_value(source: Source, lay: Layout, parent: Map | Seq | None, index: int, value: object) -> list[Edit]:
    """Edits that make entry ``index`` of ``parent`` hold ``value``."""
    if parent is None:
        raise ValueError("the whole document cannot be replaced")
    node = parent.pairs[index][1] if isinstance(parent, Map) else parent.items[index]
    text = source.text
    own = node.style if isinstance(node, Scalar) and node.style in ("'", '"') else None
    if (
        parent.flow
        or (isinstance(node, (Map, Seq)) and node.flow and literal_lines(value) is None)
        or (isinstance(node, Scalar) and node.style not in ("|", ">") and node.start < node.end and not is_block(value))
    ):
        new = flow_text(value, lay, parent.flow, own)
        follows = text[node.end : node.end + 1]
        if isinstance(value, str) and new[:1] not in ("'", '"') and follows and follows not in _ENDS_PLAIN:
            new = write_string(value, lay.quote, flow=parent.flow)  # a plain scalar would run on
        return [Edit(node.start, node.end, new)]
    if isinstance(parent, Map):
        head = key_colon(source, parent.pairs[index][0]) + 1
        col = column(source, parent.pairs[index][0].start)
    else:
        head = dash(source, parent, index) + 1
        col = column(source, head - 1)
    end = value_end(source, node)
    lay = _at_the_end(source, lay, source.line_span(source.line_index(end))[1], col)
    blanks = _TRAILING_BLANKS.match(text, end)
    if node.start == node.end and blanks:  # no value: take the blanks after the key (dash) too
        end = blanks.end()
    after = line_end(source, end)
    nl = source.newline_at(head)
    if node.start == node.end or _BLANK.match(text, head, node.start):
        first, rest = value_parts(value, col, lay, under_key=type(parent) is Map)
        return [
            Edit(head, end, "" if first is None else " " + first),
            Edit(after, after, "".join(nl + line for line in rest)),
        ]
    # A comment between the key (dash) and the old value: the new value
    # starts where the old one did, below the comment.
    start = source.line_start(source.line_index(node.start))
    first, rest = value_parts(value, col, lay, under_key=type(parent) is Map, base=column(source, node.start))
    # (A list flush with its key leaves no room there for a scalar or a flow
    # collection: those go one indentation step deeper.)
    lead = text[start : node.start] if column(source, node.start) > col else " " * (col + lay.indent)
    lines = rest if first is None else [lead + first] + rest
    return [Edit(start, end, lines[0]), Edit(after, after, "".join(nl + line for line in lines[1:]))]


# -- adding an entry -------------------------------------------------------


def _flow_insert(source: Source, coll: Map | Seq, spans: list[tuple[int, int]], entry: str) -> Edit:
    """Insert ``entry`` after the last of a flow collection's entries."""
    text = source.text
    if not spans:
        inner_start, inner_end = coll.start + 1, coll.end - 1
        if _BLANK.match(text, inner_start, inner_end):
            return Edit(inner_start, inner_end, entry)
        return Edit(inner_start, inner_start, entry)
    sep = text[spans[-2][1] : spans[-1][0]] if len(spans) > 1 else ", "
    if "#" in sep or "," not in sep:  # a comment between: the new entry on a line of its own
        last = spans[-1][0]
        sep = "," + source.newline_at(last) + indentation(source, last) if _first_on_line(source, last) else ", "
    return Edit(spans[-1][1], spans[-1][1], sep + entry)


def _pair_spans(mapping: Map) -> list[tuple[int, int]]:
    return [(k.start, max(k.end, v.end)) for k, v in mapping.pairs]


def add_entry(source: Source, lay: Layout, mapping: Map, key: str, value: object) -> list[Edit]:
    """Edits adding ``key: value`` after the last entry of ``mapping``."""
    if mapping.flow:
        entry = f"{flow_text(key, lay)}: {flow_text(value, lay)}"
        return [_flow_insert(source, mapping, _pair_spans(mapping), entry)]
    col = column(source, mapping.pairs[0][0].start)
    line, lay = _after(source, mapping, col, lay)
    return [insert_lines(source, line, entry_lines(key, value, col, lay))]


def append_item(source: Source, lay: Layout, seq: Seq, value: object) -> list[Edit]:
    """Edits adding ``value`` after the last item of ``seq``."""
    if seq.flow:
        return [_flow_insert(source, seq, [(i.start, i.end) for i in seq.items], flow_text(value, lay))]
    col = column(source, seq.start)
    gap = 2
    last = seq.items[-1]
    if type(last) is Map and not last.flow and last.pairs:
        key = last.pairs[0][0].start
        if source.line_index(key) == source.line_index(dash(source, seq, len(seq.items) - 1)):
            gap = column(source, key) - col
    line, lay = _after(source, seq, col, lay)
    return [insert_lines(source, line, item_lines(value, col, lay, gap))]


# -- removing an entry -----------------------------------------------------


def remove_entry(source: Source, coll: Map | Seq, index: int) -> list[Edit] | None:
    """Edits removing entry ``index`` of ``coll``; ``None`` when it is the
    only one (the collection then becomes empty: ``{}`` or ``[]``)."""
    spans = _pair_spans(coll) if isinstance(coll, Map) else [(i.start, i.end) for i in coll.items]
    if len(spans) == 1:
        return None
    if coll.flow:
        text = source.text
        start, end = spans[index]
        if index + 1 < len(spans):
            if "#" not in text[start : spans[index + 1][0]]:
                return [Edit(start, spans[index + 1][0], "")]
            comma = _separator(text, end, spans[index + 1][0])  # the item and the comma after it
            return [_whole_line(source, start, end), Edit(comma, comma + 1, "")]
        if "#" not in text[spans[index - 1][1] : end]:
            return [Edit(spans[index - 1][1], end, "")]
        comma = _separator(text, spans[index - 1][1], start)  # the comma before and the item
        return [Edit(comma, comma + 1, ""), _whole_line(source, start, end)]
    if isinstance(coll, Map):
        start, node = coll.pairs[index][0].start, coll.pairs[index][1]
        following = coll.pairs[index + 1][0].start if index + 1 < len(spans) else None
    else:
        start, node = dash(source, coll, index), coll.items[index]
        following = dash(source, coll, index + 1) if index + 1 < len(spans) else None
    if _first_on_line(source, start):
        before = (coll.pairs[index - 1][1] if isinstance(coll, Map) else coll.items[index - 1]) if index else None
        return [_drop_lines(source, source.line_index(start), last_line(source, node), before)]
    # The first entry shares its line with a dash ("- name: x"): the next
    # entry moves up into its place.
    assert following is not None
    return [Edit(start, following, "")]
