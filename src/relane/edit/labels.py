"""Replacing a runs-on style value: a label, or a list of labels, written
in the style found (quoting, flow or block list, indentation, comments
between items) with every byte around the value left as it was."""

from __future__ import annotations

import re
from collections.abc import Sequence

from relane.edit.ops import Edit, indentation, line_end
from relane.edit.scalar import render_scalar
from relane.read.source import Source
from relane.read.tree import AnyNode, Map, Scalar, Seq, content_end, walk

_BLANK = re.compile(r"[ \t\r\n]*\Z")
_ITEM_PREFIX = re.compile(r"[ \t]*-[ \t]+\Z")

# -- runs-on style values --------------------------------------------------


def replace_labels(
    source: Source, key: AnyNode, value: AnyNode, labels: Sequence[str]
) -> tuple[list[Edit], str | list[str]]:
    """Edits that make ``key: value`` read ``labels``, in the value's style,
    and the data the value will then hold.

    One label gives a scalar; several give a list, flow or block as the
    original was. List items are replaced in place, so comments between
    them survive. A comment between the key and a block list survives too:
    there one label stays a one-item list.
    """
    if not labels:
        raise ValueError("at least one label is needed")
    labels = list(labels)
    data: str | list[str] = labels[0] if len(labels) == 1 else labels
    if isinstance(value, Seq) and value.items:
        return _replace_list(source, key, value, labels)
    style = _quote_style(value)

    def render(end: int) -> str:
        if len(labels) == 1:
            return _render_before(source, end, labels[0], style)
        return "[" + ", ".join(render_scalar(label, style) for label in labels) + "]"

    if isinstance(value, Scalar) and value.style not in ("|", ">"):
        return [Edit(value.start, value.end, render(value.end))], data
    # A block scalar or a block mapping: rewrite from the colon when only
    # whitespace lies between, else from the value (a comment stays above it).
    end = value_end(source, value)
    flow = not isinstance(value, Map) or value.flow
    blank = not flow and _only_blank_after_colon(source, key, value)
    if isinstance(value, Map) and not value.flow:
        kept = _kept_lines(source, value)
        if kept is not None:
            return _replace_keeping(source, value, kept, _colon(source, key) + 1 if blank else value.start, blank, render), data
    if blank:
        return [Edit(_colon(source, key) + 1, end, " " + render(end))], data
    return [Edit(value.start, end, render(end))], data


def _kept_lines(source: Source, value: Map) -> set[int] | None:
    """The comment and blank lines among a block mapping's entries (after
    its first line, outside multi-line scalars) when one is a comment line;
    ``None`` when it holds no comment line."""
    first = source.line_index(value.start)
    last = source.line_index(value_end(source, value))
    kept = {
        line
        for line in range(first + 1, last + 1)
        if _BLANK_OR_COMMENT.fullmatch(source.text, *source.line_span(line))
    }
    if not kept:
        return None
    for node in walk(value):
        if type(node) is Scalar and node.end > node.start:
            kept.difference_update(range(source.line_index(node.start) + 1, source.line_index(node.end - 1) + 1))
    text = source.text
    return kept if any("#" in text[slice(*source.line_span(line))] for line in kept) else None


def _replace_keeping(source: Source, value: Map, kept: set[int], start: int, blank: bool, render) -> list[Edit]:
    """Replace a block mapping by the value ``render`` gives, keeping the
    comment and blank lines ``kept`` below it: its other lines go whole, as
    a list's lost items do (their trailing comments with them)."""
    text = source.text
    first = source.line_index(value.start)
    last = source.line_index(value_end(source, value))
    head_end = line_end(source, source.line_start(first))
    edits = [Edit(start, head_end, (" " if blank else "") + render(head_end))]
    for line in range(first + 1, last + 1):
        if line in kept:
            continue
        lo, hi = source.line_span(line)
        if not text.endswith("\n", 0, hi):  # the file ends here without a line break
            lo -= 2 if text.endswith("\r\n", 0, lo) else 1
        if edits[-1].end == lo and edits[-1].text == "":
            edits[-1] = Edit(edits[-1].start, hi, "")
        else:
            edits.append(Edit(lo, hi, ""))
    return edits


