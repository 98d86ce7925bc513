"""Markdown reports: a pull-request description a reviewer can trust.

What a reviewer of a runner move checks by hand, written down: which jobs
moved and from what, which were left alone and why, what must be true
before the change merges, every job now on the label (read back from the
rewritten files), and the diff. The text renders on GitHub and Gitea
(CommonMark with GitHub-flavoured tables); every table cell is escaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from shlex import quote
from typing import TYPE_CHECKING, Any

from relane.codemods.retarget import JobResult, Outcome
from relane.engine import Plan
from relane.model import load
from relane.read.source import Source
from relane.render.format import plural, printable, show_value, table
from relane.render.text import comment_counts
from relane.safety import hosted
from relane.select import EVENT_GROUPS

if TYPE_CHECKING:
    from relane.inventory import Entry

_PR = EVENT_GROUPS["pr"]
_SHIP = frozenset(EVENT_GROUPS["ship"])
_SPECIAL = re.compile(r"[\\`*\[\]<>|$~]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


# -- cells -------------------------------------------------------------------------


def code(value: str, *, cell: bool = True) -> str:
    """``value`` as a code span; with ``cell``, one that is safe inside a
    table cell: ``|`` escaped, which GFM takes back there and only there
    (elsewhere the backslash would show)."""
    value = printable(" ".join(value.splitlines())) or " "
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value[0] in "` " or value[-1] in "` " else ""
    span = fence + pad + value + pad + fence
    return span.replace("|", "\\|") if cell else span


def text(value: str) -> str:
    """``value`` as plain text: one line, no accidental markup, safe in a table."""
    value = printable(" ".join(value.split())).replace("&", "&amp;")
    return _SPECIAL.sub(lambda m: "\\" + m.group(), value)


def _value(value: Any, *, cell: bool = True) -> str:
    return "-" if value is None else code(show_value(value), cell=cell)


# -- a plan --------------------------------------------------------------------------


def plan_markdown(plan: Plan) -> str:
    """The whole description for one plan: its sections, then the diff."""
    return "\n".join(sections(plan) + diff_block(plan.diff)) + "\n"


def sections(plan: Plan, level: int = 3) -> list[str]:
    """Summary, moved and not-moved tables, merge precondition, verification."""
    h = "#" * level
    moved = plan.outcomes(Outcome.MOVED)
    workflows = list(dict.fromkeys(r.workflow for r in moved))
    back = plan.target is None
    target = _value(plan.target, cell=False)
    if moved:
        where = f"{plural(len(moved), 'job')} in {plural(len(workflows), 'workflow')}"
        lines = [f"{where} moved back to their previous runs-on." if back else f"{where} moved to {target}."]
    else:
        lines = ["No jobs to move back." if back else f"No jobs moved to {target}."]
    if plan.warnings:
        lines += ["", f"{h} Warnings ({len(plan.warnings)})", ""]
        lines += [f"- {text(str(w))}" for w in plan.warnings]
    counts = comment_counts(plan)
    if counts:
        lines += ["", "Comments: " + ", ".join(f"{n} {what}" for what, n in counts.items()) + "."]
    if moved:
        lines += ["", f"{h} Moved ({len(moved)})", ""]
        lines += table(
            ("Workflow", "Job", "Triggers", "runs-on"),
            (
                (code(r.workflow), code(r.job), text(", ".join(r.triggers)) or "-", f"{_value(r.before)} → {_value(r.after)}")
                for r in moved
            ),
        )
    others = [r for r in plan.results if r.outcome is not Outcome.MOVED]
    if others:
        lines += ["", f"{h} Not moved ({len(others)})", ""]
        lines += table(
            ("Workflow", "Job", "runs-on", "Why"),
            ((code(r.workflow), code(r.job), _value(r.before), text(plain_reason(r, plan))) for r in others),
        )
    lines += not_read(plan, level)
    if moved and not back and not _all_hosted(_landing(plan), moved):
        comments = getattr(plan.codemod, "comments", None)
        ref = getattr(comments, "ref", "") or ""
        lines += ["", f"{h} Merge precondition", ""] + _precondition(plan, len(moved), ref)
    lines += ["", f"{h} Verification", ""] + _verification(plan, moved, workflows)
    return lines


def not_read(plan: Plan, level: int = 3) -> list[str]:
    """The files ``--skip-invalid`` left out, with where and why; none: nothing."""
    rows = [
        (code(f.path), f"{f.error.line}:{f.error.col}" if f.error.line else "-", text(f.error.message))
        for f in plan.refused
        if f.error is not None
    ]
    if not rows:
        return []
    return ["", f"{'#' * level} Not read ({len(rows)})", ""] + table(("Workflow", "Line", "Why"), rows)


def plain_reason(r: JobResult, plan: Plan) -> str:
    """Why a job was not moved, in the words a reviewer would use."""
    selector = getattr(plan.codemod, "selector", None)
    if r.code == "trigger" and selector is not None:
        hit = [e for e in r.triggers if e in selector.not_on]
        if hit and all(e in _PR for e in hit):
            return f"{', '.join(hit)}-triggered: PR-CI, not a ship job"
        if hit:
            return f"{', '.join(hit)}-triggered: left out by --not-on"
        have = ", ".join(r.triggers) or "nothing"
        if selector.on <= _SHIP:
            return f"no ship trigger (triggered by {have})"
        return f"none of its triggers is selected (triggered by {have})"
    if r.code == "on-target":
        return f"already on {show_value(plan.target)}"
    if r.code == "label" and selector is not None and selector.from_labels:
        return f"not on {', '.join(sorted(selector.from_labels))}"
    if r.code == "expression":
        return "runs-on is an expression, decided at run time"
    return r.reason


def _landing(plan: Plan) -> Any:
    """The labels moved jobs now run on: the target, or for a label map
    (whose target names the map) the labels it maps to."""
    if _mapping(plan):
        return list(plan.codemod.landing)
    return plan.target


def _mapping(plan: Plan) -> bool:
    """Whether ``plan`` is a label map's: each job moved to labels of its own."""
    from relane.codemods.labelmap import LabelMap

    return isinstance(plan.codemod, LabelMap)


