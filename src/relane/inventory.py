"""``relane ls``: every job, what triggers its workflow, and where it runs.

Each job becomes an :class:`Entry`: its workflow, its id, the workflow's
trigger events, a class (``pr``: only pull-request triggers, ``ship``: only
post-merge ones, ``mixed``: both, ``none``: neither, by the ``@pr`` and
``@ship`` event groups) and its ``runs-on``, as parsed and as written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from relane.read.files import WorkflowFile, errors_under, several_roots, shown_path, shown_root
from relane.render.format import printable
from relane.render.markdown import code, table, text as md_text
from relane.model import Form, load
from relane.select import EVENT_GROUPS, Selector, Unmatched
from relane.read.source import Source
from relane.read.tree import AnyNode, Map, Seq

CLASSES = ("pr", "ship", "mixed", "none")
_PR = frozenset(EVENT_GROUPS["pr"])
_SHIP = frozenset(EVENT_GROUPS["ship"])
WIDTH = 100
"""Columns the text table fits in."""


@dataclass(frozen=True)
class Entry:
    workflow: str
    job: str
    line: int
    triggers: tuple[str, ...]
    kind: str  # one of CLASSES
    runs_on: Any  # as parsed: a string, a list, a mapping or None
    written: str  # as written, on one line ("" when absent)
    root: str | None = None  # in a listing of several roots: the job's (``workflow`` is then under it)
    via: str | None = None  # how a runs-on not written in the job gets there: "merge-key"

    @property
    def shown_runs_on(self) -> str:
        """The runs-on as written, and how the job got it when not its own."""
        if not self.written:
            return ""
        return f"{self.written} (via <<)" if self.via == "merge-key" else self.written

    def to_dict(self) -> dict:
        doc = {
            "workflow": self.workflow,
            "job": self.job,
            "triggers": list(self.triggers),
            "class": self.kind,
            "runs_on": self.runs_on,
        }
        if self.via is not None:
            doc["runs_on_via"] = self.via
        if self.root is not None:
            doc["root"] = self.root
        return doc


def classify(events: Iterable[str]) -> str:
    """``pr``, ``ship``, ``mixed`` or ``none`` for a workflow's trigger events."""
    events = set(events)
    pr, ship = bool(events & _PR), bool(events & _SHIP)
    return "mixed" if pr and ship else "pr" if pr else "ship" if ship else "none"


def written(source: Source, node: AnyNode | None) -> str:
    """A value as written, on one line: scalars, aliases and flow collections
    as in the file; block lists and mappings in flow style, items as written."""
    if node is None:
        return ""
    t = type(node)
    if t is Seq and not node.flow:
        body = "[" + ", ".join(written(source, item) for item in node.items) + "]"
    elif t is Map and not node.flow:
        body = "{" + ", ".join(f"{written(source, k)}: {written(source, v)}" for k, v in node.pairs) + "}"
    else:
        return " ".join(source.text[node.start : node.end].split())
    anchor = f"&{node.anchor} " if node.anchor else ""
    return anchor + body


def inventory(
    files: Iterable[WorkflowFile], selector: Selector | None = None, warnings: list[str] | None = None
) -> list[Entry]:
    """Every job of ``files`` that ``selector`` picks, in file order.

    Over several roots, workflow paths are relative to the current folder
    and each entry has its root. A file that leads outside its repository
    through a symlink is not read;
    ``warnings`` (when given) gets a line saying so, and one for each
    selector value that matches nothing.
    """
    from relane.deliver.write import inside_roots

    selector = selector or Selector()
    unmatched = Unmatched(selector)
    entries = []
    files = list(files)
    several = several_roots(files)
    for wf in inside_roots(files, warnings):
        with errors_under(shown_root(wf.root) if several else "."):
            source = Source.read(wf.file, wf.path)
            workflow = load(source, require_mapping=wf.named)
        unmatched.see(workflow)
        if selector.workflow_reason(workflow):
            continue
        kind = classify(workflow.events)
        for job in workflow.jobs:
            if selector.job_reason(workflow, job):
                continue
            if selector.from_labels and selector.label_reason(job.runs_on.labels):
                continue
            node = job.runs_on.node
            entries.append(
                Entry(
                    workflow=shown_path(wf, several),
                    job=job.id,
                    line=source.line_col(job.key.start)[0],
                    triggers=workflow.events,
                    kind=kind,
                    runs_on=job.runs_on.data,
                    written=written(source, node) if node is not None else "",
                    root=shown_root(wf.root) if several else None,
                    via="merge-key" if job.runs_on.form is Form.MERGED and node is not None else None,
                )
            )
    if warnings is not None:
        warnings.extend(unmatched.warnings())
    return entries


# -- output ---------------------------------------------------------------------------

_HEADER = ("WORKFLOW", "JOB", "TRIGGERS", "CLASS", "RUNS-ON")


def _cells(entry: Entry) -> tuple[str, ...]:
    cells = (entry.workflow, entry.job, ", ".join(entry.triggers) or "-", entry.kind, entry.shown_runs_on or "-")
    return tuple(printable(cell) for cell in cells)


def text(entries: Sequence[Entry], width: int | None = WIDTH) -> str:
    """An aligned table that fits ``width`` columns; long cells end in ``…``
    (a workflow path loses its start, so that the file name stays). With
    ``width=None`` nothing is cut."""
    if not entries:
        return "no jobs found\n"
    rows = [_HEADER] + [_cells(e) for e in entries]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADER))]
    budget = sum(widths) if width is None else width - 2 * (len(widths) - 1)
    # Shrink in this order, each column down to a floor: the workflow's
    # folders first (it keeps "…/name.yml"), triggers, job, then the file
    # name and runs-on in turn.
    name = max(2 + len(e.workflow.rsplit("/", 1)[-1]) for e in entries)
    for column, floor in ((0, name), (2, 8), (1, 8), (0, 24), (4, 12), (0, 8), (4, 8)):
        excess = sum(widths) - budget
        if excess <= 0:
            break
        widths[column] = max(min(widths[column], floor), widths[column] - excess)
    out = []
    for row in rows:
        cells = [_fit(cell, w, left=(i == 0)) for i, (cell, w) in enumerate(zip(row, widths))]
        out.append("  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip() + "\n")
    return "".join(out)


def _fit(cell: str, width: int, left: bool = False) -> str:
    if len(cell) <= width:
        return cell
    if not left:
        return cell[: width - 1] + "…"
    tail = cell[len(cell) - width + 1 :]
    cut = tail.find("/")
    return "…" + (tail[cut:] if 0 <= cut < len(tail) - 1 else tail)


def as_json(entries: Sequence[Entry]) -> str:
    return json.dumps([e.to_dict() for e in entries], indent=2, ensure_ascii=False) + "\n"


def markdown(entries: Sequence[Entry]) -> str:
    if not entries:
        return "No jobs found.\n"
    rows = (
        (
            code(e.workflow),
            code(e.job),
            md_text(", ".join(e.triggers)) or "-",
            e.kind,
            (code(e.written) + (" (via `<<`)" if e.via == "merge-key" else "")) if e.written else "-",
        )
        for e in entries
    )
    return "\n".join(table(("Workflow", "Job", "Triggers", "Class", "runs-on"), rows)) + "\n"
