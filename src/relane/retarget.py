"""The runs-on codemod: for each job, decide, and if it moves, say how.

Every job of every workflow considered ends as a :class:`JobResult` with an
:class:`Outcome` and a reason in plain words: moved, already on the target,
excluded by the selection, or skipped because its runs-on cannot be moved
safely (an expression, an alias, a reusable workflow call, ...).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from .edit import Edit, replace_labels
from .model import Form, Job, Workflow
from .select import Exclusion, Selector


class Outcome(str, enum.Enum):
    MOVED = "moved"
    ALREADY = "already"
    EXCLUDED = "excluded"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Caution:
    """Something a reviewer must hear about: a stable ``code``, plain words,
    and where (a workflow, and the job and its line when it concerns one)."""

    code: str
    text: str
    workflow: str
    job: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.workflow}:{self.line}" if self.line else self.workflow
        return f"{where}: job {self.job}: {self.text}" if self.job else f"{where}: {self.text}"

    def to_dict(self) -> dict:
        return {"code": self.code, "text": self.text, "workflow": self.workflow, "job": self.job, "line": self.line}


@dataclass(frozen=True)
class JobResult:
    """What happened to one job, and why.

    ``code`` is stable for machines (``moved``, ``on-target``, ``trigger``,
    ``expression``, ``reusable``, ...); ``reason`` is for people. ``before``
    and ``after`` are the runs-on data as parsed, before and after the run.
    ``warnings`` say what a reviewer must know about a move (see
    :mod:`relane.safety`).
    """

    workflow: str
    job: str
    outcome: Outcome
    code: str
    reason: str
    before: Any
    after: Any
    line: int | None = None
    triggers: tuple[str, ...] = ()
    warnings: tuple[Caution, ...] = ()

    def to_dict(self) -> dict:
        return {
            "workflow": self.workflow,
            "job": self.job,
            "outcome": self.outcome.value,
            "code": self.code,
            "reason": self.reason,
            "before": self.before,
            "after": self.after,
            "line": self.line,
            "triggers": list(self.triggers),
            "warnings": [{"code": w.code, "text": w.text} for w in self.warnings],
        }


_SKIPS = {
    Form.EXPRESSION: ("expression", "runs-on is an expression ({detail}), decided at run time"),
    Form.GROUP: ("group", "runs-on is a runner-group mapping"),
    Form.ALIAS: ("alias", "runs-on is a YAML {detail}; changing it here would move other jobs"),
    Form.ANCHOR: ("anchor", "runs-on defines a YAML {detail} that other jobs may share"),
    Form.SHARED: ("shared", "{detail}; editing it would change other jobs too"),
    Form.MERGED: ("merged", "{detail}"),
    Form.EMPTY: ("empty", "{detail}"),
    Form.UNSUPPORTED: ("unsupported", "{detail}"),
}


@dataclass(frozen=True)
class Retarget:
    """Move the selected jobs to ``to`` (one label, or several that must all match).

    ``move_expressions`` and ``move_groups`` allow replacing an expression
    or a runner-group mapping; neither is moved otherwise.
    """

    to: tuple[str, ...]
    selector: Selector = field(default_factory=Selector)
    move_expressions: bool = False
    move_groups: bool = False

    def __post_init__(self) -> None:
        if not self.to or any(not label or not label.strip() for label in self.to):
            raise ValueError("Retarget needs at least one non-empty label")

    @property
    def target(self) -> str | list[str]:
        return self.to[0] if len(self.to) == 1 else list(self.to)

    def movable(self, form: Form) -> bool:
        return (
            form.static
            or (form is Form.EXPRESSION and self.move_expressions)
            or (form is Form.GROUP and self.move_groups)
        )

    def decide(self, workflow: Workflow, job: Job, excluded: Exclusion | None) -> tuple[Outcome, str, str]:
        """The outcome for ``job``: (outcome, code, reason)."""
        excluded = excluded or self.selector.job_reason(workflow, job)
        if excluded:
            return Outcome.EXCLUDED, excluded.code, excluded.text
        runs_on = job.runs_on
        movable = self.movable(runs_on.form)
        if runs_on.labels or movable:
            by_label = self.selector.label_reason(runs_on.labels)
            if by_label:
                return Outcome.EXCLUDED, by_label.code, by_label.text
        if not movable:
            if runs_on.form is Form.ABSENT:
                if job.uses is not None:
                    return (
                        Outcome.SKIPPED,
                        "reusable",
                        f"reusable workflow call ({job.uses}); its runner is chosen in the called workflow",
                    )
                return Outcome.SKIPPED, "no-runs-on", "job has no runs-on"
            code, text = _SKIPS[runs_on.form]
            return Outcome.SKIPPED, code, text.format(detail=runs_on.detail)
        if runs_on.form.static and set(runs_on.labels) == set(self.to):
            return Outcome.ALREADY, "on-target", f"already on {_show(self.to)}"
        return Outcome.MOVED, "moved", f"moved from {_show(runs_on.labels) if runs_on.labels else runs_on.detail} to {_show(self.to)}"

    def apply(self, workflow: Workflow) -> tuple[list[JobResult], list[Edit], dict[int, object]]:
        """Results for every job of ``workflow``, the edits, and the intended data.

        The intended data maps ``id()`` of each replaced runs-on node to what
        it must read as after the edits (see :func:`relane.verify.verify`).
        """
        results: list[JobResult] = []
        edits: list[Edit] = []
        intended: dict[int, object] = {}
        excluded = self.selector.workflow_reason(workflow)
        source = workflow.source
        for job in workflow.jobs:
            outcome, code, reason = self.decide(workflow, job, excluded)
            before = job.runs_on.data
            after = before
            if outcome is Outcome.MOVED:
                node = job.runs_on.node
                key = job.node.key_node("runs-on")
                job_edits, after = replace_labels(source, key, node, self.to)
                edits.extend(job_edits)
                intended[id(node)] = after
            results.append(
                JobResult(
                    workflow=workflow.path,
                    job=job.id,
                    outcome=outcome,
                    code=code,
                    reason=reason,
                    before=before,
                    after=after,
                    line=source.line_col(job.key.start)[0],
                    triggers=workflow.events,
                )
            )
        return results, edits, intended


def _show(labels) -> str:
    labels = list(labels)
    return labels[0] if len(labels) == 1 else "[" + ", ".join(labels) + "]"
