"""Plan a run over many files, verify every rewrite, then show or write it.

:func:`plan` is the library's front door: it discovers workflow files,
loads each, runs the codemod, verifies each rewrite and returns a
:class:`Plan`. Nothing is written until :meth:`Plan.write`, and nothing is
written at all if any file fails to load or verify.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from relane.diff import unified_diff
from relane.read.discover import WorkflowFile, discover
from relane.edit.ops import Edit, apply
from relane.model import Workflow, load
from relane.codemods.retarget import Caution, JobResult, Outcome, Retarget
from relane.safety import Exposure, expose, hosted
from relane.select import Selector
from relane.read.source import Source
from relane.read.tree import gc_paused
from relane.verify import verify
from relane.deliver.write import RealPaths, Replacement, WriteError, check_target, outside_root, write_all

if TYPE_CHECKING:
    from relane.comments.annotate import Comments


@dataclass(eq=False)
class FileChange:
    """One file's verified rewrite."""

    source: Source
    new_text: str
    edits: list[Edit]
    root: Path | None = None
    # Job id -> its runs-on data after the change, for each job whose runs-on
    # the change replaces (None when the change replaces other values too):
    # reports need not read the new text again.
    replaced_runs_on: dict[str, Any] | None = field(default=None, repr=False)

    @property
    def path(self) -> str:
        return self.source.path

    @cached_property
    def diff(self) -> str:
        return unified_diff(self.source, self.edits)

    @property
    def old_bytes(self) -> bytes:
        return self.source.encode()

    @property
    def new_bytes(self) -> bytes:
        return self.source.encode(self.new_text)


@dataclass(eq=False)
class Plan:
    """The outcome of a run before anything is written.

    ``changes`` holds the files that change; ``results`` every job considered;
    ``files`` every workflow path read; ``notes`` file-level remarks;
    ``codemod`` what was run (reports read its selector and comments);
    ``warnings`` what a reviewer must hear about: moves that put code from
    outside the repository on self-hosted runners (also on each job's
    result), files left unread because they lead outside the repository.
    """

    changes: list[FileChange] = field(default_factory=list)
    results: list[JobResult] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    target: str | list[str] | None = None
    codemod: Any = None
    warnings: list[Caution] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def diff(self) -> str:
        return "".join(change.diff for change in self.changes)

    def outcomes(self, outcome: Outcome) -> list[JobResult]:
        return [r for r in self.results if r.outcome is outcome]

    def counts(self) -> Counter:
        """Jobs per outcome."""
        return Counter(r.outcome for r in self.results)

    def write(self) -> list[str]:
        """Write every changed file in place; returns the paths written.

        Each file must still hold the bytes it was planned from. Every new
        file is staged before the first original is replaced, so a failure
        (a file changed meanwhile, a full disk, a permission) normally
        leaves every file as it was; the :class:`WriteError` names the
        files already written when one does not.
        """
        replacements = []
        real = RealPaths()
        for change in self.changes:
            file = change.source.file
            if file is None:
                raise WriteError("has no file on disk", change.path, [])
            target = check_target(file, change.root or file.parent, change.path, real)
            replacements.append(Replacement(target, change.new_bytes, change.old_bytes, change.path))
        return write_all(replacements)


def plan_workflow(workflow: Workflow, codemod: Retarget) -> tuple[list[JobResult], FileChange | None]:
    """Run ``codemod`` on one loaded workflow; the change is verified."""
    results, edits, intended = codemod.apply(workflow)
    return results, finish(workflow, edits, intended)


def finish(workflow: Workflow, edits: list[Edit], intended: dict[int, object]) -> FileChange | None:
    """Apply ``edits`` to a workflow and verify the result; ``None`` if nothing changes."""
    if not edits:
        return None
    source = workflow.source
    new_text = apply(source.text, edits)
    if new_text == source.text:
        return None
    verify(workflow.document, Source(source.path, new_text, source.bom), intended, edits)
    replaced = {job.id: intended[id(job.runs_on.node)] for job in workflow.jobs if id(job.runs_on.node) in intended}
    return FileChange(source, new_text, edits, replaced_runs_on=replaced if len(replaced) == len(intended) else None)


