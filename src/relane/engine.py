"""Run codemods over workflow files: read, propose, verify, diff, then write.

:func:`run` is the library's front door for any :class:`~relane.codemod.Codemod`:
for each file it reads and loads the workflow, lets the codemod propose
results and span edits, applies them, re-parses the result and checks it
against the data the codemod intends (:func:`relane.changes.rewrite`), and
keeps a :class:`FileChange` (with its diff) for each file that changes.
Every file ends as changed, unchanged or refused (:class:`FileResult`), so
one unreadable file does not stop a library run; :meth:`Plan.check` raises
the first refusal for callers that want all or nothing (the command line,
unless ``--skip-invalid``). Nothing is written until :meth:`Plan.write`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relane.changes import FileChange, FileResult, FileStatus, rewrite
from relane.codemod import ALONE, Caution, Codemod, Context, Intent, JobResult, Notice, Outcome
from relane.collector import gc_paused
from relane.deliver.write import RealPaths, Replacement, WriteError, check_target, outside_root, write_all
from relane.errors import InputError, UsageError, VerificationError
from relane.read.source import Source
from relane.safety import Exposure, expose, hosted

if TYPE_CHECKING:
    from relane.edit.ops import Edit
    from relane.model import Workflow
    from relane.read.files import WorkflowFile


# The context of a codemod run alone: no job claimed by another.
@dataclass(frozen=True, eq=False)
class Plan:
    """The outcome of a run before anything is written.

    ``changes`` holds the files that change; ``results`` every job considered;
    ``files`` every workflow path read; ``file_results`` how each file
    ended (refused ones included); ``notes`` file-level remarks; ``codemod`` what
    was run (reports read its selector and comments); ``warnings`` what a
    reviewer must hear about: moves that put code from outside the
    repository on self-hosted runners (also on each job's result), files
    left unread because they lead outside the repository.
    """

    changes: tuple[FileChange, ...] = ()
    results: tuple[JobResult, ...] = ()
    files: tuple[str, ...] = ()
    notes: tuple[tuple[str, str], ...] = ()
    target: Any = None
    codemod: Any = None
    warnings: tuple[Caution, ...] = ()
    file_results: tuple[FileResult, ...] = ()
    roots: Mapping[str, str] = field(default_factory=dict)
    """In a run over several roots (:mod:`relane.roots`): each workflow path
    (relative to the current folder, as every report shows it then) and its root."""

    @property
    def changed(self) -> bool:
        return bool(self.changes)

    @property
    def diff(self) -> str:
        return "".join(change.diff for change in self.changes)

    @property
    def refused(self) -> tuple[FileResult, ...]:
        return tuple(f for f in self.file_results if f.status is FileStatus.REFUSED)

    def outcomes(self, outcome: Outcome) -> list[JobResult]:
        """The results with ``outcome``."""
        return [r for r in self.results if r.outcome is outcome]

    def counts(self) -> Counter:
        """Jobs per outcome."""
        return Counter(r.outcome for r in self.results)

    def check(self, *, strict: bool = False) -> None:
        """Raise the first refused file's error, if any; with ``strict``, also
        a :class:`StrictError` when there are warnings."""
        for refused in self.refused:
            assert refused.error is not None
            raise refused.error
        if strict and self.warnings:
            raise StrictError(len(self.warnings))

    def write(self) -> list[str]:
        """Write every changed file in place; returns the paths written.

        Each change must be verified (made by :func:`rewrite`) and each file
        must still hold the bytes it was planned from. Every new file is
        staged before the first original is replaced, so a failure (a file
        changed meanwhile, a full disk, a permission) normally leaves every
        file as it was; the :class:`~relane.deliver.write.WriteError` names
        the files already written when one does not.
        """
        replacements = []
        real = RealPaths()
        for change in self.changes:
            if not change.verified:
                raise VerificationError("change was not verified (make it with relane.rewrite)", change.path)
            file = change.source.file
            if file is None:
                raise WriteError("has no file on disk", change.path, [])
            target = check_target(file, change.root or file.parent, change.path, real)
            replacements.append(Replacement(target, change.new_bytes, change.old_bytes, change.path))
        return write_all(replacements)


class StrictError(UsageError):
    """Warnings with ``strict``: nothing is written."""

    def __init__(self, count: int) -> None:
        super().__init__(f"{count} warning{'s' if count != 1 else ''} and --strict; nothing written")


def plan_workflow(
    workflow: Workflow, codemod: Codemod, context: Context = ALONE
) -> tuple[tuple[JobResult, ...], FileChange | None]:
    """Run ``codemod`` on one loaded workflow: its results and the verified
    change (``None`` when the file stays as it is)."""
    proposal = codemod.transform(workflow, context)
    return proposal.results, rewrite(workflow, proposal.edits, proposal.intended)


def run(codemod: Codemod, files: Iterable[WorkflowFile], watch: Watch | None = None) -> Plan:
    """Run ``codemod`` on each of ``files`` and gather a :class:`Plan`.

    Only changed files are kept whole; of the others, the plan keeps their
    path, their jobs' results and a few facts for the trigger rule.
    """
    combined, _ = run_all([(codemod, files)], watch=watch)
    return combined


Watch = Callable[[int, "Workflow"], None]
"""Called with each codemod's index and each workflow it is about to see."""


def run_all(
    runs: Sequence[tuple[Codemod, Iterable[WorkflowFile]]], names: Sequence[str] = (), watch: Watch | None = None
) -> tuple[Plan, list[Plan]]:
    """Run several codemods in one pass over their files; returns the plan of
    the whole run and one per codemod (its ``changes``: the files it had a
    hand in).

    Each file is read once; the codemods whose files include it see it in
    the order given, and a job the first one moves (or finds on its target)
    is claimed: later ones leave it to ``names[i]`` (default: the codemod's
    name). The edits of all of them are verified together. ``watch``, when
    given, sees each workflow each codemod sees (for the selector warnings).
    """
    parts = [_Gather(codemod, codemod.target) for codemod, _ in runs]
    whole = _Gather(runs[0][0] if len(runs) == 1 else None, None)
    if len(runs) == 1:
        parts = [whole]
    each = _Run(whole)
    # Each file once, however many codemods (or symlinks) name it.
    files: dict[str, tuple[WorkflowFile, list[int]]] = {}
    for i, (_, found) in enumerate(runs):
        for wf in found:
            files.setdefault(each.real.real(wf.file), (wf, []))[1].append(i)
    who = [names[i] if i < len(names) else codemod.name for i, (codemod, _) in enumerate(runs)]
    # The cycle collector stays off for the whole run, not just while each
    # tree is built: re-enabled between files, it walks every tree just built
    # and, as the plan grows, everything the plan holds, which made a run
    # over many files slower per file than over few. Nothing here makes
    # reference cycles; reference counting frees each file's tree.
    with gc_paused():
        for wf, members in files.values():
            mark = each.mark(parts)
            try:
                workflow = each.read(wf)
                if workflow is None:
                    continue
                claimed: dict[str, str] = {}
                edits: list[Edit] = []
                intended: list[Intent] = []
                touched = []
                for i in members:
                    codemod, part = runs[i][0], parts[i]
                    if part is not whole:
                        part.files.append(wf.path)
                        if not workflow.jobs:
                            part.notes.append((wf.path, "no jobs"))
                    if watch is not None:
                        watch(i, workflow)
                    proposal = codemod.transform(workflow, Context(claimed))
                    each.add(wf, proposal.results, codemod.landing, part)
                    # What a codemod found a reviewer must hear about (a label
                    # map's matrix values read elsewhere, an architecture change).
                    heard = [w for r in proposal.results for w in r.warnings]
                    part.warnings.extend(heard)
                    if part is not whole:
                        whole.warnings.extend(heard)
                    for r in proposal.results:
                        if r.outcome is Outcome.MOVED or r.outcome is Outcome.ALREADY:
                            claimed.setdefault(r.job, who[i])
                    if proposal.edits:
                        touched.append(part)
                    edits.extend(proposal.edits)
                    intended.extend(proposal.intended)
                change = rewrite(workflow, edits, intended, wf.root, each.stored(wf))
            except (InputError, VerificationError) as exc:
                # A file refused halfway leaves no results: none of them happened.
                each.undo(mark)
                whole.file_results.append(FileResult(wf.path, FileStatus.REFUSED, error=exc))
                continue
            if change is None:
                whole.file_results.append(FileResult(wf.path, FileStatus.UNCHANGED))
                continue
            whole.file_results.append(FileResult(wf.path, FileStatus.CHANGED, change))
            whole.changes.append(change)
            for part in touched:
                if part is not whole:
                    part.changes.append(change)
        each.warn_unsafe_moves()
        if len(runs) > 1:
            for part in parts:
                whole.results.extend(part.results)
            targets = {repr(part.target) for part in parts}
            if len(targets) == 1:
                whole.target = parts[0].target
        return whole.freeze(), [part.freeze() for part in parts]


class _Gather:
    """A :class:`Plan` being filled in."""

    def __init__(self, codemod: Any, target: Any) -> None:
        self.codemod = codemod
        self.target = target if codemod is None else codemod.target
        self.changes: list[FileChange] = []
        self.results: list[JobResult] = []
        self.files: list[str] = []
        self.notes: list[tuple[str, str]] = []
        self.warnings: list[Caution] = []
        self.file_results: list[FileResult] = []
        self._frozen: Plan | None = None

    def freeze(self) -> Plan:
        if self._frozen is None:
            self._frozen = Plan(
                changes=tuple(self.changes),
                results=tuple(self.results),
                files=tuple(self.files),
                notes=tuple(self.notes),
                target=self.target,
                codemod=self.codemod,
                warnings=tuple(self.warnings),
                file_results=tuple(self.file_results),
            )
        return self._frozen


class _Run:
    """What a run over many files does for each file besides its codemods:
    refuse files that lead outside the repository, read and load the rest,
    and gather what the unsafe-move rule needs (see :mod:`relane.safety`)."""

    def __init__(self, whole: _Gather) -> None:
        self.whole = whole
        self.real = RealPaths()
        self.exposures: dict[Path, list[Exposure]] = {}
        # (plan holding the result, its index there, root, target shown)
        self.moves: list[tuple[_Gather, int, Path, str]] = []

    def mark(self, parts: list[_Gather]) -> tuple:
        """Where the plans stand, to :meth:`undo` a file refused halfway."""
        gathers = list(dict.fromkeys([self.whole, *parts]))
        return (
            [(g, len(g.files), len(g.notes), len(g.results), len(g.warnings)) for g in gathers],
            len(self.moves),
        )

    def undo(self, mark: tuple) -> None:
        sizes, moves = mark
        for g, files, notes, results, warnings in sizes:
            del g.files[files:], g.notes[notes:], g.results[results:], g.warnings[warnings:]
        del self.moves[moves:]

    def read(self, wf: WorkflowFile) -> Workflow | None:
        """The workflow in ``wf``, or ``None`` (with a warning) if it lies outside its root."""
        whole = self.whole
        outside = outside_root(wf.file, wf.root, self.real)
        if outside:
            whole.warnings.append(Caution(Notice.OUTSIDE_ROOT, outside, wf.path))
            return None
        from relane.model import load  # the YAML reader: loaded with the first file

        workflow = load(Source.read(wf.file, wf.path), require_mapping=wf.named)
        whole.files.append(wf.path)
        if not workflow.jobs:
            whole.notes.append((wf.path, "no jobs"))
        self.exposures.setdefault(wf.root, []).append(Exposure.of(workflow))
        return workflow

    def stored(self, wf: WorkflowFile) -> str | None:
        """Where ``wf`` itself lies under its root when a symlink leads to
        it (``None`` when that is its path): its diff must name that file."""
        stored = self.real.relative(wf.file, wf.root)
        return stored if stored != wf.path else None

    def add(self, wf: WorkflowFile, results: Sequence[JobResult], to: Sequence[str], into: _Gather) -> None:
        """Record ``results`` of a codemod that moves jobs of ``wf`` onto
        ``to`` (none: no new exposure) in ``into``."""
        if to and not hosted(wf.path, to):
            start = len(into.results)
            shown = ", ".join(to)
            self.moves.extend(
                (into, start + i, wf.root, shown) for i, r in enumerate(results) if r.outcome is Outcome.MOVED
            )
        into.results.extend(results)

    def warn_unsafe_moves(self) -> None:
        """Warn about each move of a job outsiders can trigger onto a label
        that is not GitHub-hosted."""
        exposed = {root: expose(found) for root, found in self.exposures.items()} if self.moves else {}
        for part, i, root, target in self.moves:
            r = part.results[i]
            why = exposed[root].get(r.workflow)
            if why is None:
                continue
            caution = Caution(
                Notice.UNTRUSTED_TRIGGER,
                f"moved to self-hosted {target}, where code from outside the repository could run: "
                f"the workflow is {why}",
                r.workflow,
                r.job,
                r.line,
            )
            part.results[i] = replace(r, warnings=r.warnings + (caution,))
            part.warnings.append(caution)
            if part is not self.whole:
                self.whole.warnings.append(caution)
