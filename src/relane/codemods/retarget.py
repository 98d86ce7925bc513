"""The runs-on codemod: for each job, decide, and if it moves, say how.

Every job of every workflow considered ends as a :class:`JobResult` with an
:class:`Outcome` and a reason in plain words: moved, already on the target,
excluded by the selection, or skipped because its runs-on cannot be moved
safely (an expression, an alias, a reusable workflow call, ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from relane.codemod import ALONE, Codemod, Context, Intent, JobResult, Outcome, Proposal, Reason
from relane.errors import UsageError
from relane.forms import Form
from relane.select import Exclusion, Selector

if TYPE_CHECKING:
    from relane.comments.annotate import Comments
    from relane.edit.ops import Edit
    from relane.model import Job, Workflow


# The context of a codemod run alone: no job claimed by another.
_SKIPS = {
    Form.EXPRESSION: (Reason.EXPRESSION, "runs-on is an expression ({detail}), decided at run time"),
    Form.GROUP: (Reason.GROUP, "runs-on is a runner-group mapping"),
    Form.ALIAS: (Reason.ALIAS, "runs-on {detail}; changing it here would move other jobs"),
    Form.ANCHOR: (Reason.ANCHOR, "runs-on {detail} that other jobs may share"),
    Form.SHARED: (Reason.SHARED, "{detail}; editing it would change other jobs too"),
    Form.MERGED: (Reason.MERGED, "{detail}"),
    Form.EMPTY: (Reason.EMPTY, "{detail}"),
    Form.UNSUPPORTED: (Reason.UNSUPPORTED, "{detail}"),
}


def check_label(label: Any, what: str = "target runner label", several: str | None = None) -> None:
    """A :class:`UsageError` unless ``label`` can be a runner label: not
    empty, no surrounding spaces, nothing that does not print. ``what`` is
    how the error names it, and ``several`` what it says to a label holding
    a separator (by default: name each part with ``--to``).

    Characters that do not print (control characters, line and paragraph
    separators, byte-order marks, bytes that are not UTF-8) would break the
    line a workflow holds the label on, or be refused in it.
    """
    if not isinstance(label, str) or not label.strip():
        raise UsageError(f"{what} {label!r} is empty")
    if label != label.strip() or any(c < " " or c == "\x7f" for c in label):
        raise UsageError(f"{what} {label!r} has surrounding spaces or control characters")
    if not label.isprintable():
        bad = ord(next(c for c in label if not c.isprintable()))
        char = f"byte 0x{bad - 0xDC00:02x}, not UTF-8" if 0xDC80 <= bad <= 0xDCFF else f"U+{bad:04X}"
        raise UsageError(f"{what} {label!r} holds a character that does not print ({char})")
    expression = "${{" in label
    if expression and re.search(r"\b(?:matrix|strategy)\s*\.", label):
        raise UsageError(
            f"{what} {label!r} is an expression over each job's own matrix; a target must mean "
            "the same for every job it moves: a label, or an expression such as ${{ vars.RUNNER }} "
            "(--move-expressions is about the expressions jobs are moved from)"
        )
    for mark, name in ((",", "a comma"), (" ", "a space"), ("\t", "a tab")):
        if mark in label and not expression:
            if several is None:
                parts = [p for p in re.split(r"[,\s]+", label) if p]
                several = f"for a runner with all of these labels, name each: {' '.join('--to ' + p for p in parts)}"
            raise UsageError(f"{what} {label!r} holds {name}; {several}")


def check_labels(labels) -> tuple[str, ...]:
    """``labels`` checked (:func:`check_label`), each once; two that differ
    only in case are refused: GitHub matches labels in any case, so they
    name one label there, and two different ones on Gitea and Forgejo."""
    for label in labels:
        check_label(label)
    seen: dict[str, str] = {}
    for label in labels:
        other = seen.setdefault(label.lower(), label)
        if other != label:
            raise UsageError(f"target runner labels {other!r} and {label!r} differ only in case; name one of them")
    return tuple(dict.fromkeys(labels))  # a label named twice means it once: a runner has it or not


@dataclass(frozen=True)
class Retarget(Codemod):
    """Move the selected jobs to ``to`` (one label, or several that must all match).

    ``move_expressions`` and ``move_groups`` allow replacing an expression
    or a runner-group mapping; neither is moved otherwise. ``comments``
    (:class:`relane.comments.annotate.Comments`) adds relane's comment block to each
    moved job and drops stale comments from it.
    """

    to: tuple[str, ...]
    selector: Selector = field(default_factory=Selector)
    move_expressions: bool = False
    move_groups: bool = False
    comments: Comments | None = None

    name = "retarget"

    def __post_init__(self) -> None:
        if not self.to:
            raise UsageError("no target runner label")
        object.__setattr__(self, "to", check_labels(self.to))

    @property
    def target(self) -> str | list[str]:
        return self.to[0] if len(self.to) == 1 else list(self.to)

    @property
    def landing(self) -> tuple[str, ...]:
        return self.to

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
        if (runs_on.form.static and set(runs_on.labels) == set(self.to)) or (
            runs_on.form is Form.EXPRESSION and runs_on.data == self.target
        ):
            # Before --from: a re-run must see the jobs it moved as on target.
            # But a job whose record says relane moved it from labels outside
            # --from was another run's move (another migration to the same
            # label): this one leaves it, and its comment, alone.
            if self.selector.from_labels:
                from relane.comments.rollback import NO_RECORD, data_labels, recorded_runs_on

                was = NO_RECORD if job in workflow.crowded else recorded_runs_on(workflow.source, job)
                if was is not NO_RECORD and self.selector.label_reason(data_labels(was)):
                    wanted = ", ".join(sorted(self.selector.from_labels))
                    return (
                        Outcome.EXCLUDED,
                        Reason.OTHER_MOVE,
                        f"relane moved it to {_show(self.to)} from {_show(data_labels(was) or ['elsewhere'])}, "
                        f"none of the --from labels ({wanted})",
                    )
            return Outcome.ALREADY, Reason.ON_TARGET, f"already on {_show(self.to)}"
        movable = self.movable(runs_on.form)
        if runs_on.labels or movable:
            by_label = self.selector.label_reason(runs_on.labels)
            if by_label:
                return Outcome.EXCLUDED, by_label.code, by_label.text
        if movable and runs_on.form is Form.GROUP:
            from relane.read.tree import Alias, walk  # not loaded by a run that reads no file

            alias = next((n for n in walk(runs_on.node) if type(n) is Alias), None)
            if alias is not None:
                # relane's record of the group would name an anchor elsewhere
                # in the file: read on its own it does not parse, so the move
                # could not be rolled back.
                return (
                    Outcome.SKIPPED,
                    Reason.ALIAS,
                    f"runs-on group holds the YAML alias *{alias.name}, which relane's record could not give back",
                )
        if not movable:
            if runs_on.form is Form.ABSENT:
                if job.uses is not None:
                    return (
                        Outcome.SKIPPED,
                        Reason.REUSABLE,
                        f"reusable workflow call ({job.uses}); its runner is chosen in the called workflow",
                    )
                return Outcome.SKIPPED, Reason.NO_RUNS_ON, "job has no runs-on"
            code, text = _SKIPS[runs_on.form]
            return Outcome.SKIPPED, code, text.format(detail=runs_on.detail)
        if runs_on.form is Form.EXPRESSION:
            was = f"the expression {runs_on.detail}"
        elif runs_on.form is Form.GROUP:
            was = "a runner-group mapping"
        else:
            was = _show(runs_on.labels)
        return Outcome.MOVED, Reason.MOVED, f"moved from {was} to {_show(self.to)}"

    def transform(self, workflow: Workflow, context: Context = ALONE) -> Proposal:
        """A result for every job of ``workflow``, the edits, and the intended
        runs-on data of each moved job. Jobs in ``context.claimed`` are left
        to whoever claimed them."""
        from relane.edit.labels import replace_labels  # not loaded by a run that reads no file

        claimed = context.claimed
        results: list[JobResult] = []
        edits: list[Edit] = []
        intended: list[Intent] = []
        excluded = self.selector.workflow_reason(workflow)
        source = workflow.source
        comments = self.comments
        for job in workflow.jobs:
            outcome: Outcome
            code: str
            if claimed and job.id in claimed:
                outcome, code, reason = Outcome.EXCLUDED, Reason.CLAIMED, f"left to {claimed[job.id]}"
            else:
                outcome, code, reason = self.decide(workflow, job, excluded)
            # A comment goes on lines of its own above the line holding runs-on
            # (the block above a line several jobs' runs-on share is the
            # first job's, on every run).
            same_line = comments is not None and job in workflow.crowded
            if same_line and outcome is Outcome.MOVED:
                outcome, code = Outcome.SKIPPED, Reason.SAME_LINE
                reason = f"{workflow.crowded[job]}; there is no room for a comment"
            before = job.runs_on.data
            after = before
            job_edits: list[Edit] = []
            if outcome is Outcome.MOVED:
                node = job.runs_on.node
                key = job.node.key_node("runs-on") if job.node is not None else None
                assert node is not None and key is not None  # a moved job has a runs-on
                job_edits, after = replace_labels(source, key, node, self.to)
                edits.extend(job_edits)
                intended.append(Intent(node, after))
            comment = None
            dropped = 0
            if comments is not None:
                comment = "none"
                if (outcome is Outcome.MOVED or outcome is Outcome.ALREADY) and not same_line:
                    more, comment, dropped = comments.annotate(source, job, job_edits, before, self.target)
                    edits.extend(more)
            results.append(
                JobResult.of(workflow, job, outcome, code, reason, before, after, comment=comment, dropped=dropped)
            )
        return Proposal(tuple(results), tuple(edits), tuple(intended))


def _show(labels) -> str:
    labels = list(labels)
    return labels[0] if len(labels) == 1 else "[" + ", ".join(labels) + "]"
