"""Which jobs a run considers: job globs, trigger conditions, current labels.

Conditions of different kinds combine with AND; repeats of one kind with OR.
A job that fails a condition is *excluded*, and the reason names the
condition, so reports can say why a job was left alone.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from typing import TYPE_CHECKING

from relane.codemod import Caution, Notice, Reason
from relane.errors import UsageError

if TYPE_CHECKING:  # the command's options read this module: no YAML at start-up
    from relane.model import Job, Workflow

EVENT_GROUPS: dict[str, tuple[str, ...]] = {
    "pr": ("pull_request", "pull_request_target", "merge_group"),
    "ship": (
        "push",
        "workflow_dispatch",
        "workflow_run",
        "schedule",
        "release",
        "repository_dispatch",
    ),
}
"""Named event groups for ``--on`` / ``--not-on``, written ``@name``."""


_EVENT_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")  # every Actions event: push, pull_request_target, ...

EVENTS: frozenset[str] = frozenset(
    {
        # GitHub Actions
        "branch_protection_rule", "check_run", "check_suite", "create", "delete", "deployment",
        "deployment_status", "discussion", "discussion_comment", "fork", "gollum", "image_version",
        "issue_comment", "issues", "label", "merge_group", "milestone", "page_build", "project",
        "project_card", "project_column", "public", "pull_request", "pull_request_review",
        "pull_request_review_comment", "pull_request_target", "push", "registry_package", "release",
        "repository_dispatch", "schedule", "status", "watch", "workflow_call", "workflow_dispatch",
        "workflow_run",
        # Gitea and Forgejo only
        "pull_request_comment",
    }
)
"""The events that trigger a workflow on GitHub, Gitea or Forgejo."""


def expand_events(names: Iterable[str]) -> frozenset[str]:
    """Event names with every ``@group`` replaced by its members.

    A name that no forge's event could have (empty, capitals, a hyphen) is
    a :class:`UsageError`: as a condition it would silently match nothing,
    and under ``--not-on`` exclude nothing.
    """
    events: set[str] = set()
    for name in names:
        parts = [p.strip() for p in name.split(",")]
        if not all(parts):
            raise UsageError(f"empty event name in {name!r}")
        for part in parts:
            if not part.startswith("@") and not _EVENT_NAME.match(part):
                meant = re.sub(r"[^a-z0-9_]", "_", part.lower())
                raise UsageError(f"{part!r} is not an event name (event names look like {meant!r})")
            if not part.startswith("@") and part not in EVENTS:
                raise UsageError(f"{part!r} is not an Actions event{_closest(part, EVENTS)}")
            if part.startswith("@"):
                group = EVENT_GROUPS.get(part[1:])
                if group is None:
                    known = ", ".join("@" + g for g in EVENT_GROUPS)
                    raise UsageError(f"unknown event group {part!r} (known: {known})")
                events.update(group)
            else:
                events.add(part)
    return frozenset(events)


def _closest(word: str, choices: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the choice closest to ``word``, or nothing."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


@dataclass(frozen=True)
class JobPattern:
    """``WORKFLOW_GLOB[:JOB_GLOB]`` as given to ``--job``.

    The workflow glob matches the file name, the name without its extension,
    the repository-relative path, or the workflow's ``name:`` (as the forge
    shows it); a name holding a colon is written in double quotes
    (``"CI: build":lint``).
    """

    workflow: str
    job: str = "*"

    @classmethod
    def parse(cls, text: str) -> JobPattern:
        if text.startswith('"') and '"' in text[1:]:
            end = text.index('"', 1)
            workflow, rest = text[1:end], text[end + 1 :]
            sep, job = rest[:1], rest[1:]
            if rest and sep != ":":
                raise UsageError(f"--job {text!r}: expected \"WORKFLOW NAME\"[:JOB_GLOB]")
        else:
            workflow, sep, job = text.partition(":")
        if not workflow or (sep and not job):
            raise UsageError(f"--job {text!r}: expected WORKFLOW_GLOB[:JOB_GLOB]")
        return cls(workflow, job or "*")

    def matches_workflow(self, path: str, name: str | None = None) -> bool:
        """Whether the glob matches the workflow at ``path`` (whose ``name:`` is ``name``)."""
        file = path.rsplit("/", 1)[-1]
        stem = file.rsplit(".", 1)[0]
        shown = (file, stem, path) if name is None else (file, stem, path, name)
        return any(fnmatchcase(s, self.workflow) for s in shown)

    def matches(self, workflow: Workflow) -> bool:
        return self.matches_workflow(workflow.path, workflow.name)

    def __str__(self) -> str:
        return f"{self.workflow}:{self.job}"


@dataclass(frozen=True)
class Selector:
    """The jobs a run considers for a move.

    ``jobs``: job patterns (any may match); ``on``: the workflow must have at
    least one of these events; ``not_on``: it must have none of them;
    ``from_labels``: the job's current runs-on must hold one of them (in
    any case: ``macos-latest`` matches ``macOS-latest``). Empty
    means "no condition". Event names may be ``@groups``.
    """

    jobs: tuple[JobPattern, ...] = ()
    on: frozenset[str] = field(default_factory=frozenset)
    not_on: frozenset[str] = field(default_factory=frozenset)
    from_labels: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def build(
        cls,
        jobs: Iterable[str | JobPattern] = (),
        on: Iterable[str] = (),
        not_on: Iterable[str] = (),
        from_labels: Iterable[str] = (),
    ) -> Selector:
        from_labels = tuple(from_labels)
        for label in from_labels:
            if not label.strip():
                raise UsageError(f"--from label {label!r} is empty: it would match no job")
        return cls(
            tuple(j if isinstance(j, JobPattern) else JobPattern.parse(j) for j in jobs),
            expand_events(on),
            expand_events(not_on),
            frozenset(from_labels),
        )

    def workflow_reason(self, workflow: Workflow) -> Exclusion | None:
        """Why every job of ``workflow`` is excluded, or ``None``."""
        if self.jobs and not any(p.matches(workflow) for p in self.jobs):
            return Exclusion(Reason.NOT_SELECTED, "workflow not matched by --job")
        events = set(workflow.events)
        hit = [e for e in workflow.events if e in self.not_on]
        if hit:
            return Exclusion(Reason.TRIGGER, f"{', '.join(hit)}-triggered (--not-on)")
        if self.on and not events & self.on:
            have = ", ".join(workflow.events) or "nothing"
            return Exclusion(Reason.TRIGGER, f"no --on trigger (triggered by {have})")
        return None

    def job_reason(self, workflow: Workflow, job: Job) -> Exclusion | None:
        """Why ``job`` is excluded by the job patterns, or ``None``."""
        if self.jobs and not any(
            p.matches(workflow) and fnmatchcase(job.id, p.job) for p in self.jobs
        ):
            return Exclusion(Reason.NOT_SELECTED, "job not matched by --job")
        return None

    @cached_property
    def _from_folded(self) -> frozenset[str]:
        # Case-insensitive, as GitHub matches runner labels: --from macos-latest finds macOS-latest.
        return frozenset(label.lower() for label in self.from_labels)

    def label_reason(self, labels: Iterable[str]) -> Exclusion | None:
        """Why a job on ``labels`` is excluded by ``--from``, or ``None``."""
        if self.from_labels and self._from_folded.isdisjoint(label.lower() for label in labels):
            wanted = ", ".join(sorted(self.from_labels))
            return Exclusion(Reason.LABEL, f"runs-on has none of the --from labels ({wanted})")
        return None


@dataclass(frozen=True)
class Exclusion:
    """Why a selector left a job out: a stable ``code`` and plain words."""

    code: str
    text: str


class Unmatched:
    """Which values of a selector match nothing in the workflows seen.

    A ``--job`` glob that names no workflow or no job, a ``--from`` label
    no job runs on (nor is moved to: a re-run finds the jobs on the target),
    an ``--on`` condition no workflow meets: each is likely a typo that
    would otherwise select nothing in silence. Feed every workflow read to
    :meth:`see`; :meth:`warnings` says what matched nothing.
    """

    @classmethod
    def of(cls, codemod) -> Unmatched | None:
        """The tracker for a codemod's selector (``None`` when it has none)."""
        selector = getattr(codemod, "selector", None)
        inputs = getattr(codemod, "follows_inputs", False)
        return None if selector is None else cls(selector, getattr(codemod, "to", ()), inputs)

    def __init__(self, selector: Selector, to: Iterable[str] = (), inputs: bool = False) -> None:
        self.selector = selector
        self._inputs = inputs  # a job on an input runs on every label the inputs give it
        self._to = frozenset(label.lower() for label in to)
        self._workflows: set[int] = set()
        self._jobs: set[int] = set()
        self._labels: set[str] = set()
        self._on = False

    def see(self, workflow: Workflow) -> None:
        selector = self.selector
        for i, pattern in enumerate(selector.jobs):
            if pattern.matches(workflow):
                self._workflows.add(i)
                if any(fnmatchcase(job.id, pattern.job) for job in workflow.jobs):
                    self._jobs.add(i)
        if selector.on and not self._on:
            self._on = not selector.on.isdisjoint(workflow.events)
        if selector.from_labels:
            from relane.codemods.inputs import input_label_sets
            from relane.codemods.matrix import effective

            for job in workflow.jobs:
                labels = {label.lower() for label in job.runs_on.labels}
                # A runs-on naming the matrix runs on every label the matrix gives it.
                self._labels |= {label.lower() for labels in effective(job) or () for label in labels}
                if self._inputs:
                    self._labels |= {label.lower() for labels in input_label_sets(workflow, job) for label in labels}
                self._labels |= labels
                if self._to and labels == self._to:
                    self._labels |= selector._from_folded  # already moved: --from did its work

    def warnings(self) -> list[str]:
        selector = self.selector
        found = []
        for i, pattern in enumerate(selector.jobs):
            if i not in self._workflows:
                shown = str(pattern) if pattern.job != "*" else pattern.workflow
                found.append(f"--job {shown!r} matches no workflow (by file name, path or name:)")
            elif i not in self._jobs:
                found.append(f"--job {str(pattern)!r} matches no job of the workflows it names")
        for label in sorted(selector.from_labels):
            if label.lower() not in self._labels:
                found.append(f"--from {label!r} matches no job's runs-on{_closest(label, self._labels)}")
        if selector.on and not self._on:
            found.append(f"--on matches no workflow: none is triggered by {', '.join(sorted(selector.on))}")
        return found

    def cautions(self) -> tuple[Caution, ...]:
        """:meth:`warnings` as the cautions of a run (of no one workflow)."""
        return tuple(Caution(Notice.SELECTOR, text, "") for text in self.warnings())


def refuse_unmatched(warnings: Iterable[Caution]) -> None:
    """A :class:`UsageError` when ``warnings`` hold selector values that match
    nothing (for ``--check``: a misspelt ``--job`` or ``--from`` would
    otherwise pass a CI check for ever)."""
    n = sum(1 for w in warnings if w.code == Notice.SELECTOR)
    if n:
        raise UsageError(f"{n} selector{'s' if n != 1 else ''} matching nothing and --check")