def value_end(source: Source, value: AnyNode) -> int:
    """Where the text of ``value`` ends on its last line: :func:`content_end`,
    before the line break (and trailing blank lines) that a block scalar's
    span takes in."""
    end = content_end(value)
    text = source.text
    while end > value.start and text[end - 1] in " \t\r\n":
        end -= 1
    return end


_ENDS_PLAIN = frozenset(" \t\r\n,]}")


def _render_before(source: Source, end: int, label: str, style: str | None) -> str:
    """``label`` rendered to end at ``end``: double-quoted where a plain
    scalar would run on into what follows (libyaml reads ``[a]#c`` as a
    list and a comment, but ``b#c`` as one plain scalar)."""
    new = render_scalar(label, style)
    after = source.text[end : end + 1]
    if after and after not in _ENDS_PLAIN and new[0] not in "'\"":
        return render_scalar(label, '"')
    return new


def _colon(source: Source, key: AnyNode) -> int:
    # Only blanks, line breaks and comments lie between a key and its colon
    # (``? runs-on # a:b`` on one line, ``:`` on the next): skip the comments.
    text = source.text
    pos = key.end
    while True:
        colon = text.find(":", pos)
        hash_ = text.find("#", pos, colon)
        if colon < 0 or hash_ < 0:
            return colon
        pos = text.find("\n", hash_)
        if pos < 0:
            return -1


key_colon = _colon
"""Where the ``:`` after a mapping key is (for codemods that edit after it)."""


def _only_blank_after_colon(source: Source, key: AnyNode, value: AnyNode) -> bool:
    colon = _colon(source, key)
    return 0 <= colon < value.start and bool(_BLANK.match(source.text, colon + 1, value.start))


def _replace_list(
    source: Source, key: AnyNode, seq: Seq, labels: list[str]
) -> tuple[list[Edit], str | list[str]]:
    items = seq.items
    text = source.text
    commented = _holds_comment(source, seq)
    if len(labels) == 1 and not commented:
        style = _quote_style(items[0])
        if seq.flow:
            return [Edit(seq.start, seq.end, _render_before(source, seq.end, labels[0], style))], labels[0]
        if _only_blank_after_colon(source, key, seq):
            end = value_end(source, seq)
            return [Edit(_colon(source, key) + 1, end, " " + _render_before(source, end, labels[0], style))], labels[0]
    # Otherwise the list stays a list: a comment sits between the key and the
    # list or among its items, and replacing the items in place keeps it.
    edits = []
    for item, label in zip(items, labels, strict=False):
        if not isinstance(item, Scalar) or item.value != label:
            edits.append(Edit(item.start, item.end, render_scalar(label, _quote_style(item))))
    extra = labels[len(items) :]
    last = items[-1]
    if extra:
        style = _quote_style(last)
        if seq.flow:
            sep = text[items[0].end : items[1].start] if len(items) > 1 else ", "
            if "#" in sep:  # "a,  # why\n  b": a new line for each label
                sep = "," + source.newline_at(last.start) + indentation(source, last.start)
            added = "".join(sep + render_scalar(x, style) for x in extra)
            edits.append(Edit(last.end, last.end, added))
        else:
            start = source.line_span(source.line_index(last.start))[0]
            # A label can run over several lines (a folded plain or quoted
            # scalar): the new items go after the line where it ends.
            end = source.line_span(source.line_index(last.end))[1]
            prefix = text[start : last.start]
            if not _ITEM_PREFIX.match(prefix):
                # The label is not on its dash's line (a line break or a
                # comment between): new items start in the dash's column.
                lead = text[source.line_span(source.line_index(seq.start))[0] : seq.start]
                prefix = (lead if not lead.strip() else " " * len(lead)) + "- "
            newline = source.newline_at(start)
            new_lines = [prefix + render_scalar(x, style) for x in extra]
            if text.endswith("\n", 0, end):
                edits.append(Edit(end, end, "".join(x + newline for x in new_lines)))
            else:  # the file ends on the last item without a line break
                edits.append(Edit(end, end, "".join(newline + x for x in new_lines)))
    elif len(labels) < len(items):
        edits.extend(_drop_items(source, seq, len(labels)))
    return edits, labels


