"""Comments relane writes into the jobs a retarget moves: :class:`Comments`.

A moved job can carry a comment block directly above its ``runs-on:`` key,
at that key's indentation. The block opens with relane's record (see
:mod:`relane.comments.record`), which says what the move replaced so that
it can be rolled back byte for byte, and goes on with the text of a
comment template (:mod:`relane.comments.template`)::

    # relane: was "ubuntu-latest"
    # HARD DEPENDENCY (internal#462): the label `publish` must be advertised by
    # at least one registered, online runner before this merges; ...
    runs-on: publish

relane owns the lines from its ``# relane: was`` line down to ``runs-on:``:
a re-run with the same options leaves them alone, a re-run with other text
rewrites them in place, and there is never a second block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relane.comments.blocks import Block, find_block, job_comments, recorded_region, region
from relane.comments.record import Record, line_text, one_line, value_data, whole_value
from relane.comments.template import OptionError, Template, clean
from relane.edit.ops import Edit, indentation, insert_lines, line_position, remove_lines, replace_lines
from relane.errors import VerificationError
from relane.model import Job
from relane.read.source import Source
from relane.read.tree import AnyNode
from relane.render.format import show_value

DEFAULT_WIDTH = 88
"""Columns a comment block fits in, unless told otherwise."""


@dataclass(frozen=True)
class Comments:
    """Comment work for each job a retarget moves (or moved before).

    ``template`` is written above the job's runs-on with the record;
    ``drop`` patterns remove matching comment blocks inside the job; with
    ``record`` a job gets relane's marker and record even without a template
    (migrations do this, so that they can always be rolled back).
    """

    template: Template | None = None
    ref: str = ""
    note: str = ""
    width: int = DEFAULT_WIDTH
    drop: tuple[re.Pattern, ...] = ()
    record: bool = False

    @classmethod
    def build(
        cls,
        comment: str | None = None,
        *,
        ref: str | None = None,
        note: str | None = None,
        width: int | None = None,
        drop: Sequence[str] = (),
        record: bool = False,
        base: Path | None = None,
    ) -> Comments:
        """Check and assemble the options; an :class:`OptionError` names the bad one."""
        template = Template.load(comment, base) if comment else None
        if template is None and (ref or note):
            raise OptionError(
                "ref" if ref else "note", "ref and note fill in a comment template; set a comment (--comment) too"
            )
        if template is None and width is not None:
            raise OptionError("comment-width", "comment width applies to a comment template; set a comment (--comment) too")
        if width is not None and width < 1:
            raise OptionError("comment-width", f"comment width must be a positive number of columns, not {width}")
        patterns = []
        for pattern in drop:
            try:
                patterns.append(re.compile(pattern))
            except re.error as exc:
                raise OptionError("drop-comment", f"bad drop-comment pattern {pattern!r}: {exc}") from None
        values = {"ref": clean(ref or ""), "note": clean(note or "")}
        if template is not None:
            template.check(values)
        return cls(template, values["ref"], values["note"], width or DEFAULT_WIDTH, tuple(patterns), record)

    @property
    def name(self) -> str | None:
        return self.template.name if self.template is not None else None

    def annotate(
        self, source: Source, job: Job, edits: Sequence[Edit], before: Any, target: Any
    ) -> tuple[list[Edit], str, int]:
        """Comment edits for one job: (edits, what happened to relane's block,
        comment blocks dropped).

        ``edits`` are the job's runs-on edits (none when the job is already
        on the target). A job already on the target is touched only when it
        carries relane's block: that block is brought up to date in place.
        """
        node = job.node
        # Only jobs that moved or are already on the target come here: they have a runs-on.
        assert node is not None
        key = node.key_node("runs-on")
        value = node.get("runs-on")
        assert key is not None and value is not None
        key_line = source.line_index(key.start)
        indent = indentation(source, key.start)
        block = find_block(source, key_line, indent)
        if block is None and not edits:
            return [], "none", 0
        earlier = None
        if block is not None and edits:
            # A move over an earlier move (another migration's, or a job
            # edited since): this one records its own step, and keeps the
            # earlier block as a comment it removed, which its rollback puts
            # back as the earlier move left it.
            earlier, block = block, None
        record = block.record if block is not None else first_record(source, key, value, edits)
        out: list[Edit] = []
        removed: list[tuple[int, int]] = []
        if self.drop:
            own = block or earlier
            skip = range(own.first, own.end) if own is not None else range(0)
            region = None if record.whole else recorded_region(source, key, value, record.was)
            for first, last, text in job_comments(source, job, skip):
                if not any(p.search(text) for p in self.drop):
                    continue
                start, end = line_position(source, first), line_position(source, last + 1)
                if any(e.start < end and start < e.end for e in edits):
                    continue  # inside the runs-on value being replaced: it goes with it
                out.append(remove_lines(source, first, last))
                if region is None or not region[0] < start <= region[1]:
                    removed.append((first, last))
                elif last > source.line_index(region[1]):
                    # It starts inside the recorded value text, which puts
                    # that part back, and runs on below it.
                    removed.append((source.line_index(region[1]) + 1, last))
                # else it lies inside the recorded value text, which puts it back
        dropped = len(out)
        if earlier is not None:
            out.append(remove_lines(source, earlier.first, earlier.end - 1))
            removed.append((earlier.first, earlier.end - 1))
        if block is None and self.template is None and not self.record:
            return out, "none", dropped
        record = Record(record.was, record.whole, _dropped(source, key_line, block, record, edits, out, removed))
        if self.template is not None:
            if block is None:
                previous = before
            else:
                previous = value_data(source, key, value, block.record, source.line_start(block.first))
            values = {
                "label": show_value(target),
                "previous": show_value(previous),
                "ref": self.ref,
                "note": self.note,
                "workflow": source.path,
                "job": job.id,
            }
            body: list[str] = self.template.render(values, indent, self.width)
        elif self.record or block is None:
            body = []
        else:
            body = list(block.text)
        room = max(self.width - len(indent) - 2, 1)
        lines = [indent + "# " + line for line in record.lines(room)] + body
        if block is None:
            out.append(insert_lines(source, key_line, lines))
            return out, "added", dropped
        if [line_text(source, i) for i in range(block.first, block.end)] == lines:
            return out, "unchanged", dropped
        out.append(replace_lines(source, block.first, block.end, lines))
        return out, "updated", dropped


def first_record(source: Source, key: AnyNode, value: AnyNode, edits: Sequence[Edit]) -> Record:
    """The record for a first move made by ``edits``: the value's own text
    when it is on one line and the edits stay inside it, else the text from
    ``runs-on:`` to the end of the value's last line."""
    text = source.text
    lo = min(e.start for e in edits)
    hi = max(e.end for e in edits)
    if whole_value(value) and value.start <= lo and hi <= value.end:
        was = text[value.start : value.end]
        if one_line(was):
            return Record(was, True)
    start, end = region(source, key, value)
    after = source.line_span(source.line_index(end))[1]
    if lo < start or hi > after:  # pragma: no cover - replace_labels stays inside
        raise VerificationError("runs-on edits reach outside the value; cannot record them", source.path)
    return Record(text[start:end], False)


