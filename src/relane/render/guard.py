"""The guard's verdict, as a text table or a JSON document."""

from __future__ import annotations

import json
from collections import Counter
from typing import TYPE_CHECKING

from relane.render.format import column_widths, pad, plural, printable

if TYPE_CHECKING:
    from relane.guard.matching import GuardResult


def verdict(result: GuardResult) -> str:
    """One line: every label served, or which are not (and which have offline runners only)."""
    kind, a_kind = ("runner", "a runner") if result.allow_offline else ("online runner", "an online runner")
    total = len(result.checks)
    if not total:
        return "nothing to check: no self-hosted runner labels"
    missing = result.missing
    if not missing:
        return f"ok: {'the label is' if total == 1 else f'all {total} labels are'} served by {a_kind}"
    names = ", ".join(c.requirement.shown for c in missing)
    has = "has" if len(missing) == 1 else "have"
    line = f"missing: {len(missing)} of {plural(total, 'label')} {has} no {kind}: {names}"
    offline = [c.requirement.shown for c in missing if any(not r.disabled for r in c.runners)]
    if offline:
        line += f" (offline runners only for {', '.join(offline)}; --allow-offline counts them)"
    return line


def render_text(result: GuardResult) -> str:
    """A table (label, runner, status, busy), one row per matching runner, and the verdict."""
    rows: list[tuple[str, ...]] = [("LABEL", "RUNNER", "STATUS", "BUSY")]
    for c in result.checks:
        if not c.runners:
            rows.append((c.requirement.shown, "-", "-", "-"))
        for r in c.runners:
            rows.append((c.requirement.shown, r.name, r.shown_status, "yes" if r.busy else "no"))
    rows = [tuple(printable(cell) for cell in row) for row in rows]
    lines = []
    if result.checks:
        widths = column_widths(rows, 3)
        lines = [
            f"{pad(a, widths[0])}  {pad(b, widths[1])}  {pad(s, widths[2])}  {busy}".rstrip() for a, b, s, busy in rows
        ]
    lines.append(printable(verdict(result)))
    return "\n".join(lines) + "\n"


def skipped_summary(result: GuardResult) -> str:
    """One line for stderr on the jobs not checked, by reason."""
    if not result.skipped:
        return ""
    codes = Counter(s.code for s in result.skipped)
    detail = ", ".join(f"{n} {code}" for code, n in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])))
    jobs = {(s.workflow, s.job) for s in result.skipped}
    return f"not checked: {plural(len(jobs), 'job')} ({detail})"


def as_json(result: GuardResult) -> str:
    """The verdict, every label with its jobs and runners, and the jobs not checked, as JSON."""
    doc = {
        "served": result.served,
        "allow_offline": result.allow_offline,
        "verdict": verdict(result),
        "labels": [
            {
                "labels": list(c.requirement.labels),
                "served": c.served,
                "jobs": list(c.requirement.jobs),
                "runners": [
                    {"name": r.name, "status": r.shown_status, "busy": r.busy, "labels": list(r.labels)}
                    for r in c.runners
                ],
            }
            for c in result.checks
        ],
        "not_checked": [
            {"workflow": s.workflow, "job": s.job, "code": s.code, "reason": s.reason} for s in result.skipped
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
