"""``--from X --to Y`` followed into matrices.

:class:`~relane.codemods.retarget.Retarget` replaces a job's runs-on; a job
whose runs-on names its matrix (``${{ matrix.os }}``) it skips as an
expression. :class:`WithMatrices` hands such jobs to a
:class:`~relane.codemods.labelmap.LabelMap` of ``X=Y``, so that Y replaces X
in the matrix, its ``include`` and ``exclude`` entries and the conditions
reading it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from relane.codemod import ALONE, Codemod, Context, JobResult, Outcome, Proposal, Reason
from relane.codemods.labelcodes import MapReason
from relane.codemods.labelmap import LabelMap
from relane.codemods.labeltable import Label, LabelTable
from relane.codemods.matrix import Ref
from relane.codemods.retarget import Retarget
from relane.model import Workflow


# The context of a codemod run alone: no job claimed by another.
@dataclass(frozen=True)
class WithMatrices(Codemod):
    """:class:`Retarget` that follows ``--from X --to Y`` into matrices: a job
    whose runs-on names its matrix gets Y in place of each --from label
    there, where :class:`Retarget` would skip it as an expression."""

    retarget: Retarget
    matrices: LabelMap

    name = "retarget"

    @classmethod
    def of(cls, retarget: Retarget) -> Retarget | WithMatrices:
        (to,) = retarget.to
        rows = tuple(Label(old, to) for old in sorted(retarget.selector.from_labels) if old != to)
        if not rows:
            return retarget
        # The matrix values --from names are the selection: the map does the matching.
        table = LabelTable(rows, "--from", ", ".join(r.label for r in rows) + f" -> {to}")
        return cls(retarget, LabelMap(table, replace(retarget.selector, from_labels=frozenset()), matrix_only=True))

    @property
    def selector(self):
        return self.retarget.selector

    @property
    def comments(self):
        return self.retarget.comments

    @property
    def target(self):
        return self.retarget.target

    @property
    def landing(self) -> tuple[str, ...]:
        return self.retarget.landing

    @property
    def to(self) -> tuple[str, ...]:
        return self.retarget.to

    def transform(self, workflow: Workflow, context: Context = ALONE) -> Proposal:
        first = self.retarget.transform(workflow, context)
        followed = [
            r.job for r in first.results if r.code == Reason.EXPRESSION and Ref.parse(str(r.before)) is not None
        ]
        if not followed:
            return first
        others = {j.id: self.name for j in workflow.jobs if j.id not in followed}
        more = self.matrices.transform(workflow, Context({**context.claimed, **others}))
        by_job = {r.job: r for r in more.results if r.job in followed}
        results = tuple(_relabel(by_job[r.job], self.retarget) if r.job in by_job else r for r in first.results)
        return Proposal(results, first.edits + more.edits, first.intended + more.intended)


def _relabel(result: JobResult, retarget: Retarget) -> JobResult:
    """A matrix job's result in --from/--to words."""
    if result.outcome is Outcome.EXCLUDED and result.code == MapReason.UNMAPPED:
        wanted = ", ".join(sorted(retarget.selector.from_labels))
        return replace(result, code=Reason.LABEL, reason=f"the matrix has none of the --from labels ({wanted})")
    return result
