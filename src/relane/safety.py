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
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
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

SELF_HOSTED_FORGES = (".gitea/", ".forgejo/")
"""Workflow folders of forges with no hosted runners, which compare labels exactly."""


def hosted(path: str, labels: Sequence[str]) -> bool:
    """Whether a job of ``path`` on ``labels`` runs on a GitHub-hosted runner.

    Gitea and Forgejo have no hosted runners: there ``ubuntu-latest`` is a
    label on a machine someone keeps.
    """
    return (
        bool(labels)
        and not path.startswith(SELF_HOSTED_FORGES)
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
    counts as reachable: relane cannot show it is not. A workflow further
    down a chain is said to be so in a sentence of its own (its upstream,
    the chain's length, where the chain starts and why), never by repeating
    the chain: the output stays linear in the number of workflows.
    """
    workflows = list(workflows)
    by_name: dict[str, list[Exposure]] = {}
    by_path: dict[str, Exposure] = {}
    callers: dict[str, list[Exposure]] = {}
    followers: dict[str, list[Exposure]] = {}
    for w in workflows:
        by_name.setdefault(w.name, []).append(w)
        by_path.setdefault(w.path, w)
        if w.name != w.path:
            by_name.setdefault(w.path, []).append(w)
        for called in w.calls:
            callers.setdefault(called, []).append(w)
        for name in w.after:
            followers.setdefault(name, []).append(w)
    why = {w.path: w.why for w in workflows if w.why}
    # Where each exposed workflow's chain starts, and how many links long it is.
    chain: dict[str, tuple[str, int]] = {path: (path, 0) for path in why}
    queue = deque(
        w for w in workflows
        if w.path not in why and ("workflow_run" in w.events or "workflow_call" in w.events)
    )
    # Each workflow is looked at once, then again each time one it follows
    # or is called by becomes exposed: first come, shortest chain.
    while queue:
        w = queue.popleft()
        if w.path in why:
            continue
        found = _after(w, by_name, why) if "workflow_run" in w.events else None
        if found is None and "workflow_call" in w.events:
            found = next(
                ((f"called by {c.path}", c.path) for c in callers.get(w.path, ()) if c.path in why), None
            )
        if found is None:
            continue
        hop, upstream = found
        if upstream is None:
            why[w.path] = hop
            chain[w.path] = (w.path, 0)
        else:
            start, links = chain[upstream]
            links += 1
            chain[w.path] = (start, links)
            if links == 1:
                why[w.path] = f"{hop}, which is {why[upstream]}"
            else:
                why[w.path] = (
                    f"{hop}, at the end of a chain of {links} workflow_run and workflow_call links "
                    f"from {start}, which is {why[start]}"
                )
        queue.extend(followers.get(w.name, ()))
        if w.name != w.path:
            queue.extend(followers.get(w.path, ()))
        queue.extend(by_path[c] for c in w.calls if c in by_path)
    return why


def _after(w: Exposure, by_name: dict[str, list[Exposure]], why: dict[str, str]) -> tuple[str, str | None] | None:
    """Why ``w``'s ``workflow_run`` exposes it, and the workflow it runs after
    (``None`` when that is not a workflow relane read)."""
    if not w.after:
        return "triggered by workflow_run of any workflow", None
    for name in w.after:
        upstream = by_name.get(name)
        if not upstream:
            return f"triggered by workflow_run of {name!r}, which relane did not read", None
        for u in upstream:
            if u.path in why:
                return f"triggered by workflow_run of {name!r}", u.path
    return None
