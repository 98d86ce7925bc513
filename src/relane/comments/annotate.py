"""Comments relane writes into the jobs it moves, and the record that undoes a move.

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
  goes back N lines below the ``runs-on:`` line (N <= 0: above it), counting
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
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import Formatter
from typing import Any, Sequence

from relane.edit.ops import (
    Edit,
    indentation,
    insert_lines,
    insert_text,
    key_colon,
    line_end,
    line_position,
    remove_lines,
    replace_lines,
    value_end,
)
from relane.errors import InputError, UsageError, VerificationError
from relane.model import Job
from relane.render.text import show_value
from relane.read.source import Source
from relane.read.tree import AnyNode, Map, Scalar, Seq, content_end, parse, to_data, walk

HARD_DEPENDENCY = """\
HARD DEPENDENCY ({ref}): the label `{label}` must be advertised by at least one
registered, online runner before this merges; otherwise this job queues
indefinitely with zero eligible runners. It ran on `{previous}` before.

{note}
"""
TEMPLATES = {"hard-dependency": HARD_DEPENDENCY}
"""Built-in comment templates, by name."""

PLACEHOLDERS = ("label", "previous", "ref", "workflow", "job", "note")
"""What a template may use: the new runs-on, the old one, ``--ref``, the
workflow's path, the job id, ``--note``."""

DEFAULT_WIDTH = 88