def _holds_comment(source: Source, seq: Seq) -> bool:
    """Whether a comment lies among the items of a list of scalars."""
    text = source.text
    pos = seq.start
    for item in seq.items:
        if text.find("#", pos, item.start) >= 0:
            return True
        pos = item.end
    return text.find("#", pos, seq.end if seq.flow else content_end(seq)) >= 0


def _drop_items(source: Source, seq: Seq, keep: int) -> list[Edit]:
    """Edits removing the items of ``seq`` from index ``keep`` on, and no comment."""
    text = source.text
    items = seq.items
    gone = items[keep:]
    last = items[-1]
    if not seq.flow:
        lines = _entry_lines(source, items, keep)
        if lines is None:
            return [Edit(items[keep - 1].end, content_end(last), "")]
        # Remove the dropped items' whole lines; comment lines among them stay.
        runs: list[list[int]] = []
        for first, end in lines:
            if runs and runs[-1][1] + 1 == first:
                runs[-1][1] = end
            else:
                runs.append([first, end])
        edits = []
        for first, end in runs:
            start, stop = source.line_span(first)[0], source.line_span(end)[1]
            if not text.endswith("\n", 0, stop):
                # The file ends on the last item without a line break: take
                # the break before the first dropped line instead.
                start -= 2 if text.endswith("\r\n", 0, start) else 1
            edits.append(Edit(start, stop, ""))
        return edits
    if not _holds_comment(source, seq):
        return [Edit(items[keep - 1].end, content_end(last), "")]
    # A flow list with comments: remove each dropped item with the comma
    # before it (so that no two removals share a comma). A line left with
    # nothing but blanks and a comment goes whole, as a block list's lost
    # item's line goes with its comment; comment lines among them stay.
    cuts: dict[int, list[tuple[int, int]]] = {}
    for i, item in enumerate(gone, keep):
        comma = _separator(text, items[i - 1].end, item.start)
        for start, end in ((comma, comma + 1), (item.start, item.end)):
            cuts.setdefault(source.line_index(start), []).append((start, end))
    edits = []
    for line, spans in cuts.items():
        first, stop = source.line_span(line)
        rest, pos = [], first
        for start, end in sorted(spans):
            rest.append(text[pos:start])
            pos = end
        rest.append(text[pos:stop])
        if pos <= stop and _BLANK_OR_COMMENT.fullmatch("".join(rest)):
            edits.append(Edit(first, stop, ""))
        else:
            edits.extend(Edit(start, end, "") for start, end in spans)
    return edits


def _separator(text: str, pos: int, stop: int) -> int:
    """Where the comma between two flow items is: the first one in
    ``[pos, stop)`` that is not inside a comment."""
    while pos < stop:
        c = text[pos]
        if c == ",":
            return pos
        if c == "#":
            pos = text.find("\n", pos, stop)
            if pos < 0:
                break
        pos += 1
    raise ValueError(f"no comma between flow items before offset {stop}")  # pragma: no cover


_BLANK_OR_COMMENT = re.compile(r"[ \t]*(?:#[^\r\n]*)?\r?\n?")
_DASH_LINE = re.compile(r"[ \t]*-(?:[ \t]|\r?\n|\Z)")


def _entry_lines(source: Source, items: list, keep: int) -> list[tuple[int, int]] | None:
    """For each block-list item from ``keep`` on, the lines from its dash to
    the end of its label (a label may sit on the line after its dash, or run
    over several lines); ``None`` if a dash is not where a block list has it."""
    text = source.text
    found = []
    for before, item in zip(items[keep - 1 :], items[keep:], strict=False):
        first = None
        for line in range(source.line_index(content_end(before)) + 1, source.line_index(item.start) + 1):
            start, stop = source.line_span(line)
            if _DASH_LINE.match(text, start, stop):
                first = line
                break
        if first is None:
            return None
        found.append((first, source.line_index(item.end)))
    return found


def _whole_line(source: Source, start: int, end: int) -> Edit:
    """Remove ``[start, end)``, or its whole line when nothing else is on it."""
    first, stop = source.line_span(source.line_index(start))
    if _BLANK.match(source.text, first, start) and _BLANK.match(source.text, end, stop):
        return Edit(first, stop, "")
    return Edit(start, end, "")


def _quote_style(node: AnyNode) -> str | None:
    return node.style if type(node) is Scalar and node.style in ("'", '"') else None
