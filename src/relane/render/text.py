"""Render a :class:`~relane.engine.Plan` for people and for machines.

Every renderer here returns text; printing is the command line's business.
"""

from __future__ import annotations

from collections import Counter

from relane.read.files import NO_FILES
from relane.engine import Plan
from relane.codemods.retarget import JobResult, Outcome
from relane.render.format import column_widths, plural, show_value, printable
from relane.render.json_text import dumps

_ORDER = (Outcome.MOVED, Outcome.ALREADY, Outcome.EXCLUDED, Outcome.SKIPPED)


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
    if not plan.files:
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


def text(plan: Plan) -> str:
    """Every job considered, one line each: outcome, where, job, reason."""
    rows = [
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
        f"{o:<{widths[0]}}  {w:<{widths[1]}}  {j:<{widths[2]}}  {reason}\n" for o, w, j, reason in rows
    )


def _reason(r: JobResult) -> str:
    reason = f"{show_value(r.before)} -> {show_value(r.after)}" if r.outcome is Outcome.MOVED else r.reason
    notes = [f"comment {r.comment}"] if r.comment in ("added", "updated", "removed") else []
    if r.dropped:
        notes.append(f"{plural(r.dropped, 'comment block')} {'put back' if r.comment == 'removed' else 'dropped'}")
    return f"{reason} ({', '.join(notes)})" if notes else reason


def as_json(plan: Plan) -> str:
    """One JSON object: target, files, summary counts, every job, warnings, the diff."""
    return dumps(as_dict(plan)) + "\n"


def as_dict(plan: Plan) -> dict:
    """What :func:`as_json` prints, as data."""
    counts = plan.counts()
    doc = {
        "target": plan.target,
        "files": {
            "considered": plan.files,
            "changed": [c.path for c in plan.changes],
        },
        "summary": {o.value: counts[o] for o in _ORDER},
        "jobs": [_with_root(r.to_dict(), plan) for r in plan.results],
        "notes": [{"workflow": p, "note": n} for p, n in plan.notes],
        "warnings": [w.to_dict() for w in plan.warnings],
        "diff": plan.diff,
    }
    return doc


def _with_root(row: dict, plan: Plan) -> dict:
    """A job's row; in a run over several roots, with the root it is in."""
    if plan.roots:
        row["root"] = plan.roots.get(row["workflow"])
    return row