def _all_hosted(target: Any, moved: list[JobResult]) -> bool:
    """Whether every moved job now runs on GitHub-hosted runners (which
    need no runner of one's own): the target's labels are all hosted ones
    and no job is in a Gitea or Forgejo folder (which has none)."""
    labels = [target] if isinstance(target, str) else list(target or ())
    return all(hosted(_from_forge_folder(r.workflow), labels) for r in moved)


def _from_forge_folder(path: str) -> str:
    """``path`` from its forge folder on (``a/.gitea/workflows/x.yml`` in a
    run over several roots is ``.gitea/workflows/x.yml``)."""
    parts = path.split("/")
    start = next((i for i, part in enumerate(parts) if part in (".github", ".gitea", ".forgejo")), 0)
    return "/".join(parts[start:])


def _labels(target: Any) -> str:
    labels = [target] if isinstance(target, str) else list(target)
    if len(labels) == 1:
        return f"the label {code(labels[0], cell=False)}"
    return "all of the labels " + ", ".join(code(label, cell=False) for label in labels)


def _precondition(plan: Plan, moved: int, ref: str) -> list[str]:
    tracked = f" (tracked in {text(ref)})" if ref else ""
    if _mapping(plan):
        # Each job of a label map needs its own labels: every label that no
        # hosted runner serves must be advertised, each by some runner.
        paths = [_from_forge_folder(r.workflow) for r in plan.outcomes(Outcome.MOVED)]
        labels = [label for label in plan.codemod.landing if not all(hosted(p, [label]) for p in paths)]
        wanted = _labels(labels) if len(labels) == 1 else "each of the labels " + ", ".join(code(x, cell=False) for x in labels)
        return [
            f"Do not merge until {wanted} is advertised by a registered, online runner{tracked}. "
            "Until then the moved jobs that need it queue indefinitely with zero eligible runners.",
            "",
            f"Check it mechanically: {code('relane guard' + ''.join(' --label ' + quote(label) for label in labels), cell=False)} "
            "exits 0 only once each is served.",
        ]
    labels = [plan.target] if isinstance(plan.target, str) else list(plan.target)
    return [
        f"Do not merge until at least one registered, online runner advertises "
        f"{_labels(plan.target)}{tracked}. Until then "
        + (f"the {plural(moved, 'moved job')} queue" if moved != 1 else "the moved job queues")
        + " indefinitely with zero eligible runners.",
        "",
        f"Check it mechanically: {code('relane guard --label ' + ','.join(map(quote, labels)), cell=False)} "
        "exits 0 only once such a runner is online.",
    ]


