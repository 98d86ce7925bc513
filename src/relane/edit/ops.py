"""Span edits on a workflow's text: the only way relane changes a file.

An :class:`Edit` replaces ``text[start:end]``; every byte outside the spans
of a file's edits stays as it was. The helpers here build edits that keep
the style found in the original (quoting, flow or block lists, indentation,
line endings), so other automation can write its own workflow codemods on
the same small set of operations:

* :func:`replace_scalar` / :func:`replace_labels` — replace a value;
* :func:`insert_lines` — insert whole lines (comments) before a line;
* :func:`replace_lines` — replace whole lines with others;
* :func:`remove_lines` — remove whole lines;
* :func:`insert_text` — put back exact text (with its line breaks) before a line;
* :func:`apply` — apply a set of non-overlapping edits to text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from relane.edit.scalar import plain_alike, write_string
from relane.read.source import Source
from relane.read.tree import Scalar


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` with ``text`` (an insertion when equal)."""

    start: int
    end: int
    text: str


class OverlappingEdits(ValueError):
    """Two edits of one file touch the same text."""


def apply(text: str, edits: Iterable[Edit], start: int = 0, end: int | None = None) -> str:
    """``text`` with ``edits`` applied; they must not overlap.

    Insertions at one position are applied in the order given. With
    ``start`` and ``end``, only ``text[start:end]`` is returned, edited:
    the edits (at positions in the whole text) must lie inside it.
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    stop = len(text) if end is None else end
    parts = []
    pos = start
    for edit in ordered:
        if edit.start < pos or edit.end < edit.start or edit.end > stop:
            raise OverlappingEdits(f"edit {edit} overlaps another or lies outside the text")
        parts.append(text[pos : edit.start])
        parts.append(edit.text)
        pos = edit.end
    parts.append(text[pos:stop])
    return "".join(parts)


# -- scalars ---------------------------------------------------------------


def replace_scalar(node: Scalar, value: str, *, flow: bool = True) -> Edit:
    """Replace a scalar's text, keeping its quoting style.

    A plain scalar stays plain when the new value reads back unquoted as
    the same string and the same kind of value (a number stays a number, a
    string a string), else it is double-quoted; a single-quoted one stays
    single-quoted unless the value needs escapes; a double-quoted one stays
    double-quoted. ``flow`` says the scalar may sit in a flow collection
    (``[...]``, ``{...}``), where ``,[]{}`` need quotes; pass ``False`` for a
    scalar in block context. A block scalar (``|``, ``>``) spans lines of its
    own: edit it with :func:`relane.patch` instead.
    """
    if node.style in ("|", ">"):
        raise ValueError("a block scalar spans whole lines; relane.patch replaces it")
    if node.style is None and node.tag is None and plain_alike(node.value, value, flow):
        return Edit(node.start, node.end, value)
    return Edit(node.start, node.end, write_string(value, node.style, flow=flow))


# -- whole lines -----------------------------------------------------------


def insert_lines(source: Source, line: int, lines: Sequence[str]) -> Edit:
    """Insert ``lines`` (without line breaks) before 0-based ``line``.

    Each gets the line break used where they land. Inserting at the line
    count appends after the last line.
    """
    if line < source.line_count:
        at = source.line_start(line)
        newline = source.newline_at(at)
        return Edit(at, at, "".join(text + newline for text in lines))
    at = len(source.text)
    newline = source.newline_at(at)
    lead = "" if source.text.endswith("\n") or not source.text else newline
    return Edit(at, at, lead + newline.join(lines))


def replace_lines(source: Source, first: int, stop: int, lines: Sequence[str]) -> Edit:
    """Replace 0-based lines ``first`` up to (not including) ``stop`` with ``lines``.

    Each new line gets the line break found at ``first``; ``stop`` must be
    an existing line (the lines replaced all end with a break).
    """
    start = source.line_start(first)
    end = source.line_start(stop)
    newline = source.newline_at(start)
    return Edit(start, end, "".join(text + newline for text in lines))


def insert_text(source: Source, line: int, text: str) -> Edit:
    """Insert ``text`` exactly as given (breaks included) before 0-based ``line``.

    Inserting at the line count appends at the end of the text.
    """
    at = line_position(source, line)
    return Edit(at, at, text)


def line_position(source: Source, line: int) -> int:
    """Where 0-based ``line`` starts; the end of the text for the line count."""
    return source.line_start(line) if line < source.line_count else len(source.text)


def line_end(source: Source, index: int) -> int:
    """Where the line holding ``index`` ends, before its line break."""
    text = source.text
    end = text.find("\n", index)
    if end < 0:
        return len(text)
    return end - 1 if end > index and text[end - 1] == "\r" else end


def remove_lines(source: Source, first: int, last: int) -> Edit:
    """Remove 0-based lines ``first`` to ``last`` inclusive, with their breaks."""
    start = source.line_span(first)[0]
    end = source.line_span(last)[1]
    return Edit(start, end, "")


def indentation(source: Source, index: int) -> str:
    """The leading whitespace of the line holding ``index``."""
    line = source.text[source.text.rfind("\n", 0, index) + 1 : index]
    return line[: len(line) - len(line.lstrip(" \t"))]
