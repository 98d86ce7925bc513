"""Text for people: a :class:`~relane.engine.Plan`'s summary and job table, and the job listing.

Every renderer here returns text; printing is the command line's business.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from relane.codemods.retarget import JobResult, Outcome
from relane.engine import Plan
from relane.read.files import NO_FILES
from relane.render.format import char_width, column_widths, display_width, pad, plural, printable, show_value

# A plan's JSON is made in render.json; the commands read it from here too.
from relane.render.json import ORDER as _ORDER  # noqa: F401
from relane.render.json import as_dict, as_json  # noqa: F401

if TYPE_CHECKING:
    from relane.inventory import Entry

WIDTH = 100
"""Columns the job listing's table fits in."""


def summary(plan: Plan, *, written: bool = False, check: bool = False) -> str:
    """A few lines for stderr: files changed, jobs moved, jobs not moved by
    reason, what happened to comments when comment options were given, and
    warnings."""
    counts = plan.counts()
    moved = counts[Outcome.MOVED]
    verb = "changed" if written else "would change"
    target = f"to {show_value(plan.target)}" if plan.target is not None else "back to their previous runs-on"
    files = len(plan.changes)
    lines = [
        f"{verb} {plural(files, 'file')} of {len(plan.files)}; {plural(moved, 'job')} moved {target}"
    ]
    for outcome in (Outcome.ALREADY, Outcome.EXCLUDED, Outcome.SKIPPED):
        n = counts[outcome]
        if not n:
            continue
        codes = Counter(r.code for r in plan.results if r.outcome is outcome)
        detail = ", ".join(f"{c} {code}" for code, c in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])))
        label = {"already": "already on target", "excluded": "excluded", "skipped": "skipped"}[outcome.value]
        lines.append(f"not moved: {n} {label} ({detail})")
    comments = comment_counts(plan)
    if comments:
        lines.append("comments: " + ", ".join(f"{n} {what}" for what, n in comments.items()))
    lines.extend(f"warning: {w}" for w in plan.warnings)
    if not plan.files and not plan.refused:
        lines.append(NO_FILES)
    return "\n".join(lines)


def comment_counts(plan: Plan) -> dict[str, int]:
    """What comment options did, in words: ``{"added": 7, "blocks dropped": 1}``;
    empty when no comment options were given."""
    counts: Counter = Counter()
    restoring = plan.target is None
    for r in plan.results:
        if r.comment is None:
            continue
        counts[r.comment] += 1
        counts["dropped"] += r.dropped
    out = {what: counts[what] for what in ("added", "updated", "removed") if counts[what]}
    n = counts["dropped"]
    if n:
        noun = "block" if n == 1 else "blocks"
        out[f"dropped {noun} put back" if restoring else f"{noun} dropped"] = n
    return out


def plan_text(plan: Plan) -> str:
    """Every job considered, one line each: outcome, where, job, reason."""
    rows: list[tuple[str, ...]] = [
        (r.outcome.value, f"{r.workflow}:{r.line}" if r.line else r.workflow, r.job, _reason(r))
        for r in sorted(plan.results, key=lambda r: (_ORDER.index(r.outcome), r.workflow, r.line or 0))
    ]
    rows += [
        ("warning", f"{w.workflow}:{w.line}" if w.line else w.workflow or "-", w.job or "-", w.text)
        for w in plan.warnings
    ]
    if not rows:
        return "no jobs found\n"
    rows = [tuple(printable(cell) for cell in row) for row in rows]
    widths = column_widths(rows, 3)
    return "".join(
        f"{pad(o, widths[0])}  {pad(w, widths[1])}  {pad(j, widths[2])}  {reason}\n" for o, w, j, reason in rows
    )


def _reason(r: JobResult) -> str:
    reason = f"{show_value(r.before)} -> {show_value(r.after)}" if r.outcome is Outcome.MOVED else r.reason
    notes = [f"comment {r.comment}"] if r.comment in ("added", "updated", "removed") else []
    if r.dropped:
        notes.append(f"{plural(r.dropped, 'comment block')} {'put back' if r.comment == 'removed' else 'dropped'}")
    return f"{reason} ({', '.join(notes)})" if notes else reason


# -- the job listing (relane ls) ------------------------------------------------------

_HEADER = ("WORKFLOW", "JOB", "TRIGGERS", "CLASS", "RUNS-ON")


def _cells(entry: Entry) -> tuple[str, ...]:
    cells = (entry.workflow, entry.job, ", ".join(entry.triggers) or "-", entry.kind, entry.shown_runs_on or "-")
    return tuple(printable(cell) for cell in cells)


def inventory_text(entries: Sequence[Entry], width: int | None = WIDTH) -> str:
    """An aligned table that fits ``width`` columns; long cells end in ``…``
    (a workflow path loses its start, so that the file name stays). With
    ``width=None`` nothing is cut."""
    if not entries:
        return "no jobs found\n"
    rows = [_HEADER] + [_cells(e) for e in entries]
    widths = column_widths(rows, len(_HEADER))
    budget = sum(widths) if width is None else width - 2 * (len(widths) - 1)
    # Shrink in this order, each column down to a floor: a long runs-on
    # (the labels of a matrix) to 40 columns, the workflow's folders (it
    # keeps "…/name.yml"), triggers, job, then the file name and runs-on
    # in turn.
    name = max(2 + display_width(e.workflow.rsplit("/", 1)[-1]) for e in entries)
    for column, floor in ((4, 40), (0, name), (2, 8), (1, 8), (0, 24), (4, 12), (0, 8), (4, 8)):
        excess = sum(widths) - budget
        if excess <= 0:
            break
        widths[column] = max(min(widths[column], floor), widths[column] - excess)
    out = []
    for row in rows:
        cells = [_fit(cell, w, left=(i == 0)) for i, (cell, w) in enumerate(zip(row, widths, strict=True))]
        out.append("  ".join(pad(c, w) for c, w in zip(cells, widths, strict=True)).rstrip() + "\n")
    return "".join(out)


def _fit(cell: str, width: int, left: bool = False) -> str:
    if display_width(cell) <= width:
        return cell
    if not left:
        return _within(cell, width - 1) + "…"
    tail = _within(cell[::-1], width - 1)[::-1]
    cut = tail.find("/")
    return "…" + (tail[cut:] if 0 <= cut < len(tail) - 1 else tail)


def _within(text: str, width: int) -> str:
    """The longest start of ``text`` that fits ``width`` terminal columns."""
    used = 0
    for i, c in enumerate(text):
        used += char_width(c)
        if used > width:
            return text[:i]
    return text
