"""Which jobs a run considers: job globs, trigger conditions, current labels.

Conditions of different kinds combine with AND; repeats of one kind with OR.
A job that fails a condition is *excluded*, and the reason names the
condition, so reports can say why a job was left alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Iterable

from relane.codemod import Reason
from relane.errors import UsageError
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
            if part.startswith("@"):
                group = EVENT_GROUPS.get(part[1:])
                if group is None:
                    known = ", ".join("@" + g for g in EVENT_GROUPS)
                    raise UsageError(f"unknown event group {part!r} (known: {known})")
                events.update(group)
            else:
                events.add(part)
    return frozenset(events)


@dataclass(frozen=True)
class JobPattern:
    """``WORKFLOW_GLOB[:JOB_GLOB]`` as given to ``--job``."""

    workflow: str
    job: str = "*"

    @classmethod
    def parse(cls, text: str) -> JobPattern:
        workflow, sep, job = text.partition(":")
        if not workflow or (sep and not job):
            raise UsageError(f"--job {text!r}: expected WORKFLOW_GLOB[:JOB_GLOB]")
        return cls(workflow, job or "*")

    def matches_workflow(self, path: str) -> bool:
        name = path.rsplit("/", 1)[-1]
        stem = name.rsplit(".", 1)[0]
        return any(fnmatchcase(s, self.workflow) for s in (name, stem, path))

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
        return cls(
            tuple(j if isinstance(j, JobPattern) else JobPattern.parse(j) for j in jobs),
            expand_events(on),
            expand_events(not_on),
            frozenset(from_labels),
        )

    def workflow_reason(self, workflow: Workflow) -> Exclusion | None:
        """Why every job of ``workflow`` is excluded, or ``None``."""
        if self.jobs and not any(p.matches_workflow(workflow.path) for p in self.jobs):
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
            p.matches_workflow(workflow.path) and fnmatchcase(job.id, p.job) for p in self.jobs
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
