"""Comment blocks in a job: relane's own block above ``runs-on:``, and the others.

:func:`find_block` finds relane's block (its record and its text);
:func:`job_comments` lists the other comment blocks inside a job, the ones
``--drop-comment`` patterns match; :func:`recorded_region` is the text a
record stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from relane.comments.record import (
    MARKER_LINE,
    Record,
    line_text,
    parse_record,
    read_record,
    record_column,
    skip_blank_lines,
)
from relane.edit.labels import key_colon, value_end
from relane.edit.ops import indentation, line_end, line_position
from relane.errors import InputError
from relane.model import Job
from relane.read.source import Source
from relane.read.tree import AnyNode, Map, Scalar, Seq, content_end, walk

_COMMENT_LINE = re.compile(r"^[ \t]*#", re.M)


@dataclass(frozen=True)
class Block:
    """relane's comment block in a job: lines ``first`` up to ``stop`` (the
    ``runs-on:`` line), its record, and its other lines as written.

    ``blanks`` counts the blank lines between the block and ``runs-on:``
    (a user may put some there); they are not relane's."""

    first: int
    stop: int
    record: Record
    text: tuple[str, ...]
    blanks: int = 0

    @property
    def end(self) -> int:
        """The line after the block's last line."""
        return self.stop - self.blanks

    def line_of(self, offset: int) -> int:
        """The line in this text before which a comment recorded ``offset``
        lines below ``runs-on:`` (counting without relane's block) goes:
        one at or above it (``offset`` <= 0) goes back above where the
        block is, so blank lines put between the block and ``runs-on:``
        since stay next to ``runs-on:``."""
        return self.first + offset if offset <= 0 else self.stop + offset


def find_block(source: Source, key_line: int, indent: str) -> Block | None:
    """relane's block directly above ``key_line``: the comment lines at exactly
    ``indent`` from the topmost ``# relane: was`` line of the comments right
    above the key (or above the blank lines right above it) down to their
    last; ``None`` when there is none."""
    prefix = indent + "#"
    first = None
    line = skip_blank_lines(source, key_line - 1)
    end = line + 1
    while line >= 0:
        text = line_text(source, line)
        if not text.startswith(prefix):
            break
        if MARKER_LINE.match(text, len(prefix)):
            first = line
        line -= 1
    if first is None:
        return None
    record, i = read_record(source, first, end, len(prefix) + 1)
    lines = tuple(line_text(source, j) for j in range(i, end))
    return Block(first, key_line, record, lines, key_line - end)


def is_comment(text: str) -> bool:
    return text.lstrip(" \t").startswith("#")


def job_comments(source: Source, job: Job, skip: range = range(0)) -> list[tuple[int, int, str]]:
    """Comment blocks inside ``job``: (first line, last line, their text).

    A block is a run of consecutive comment-only lines between the job's key
    and the end of its body (trailing comment lines indented deeper than the
    job key count as inside). Lines in ``skip``, and lines inside multi-line
    scalars (a ``run: |`` script may hold ``#`` lines), are never part of one.
    The text is the comments' words without the ``#`` marks, joined by spaces.
    """
    node = job.node
    assert node is not None  # only jobs with a mapping body carry a runs-on to annotate
    first = source.line_index(job.key.start) + 1
    last = source.line_index(max(content_end(node) - 1, node.start))
    count = source.line_count
    if not node.flow:
        depth = len(indentation(source, job.key.start))
        line = last + 1
        while line < count:
            text = line_text(source, line)
            if text.strip():
                if not is_comment(text) or len(text) - len(text.lstrip(" \t")) <= depth:
                    break
                last = line
            line += 1
    if first > last:
        return []
    lines = [
        source.line_index(m.start())
        for m in _COMMENT_LINE.finditer(source.text, source.line_start(first), line_position(source, last + 1))
    ]
    lines = [line for line in lines if line not in skip]
    if not lines:
        return []
    inside: set[int] = set()
    for n in walk(node):
        if type(n) is Scalar and n.end > n.start:
            start_line = source.line_index(n.start)
            end_line = source.line_index(n.end - 1)
            if end_line > start_line:
                inside.update(range(start_line + 1, end_line + 1))
    blocks: list[tuple[int, int, str]] = []
    run: list[int] = []
    for line in lines:
        if line in inside:
            continue
        if run and line != run[-1] + 1:
            blocks.append(_block(source, run))
            run = []
        run.append(line)
    if run:
        blocks.append(_block(source, run))
    return blocks


def _block(source: Source, lines: list[int]) -> tuple[int, int, str]:
    words = " ".join(line_text(source, i).strip()[1:].strip() for i in lines)
    return lines[0], lines[-1], " ".join(words.split())


def region(source: Source, key: AnyNode, value: AnyNode) -> tuple[int, int]:
    """From just after ``runs-on:`` to the end of the value's last line."""
    return key_colon(source, key) + 1, line_end(source, value_end(source, value))


def recorded_region(source: Source, key: AnyNode, value: AnyNode, was: str) -> tuple[int, int]:
    """The text that record text ``was`` stands for in a job relane moved:
    :func:`region`, and the comment and blank lines the move left after
    the value's last line.

    A block list with comments among its items stays a list when it moves,
    and the lines of the items it loses go; the comment and blank lines
    among them stay, now below the kept items. They are part of ``was``
    (which runs to the end of the old last item), so they are part of what
    it replaces. A block runner-group mapping replaced by labels keeps the
    comment and blank lines among its entries likewise.
    """
    start, end = region(source, key, value)
    # The items a block list kept when it moved (empty for any other value).
    kept: list[AnyNode] = value.items if isinstance(value, Seq) and not value.flow else []
    shrunk = bool(kept)
    if not shrunk and not (type(value) is Scalar or (type(value) is Seq and value.flow)):
        return start, end
    try:
        column = record_column(source, key)
        old = parse_record(was, column).root
    except InputError:
        return start, end
    if shrunk:
        if type(old) is not Seq or old.flow or len(old.items) <= len(kept):
            return start, end
        after = was.find("\n", old.items[len(kept) - 1].end - column)
    elif type(old) is Map and not old.flow:
        # A runner group replaced by labels keeps its comment lines the same way.
        after = was.find("\n", old.start - column)
    else:
        return start, end
    lines = [] if after < 0 else [x.rstrip("\r") for x in was[after + 1 :].split("\n")]
    # What stayed: blank lines one by one, and comment blocks (runs of
    # comment lines with nothing between them) whole, as --drop-comment
    # removes a block whole or not at all.
    units: list[list[str]] = []
    run: list[str] = []
    for x in lines:
        if is_comment(x):
            run.append(x)
            continue
        if run:
            units.append(run)
            run = []
        if not x.strip(" \t"):
            units.append([x])
    if run:
        units.append(run)
    line = source.line_index(end) + 1
    count = source.line_count
    for unit in units:
        if line + len(unit) <= count and [line_text(source, line + i) for i in range(len(unit))] == unit:
            line += len(unit)
            end = line_end(source, source.line_start(line - 1))
        elif not is_comment(unit[0]):
            break
        # else a block a drop-comment pattern removed: the record has it
    return start, end
