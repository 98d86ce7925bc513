"""``relane ls``: every job, what triggers its workflow, and where it runs.

Each job becomes an :class:`Entry`: its workflow, its id, the workflow's
trigger events, a class (``pr``: only pull-request triggers, ``ship``: only
post-merge ones, ``mixed``: both, ``none``: neither, by the ``@pr`` and
``@ship`` event groups) and its ``runs-on``, as parsed and as written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from relane.codemods.inputs import input_label_sets
from relane.codemods.matrix import effective
from relane.model import Form, load
from relane.read.files import WorkflowFile, errors_under, several_roots, shown_path, shown_root
from relane.read.source import Source
from relane.read.tree import AnyNode, Map, Seq
from relane.select import EVENT_GROUPS, Selector, Unmatched

if TYPE_CHECKING:
    from relane.codemods.labeltable import Label

CLASSES = ("pr", "ship", "mixed", "none")
_PR = frozenset(EVENT_GROUPS["pr"])
_SHIP = frozenset(EVENT_GROUPS["ship"])


@dataclass(frozen=True)
class Entry:
    workflow: str
    job: str
    line: int
    triggers: tuple[str, ...]
    kind: str  # one of CLASSES
    runs_on: Any  # as parsed: a string, a list, a mapping or None
    written: str  # as written, on one line ("" when absent)
    matrix: tuple[tuple[str, ...], ...] = ()  # the label sets a runs-on naming the matrix takes
    inputs: tuple[tuple[str, ...], ...] = ()  # the label sets inputs give it (when asked for: ``list_jobs(inputs=True)``)

    @property
    def label_sets(self) -> tuple[tuple[str, ...], ...]:
        """The label sets the job may run on: its matrix's, its inputs', or its runs-on's."""
        if self.matrix:
            return self.matrix
        if self.inputs:
            return self.inputs
        data = self.runs_on
        values = [data] if isinstance(data, str) else data if isinstance(data, list) else []
        labels = tuple(v for v in values if isinstance(v, str) and "${{" not in v)
        return (labels,) if labels and len(labels) == len(values) else ()

    @property
    def matrix_shown(self) -> str:
        """The label sets the matrix gives: ``ubuntu-22.04, [self-hosted, arm64]``."""
        return _sets_shown(self.matrix)

    @property
    def inputs_shown(self) -> str:
        """The label sets the inputs give, as :attr:`matrix_shown` shows a matrix's."""
        return _sets_shown(self.inputs)

    root: str | None = None  # in a listing of several roots: the job's (``workflow`` is then under it)
    via: str | None = None  # how a runs-on not written in the job gets there: "merge-key"
    path: str = ""  # the workflow's path inside its repository (it tells the forge)

    @property
    def shown_runs_on(self) -> str:
        """The runs-on as written, and how the job got it when not its own;
        for a value naming the matrix, the labels the matrix gives it."""
        if self.inputs:
            return f"inputs: {self.inputs_shown}"
        if not self.written:
            return ""
        if self.matrix:
            return f"matrix: {self.matrix_shown}"
        return f"{self.written} (via <<)" if self.via == "merge-key" else self.written

    def to_dict(self) -> dict:
        doc = {
            "workflow": self.workflow,
            "job": self.job,
            "triggers": list(self.triggers),
            "class": self.kind,
            "runs_on": self.runs_on,
        }
        if self.matrix:
            doc["matrix_labels"] = [list(labels) for labels in self.matrix]
        if self.inputs:
            doc["input_labels"] = [list(labels) for labels in self.inputs]
        if self.via is not None:
            doc["runs_on_via"] = self.via
        if self.root is not None:
            doc["root"] = self.root
        return doc


def _sets_shown(sets: tuple[tuple[str, ...], ...]) -> str:
    return ", ".join(labels[0] if len(labels) == 1 else "[" + ", ".join(labels) + "]" for labels in sets)


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
    if isinstance(node, Seq) and not node.flow:
        body = "[" + ", ".join(written(source, item) for item in node.items) + "]"
    elif isinstance(node, Map) and not node.flow:
        body = "{" + ", ".join(f"{written(source, k)}: {written(source, v)}" for k, v in node.pairs) + "}"
    else:
        return " ".join(source.text[node.start : node.end].split())
    anchor = f"&{node.anchor} " if node.anchor else ""
    return anchor + body


def list_jobs(
    files: Iterable[WorkflowFile],
    selector: Selector | None = None,
    warnings: list[str] | None = None,
    inputs: bool = False,
) -> list[Entry]:
    """Every job of ``files`` that ``selector`` picks, in file order.

    With ``inputs``, a job on ``${{ inputs.X }}``, or calling a workflow of
    its repository, has the labels its inputs give it (input defaults and
    choices, a caller's ``with:`` values), as ``retarget --map`` follows them.

    Over several roots, workflow paths are relative to the current folder
    and each entry has its root. A file that leads outside its repository
    through a symlink is not read;
    ``warnings`` (when given) gets a line saying so, and one for each
    selector value that matches nothing.
    """
    from relane.deliver.write import inside_roots

    selector = selector or Selector()
    unmatched = Unmatched(selector, inputs=inputs)
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
            matrix = tuple(effective(job) or ())
            given = input_label_sets(workflow, job) if inputs and not matrix else ()
            labels = [label for labels in matrix + given for label in labels] or job.runs_on.labels
            if selector.from_labels and selector.label_reason(labels):
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
                    matrix=matrix,
                    inputs=given,
                    root=shown_root(wf.root) if several else None,
                    via="merge-key" if job.runs_on.form is Form.MERGED and node is not None else None,
                    path=wf.path,
                )
            )
    if warnings is not None:
        warnings.extend(unmatched.warnings())
    return entries


def retired_uses(entries: Iterable[Entry], table=None) -> list[tuple[Entry, list]]:
    """The entries that run on a retired GitHub-hosted label (literal, or
    through their matrix or inputs), each with the table rows it uses. Self-hosted
    runners, and every runner of Gitea and Forgejo, keep their labels."""
    from relane.codemods.labeltable import retired
    from relane.safety import hosted

    table = table or retired()
    found = []
    for entry in entries:
        rows: dict[str, Label] = {}
        for labels in entry.label_sets:
            if not hosted(entry.path or entry.workflow, labels):
                continue  # a self-hosted runner may keep any label
            for label in labels:
                row = table.row(label, fold=True)
                if row is not None:
                    rows.setdefault(row.label, row)
        if rows:
            found.append((entry, list(rows.values())))
    return found


def retired_summary(uses: list[tuple[Entry, list]]) -> str:
    """Lines for stderr: each retired label in use, how many jobs, and what replaces it."""
    if not uses:
        return "no job runs on a retired label"
    count: dict[str, int] = {}
    rows = {}
    for _, found in uses:
        for row in found:
            count[row.label] = count.get(row.label, 0) + 1
            rows[row.label] = row
    lines = []
    for label, n in count.items():
        row = rows[label]
        arch = f"; the architecture changes from {row.architecture_change}" if row.architecture_change else ""
        lines.append(
            f"{label}: {n} job{'s' if n != 1 else ''}; retired {row.date}, replace with {row.replacement}{arch} ({row.source})"
        )
    lines.append("relane retarget --map @retired replaces them")
    return "\n".join(lines)
