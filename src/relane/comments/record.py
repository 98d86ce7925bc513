"""The ``# relane:`` record: what a move replaced, written above the job's runs-on.

A moved job can carry a comment block directly above its ``runs-on:`` key,
at that key's indentation. The block opens with relane's marker, which also
records what the move replaced, so that the move can be rolled back byte
for byte::

    # relane: was "ubuntu-latest"
    # HARD DEPENDENCY (internal#462): the label `publish` must be advertised by
    # at least one registered, online runner before this merges; ...
    runs-on: publish

The record lines all begin ``# relane: ``:

* ``was TEXT``: the runs-on value was written exactly TEXT (quotes included);
* ``was-text "..."``: the text after ``runs-on:`` up to the end of the
  value's last line was this JSON string (a value over several lines, or a
  comment removed inside it);
* ``dropped@N "..."``: a comment block relane removed, as a JSON string; it
  goes back N lines below the ``runs-on:`` line (N <= 0: -N lines above where the block starts), counting
  the file's lines without relane's own block;
* ``+ "..."``: more of the string on the line above, which was cut after a
  space to keep the lines within the comment width.

relane owns the lines from its ``# relane: was`` line down to ``runs-on:``:
a re-run with the same options leaves them alone, a re-run with other text
rewrites them in place, and there is never a second block.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache

from relane.comments.template import UNSAFE
from relane.edit.labels import key_colon, value_end
from relane.edit.ops import line_end
from relane.errors import InputError
from relane.read.plain import to_data
from relane.read.source import Source
from relane.read.tree import AnyNode, Document, Map, Scalar, Seq, parse, walk

MARKER = "relane: "
MARKER_LINE = re.compile(r" relane: was(-text)? ")
"""Where a comment line (after its ``#``) opens relane's block."""
_WAS = re.compile(r"relane: was (\S.*)\Z")
_WAS_TEXT = re.compile(r'relane: was-text (".*")\Z')
_DROPPED = re.compile(r'relane: dropped@(-?[0-9]+) (".*")\Z')
_MORE = re.compile(r'relane: \+ (".*")\Z')
BREAKS = ("\r", "\n", "\x85", "\u2028", "\u2029")
"""Characters that end a line for libyaml."""
_BREAK_AND_BLANKS = re.compile(r"(?:\r?\n(?:[ \t]*\r?\n)*)?")


def line_text(source: Source, line: int) -> str:
    """Line ``line`` of ``source`` (0-based), without its line break."""
    start = source.line_start(line)
    return source.text[start : line_end(source, start)]


def skip_blank_lines(source: Source, line: int) -> int:
    """The nearest line at or above ``line`` that is not blank (-1: none)."""
    while line >= 0 and not line_text(source, line).strip(" \t"):
        line -= 1
    return line


def _quote(text: str) -> str:
    # JSON, with what JSON leaves raw but YAML reads as a line break (or
    # refuses in a comment) escaped too.
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


@dataclass(frozen=True)
class Record:
    """What a move replaced: enough to put the job back byte for byte.

    ``was`` is the old text of the runs-on value (``whole``) or of everything
    after ``runs-on:`` to the end of the value's last line (not ``whole``).
    ``dropped`` holds removed comment blocks: (line offset from the
    ``runs-on:`` line without relane's block, exact text with line breaks).
    """

    was: str
    whole: bool = True
    dropped: tuple[tuple[int, str], ...] = ()

    def lines(self, room: int | None = None) -> list[str]:
        """The record's lines, without ``# ``; a JSON string that would make
        a line longer than ``room`` goes on over ``+`` lines, cut after
        spaces (a word longer than the room keeps its line long)."""
        out = [f"{MARKER}was {self.was}"] if self.whole else _strung(f"{MARKER}was-text ", self.was, room)
        for d, text in self.dropped:
            out.extend(_strung(f"{MARKER}dropped@{d} ", text, room))
        return out


_LINES = re.compile(r"[^\n]*\n|[^\n]+")
_WORDS = re.compile(r"\S*\s*")


def _strung(head: str, text: str, room: int | None) -> list[str]:
    """``head`` and ``text`` as a JSON string, over ``+`` lines when needed:
    cut before a line of ``text`` that does not fit, else after a space."""
    lines: list[str] = []
    chunk = ""

    def fits(more: str) -> bool:
        return room is None or len(head + _quote(chunk + more)) <= room

    def cut() -> None:
        nonlocal head, chunk
        lines.append(head + _quote(chunk))
        head, chunk = f"{MARKER}+ ", ""

    for line in _LINES.findall(text):
        if chunk and not fits(line):
            cut()
        if fits(line):
            chunk += line
            continue
        for word in _WORDS.findall(line):
            if not word:
                continue  # findall's empty match at the end
            if chunk and not fits(word):
                cut()
            chunk += word
    lines.append(head + _quote(chunk))
    return lines


def one_line(text: str) -> bool:
    return bool(text) and text == text.strip() and not any(b in text for b in BREAKS)



def read_record(source: Source, first: int, stop: int, column: int) -> tuple[Record, int]:
    """The record in the comment lines from ``first`` (a ``# relane: was``
    line) up to ``stop``, whose text starts at ``column`` (just after
    ``# ``), and the first line after it."""
    body = line_text(source, first)[column:]
    where = source.line_start(first) + column
    i = first + 1

    def more(text: str) -> str:
        """``text`` and the strings of the ``+`` lines that go on with it."""
        nonlocal i
        while i < stop:
            body = line_text(source, i)[column:]
            if not body.startswith(MARKER + "+ "):
                break
            text += _unquote(source, _MORE.match(body), source.line_start(i) + column)
            i += 1
        return text

    m = _WAS.match(body)
    record = Record(m.group(1), True) if m else Record(more(_unquote(source, _WAS_TEXT.match(body), where)), False)
    dropped = []
    while i < stop:
        body = line_text(source, i)[column:]
        if not body.startswith(MARKER + "dropped@"):
            break
        where = source.line_start(i) + column
        m = _DROPPED.match(body)
        i += 1
        dropped.append((int(m.group(1)) if m else 0, more(_unquote(source, m, where, 2))))
    return Record(record.was, record.whole, tuple(dropped)), i


def _unquote(source: Source, match, where: int, group: int = 1) -> str:
    try:
        if match is None:
            raise ValueError
        value = json.loads(match.group(group))
        if not isinstance(value, str):
            raise ValueError
        return value
    except ValueError:
        raise source.error("unreadable relane record (# relane: ...)", where) from None


def value_data(source: Source, key: AnyNode, value: AnyNode, record: Record, where: int):
    """The runs-on data ``record`` says the value had."""
    text = record.was
    column = 0
    if not record.whole:
        column = record_column(source, key)
        # The record runs to the end of the value's last line: what follows
        # the value there (a comment, more of a flow mapping) is not part of it.
        end = value_end(source, value)
        stop = line_end(source, end)
        tail = source.text[end:stop]
        if tail and text.endswith(tail):
            text = text[: -len(tail)]
        # The line break after the record's text, and any blank lines after
        # it, are still in the file: a block scalar's value holds them.
        blanks = _BREAK_AND_BLANKS.match(source.text, stop)
        assert blanks is not None  # the pattern is all optional: it always matches
        text += blanks.group()
    try:
        data = _parse_value(text, column, record.whole)
    except InputError:
        raise source.error("unreadable relane record: its runs-on does not parse", where) from None
    if data is _NOT_WRITTEN:
        raise source.error("unreadable relane record: its runs-on is not a value relane moves", where)
    return data


_NOT_WRITTEN = object()


@lru_cache(maxsize=512)
def _parse_value(text: str, column: int = 0, whole: bool = False):
    # Records repeat ("ubuntu-latest" above every moved job): parse each once.
    # The data is shared, so callers never change it. A record edited into
    # what no move records (an anchor or a tag, or a ``was`` value that
    # cannot stand on the runs-on line) gives :data:`_NOT_WRITTEN`.
    root = parse_record(text, column).root
    if (whole and (root is None or not whole_value(root))) or any(n.anchor is not None or n.tag is not None for n in walk(root)):
        return _NOT_WRITTEN
    return to_data(root)


def record_column(source: Source, key: AnyNode) -> int:
    """The column a ``was-text`` record's text starts at: just after the colon
    of ``runs-on`` (which a move never shifts)."""
    colon = key_colon(source, key)
    return colon + 1 - source.line_start(source.line_index(colon))


def parse_record(text: str, column: int) -> Document:
    """Record text parsed at the column it was cut from: the compact list of
    an explicit key (``? runs-on`` then ``: - x`` and ``  - y``) is a list
    only there; from column 0 its items would read as one plain scalar. The
    blanks the text starts with followed ``runs-on:``; at the start of a
    line a tab among them is not allowed, so they become spaces (as many:
    offsets into the text stay as they were)."""
    lead = len(text) - len(text.lstrip(" \t"))
    return parse(Source("relane record", " " * (column + lead) + text[lead:]))


def whole_value(value: AnyNode) -> bool:
    if isinstance(value, Scalar):
        return value.style not in ("|", ">")
    return isinstance(value, (Seq, Map)) and value.flow
