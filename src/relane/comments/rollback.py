"""Rolling back a move: what relane's record above a job's runs-on says it had."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from relane.comments.blocks import Block, find_block, recorded_region
from relane.comments.record import BREAKS, value_data, whole_value
from relane.edit.ops import Edit, indentation, insert_text, line_position, remove_lines
from relane.errors import InputError
from relane.model import Job
from relane.read.inside import inside_scalar
from relane.read.source import Source
from relane.read.tree import AnyNode


@dataclass(frozen=True)
class Undo:
    """How to take a job back to before relane moved it."""

    edits: list[Edit]
    data: Any  # the runs-on value as it will read
    restored: int  # dropped comment blocks put back


NO_RECORD = object()


def _splits_value(source: Source, root: AnyNode | None, at: int) -> bool:
    """Whether a comment line put at line start ``at`` would land inside a
    value: the first text below it (past blank lines, which may end a block
    scalar) belongs to a scalar that starts above it."""
    return inside_scalar(root, _BLANK.match(source.text, at).end())  # type: ignore[union-attr]


_BLANK = re.compile(r"[ \t\r\n]*")
_COMMENT_LINES = re.compile(r"(?:[ \t]*#[^\r\n]*\r?\n)*(?:[ \t]*#[^\r\n]*)?")


def _comment_lines(text: str, last: bool) -> bool:
    """Whether ``text`` is whole comment lines, as relane drops them: each
    ends with its line break, but for one at the end of the file (``last``)."""
    return bool(text) and _COMMENT_LINES.fullmatch(text) is not None and (last or text.endswith("\n"))


def recorded_runs_on(source: Source, job: Job) -> Any:
    """The runs-on data relane's record above ``job``'s runs-on says the job
    had before relane moved it; :data:`NO_RECORD` when there is no readable
    record."""
    try:
        found = _recorded(source, job)
        if found is None:
            return NO_RECORD
        key, value, block = found
        return value_data(source, key, value, block.record, source.line_start(block.first))
    except InputError:
        return NO_RECORD


def _recorded(source: Source, job: Job) -> tuple[AnyNode, AnyNode, Block] | None:
    """``job``'s runs-on key and value and relane's block above them, or
    ``None`` when it lacks any of the three."""
    node = job.node
    if node is None:
        return None
    key = node.key_node("runs-on")
    value = node.get("runs-on")
    if key is None or value is None:
        return None
    block = find_block(source, source.line_index(key.start), indentation(source, key.start))
    return None if block is None else (key, value, block)


def data_labels(data: Any) -> tuple[str, ...]:
    """The labels in runs-on data: a string, a list, or a group's ``labels``."""
    if isinstance(data, dict):
        data = data.get("labels")
    if isinstance(data, str):
        return (data,)
    if isinstance(data, list):
        return tuple(x for x in data if isinstance(x, str))
    return ()


def undo(source: Source, job: Job, root: AnyNode | None = None) -> Undo | None:
    """Edits that undo relane's move of ``job`` (``None``: it carries no record).

    ``root`` is the document's: a dropped comment block whose line now lies
    inside a value (the file was edited by hand since) cannot go back."""
    found = _recorded(source, job)
    if found is None:
        return None
    key, value, block = found
    record = block.record
    where = source.line_start(block.first)
    if record.whole:
        if not whole_value(value) or any(b in source.text[value.start : value.end] for b in BREAKS):
            raise source.error("runs-on no longer has the form relane recorded; cannot roll back", value.start)
        region = (value.start, value.end)
    else:
        region = recorded_region(source, key, value, record.was)
    data = value_data(source, key, value, record, where)
    edits = [remove_lines(source, block.first, block.end - 1)]
    if source.text[region[0] : region[1]] != record.was:
        edits.append(Edit(region[0], region[1], record.was))
    for d, text in record.dropped:
        line = block.line_of(d)
        at = line_position(source, line) if line >= 0 else -1
        if at < 0 or line > source.line_count or region[0] < at < region[1]:
            raise source.error("relane record points outside the job; cannot roll back", where)
        if not _comment_lines(text, at == len(source.text)):
            raise source.error("relane record: a dropped comment is not comment lines; cannot roll back", where)
        if _splits_value(source, job.node if root is None else root, at):
            raise source.error("a dropped comment would go back inside a value; cannot roll back", where)
        edits.append(insert_text(source, line, text))
    return Undo(edits, data, len(record.dropped))
