"""Git-style unified diffs built from the edits themselves.

relane knows exactly which spans it changed, so it does not search for
differences: each cluster of edits becomes one change block, trimmed to the
lines that really differ, and blocks close together share a hunk. The output
is what ``git apply`` takes: ``diff --git`` headers, three lines of context,
``\\ No newline at end of file`` where a line has no break.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from relane.edit.ops import Edit, apply
from relane.read.source import Source

CONTEXT = 3
_NO_NEWLINE = "\\ No newline at end of file\n"


def split_lines(text: str) -> list[str]:
    """Lines of ``text`` split at ``\\n`` only, each keeping its break."""
    lines = text.split("\n")
    last = lines.pop()
    out = [line + "\n" for line in lines]
    if last:
        out.append(last)
    return out


def _changes(source: Source, edits: Sequence[Edit]) -> list[tuple[int, int, list[str], list[str]]]:
    """(first old line, where it starts, old lines, new lines) for each
    block of changed lines."""
    text = source.text
    regions: list[list] = []  # [start, end, edits]
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        start = text.rfind("\n", 0, edit.start) + 1
        end = text.find("\n", edit.end) + 1 or len(text)
        if regions and start <= regions[-1][1]:
            regions[-1][1] = max(regions[-1][1], end)
            regions[-1][2].append(edit)
        else:
            regions.append([start, end, [edit]])
    changes = []
    line = counted = 0  # line number of ``counted``, a line start
    for start, end, group in regions:
        line += text.count("\n", counted, start)
        counted = start
        old = split_lines(text[start:end])
        new = split_lines(apply(text, group, start, end))
        first = line
        while old and new and old[0] == new[0]:
            start += len(old.pop(0))
            new.pop(0)
            first += 1
        while old and new and old[-1] == new[-1]:
            old.pop()
            new.pop()
        if old or new:
            changes.append((first, start, old, new))
    return changes


def _lines_before(text: str, pos: int, count: int) -> list[str]:
    """The ``count`` lines that end where the line starting at ``pos`` begins."""
    start = pos
    for _ in range(count):
        start = text.rfind("\n", 0, start - 1) + 1
    return split_lines(text[start:pos])


def _lines_after(text: str, pos: int, count: int) -> list[str]:
    """Up to ``count`` lines from the line start ``pos`` on."""
    end = pos
    for _ in range(count):
        if end >= len(text):
            break
        end = text.find("\n", end) + 1 or len(text)
    return split_lines(text[pos:end])


def unified_diff(source: Source, edits: Iterable[Edit], context: int = CONTEXT, name: str | None = None) -> str:
    """The diff that turns ``source`` into ``source`` with ``edits`` applied,
    naming the file ``name`` (default: ``source.path``)."""
    changes = _changes(source, list(edits))
    if not changes:
        return ""
    text = source.text
    bom = source.bom and bool(text)  # an empty file shows no mark

    def context_lines(lines: list[str], first: int) -> list[str]:
        # The byte-order mark shows on line 1, as git shows it.
        if bom and first == 0 and lines:
            lines[0] = "\ufeff" + lines[0]
        return lines

    if bom:
        changes = [
            (first, at, ["\ufeff" + o[0]] + o[1:] if first == 0 and o else o,
             ["\ufeff" + n[0]] + n[1:] if first == 0 and n else n)
            for first, at, o, n in changes
        ]
    name = name or source.path
    old_name, new_name = quote_path("a/" + name), quote_path("b/" + name)
    out = [f"diff --git {old_name} {new_name}\n", f"--- {old_name}{_tab(old_name)}\n", f"+++ {new_name}{_tab(new_name)}\n"]
    delta = 0  # new line number minus old line number, before the current hunk
    i = 0
    while i < len(changes):
        j = i
        while j + 1 < len(changes) and changes[j + 1][0] - (changes[j][0] + len(changes[j][2])) <= 2 * context:
            j += 1
        first, at = changes[i][0], changes[i][1]
        lo = max(0, first - context)
        before = context_lines(_lines_before(text, at, first - lo), lo)
        body: list[str] = [_line(" ", line) for line in before]
        old_count = new_count = len(before)
        line, pos = first, at  # the old line after the last change, and where it starts
        hunk_delta = 0
        for first_k, at_k, old, new in changes[i : j + 1]:
            between = context_lines(split_lines(text[pos:at_k]), line)
            body.extend(_line(" ", x) for x in between)
            old_count += len(between) + len(old)
            new_count += len(between) + len(new)
            body.extend(_line("-", x) for x in old)
            body.extend(_line("+", x) for x in new)
            hunk_delta += len(new) - len(old)
            line = first_k + len(old)
            pos = at_k + sum(map(len, old))
            if bom and first_k == 0 and old:
                pos -= 1  # the mark added above is not in the text
        after = context_lines(_lines_after(text, pos, context), line)
        body.extend(_line(" ", x) for x in after)
        old_count += len(after)
        new_count += len(after)
        old_start = lo + 1 if old_count else lo
        new_start = lo + delta + 1 if new_count else lo + delta
        out.append(f"@@ -{_range(old_start, old_count)} +{_range(new_start, new_count)} @@\n")
        out.extend(body)
        delta += hunk_delta
        i = j + 1
    return "".join(out)


def text_diff(path: str, old: str, new: str, context: int = CONTEXT) -> str:
    """The diff that turns the text ``old`` of the file at ``path``
    (repository-relative) into ``new``: for a change made by other means
    than relane's edits, such as :func:`relane.patch`. Changed lines are
    found line by line; a leading byte-order mark shows as in
    :func:`unified_diff`."""
    bom = old.startswith("\ufeff") and new.startswith("\ufeff")
    if bom:
        old, new = old[1:], new[1:]
    source = Source(path, old, bom)
    old_lines, new_lines = split_lines(old), split_lines(new)
    starts = [0]
    for line in old_lines:
        starts.append(starts[-1] + len(line))
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    edits = [
        Edit(starts[i1], starts[i2], "".join(new_lines[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]
    return unified_diff(source, edits, context)


_ESCAPES = {7: "\\a", 8: "\\b", 9: "\\t", 10: "\\n", 11: "\\v", 12: "\\f", 13: "\\r", 34: '\\"', 92: "\\\\"}


def quote_path(name: str) -> str:
    """``name`` as git writes a file name in a diff header: as it is, or, when
    it holds a double quote, a backslash, a control character or a byte
    outside ASCII, in double quotes with C escapes (octal for the bytes
    without a letter escape)."""
    if name.isascii() and name.isprintable() and '"' not in name and "\\" not in name:
        return name  # printable ASCII (the usual name): as it is
    try:
        data = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        data = name.encode("utf-8", "surrogatepass")
    out = []
    for b in data:
        if b in _ESCAPES:
            out.append(_ESCAPES[b])
        elif b < 0x20 or b >= 0x7F:
            out.append(f"\\{b:03o}")
        else:
            out.append(chr(b))
    return '"' + "".join(out) + '"'


def _tab(name: str) -> str:
    # git ends a ---/+++ line with a tab when the name holds a space, so
    # that tools reading up to the first blank take the whole name.
    return "\t" if " " in name else ""


def _range(start: int, count: int) -> str:
    return str(start) if count == 1 else f"{start},{count}"


def _line(mark: str, line: str) -> str:
    if line.endswith("\n"):
        return mark + line
    return mark + line + "\n" + _NO_NEWLINE
