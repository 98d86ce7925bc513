"""relane's record (and comment) for the jobs a label map edits.

:func:`with_record` adds to a job's map edits the record block of
:mod:`relane.comments.maprecord`, and the comment template below it; it
first checks that the rollback (:mod:`relane.codemods.maprollback`) of
the edited job gives the original text back exactly, and refuses the job
when it would not, or when an edit lies outside the job.
"""

from __future__ import annotations

from relane.codemods.maprollback import Changed, undo_map
from relane.comments.annotate import DEFAULT_WIDTH, Comments
from relane.comments.maprecord import Unrecordable, anchor_key, block_edit, entries_for, find_map_block
from relane.edit.ops import Edit, apply, indentation
from relane.errors import InputError
from relane.model import Job, Workflow, load
from relane.read.source import Source


def with_record(
    workflow: Workflow, job: Job, edits: list[Edit], mapped: dict[str, str], comments: Comments | None
) -> list[Edit] | str:
    """``edits`` (the label map's, all in ``job``) with relane's record and
    the comment template added; or why the record cannot be written."""
    source = workflow.source
    node = job.node
    try:
        if node is None:
            raise Unrecordable("the job is not a block mapping")
        if find_map_block(source, node) is not None:
            return "already carries relane's map record: roll it back (--reverse) before mapping it again"
        entries = entries_for(source, node, edits)
    except (Unrecordable, InputError) as exc:
        why = exc.message if isinstance(exc, InputError) else str(exc)
        return f"relane's record cannot carry this map ({why}), so a rollback could not undo it; not mapped"
    width = comments.width if comments is not None else DEFAULT_WIDTH
    text: list[str] = []
    if comments is not None and comments.template is not None:
        values = {
            "label": ", ".join(dict.fromkeys(mapped.values())),
            "previous": ", ".join(mapped),
            "ref": comments.ref,
            "note": comments.note,
            "workflow": source.path,
            "job": job.id,
        }
        text = comments.template.render(values, indentation(source, anchor_key(node).start), width)
    edits = [*edits, block_edit(source, node, entries, text, width)]
    if not _gives_back(workflow, job, edits):
        return (
            "relane's record would not give this job back byte for byte (comments beside a removed item?); not mapped"
        )
    return edits


def _gives_back(workflow: Workflow, job: Job, edits: list[Edit]) -> bool:
    """Whether the rollback of the job, edited with ``edits`` and its record,
    gives the original text back exactly (checked before anything is written)."""
    text = workflow.source.text
    try:
        new = load(Source(workflow.path, apply(text, edits)))
        moved = next(j for j in new.jobs if j.id == job.id)
        node = moved.node
        block = find_map_block(new.source, node) if node is not None else None
        if node is None or block is None:
            return False
        back, _ = undo_map(new.source, node, block)
        return apply(new.source.text, back) == text
    except (InputError, ValueError, Changed, StopIteration):
        return False
