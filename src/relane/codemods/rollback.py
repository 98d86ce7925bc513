"""The rollback codemod: put back the jobs a migration moved.

It reads relane's record above each moved job's ``runs-on`` (see
:mod:`relane.comments`), which gives back the old runs-on text and the
comment blocks the move dropped, and removes relane's own block.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from relane.codemod import ALONE, Codemod, Context, Intent, JobResult, Outcome, Proposal, Reason
from relane.comments.rollback import Undo, data_labels, undo
from relane.errors import InputError
from relane.model import Workflow
from relane.render.text import show_value
from relane.select import Selector


# The context of a codemod run alone: no job claimed by another.
@dataclass(frozen=True)
class Rollback(Codemod):
    """Put back the jobs a migration moved: those it selects that are on its
    target and carry relane's record. The record gives back the old runs-on
    text and the dropped comments; relane's block goes."""

    to: tuple[str, ...]
    selector: Selector = field(default_factory=Selector)
    others: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The other migrations of the spec, by name and target: a job on one of
    their targets is theirs to roll back, not this one's business."""
    # Every job goes back to a runs-on of its own (no ``target``), onto
    # its own old labels: no new exposure (no ``landing``).
    name = "rollback"

    def transform(self, workflow: Workflow, context: Context = ALONE) -> Proposal:
        claimed = context.claimed
        results: list[JobResult] = []
        edits: list = []
        intended: list[Intent] = []
        source = workflow.source
        excluded = self.selector.workflow_reason(workflow)
        target = show_value(self.to[0] if len(self.to) == 1 else list(self.to))
        for job in workflow.jobs:
            outcome: Outcome
            code: str
            before = job.runs_on.data
            after = before
            comment, dropped = "none", 0
            runs_on = job.runs_on
            on_target = runs_on.form.static and set(runs_on.labels) == set(self.to)
            why = excluded or self.selector.job_reason(workflow, job)
            if claimed and job.id in claimed:
                outcome, code, reason = Outcome.EXCLUDED, Reason.CLAIMED, f"left to {claimed[job.id]}"
            elif why:
                outcome, code, reason = Outcome.EXCLUDED, why.code, why.text
            else:
                back: Undo | InputError | None
                try:
                    # A job with no room for relane's block has none; what
                    # is above its line is another job's block, or a value.
                    back = undo(source, job, workflow.root) if runs_on.node is not None and job not in workflow.crowded else None
                except InputError as exc:  # a job edited by hand since: it alone is left
                    back = exc
                if back is None:
                    if on_target:
                        outcome, code = Outcome.SKIPPED, Reason.NO_RECORD
                        reason = f"on {target} without relane's record: relane did not move it"
                    else:
                        outcome, code, reason = Outcome.EXCLUDED, Reason.NOT_ON_TARGET, f"not on {target}"
                elif not on_target and self._moved_by_other(runs_on):
                    outcome, code = Outcome.EXCLUDED, Reason.OTHER_MOVE
                    reason = f"on the target of migration {self._moved_by_other(runs_on)}, not this one's"
                elif not on_target:
                    outcome, code = Outcome.SKIPPED, Reason.CHANGED
                    reason = f"runs-on changed since relane moved it (now {show_value(before)}); left alone"
                elif isinstance(back, InputError):
                    outcome, code = Outcome.SKIPPED, Reason.CHANGED
                    reason = f"changed since relane moved it (line {back.line}: {back.message}); left alone"
                elif self.selector.label_reason(data_labels(back.data)):
                    # Another migration's move to the same label: its own rollback undoes it.
                    outcome, code = Outcome.EXCLUDED, Reason.OTHER_MOVE
                    reason = f"moved to {target} from {show_value(back.data)}, not by this migration (--from)"
                else:
                    after = back.data
                    outcome, code = Outcome.MOVED, Reason.MOVED_BACK
                    reason = f"moved back from {target} to {show_value(after)}"
                    edits.extend(back.edits)
                    assert runs_on.node is not None
                    intended.append(Intent(runs_on.node, after))
                    comment, dropped = "removed", back.restored
            results.append(
                JobResult.of(workflow, job, outcome, code, reason, before, after, comment=comment, dropped=dropped)
            )
        return Proposal(tuple(results), tuple(edits), tuple(intended))

    def _moved_by_other(self, runs_on) -> str | None:
        """The name of the other migration whose target the job is on, if any."""
        if not runs_on.form.static:
            return None
        labels = set(runs_on.labels)
        return next((name for name, to in self.others if labels == set(to)), None)
