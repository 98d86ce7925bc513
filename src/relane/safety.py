"""Moves that would put code from outside the repository on your own runners.

A job whose workflow people outside the repository can trigger (a fork's
pull request, a comment on an issue) runs their code or reads their input.
On GitHub-hosted runners each job gets a fresh virtual machine; on a
self-hosted runner it runs on a machine you keep, next to whatever else that
runner can reach. So moving such a job onto a label that is not
GitHub-hosted earns a warning. Sources: GitHub's "Security hardening for
GitHub Actions" (self-hosted runner security) and "Preventing pwn requests",
zizmor's ``dangerous-triggers`` and ``self-hosted-runner`` audits, and
Forgejo's Actions security page; see the README.

Triggers are judged per workflow, and followed through ``workflow_run``
(a workflow run after another one inherits its exposure) and
``workflow_call`` (a reusable workflow runs on the caller's events).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from relane.model import Workflow

OUTSIDE_EVENTS: dict[str, str] = {
    "pull_request": "a fork's pull request runs its own code",
    "pull_request_target": "it runs with the repository's secrets for a fork's pull request",
    "pull_request_review": "a fork's pull request runs its own code",
    "pull_request_review_comment": "a fork's pull request runs its own code",
    "issue_comment": "anyone who can comment triggers it",
    "issues": "anyone who can open an issue triggers it",
    "discussion": "anyone who can start a discussion triggers it",
    "discussion_comment": "anyone who can comment triggers it",
}
"""Events people outside the repository can cause, and what that means."""

GITHUB_HOSTED = re.compile(
    r"(ubuntu-(latest|slim|\d+\.\d+(-arm)?)"
    r"|windows-(latest|\d+(-arm|-vs\d+)?)"
    r"|macos-(latest|\d+)(-large|-xlarge|-intel)?)\Z",
    re.IGNORECASE,
)
"""Labels of GitHub's standard hosted runners, in any case (GitHub compares
labels case-insensitively: ``macOS-latest`` is ``macos-latest``). Larger
runners have names their owners choose, so relane cannot tell them from
self-hosted ones."""

_SELF_HOSTED_FORGES = (".gitea/", ".forgejo/")


def hosted(path: str, labels: Sequence[str]) -> bool:
    """Whether a job of ``path`` on ``labels`` runs on a GitHub-hosted runner.

    Gitea and Forgejo have no hosted runners: there ``ubuntu-latest`` is a
    label on a machine someone keeps.
    """
    return (
        bool(labels)
        and not path.startswith(_SELF_HOSTED_FORGES)
        and all(GITHUB_HOSTED.match(label) for label in labels)
    )


@dataclass
class Exposure:
    """What relane knows of one workflow for the rule: its events, the
    workflows ``workflow_run`` waits for, the local workflows it calls."""

    path: str
    name: str
    events: tuple[str, ...]
    after: tuple[str, ...] = ()
    calls: tuple[str, ...] = ()
    why: str | None = field(default=None)

    @classmethod
    def of(cls, workflow: Workflow) -> Exposure:
        after: tuple[str, ...] = ()
        for trigger in workflow.triggers:
            if trigger.event == "workflow_run":
                after = trigger.filter("workflows")
        calls = tuple(
            job.uses[2:].split("@")[0] for job in workflow.jobs if job.uses and job.uses.startswith("./")
        )
        direct = [e for e in workflow.events if e in OUTSIDE_EVENTS]
        why = f"triggered by {direct[0]} ({OUTSIDE_EVENTS[direct[0]]})" if direct else None
        return cls(workflow.path, workflow.name or workflow.path, workflow.events, after, calls, why)


def expose(workflows: Iterable[Exposure]) -> dict[str, str]:
    """Path -> why, for every workflow outsiders can reach, directly or
    through ``workflow_run`` and ``workflow_call`` chains among ``workflows``.

    A ``workflow_run`` that names no workflow, or one relane did not read,
    counts as reachable: relane cannot show it is not.
    """
    workflows = list(workflows)
    by_name: dict[str, list[Exposure]] = {}
    callers: dict[str, list[Exposure]] = {}
    for w in workflows:
        by_name.setdefault(w.name, []).append(w)
        if w.name != w.path:
            by_name.setdefault(w.path, []).append(w)
        for called in w.calls:
            callers.setdefault(called, []).append(w)
    why = {w.path: w.why for w in workflows if w.why}
    pending = [
        w for w in workflows
        if w.path not in why and ("workflow_run" in w.events or "workflow_call" in w.events)
    ]
    changed = True
    while changed:
        changed = False
        for w in pending:
            if w.path in why:
                continue
            reason = _after(w, by_name, why) if "workflow_run" in w.events else None
            if reason is None and "workflow_call" in w.events:
                reason = next(
                    (f"called by {c.path}, which is {why[c.path]}" for c in callers.get(w.path, ()) if c.path in why),
                    None,
                )
            if reason:
                why[w.path] = reason
                changed = True
    return why


def _after(w: Exposure, by_name: dict[str, list[Exposure]], why: dict[str, str]) -> str | None:
    if not w.after:
        return "triggered by workflow_run of any workflow"
    for name in w.after:
        upstream = by_name.get(name)
        if not upstream:
            return f"triggered by workflow_run of {name!r}, which relane did not read"
        for u in upstream:
            if u.path in why:
                return f"triggered by workflow_run of {name!r}, which is {why[u.path]}"
    return None
