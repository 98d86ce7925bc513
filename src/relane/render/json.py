"""JSON documents for machines: a :class:`~relane.engine.Plan` and the job listing."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from relane.codemods.retarget import Outcome
from relane.render.json_text import dumps

if TYPE_CHECKING:
    from relane.engine import Plan
    from relane.inventory import Entry

ORDER = (Outcome.MOVED, Outcome.ALREADY, Outcome.EXCLUDED, Outcome.SKIPPED)
"""The outcomes in the order reports list them."""


def as_json(plan: Plan) -> str:
    """One JSON object: target, files, summary counts, every job, warnings, the diff."""
    return dumps(as_dict(plan)) + "\n"


def as_dict(plan: Plan) -> dict:
    """What :func:`as_json` prints, as data."""
    counts = plan.counts()
    doc = {
        "target": plan.target,
        "files": with_refused(
            {
                "considered": plan.files,
                "changed": [c.path for c in plan.changes],
            },
            plan,
        ),
        "summary": {o.value: counts[o] for o in ORDER},
        "jobs": [_with_root(r.to_dict(), plan) for r in plan.results],
        "notes": [{"workflow": p, "note": n} for p, n in plan.notes],
        "warnings": [w.to_dict() for w in plan.warnings],
        "diff": plan.diff,
    }
    return doc


def with_refused(files: dict, plan: Plan) -> dict:
    """``files`` with, when ``--skip-invalid`` left some out, ``refused``:
    each file not read, with where and why."""
    if plan.refused:
        files["refused"] = [
            {"workflow": f.path, "line": f.error.line, "col": f.error.col, "error": f.error.message}
            for f in plan.refused
            if f.error is not None
        ]
    return files


def _with_root(row: dict, plan: Plan) -> dict:
    """A job's row; in a run over several roots, with the root it is in."""
    if plan.roots:
        row["root"] = plan.roots.get(row["workflow"])
    return row


def inventory_json(entries: Sequence[Entry]) -> str:
    """The job listing as a JSON array of objects."""
    return json.dumps([e.to_dict() for e in entries], indent=2, ensure_ascii=False) + "\n"
