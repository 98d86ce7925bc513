"""Bytes in and out: encoding, byte-order mark, line endings and positions.

A :class:`Source` keeps the decoded text of one file exactly as it was: every
position relane works with is an index into ``Source.text``, and
``Source.encode`` gives back the original bytes for the original text.
"""

from __future__ import annotations

import bisect
import os
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

from relane.errors import InputError

UTF8_BOM = b"\xef\xbb\xbf"
_OTHER_BOMS = (
    # UTF-32 first: its little-endian mark begins with UTF-16's.
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


@dataclass(eq=False, slots=True)
class Source:
    """The text of one workflow file and where it came from.

    ``path`` is what reports show (repository-relative, forward slashes);
    ``file`` is where it lives on disk, if anywhere. ``text`` excludes a
    UTF-8 byte-order mark, which ``bom`` remembers.
    """

    path: str
    text: str
    bom: bool = False
    file: Path | None = None
    _line_starts: Sequence[int] | None = field(default=None, repr=False, init=False)
    # Without a line table, line numbers come from counting line breaks from
    # the last position asked about (``_at``, on line ``_line``); ``_counted``
    # says how much text that took.
    _at: int = field(default=0, repr=False, init=False)
    _line: int = field(default=0, repr=False, init=False)
    _counted: int = field(default=0, repr=False, init=False)
    _line_count: int = field(default=-1, repr=False, init=False)

    @classmethod
    def from_bytes(cls, data: bytes, path: str, file: Path | None = None) -> Source:
        bom = data.startswith(UTF8_BOM)
        if not bom:
            for mark, name in _OTHER_BOMS:
                if data.startswith(mark):
                    raise InputError(
                        f"{name}-encoded file; workflows must be UTF-8", path, 1, 1
                    )
        body = data[3:] if bom else data
        guess = _utf16_or_32(body)
        if guess:
            raise InputError(f"{guess}-encoded file (no byte-order mark); workflows must be UTF-8", path, 1, 1)
        text = decode_utf8(body, path)
        if text.startswith("\ufeff"):
            # libyaml skips a byte-order mark at the start of what it is given
            # and counts positions after it: every span would be off by one.
            raise InputError("a second byte-order mark at the start of the file", path, 1, 1)
        source = cls(path=path, text=text, bom=bom, file=file)
        source._check_line_breaks()
        return source

    @classmethod
    def read(cls, file: Path, path: str) -> Source:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read: {os.strerror(exc.errno or 0) or exc}", path) from None
        return cls.from_bytes(data, path, file)

    def _check_line_breaks(self) -> None:
        """Refuse line breaks other than LF and CRLF.

        YAML (and the forges' parsers) also break lines at a lone CR, NEL,
        LINE SEPARATOR and PARAGRAPH SEPARATOR, while diffs and git break
        only at LF: relane cannot edit such a file line by line and say so
        truthfully in a diff, so it refuses it. Real workflows have none.
        """
        text = self.text
        found = (
            []  # knowing a str is ASCII costs nothing; searching it does
            if text.isascii()
            else [i for i in (text.find("\x85"), text.find("\u2028"), text.find("\u2029")) if i >= 0]
        )
        if "\r" in text and text.count("\r") != text.count("\r\n"):
            i = text.find("\r")
            while text.startswith("\r\n", i):
                i = text.find("\r", i + 2)
            found.append(i)
        if found:
            at = min(found)
            name = _BREAK_NAMES[text[at]]
            raise self.error(f"line break {name}; relane edits files with LF or CRLF line breaks only", at)

    def encode(self, text: str | None = None) -> bytes:
        """Bytes for ``text`` (default: this source's text) in this file's encoding."""
        body = (self.text if text is None else text).encode("utf-8")
        return UTF8_BOM + body if self.bom else body

    # -- positions ---------------------------------------------------------

    @property
    def line_starts(self) -> Sequence[int]:
        """Index of the first character of each line (an array of machine
        ints: a plan keeps one per changed file, at a fifth of a list's size)."""
        if self._line_starts is None:
            # All in C: the start of each line is 1 + the end of the one before.
            lengths = map((1).__add__, map(len, self.text.split("\n")))
            starts = array("q", accumulate(lengths, initial=0))
            starts.pop()
            self._line_starts = starts
        return self._line_starts

    def line_index(self, index: int) -> int:
        """0-based number of the line holding ``index``."""
        if self._line_starts is None and 0 <= index <= len(self.text):
            # Most files are asked about a few positions, in order: counting
            # is cheaper than a table, until it has read the text twice over.
            text = self.text
            at = self._at
            if index >= at:
                line = self._line + text.count("\n", at, index)
            else:
                line = self._line - text.count("\n", index, at)
            self._counted += abs(index - at)
            if self._counted <= 2 * len(text):
                self._at, self._line = index, line
                return line
        return bisect.bisect_right(self.line_starts, index) - 1

    def line_start(self, line: int) -> int:
        """Where 0-based ``line`` starts (``IndexError`` past the last line).

        Like ``line_starts[line]``, but near the last position asked about it
        steps from there instead of building the table: asking about a few
        lines around each job costs a few searches.
        """
        if self._line_starts is None and line >= 0:
            text = self.text
            known = self._line
            at = text.rfind("\n", 0, self._at) + 1  # the start of line ``known``
            steps = line - known
            if 0 <= steps <= _NEAR:
                while steps:
                    at = text.find("\n", at) + 1
                    if not at:
                        raise IndexError(line)
                    steps -= 1
            elif -_NEAR <= steps < 0:
                while steps:
                    at = text.rfind("\n", 0, at - 1) + 1
                    steps += 1
            else:
                return self.line_starts[line]
            self._counted += abs(at - self._at)
            if self._counted <= 2 * len(text):
                self._at, self._line = at, line
            return at
        return self.line_starts[line]

    @property
    def line_count(self) -> int:
        """How many lines the text has (``len(line_starts)``): one more than its ``\\n``."""
        if self._line_count < 0:
            self._line_count = self.text.count("\n") + 1
        return self._line_count

    def line_col(self, index: int) -> tuple[int, int]:
        """1-based line and column (in characters) of ``index``."""
        line = self.line_index(index)
        return line + 1, index - (self.text.rfind("\n", 0, index) + 1) + 1

    def line_span(self, line: int) -> tuple[int, int]:
        """Start and end (after its line break) of 0-based ``line``."""
        start = self.line_start(line)
        return start, self.text.find("\n", start) + 1 or len(self.text)

    def newline_at(self, index: int) -> str:
        """The line break used by the line holding ``index`` (or the file's)."""
        text = self.text
        end = text.find("\n", index)
        if end < 0:
            end = text.rfind("\n")
            if end < 0:
                return "\n"
        return "\r\n" if end > 0 and text[end - 1] == "\r" else "\n"

    def error(self, message: str, index: int | None = None) -> InputError:
        """An :class:`InputError` pointing at ``index`` in this file."""
        if index is None:
            return InputError(message, self.path)
        line, col = self.line_col(index)
        return InputError(message, self.path, line, col)


_NEAR = 64
"""How many lines :meth:`Source.line_start` steps before it builds the table."""

_BREAK_NAMES = {
    "\r": "CR without LF",
    "\x85": "U+0085 (NEXT LINE)",
    "\u2028": "U+2028 (LINE SEPARATOR)",
    "\u2029": "U+2029 (PARAGRAPH SEPARATOR)",
}


def _utf16_or_32(data: bytes) -> str | None:
    """The encoding YAML's rule (spec 1.2, 5.2) detects from NUL bytes at the
    start of a file without a byte-order mark, if not UTF-8."""
    head = data[:4]
    if len(head) == 4 and b"\0\0\0" in (head[:3], head[1:]):
        return "UTF-32"
    if len(head) >= 2 and (head[0] == 0) != (head[1] == 0):
        return "UTF-16"
    return None


def decode_utf8(data: bytes, path: str) -> str:
    """``data`` read as UTF-8; an :class:`InputError` naming ``path``, the
    line and the column of the first byte that is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(data, exc.start)
        raise InputError(f"invalid UTF-8 (byte 0x{data[exc.start]:02x})", path, line, col) from None


def _byte_position(data: bytes, offset: int) -> tuple[int, int]:
    line_start = data.rfind(b"\n", 0, offset) + 1
    line = data.count(b"\n", 0, offset) + 1
    col = len(data[line_start:offset].decode("utf-8", "replace")) + 1
    return line, col