class OptionError(UsageError):
    """A comment option is wrong; ``key`` names it (``comment``, ``ref``, ...)."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key

_MARKER = "relane: "
_MARKER_LINE = re.compile(r" relane: was(-text)? ")
_WAS = re.compile(r"relane: was (\S.*)\Z")
_WAS_TEXT = re.compile(r'relane: was-text (".*")\Z')
_DROPPED = re.compile(r'relane: dropped@(-?[0-9]+) (".*")\Z')
_MORE = re.compile(r'relane: \+ (".*")\Z')
# Characters that end a line for libyaml, or that a YAML comment may not hold.
_BREAKS = ("\r", "\n", "\x85", "\u2028", "\u2029")
_BREAK_AND_BLANKS = re.compile(r"(?:\r?\n(?:[ \t]*\r?\n)*)?")
_COMMENT_LINE = re.compile(r"^[ \t]*#", re.M)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


# -- templates ---------------------------------------------------------------


@dataclass(frozen=True)
class Template:
    """A comment template: paragraphs of text with ``{placeholders}``.

    Paragraphs are separated by blank lines and re-wrapped to the comment
    width. A paragraph that is nothing but ``{ref}`` or ``{note}`` is left
    out when that value is empty; any other use of them needs a value.
    """

    name: str
    paragraphs: tuple[tuple[tuple[str, str | None], ...], ...]

    @classmethod
    def load(cls, spec: str, base: Path | None = None) -> Template:
        """A built-in template by name, or the template in file ``spec``
        (relative to ``base`` when given)."""
        if spec in TEMPLATES:
            return cls.parse(spec, TEMPLATES[spec])
        path = Path(spec) if base is None else base / spec
        if not path.is_file():
            raise OptionError(
                "comment",
                f"unknown comment template {spec!r}: not built in "
                f"({', '.join(TEMPLATES)}) and no such file",
            )
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise OptionError("comment", f"comment template {spec}: cannot read: {exc}") from None
        return cls.parse(spec, text)

    @classmethod
    def parse(cls, name: str, text: str) -> Template:
        paragraphs = []
        for chunk in re.split(r"\n[ \t]*\n\s*", text.replace("\r\n", "\n").strip()):
            try:
                parsed = list(Formatter().parse(chunk))
            except ValueError as exc:
                raise OptionError("comment", f"comment template {name}: {exc}") from None
            pieces = []
            for literal, field, spec, conversion in parsed:
                if field is not None and (field not in PLACEHOLDERS or spec or conversion):
                    raise OptionError(
                        "comment",
                        f"comment template {name}: unknown placeholder {{{field}}} "
                        f"(known: {', '.join('{' + p + '}' for p in PLACEHOLDERS)})"
                    )
                pieces.append((literal, field))
            if chunk:
                paragraphs.append(tuple(pieces))
        if not paragraphs:
            raise OptionError("comment", f"comment template {name} is empty")
        return cls(name, tuple(paragraphs))

    def check(self, values: dict[str, str]) -> None:
        """Refuse values that leave a ``{ref}`` or ``{note}`` in running text empty."""
        for paragraph in self.paragraphs:
            if _lone(paragraph):
                continue
            for _, field in paragraph:
                if field in ("ref", "note") and not values.get(field):
                    raise OptionError(
                        field, f"comment template {self.name} uses {{{field}}}, which is not set (--{field})"
                    )

    def render(self, values: dict[str, str], indent: str, width: int) -> list[str]:
        """The comment lines, ``indent + "# ..."``, wrapped at ``width`` columns."""
        used = tuple(values.get(f) or "" for f in self.fields)
        return list(self._render(used, indent, width))

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(sorted({f for paragraph in self.paragraphs for _, f in paragraph if f}))

    @lru_cache(maxsize=256)
    def _render(self, used: tuple[str, ...], indent: str, width: int) -> tuple[str, ...]:
        # Most moved jobs get the same text: wrap it once.
        values = dict(zip(self.fields, used))
        wrapper = textwrap.TextWrapper(
            width=max(width - len(indent) - 2, 1),
            break_long_words=False,
            break_on_hyphens=False,
        )
        lines: list[str] = []
        for paragraph in self.paragraphs:
            text = clean("".join(lit + (values.get(f) or "" if f else "") for lit, f in paragraph))
            wrapped = wrapper.wrap(text)
            if not wrapped:
                continue
            if lines:
                lines.append(indent + "#")
            lines.extend(indent + "# " + line for line in wrapped)
        return tuple(lines)


def _lone(paragraph) -> bool:
    fields = [f for _, f in paragraph if f is not None]
    text = "".join(lit for lit, _ in paragraph)
    return len(fields) == 1 and fields[0] in ("ref", "note") and not text.strip()


def clean(text: str) -> str:
    """``text`` on one line, safe inside a YAML comment: line breaks, control
    characters and runs of whitespace become single spaces."""
    return " ".join(_UNSAFE.sub(" ", text).split())


# -- the record ---------------------------------------------------------------


def _quote(text: str) -> str:
    # JSON, with what JSON leaves raw but YAML reads as a line break (or
    # refuses in a comment) escaped too.
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


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
        out = [f"{_MARKER}was {self.was}"] if self.whole else _strung(f"{_MARKER}was-text ", self.was, room)
        for d, text in self.dropped:
            out.extend(_strung(f"{_MARKER}dropped@{d} ", text, room))
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
        head, chunk = f"{_MARKER}+ ", ""

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


def _one_line(text: str) -> bool:
    return bool(text) and text == text.strip() and not any(b in text for b in _BREAKS)


@dataclass(frozen=True)
class Block:
    """relane's comment block in a job: lines ``first`` up to ``stop`` (the
    ``runs-on:`` line), its record, and its other lines as written."""

    first: int
    stop: int
    record: Record
    text: tuple[str, ...]


def _line(source: Source, line: int) -> str:
    start = source.line_starts[line]
    return source.text[start : line_end(source, start)]


def find_block(source: Source, key_line: int, indent: str) -> Block | None:
    """relane's block directly above ``key_line``: the comment lines at exactly
    ``indent`` from the topmost ``# relane: was`` line of the comments right
    above the key down to it; ``None`` when there is none."""
    prefix = indent + "#"
    first = None
    line = key_line - 1
    while line >= 0:
        text = _line(source, line)
        if not text.startswith(prefix):
            break
        if _MARKER_LINE.match(text, len(prefix)):
            first = line
        line -= 1
    if first is None:
        return None
    body = _line(source, first)[len(prefix) + 1 :]
    where = source.line_starts[first] + len(prefix) + 1
    i = first + 1

    def more(text: str) -> str:
        """``text`` and the strings of the ``+`` lines that go on with it."""
        nonlocal i
        while i < key_line:
            body = _line(source, i)[len(prefix) + 1 :]
            if not body.startswith(_MARKER + "+ "):
                break
            text += _unquote(source, _MORE.match(body), source.line_starts[i] + len(prefix) + 1)
            i += 1
        return text

    m = _WAS.match(body)
    record = Record(m.group(1), True) if m else Record(more(_unquote(source, _WAS_TEXT.match(body), where)), False)
    dropped = []
    while i < key_line:
        body = _line(source, i)[len(prefix) + 1 :]
        if not body.startswith(_MARKER + "dropped@"):
            break
        where = source.line_starts[i] + len(prefix) + 1
        m = _DROPPED.match(body)
        i += 1
        dropped.append((int(m.group(1)) if m else 0, more(_unquote(source, m, where, 2))))
    text = tuple(_line(source, j) for j in range(i, key_line))
    return Block(first, key_line, Record(record.was, record.whole, tuple(dropped)), text)


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


def _value_data(source: Source, key: AnyNode, value: AnyNode, record: Record, where: int):
    """The runs-on data ``record`` says the value had."""
    text = record.was
    column = 0
    if not record.whole:
        column = _record_column(source, key)
        # The record runs to the end of the value's last line: what follows
        # the value there (a comment, more of a flow mapping) is not part of it.
        end = value_end(source, value)
        stop = line_end(source, end)
        tail = source.text[end:stop]
        if tail and text.endswith(tail):
            text = text[: -len(tail)]
        # The line break after the record's text, and any blank lines after
        # it, are still in the file: a block scalar's value holds them.
        text += _BREAK_AND_BLANKS.match(source.text, stop).group()
    try:
        return _parse_value(text, column)
    except InputError:
        raise source.error("unreadable relane record: its runs-on does not parse", where) from None


@lru_cache(maxsize=512)
def _parse_value(text: str, column: int = 0):
    # Records repeat ("ubuntu-latest" above every moved job): parse each once.
    # The data is shared, so callers never change it.
    return to_data(_parse_record(text, column).root)


def _record_column(source: Source, key: AnyNode) -> int:
    """The column a ``was-text`` record's text starts at: just after the colon
    of ``runs-on`` (which a move never shifts)."""
    colon = key_colon(source, key)
    return colon + 1 - source.line_starts[source.line_index(colon)]


def _parse_record(text: str, column: int):
    """Record text parsed at the column it was cut from: the compact list of
    an explicit key (``? runs-on`` then ``: - x`` and ``  - y``) is a list
    only there; from column 0 its items would read as one plain scalar."""
    return parse(Source("relane record", " " * column + text))


def _whole_value(value: AnyNode) -> bool:
    t = type(value)
    return (t is Scalar and value.style not in ("|", ">")) or ((t is Seq or t is Map) and value.flow)


# -- comment blocks inside a job ------------------------------------------------


def _is_comment(text: str) -> bool:
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
    first = source.line_index(job.key.start) + 1
    last = source.line_index(max(content_end(node) - 1, node.start))
    count = len(source.line_starts)
    if not node.flow:
        depth = len(indentation(source, job.key.start))
        line = last + 1
        while line < count:
            text = _line(source, line)
            if text.strip():
                if not _is_comment(text) or len(text) - len(text.lstrip(" \t")) <= depth:
                    break
                last = line
            line += 1
    if first > last:
        return []
    lines = [
        source.line_index(m.start())
        for m in _COMMENT_LINE.finditer(source.text, source.line_starts[first], line_position(source, last + 1))
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
    words = " ".join(_line(source, i).strip()[1:].strip() for i in lines)
    return lines[0], lines[-1], " ".join(words.split())


# -- the codemod's part ------------------------------------------------------------


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
        key = node.key_node("runs-on")
        value = node.get("runs-on")
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
            skip = range(own.first, own.stop) if own is not None else range(0)
            region = None if record.whole else _recorded_region(source, key, value, record.was)
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
            out.append(remove_lines(source, earlier.first, earlier.stop - 1))
            removed.append((earlier.first, earlier.stop - 1))
        if block is None and self.template is None and not self.record:
            return out, "none", dropped
        record = Record(record.was, record.whole, _dropped(source, key_line, block, record, edits, out, removed))
        if self.template is not None:
            if block is None:
                previous = before
            else:
                previous = _value_data(source, key, value, block.record, source.line_starts[block.first])
            values = {
                "label": show_value(target),
                "previous": show_value(previous),
                "ref": self.ref,
                "note": self.note,
                "workflow": source.path,
                "job": job.id,
            }
            text = self.template.render(values, indent, self.width)
        elif self.record or block is None:
            text = []
        else:
            text = list(block.text)
        room = max(self.width - len(indent) - 2, 1)
        lines = [indent + "# " + line for line in record.lines(room)] + text
        if block is None:
            out.append(insert_lines(source, key_line, lines))
            return out, "added", dropped
        if [_line(source, i) for i in range(block.first, block.stop)] == lines:
            return out, "unchanged", dropped
        out.append(replace_lines(source, block.first, block.stop, lines))
        return out, "updated", dropped


def _region(source: Source, key: AnyNode, value: AnyNode) -> tuple[int, int]:
    """From just after ``runs-on:`` to the end of the value's last line."""
    return key_colon(source, key) + 1, line_end(source, value_end(source, value))