def plan(
    paths: Sequence[str | os.PathLike] = (".",),
    to: Sequence[str] | str = (),
    *,
    selector: Selector | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    move_expressions: bool = False,
    move_groups: bool = False,
    comments: Comments | None = None,
) -> Plan:
    """Plan moving the jobs ``selector`` picks under ``paths`` to ``to``.

    >>> p = plan(["."], "publish", selector=Selector.build(on=["@ship"], not_on=["@pr"]))
    >>> print(p.diff)            # doctest: +SKIP
    >>> p.write()                # doctest: +SKIP

    ``comments`` (:meth:`relane.comments.annotate.Comments.build`) adds relane's
    comment block to the moved jobs and drops stale comments from them.
    """
    labels = (to,) if isinstance(to, str) else tuple(to)
    codemod = Retarget(
        to=labels,
        selector=selector or Selector(),
        move_expressions=move_expressions,
        move_groups=move_groups,
        comments=comments,
    )
    return run(codemod, discover(paths, include, exclude))


def run(codemod: Retarget, files: Iterable[WorkflowFile]) -> Plan:
    """Apply ``codemod`` to each of ``files`` and gather a :class:`Plan`.

    Only changed files are kept whole; of the others, the plan keeps their
    path, their jobs' results and a few facts for the trigger rule.
    """
    result = Plan(target=codemod.target, codemod=codemod)
    each = Run(result)
    # The cycle collector stays off for the whole run, not just while each
    # tree is built: re-enabled between files, it walks every tree just built
    # and, as the plan grows, everything the plan holds, which made a run
    # over many files slower per file than over few. Nothing here makes
    # reference cycles; reference counting frees each file's tree.
    with gc_paused():
        for wf in files:
            workflow = each.read(wf)
            if workflow is None:
                continue
            results, change = plan_workflow(workflow, codemod)
            each.add(wf, results, codemod.to)
            if change is not None:
                change.root = wf.root
                result.changes.append(change)
    each.warn_unsafe_moves()
    return result


class Run:
    """What a run over many files does for each file besides its codemod:
    refuse files that lead outside the repository, read and load the rest,
    and gather what the unsafe-move rule needs (see :mod:`relane.safety`)."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.real = RealPaths()
        self.exposures: dict[Path, list[Exposure]] = {}
        # (plan holding the result, its index there, root, target shown)
        self.moves: list[tuple[Plan, int, Path, str]] = []

    def read(self, wf: WorkflowFile) -> Workflow | None:
        """The workflow in ``wf``, or ``None`` (with a warning) if it lies outside its root."""
        plan = self.plan
        outside = outside_root(wf.file, wf.root, self.real)
        if outside:
            plan.warnings.append(Caution("outside-root", outside, wf.path))
            return None
        workflow = load(Source.read(wf.file, wf.path), require_mapping=wf.named)
        plan.files.append(wf.path)
        if not workflow.jobs:
            plan.notes.append((wf.path, "no jobs"))
        self.exposures.setdefault(wf.root, []).append(Exposure.of(workflow))
        return workflow

    def add(
        self, wf: WorkflowFile, results: list[JobResult], to: Sequence[str], into: Plan | None = None
    ) -> None:
        """Record ``results`` of a codemod that moves jobs of ``wf`` to
        ``to`` (none: moves back), in ``into`` (default: the run's plan)."""
        plan = self.plan if into is None else into
        if to and not hosted(wf.path, to):
            start = len(plan.results)
            shown = ", ".join(to)
            self.moves.extend(
                (plan, start + i, wf.root, shown) for i, r in enumerate(results) if r.outcome is Outcome.MOVED
            )
        plan.results.extend(results)

    def warn_unsafe_moves(self) -> None:
        """Warn about each move of a job outsiders can trigger onto a label
        that is not GitHub-hosted."""
        exposed = {root: expose(found) for root, found in self.exposures.items()} if self.moves else {}
        for plan, i, root, target in self.moves:
            r = plan.results[i]
            why = exposed[root].get(r.workflow)
            if why is None:
                continue
            caution = Caution(
                "untrusted-trigger",
                f"moved to self-hosted {target}, where code from outside the repository could run: "
                f"the workflow is {why}",
                r.workflow,
                r.job,
                r.line,
            )
            plan.results[i] = replace(r, warnings=r.warnings + (caution,))
            plan.warnings.append(caution)
            if plan is not self.plan:
                self.plan.warnings.append(caution)
