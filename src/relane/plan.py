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
from typing import Iterable, Sequence

from .diff import unified_diff
from .discover import WorkflowFile, discover
from .edit import Edit, apply
from .model import Workflow, load
from .retarget import Caution, JobResult, Outcome, Retarget
from .safety import Exposure, expose, hosted
from .select import Selector
from .source import Source
from .verify import verify
from .write import RealPaths, Replacement, WriteError, check_target, write_all


@dataclass(eq=False)
class FileChange:
    """One file's verified rewrite."""

    source: Source
    new_text: str
    edits: list[Edit]
    root: Path | None = None

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
    ``warnings`` what a reviewer must hear about: moves that put code from
    outside the repository on self-hosted runners (also on each job's
    result), files left unread because they lead outside the repository.
    """

    changes: list[FileChange] = field(default_factory=list)
    results: list[JobResult] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    target: str | list[str] | None = None
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
    if not edits:
        return results, None
    source = workflow.source
    new_text = apply(source.text, edits)
    if new_text == source.text:
        return results, None
    verify(workflow.document, Source(source.path, new_text, source.bom), intended)
    return results, FileChange(source, new_text, edits)


def plan(
    paths: Sequence[str | os.PathLike] = (".",),
    to: Sequence[str] | str = (),
    *,
    selector: Selector | None = None,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    move_expressions: bool = False,
    move_groups: bool = False,
) -> Plan:
    """Plan moving the jobs ``selector`` picks under ``paths`` to ``to``.

    >>> p = plan(["."], "publish", selector=Selector.build(on=["@ship"], not_on=["@pr"]))
    >>> print(p.diff)            # doctest: +SKIP
    >>> p.write()                # doctest: +SKIP
    """
    labels = (to,) if isinstance(to, str) else tuple(to)
    codemod = Retarget(
        to=labels,
        selector=selector or Selector(),
        move_expressions=move_expressions,
        move_groups=move_groups,
    )
    return run(codemod, discover(paths, include, exclude))


def run(codemod: Retarget, files: Iterable[WorkflowFile]) -> Plan:
    """Apply ``codemod`` to each of ``files`` and gather a :class:`Plan`.

    Only changed files are kept whole; of the others, the plan keeps their
    path, their jobs' results and a few facts for the trigger rule.
    """
    result = Plan(target=codemod.target)
    exposures: dict[Path, list[Exposure]] = {}
    unhosted_moves: list[tuple[Path, int]] = []
    real = RealPaths()
    for wf in files:
        if not real.inside(wf.file, wf.root):
            result.warnings.append(
                Caution("outside-root", f"leads to {real(wf.file)}, outside the repository; not read", wf.path)
            )
            continue
        source = Source.read(wf.file, wf.path)
        workflow = load(source, require_mapping=wf.named)
        result.files.append(wf.path)
        if not workflow.jobs:
            result.notes.append((wf.path, "no jobs"))
        results, change = plan_workflow(workflow, codemod)
        exposures.setdefault(wf.root, []).append(Exposure.of(workflow))
        if not hosted(wf.path, codemod.to):
            start = len(result.results)
            unhosted_moves.extend(
                (wf.root, start + i) for i, r in enumerate(results) if r.outcome is Outcome.MOVED
            )
        result.results.extend(results)
        if change is not None:
            change.root = wf.root
            result.changes.append(change)
    _warn_unsafe_moves(result, exposures, unhosted_moves)
    return result


def _warn_unsafe_moves(plan: Plan, exposures: dict[Path, list[Exposure]], moves: list[tuple[Path, int]]) -> None:
    """Warn about each move of a job outsiders can trigger onto a label that
    is not GitHub-hosted (see :mod:`relane.safety`)."""
    exposed = {root: expose(found) for root, found in exposures.items()} if moves else {}
    target = plan.target if isinstance(plan.target, str) else ", ".join(plan.target or ())
    for root, i in moves:
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