def _recorded_region(source: Source, key: AnyNode, value: AnyNode, was: str) -> tuple[int, int]:
    """The text that record text ``was`` stands for in a job relane moved:
    :func:`_region`, and the comment and blank lines the move left after
    the value's last line.

    A block list with comments among its items stays a list when it moves,
    and the lines of the items it loses go; the comment and blank lines
    among them stay, now below the kept items. They are part of ``was``
    (which runs to the end of the old last item), so they are part of what
    it replaces.
    """
    start, end = _region(source, key, value)
    if type(value) is not Seq or value.flow or not value.items:
        return start, end
    try:
        column = _record_column(source, key)
        old = _parse_record(was, column).root
    except InputError:
        return start, end
    if type(old) is not Seq or old.flow or len(old.items) <= len(value.items):
        return start, end
    kept = old.items[len(value.items) - 1]
    after = was.find("\n", kept.end - column)
    lines = [] if after < 0 else [x.rstrip("\r") for x in was[after + 1 :].split("\n")]
    # What stayed: blank lines one by one, and comment blocks (runs of
    # comment lines with nothing between them) whole, as --drop-comment
    # removes a block whole or not at all.
    units: list[list[str]] = []
    run: list[str] = []
    for x in lines:
        if _is_comment(x):
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
    count = len(source.line_starts)
    for unit in units:
        if line + len(unit) <= count and [_line(source, line + i) for i in range(len(unit))] == unit:
            line += len(unit)
            end = line_end(source, source.line_starts[line - 1])
        elif not _is_comment(unit[0]):
            break
        # else a block a drop-comment pattern removed: the record has it
    return start, end