def _dropped(
    source: Source,
    key_line: int,
    block: Block | None,
    record: Record,
    edits: Sequence[Edit],
    removals: Sequence[Edit],
    removed: Sequence[tuple[int, int]],
) -> tuple[tuple[int, str], ...]:
    """The dropped blocks to record after this run: those recorded before and
    those removed now, each with its line offset in the new text."""
    text = source.text
    moves = list(edits) + list(removals)
    if block is not None:
        moves.append(Edit(line_position(source, block.first), line_position(source, block.end), ""))

    def line_after(x: int) -> int:
        # The line ``x`` is on once ``moves`` are applied (relane's block left out).
        n = source.line_index(x)
        for e in moves:
            if e.end <= x:
                n += e.text.count("\n") - text.count("\n", e.start, e.end)
            elif e.start < x:  # inside a removal: its lines above ``x`` go
                n -= text.count("\n", e.start, x)
        return n

    entries = []
    if block is not None:
        for seq, (d, dropped_text) in enumerate(record.dropped):
            line = block.line_of(d)
            entries.append((line_position(source, max(line, 0)), 0, seq, dropped_text))
    for first, last in removed:
        start = line_position(source, first)
        entries.append((start, 1, first, text[start : line_position(source, last + 1)]))
    entries.sort(key=lambda e: e[:3])
    anchor = line_after(line_position(source, key_line))
    # Above the block, offsets count from where the block is (see Block.line_of).
    above = anchor if block is None else line_after(line_position(source, block.first))
    top = len(text) if block is None else line_position(source, block.end)
    return tuple((line_after(x) - (above if x < top else anchor), dropped_text) for x, _, _, dropped_text in entries)
