"""The rollback of a label map: put back every scalar and list item its record names.

It reads the map record above each job's ``runs-on:`` (or first key; see
:mod:`relane.comments.maprecord`), checks that every recorded scalar still
reads exactly as the map wrote it, restores the old text of each, puts the
removed list items back, and removes the record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from relane.codemod import ALONE, Codemod, Context, Intent, JobResult, Outcome, Proposal, Reason
from relane.comments.maprecord import MapBlock, find_map_block, item_data, resolve, scalar_data
from relane.edit.ops import Edit, remove_lines
from relane.errors import InputError
from relane.model import Workflow
from relane.read.plain import to_data
from relane.read.source import Source
from relane.read.tree import AnyNode, Map, Seq
from relane.select import Selector


class Changed(Exception):
    """The job no longer reads as the map left it."""


@dataclass(frozen=True)
class MapRollback(Codemod):
    """Undo a label map in the jobs ``selector`` picks that carry its record."""

    selector: Selector = field(default_factory=Selector)
    name = "rollback"

    def transform(self, workflow: Workflow, context: Context = ALONE) -> Proposal:
        claimed = context.claimed
        source = workflow.source
        results: list[JobResult] = []
        edits: list[Edit] = []
        intended: list[Intent] = []
        excluded = self.selector.workflow_reason(workflow)
        for job in workflow.jobs:
            data = job.runs_on.data
            why = excluded or self.selector.job_reason(workflow, job)
            if claimed and job.id in claimed:
                results.append(
                    JobResult.of(
                        workflow, job, Outcome.EXCLUDED, Reason.CLAIMED, f"left to {claimed[job.id]}", data, data
                    )
                )
                continue
            if why:
                results.append(JobResult.of(workflow, job, Outcome.EXCLUDED, why.code, why.text, data, data))
                continue
            try:
                node = job.node
                block = find_map_block(source, node) if node is not None else None
                if node is None or block is None:
                    results.append(
                        JobResult.of(
                            workflow,
                            job,
                            Outcome.EXCLUDED,
                            Reason.NO_RECORD,
                            "carries no relane map record",
                            data,
                            data,
                        )
                    )
                    continue
                mine, meant = undo_map(source, node, block)
            except (InputError, Changed) as exc:
                text = exc.message if isinstance(exc, InputError) else str(exc)
                results.append(
                    JobResult.of(
                        workflow,
                        job,
                        Outcome.SKIPPED,
                        Reason.CHANGED,
                        f"changed since relane mapped it ({text}); left alone",
                        data,
                        data,
                    )
                )
                continue
            edits.extend(mine)
            intended.extend(meant)
            n = len(block.entries)
            results.append(
                JobResult.of(
                    workflow,
                    job,
                    Outcome.MOVED,
                    Reason.MOVED_BACK,
                    f"put back {n} value{'s' if n != 1 else ''} the label map changed",
                    data,
                    _put_back(job.runs_on.node, meant, data),
                    comment="removed",
                )
            )
        return Proposal(tuple(results), tuple(edits), tuple(intended))


def _put_back(node: AnyNode | None, meant: list[Intent], data):
    """The runs-on ``data`` of ``node`` as it reads once ``meant`` is applied
    (a literal runs-on, or the items of a list, the map changed)."""
    restored = {id(i.node): i.data for i in meant}
    if node is None or id(node) in restored:
        return restored.get(id(node), data)
    if type(node) is Seq and any(id(item) in restored for item in node.items):
        return [restored[id(item)] if id(item) in restored else to_data(item) for item in node.items]
    return data


def undo_map(source: Source, job_node: Map, block: MapBlock) -> tuple[list[Edit], list[Intent]]:
    """The edits that undo the map ``block`` records in ``job_node``, and the
    data each restored node must read as; :class:`Changed` when a recorded
    value no longer reads as the map wrote it."""
    text = source.text
    edits = [remove_lines(source, block.first, block.stop - 1)]
    intended: list[Intent] = []
    gone: dict[tuple, list] = {}  # list route -> [(old index, text)]
    for entry in block.entries:
        if entry.kind == "gone":
            gone.setdefault(entry.route[:-1], []).append((entry.route[-1], entry.old))
    restored: dict[int, tuple[AnyNode, object]] = {}  # id(scalar) -> (scalar, old data)
    for entry in block.entries:
        if entry.kind != "map":
            continue
        node = resolve(job_node, entry.route)
        if node is None or text[node.start : node.end] != entry.now:
            where = "/".join(str(s) for s in entry.route)
            raise Changed(f"{where} no longer reads {entry.now}")
        column = node.start - source.line_start(source.line_index(node.start))
        try:
            old = scalar_data(entry.old, column)
        except InputError:
            raise Changed("its record does not parse") from None
        edits.append(Edit(node.start, node.end, entry.old))
        restored[id(node)] = (node, old)
    in_lists: set[int] = set()
    for route, items in gone.items():
        seq = resolve(job_node, route)
        if type(seq) is not Seq or not seq.items:
            raise Changed(f"{'/'.join(map(str, route))} is no longer a list")
        items.sort()
        inserts: dict[int, str] = {}
        data = []
        cur = list(seq.items)
        for k, (index, removed) in enumerate(items):
            j = index - k
            if seq.flow:
                at = cur[j - 1].end if j > 0 else cur[0].start
            elif j < len(cur):
                at = source.line_start(source.line_index(cur[j].start))
            else:
                at = source.line_span(source.line_index(cur[-1].end))[1]
            inserts[at] = inserts.get(at, "") + removed
        total = len(cur) + len(items)
        back = dict(items)
        k = 0
        for i in range(total):
            if i in back:
                try:
                    data.append(item_data(back[i], seq.flow))
                except (ValueError, InputError):
                    raise Changed("its record of a removed item does not parse") from None
            else:
                if k >= len(cur):
                    raise Changed("a list lost items")
                item = cur[k]
                k += 1
                in_lists.add(id(item))
                data.append(restored[id(item)][1] if id(item) in restored else to_data(item))
        edits.extend(Edit(at, at, t) for at, t in inserts.items())
        intended.append(Intent(seq, data))
    for key, (node, old) in restored.items():
        if key not in in_lists:
            intended.append(Intent(node, old))
    return edits, intended