def first_record(source: Source, key: AnyNode, value: AnyNode, edits: Sequence[Edit]) -> Record:
    """The record for a first move made by ``edits``: the value's own text
    when it is on one line and the edits stay inside it, else the text from
    ``runs-on:`` to the end of the value's last line."""
    text = source.text
    lo = min(e.start for e in edits)
    hi = max(e.end for e in edits)
    if _whole_value(value) and value.start <= lo and hi <= value.end:
        was = text[value.start : value.end]
        if _one_line(was):
            return Record(was, True)
    start, end = _region(source, key, value)
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
        moves.append(Edit(line_position(source, block.first), line_position(source, block.stop), ""))

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
            line = block.first + d if d <= 0 else block.stop + d
            entries.append((line_position(source, max(line, 0)), 0, seq, dropped_text))
    for first, last in removed:
        start = line_position(source, first)
        entries.append((start, 1, first, text[start : line_position(source, last + 1)]))
    entries.sort(key=lambda e: e[:3])
    anchor = line_after(line_position(source, key_line))
    return tuple((line_after(x) - anchor, dropped_text) for x, _, _, dropped_text in entries)


# -- rolling back -----------------------------------------------------------------


@dataclass(frozen=True)
class Undo:
    """How to take a job back to before relane moved it."""

    edits: list[Edit]
    data: Any  # the runs-on value as it will read
    restored: int  # dropped comment blocks put back


NO_RECORD = object()


def recorded_runs_on(source: Source, job: Job) -> Any:
    """The runs-on data relane's record above ``job``'s runs-on says the job
    had before relane moved it; :data:`NO_RECORD` when there is no readable
    record."""
    node = job.node
    if node is None or "runs-on" not in node.index:
        return NO_RECORD
    key = node.key_node("runs-on")
    try:
        block = find_block(source, source.line_index(key.start), indentation(source, key.start))
        if block is None:
            return NO_RECORD
        return _value_data(source, key, node.get("runs-on"), block.record, source.line_starts[block.first])
    except InputError:
        return NO_RECORD


def data_labels(data: Any) -> tuple[str, ...]:
    """The labels in runs-on data: a string, a list, or a group's ``labels``."""
    if isinstance(data, dict):
        data = data.get("labels")
    if isinstance(data, str):
        return (data,)
    if isinstance(data, list):
        return tuple(x for x in data if isinstance(x, str))
    return ()


def undo(source: Source, job: Job) -> Undo | None:
    """Edits that undo relane's move of ``job`` (``None``: it carries no record)."""
    node = job.node
    if node is None or "runs-on" not in node.index:
        return None
    key = node.key_node("runs-on")
    value = node.get("runs-on")
    key_line = source.line_index(key.start)
    block = find_block(source, key_line, indentation(source, key.start))
    if block is None:
        return None
    record = block.record
    where = source.line_starts[block.first]
    if record.whole:
        if not _whole_value(value) or any(b in source.text[value.start : value.end] for b in _BREAKS):
            raise source.error("runs-on no longer has the form relane recorded; cannot roll back", value.start)
        region = (value.start, value.end)
    else:
        region = _recorded_region(source, key, value, record.was)
    data = _value_data(source, key, value, record, where)
    edits = [remove_lines(source, block.first, block.stop - 1)]
    if source.text[region[0] : region[1]] != record.was:
        edits.append(Edit(region[0], region[1], record.was))
    for d, text in record.dropped:
        line = block.first + d if d <= 0 else block.stop + d
        at = line_position(source, line) if line >= 0 else -1
        if at < 0 or line > len(source.line_starts) or region[0] < at < region[1]:
            raise source.error("relane record points outside the job; cannot roll back", where)
        edits.append(insert_text(source, line, text))
    return Undo(edits, data, len(record.dropped))
