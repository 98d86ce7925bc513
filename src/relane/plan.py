"""Plan a run over many files, verify every rewrite, then show or write it.

:func:`plan` is the library's front door: it discovers workflow files,
loads each, runs the codemod, verifies each rewrite and returns a
:class:`Plan`. Nothing is written until :meth:`Plan.write`, and nothing is
written at all if any file fails to load or verify.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from .diff import unified_diff
from .discover import WorkflowFile, discover
from .edit import Edit, apply
from .model import Workflow, load
from .retarget import JobResult, Outcome, Retarget
from .select import Selector
from .source import Source
from .tree import gc_paused
from .verify import verify
from .write import WriteError, atomic_write, check_target

if TYPE_CHECKING:
    from .comments import Comments


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
    ``codemod`` what was run (reports read its selector and comments).
    """

    changes: list[FileChange] = field(default_factory=list)
    results: list[JobResult] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)
    target: str | list[str] | None = None
    codemod: Any = None

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

        Each file must still hold the bytes it was planned from. On the first
        failure writing stops with a :class:`WriteError` naming the files
        already written.
        """
        targets = []
        for change in self.changes:
            file = change.source.file
            if file is None:
                raise WriteError("has no file on disk", change.path, [])
            targets.append(check_target(file, change.root or file.parent, change.path))
        written: list[str] = []
        for change, target in zip(self.changes, targets):
            try:
                atomic_write(target, change.new_bytes, change.old_bytes, change.path)
            except WriteError:
                raise
            except Exception as exc:
                raise WriteError(getattr(exc, "message", str(exc)), change.path, written) from None
            written.append(change.path)
        return written


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
    verify(workflow.document, Source(source.path, new_text, source.bom), intended)
    return FileChange(source, new_text, edits)


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

    ``comments`` (:meth:`relane.comments.Comments.build`) adds relane's
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
    """Apply ``codemod`` to each of ``files`` and gather a :class:`Plan`."""
    result = Plan(target=codemod.target, codemod=codemod)
    # The cycle collector stays off for the whole run, not just while each
    # tree is built: re-enabled between files, it walks every tree just built
    # and, as the plan grows, everything the plan holds, which made a run
    # over many files slower per file than over few. Nothing here makes
    # reference cycles; reference counting frees each file's tree.
    with gc_paused():
        for wf in files:
            source = Source.read(wf.file, wf.path)
            workflow = load(source, require_mapping=wf.named)
            result.files.append(wf.path)
            if not workflow.jobs:
                result.notes.append((wf.path, "no jobs"))
            results, change = plan_workflow(workflow, codemod)
            result.results.extend(results)
            if change is not None:
                change.root = wf.root
                result.changes.append(change)
    return result
