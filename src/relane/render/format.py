"""Small formatting helpers every renderer shares: values, counts, tables.

Nothing here knows about plans or results, so that any module (comments,
migrations, delivery) can format a value without importing the engine.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any


def show_value(value: Any) -> str:
    """A runs-on value as a short, YAML-like string (``-`` when absent)."""
    if value is None:
        return "-"
    if isinstance(value, list):
        return "[" + ", ".join(show_value(v) for v in value) + "]"
    if isinstance(value, dict):
        # A mapping comes from a file read, so the reader is loaded already.
        from relane.read.plain import Unexpanded

        if isinstance(value, Unexpanded):
            return "*" + value.name
        return "{" + ", ".join(f"{k}: {show_value(v)}" for k, v in value.items()) + "}"
    return one_line(str(value))


def one_line(text: str) -> str:
    """``text`` for a report line: as it is when every character of it
    prints, else as a JSON string, line breaks and other characters that do
    not print escaped (a ``|`` block scalar ends with a line break)."""
    if text.isprintable():
        return text
    import json

    quoted = json.dumps(text, ensure_ascii=False)
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in quoted)


def plural(n: int, word: str) -> str:
    """``1 job``, ``2 jobs``."""
    return f"{n} {word}{'' if n == 1 else 's'}"


def tally(n: int, one: str, many: str, parts: Iterable[str] = ()) -> str:
    """``1 repository``, ``2 repositories: 1 open, 1 merged``: a count of an
    irregular noun, then what the parts say, if anything."""
    shown = ", ".join(parts)
    return f"{n} {one if n == 1 else many}" + (": " + shown if shown else "")


def column_widths(rows: Sequence[Sequence[str]], columns: int) -> list[int]:
    """The width of each of the first ``columns`` columns of an aligned text
    table, in terminal columns (:func:`display_width`)."""
    return [max(display_width(row[i]) for row in rows) for i in range(columns)]


def display_width(text: str) -> int:
    """The terminal columns ``text`` takes: two for each East Asian wide or
    full-width character (CJK, most emoji), none for a combining mark, a
    variation selector or a zero-width joiner, one for any other."""
    if text.isascii():
        return len(text)
    return sum(char_width(c) for c in text)


def char_width(c: str) -> int:
    """The terminal columns one character takes (see :func:`display_width`)."""
    if unicodedata.combining(c) or unicodedata.category(c) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1


def pad(text: str, width: int) -> str:
    """``text`` and the spaces that make it ``width`` terminal columns wide."""
    return text + " " * (width - display_width(text))


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A GitHub-flavoured Markdown table; the cells must be escaped already."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines.extend("| " + " | ".join(row) + " |" for row in rows)
    return lines


# Control characters (C0, DEL, C1), line and paragraph separators and the
# bidirectional controls: on a terminal they move the cursor, rewrite the
# line or hide text; in a table they break its rows. Lone surrogates (bytes
# of a file name that are not UTF-8) cannot be printed at all.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with every character that would act on a terminal or break a
    table row escaped, Python-style (``\\x1b``, ``\\r``, ``\\u202e``): for
    everything made for people (tables, reports, messages)."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    c = match.group()
    return _NAMED.get(c) or (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
