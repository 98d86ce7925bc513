"""New values written as YAML in the style of the document around them.

:func:`layout` reads a document's habits (how far nested mappings are
indented, whether lists under a key are indented or flush with it, which
quotes its quoted strings use); the writers below produce block lines or
one-line flow text with those habits. Strings are plain when that reads
back as the same string, else quoted as the file quotes.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from relane.edit.scalar import single_ok, write_string
from relane.read.source import Source
from relane.read.tree import Document, Map, Scalar, Seq, walk

_ONE_LINE = re.compile("[^\r\n\x85\u2028\u2029]*\\Z")


@dataclass(frozen=True)
class Layout:
    """A document's writing habits."""

    indent: int = 2
    """How much deeper a nested mapping's keys sit than their parent key."""
    seq_offset: int = 2
    """How much deeper a list's dashes sit than the key holding the list (0: flush)."""
    quote: str = '"'
    """The quote strings get when they cannot be plain."""
    final_break: bool = True
    """Whether new text may end a file that has no final line break (then a
    literal block cannot keep its value's last line break, and is not used)."""
    literals: bool = True
    """Whether multi-line strings may be literal blocks: not where a line of
    blanks follows the new text (a literal block would take it in)."""


def column(source: Source, index: int) -> int:
    """0-based column (in characters) of ``index``."""
    return index - source.line_start(source.line_index(index))


def layout(doc: Document) -> Layout:
    """The habits of ``doc``, each the most common one found (defaults:
    2 spaces, indented lists, double quotes)."""
    source = doc.source
    indents: Counter = Counter()
    offsets: Counter = Counter()
    quotes: Counter = Counter()
    for node in walk(doc.root):
        if isinstance(node, Scalar):
            if node.style in ("'", '"'):
                quotes[node.style] += 1
        elif isinstance(node, Map) and not node.flow:
            for key, value in node.pairs:
                if isinstance(value, Map) and not value.flow and value.pairs:
                    depth = column(source, value.pairs[0][0].start) - column(source, key.start)
                    if depth > 0:
                        indents[depth] += 1
                elif isinstance(value, Seq) and not value.flow and value.items:
                    offsets[column(source, value.start) - column(source, key.start)] += 1
    indent = indents.most_common(1)[0][0] if indents else 2
    offset = offsets.most_common(1)[0][0] if offsets else indent
    quote = "'" if quotes["'"] > quotes['"'] else '"'
    return Layout(indent, offset, quote)


def scalar_text(value: object, lay: Layout, flow: bool, style: str | None = None) -> str:
    """A scalar on one line; strings in ``style`` when they can be."""
    if isinstance(value, str):
        return write_string(value, style, flow=flow, quote=lay.quote)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        if math.isinf(value):
            return ".inf" if value > 0 else "-.inf"
        text = repr(value)
        mantissa, e, exponent = text.partition("e")
        if "." not in mantissa:  # YAML 1.1 floats need a dot
            text = mantissa + ".0" + (e + exponent if e else "")
        return text
    raise TypeError(f"cannot write a {type(value).__name__} as YAML")


def flow_text(value: object, lay: Layout, flow: bool = True, style: str | None = None) -> str:
    """``value`` on one line: scalars, and collections in flow style."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{scalar_text(k, lay, True)}: {flow_text(v, lay)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(flow_text(v, lay) for v in value) + "]"
    return scalar_text(value, lay, flow, style)


def literal_lines(value: object, final_break: bool = True) -> list[str] | None:
    """The lines of a multi-line string that a literal block scalar
    (``|`` or ``|-``) can hold as they are, else ``None``. Without a
    ``final_break`` after it, a value ending with a line break cannot be."""
    if not isinstance(value, str) or "\n" not in value.rstrip("\n") or value.endswith("\n\n"):
        return None
    if value.endswith("\n") and not final_break:
        return None
    if value[0] in " \t\n" or "\r" in value or not single_ok(value.replace("\n", "")):
        return None
    lines = value[:-1].split("\n") if value.endswith("\n") else value.split("\n")
    if any(not _ONE_LINE.match(line) for line in lines):
        return None
    return lines


def is_block(value: object) -> bool:
    """Whether ``value`` is written over several lines in block context."""
    if isinstance(value, (dict, list, tuple)):
        return bool(value)
    return literal_lines(value) is not None


def mapping_lines(value: dict, col: int, lay: Layout) -> list[str]:
    """A non-empty mapping as block lines, its keys at column ``col``."""
    lines: list[str] = []
    for key, item in value.items():
        lines.extend(entry_lines(key, item, col, lay))
    return lines


def sequence_lines(value: list | tuple, col: int, lay: Layout, gap: int = 2) -> list[str]:
    """A non-empty list as block lines, its dashes at column ``col``."""
    lines: list[str] = []
    for item in value:
        lines.extend(item_lines(item, col, lay, gap))
    return lines


def entry_lines(key: object, value: object, col: int, lay: Layout) -> list[str]:
    """``key: value`` as block lines, the key at column ``col``."""
    head = " " * col + scalar_text(key, lay, False) + ":"
    first, rest = value_parts(value, col, lay, under_key=True)
    return [head + (" " + first if first is not None else "")] + rest


def item_lines(value: object, col: int, lay: Layout, gap: int = 2) -> list[str]:
    """``- value`` as block lines, the dash at column ``col`` and a nested
    mapping's keys ``gap`` columns further."""
    first, rest = value_parts(value, col, lay, under_key=False, gap=gap)
    space = " " * (gap - 1) if isinstance(value, dict) and value else " "
    return [" " * col + "-" + space + str(first)] + rest


def value_parts(
    value: object, col: int, lay: Layout, *, under_key: bool, gap: int = 2, base: int | None = None
) -> tuple[str | None, list[str]]:
    """A value in block context, after a key at column ``col`` (or a dash
    there): the text that goes on the key's (dash's) line, or ``None``, and
    the whole lines below it. ``base`` puts an item's nested collection at
    that column instead of ``gap`` past the dash."""
    if isinstance(value, dict) and value:
        if under_key:
            return None, mapping_lines(value, col + lay.indent, lay)
        lines = mapping_lines(value, col + gap if base is None else base, lay)
        return lines[0].lstrip(" "), lines[1:]
    if isinstance(value, (list, tuple)) and value:
        if under_key:
            return None, sequence_lines(value, col + lay.seq_offset, lay)
        lines = sequence_lines(value, col + 2 if base is None else base, lay)
        return lines[0].lstrip(" "), lines[1:]
    literal = literal_lines(value, lay.final_break) if lay.literals else None
    if literal is not None:
        inner = " " * (col + (lay.indent if under_key else 2))
        header = "|" if str(value).endswith("\n") else "|-"
        return header, [inner + line if line else "" for line in literal]
    return flow_text(value, lay, flow=False), []