def _on_target(plan: Plan) -> list[tuple[str, str]]:
    """(workflow, job) of every job on the target after the change, as the
    rewritten files read (verified: the values the change replaced, and the
    others as they were)."""
    want = _label_set(plan.target)
    changed = {c.path: c for c in plan.changes}
    unchanged: dict[str, list[str]] = {}
    before: dict[str, dict[str, Any]] = {}  # each job of a changed file, once
    for r in plan.results:
        if r.workflow not in changed:
            if _label_set(r.after) == want:
                unchanged.setdefault(r.workflow, []).append(r.job)
        else:
            before.setdefault(r.workflow, {}).setdefault(r.job, r.before)
    # Results name their file by path alone: two roots may hold the same one.
    repeated = len(set(plan.files)) != len(plan.files)
    found = []
    for path in plan.files:
        change = changed.get(path)
        if change is None:
            found += [(path, job) for job in unchanged.get(path, ())]
            continue
        replaced = change.replaced_runs_on
        if replaced is not None and not repeated:
            found += [
                (path, job) for job, data in before.get(path, {}).items() if _label_set(replaced.get(job, data)) == want
            ]
            continue
        source = change.source
        workflow = load(Source(path, change.new_text, source.bom), require_mapping=False)
        # The same test as for unchanged files: the value as parsed, aliases and
        # anchored values included.
        found += [(path, job.id) for job in workflow.jobs if _label_set(job.runs_on.data) == want]
    return found


def _label_set(value: Any) -> set | None:
    if isinstance(value, str):
        return {value}
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return set(value)
    return None


def _verification(plan: Plan, moved: list[JobResult], workflows: list[str]) -> list[str]:
    lines = []
    if plan.target is not None:
        with_pr = {}
        for r in moved:
            hit = [e for e in r.triggers if e in _PR]
            if hit:
                with_pr[r.workflow] = hit
        if with_pr:
            listed = "; ".join(f"{code(w, cell=False)} ({text(', '.join(e))})" for w, e in with_pr.items())
            lines.append(f"- **Check:** moved workflows with a pull-request trigger: {listed}.")
        elif workflows:
            which = (
                f"None of the {plural(len(workflows), 'moved workflow')} has a"
                if len(workflows) != 1
                else "The moved workflow has no"
            )
            lines.append(f"- {which} pull-request trigger ({', '.join(_PR)}).")
    lines.append(
        "- Each rewritten file was parsed again: apart from the runs-on values moved, it "
        "holds exactly the data it held before (comment lines carry no data)."
    )
    if _mapping(plan):
        lines.append(f"- Every job the map moved, with the labels it runs on now ({len(moved)}):")
        rows: list[tuple[str, ...]] = [(code(r.workflow), code(r.job), _value(r.after)) for r in moved]
        header: tuple[str, ...] = ("Workflow", "Job", "runs-on")
    elif plan.target is None:
        lines.append(f"- Every job moved back, with the runs-on it has again ({len(moved)}):")
        rows = [(code(r.workflow), code(r.job), _value(r.after)) for r in moved]
        header = ("Workflow", "Job", "runs-on")
    else:
        jobs = _on_target(plan)
        lines.append(
            f"- Every job on {_value(plan.target, cell=False)} after this change ({len(jobs)}), "
            "read back from the rewritten files:"
        )
        rows = [(code(w), code(j)) for w, j in jobs]
        header = ("Workflow", "Job")
    if rows:
        lines += [""] + table(header, rows)
    return lines


# -- the job listing (relane ls) ---------------------------------------------------------


def inventory_markdown(entries: Sequence[Entry]) -> str:
    """A Markdown table of the jobs: workflow, job, triggers, class, runs-on."""
    if not entries:
        return "No jobs found.\n"
    rows = (
        (
            code(e.workflow),
            code(e.job),
            text(", ".join(e.triggers)) or "-",
            e.kind,
            (code(e.written) + (f" ({text(e.matrix_shown)})" if e.matrix else " (via `<<`)" if e.via == "merge-key" else ""))
            + (f" (inputs: {text(e.inputs_shown)})" if e.inputs else "")
            if e.written
            else text(f"inputs: {e.inputs_shown}") if e.inputs else "-",
        )
        for e in entries
    )
    return "\n".join(table(("Workflow", "Job", "Triggers", "Class", "runs-on"), rows)) + "\n"


# -- the diff ----------------------------------------------------------------------------


def diff_block(diff: str) -> list[str]:
    """The diff in a collapsed ``<details>`` block, fenced as ``diff``."""
    if not diff:
        return ["", "No file changes."]
    files = added = removed = 0
    in_header = False
    for line in diff.splitlines():
        if line.startswith("diff --git "):
            files += 1
            in_header = True
        elif line.startswith("@@ "):
            in_header = False
        elif not in_header and line.startswith("+"):
            added += 1
        elif not in_header and line.startswith("-"):
            removed += 1
    longest = max((len(run) for run in re.findall(r"^\s*(`{3,})", diff, re.M)), default=2)
    fence = "`" * max(3, longest + 1)
    summary = f"Diff: {plural(files, 'file')}, +{added} −{removed}"
    return ["", "<details>", f"<summary>{summary}</summary>", "", fence + "diff", diff.rstrip("\n"), fence, "", "</details>"]
