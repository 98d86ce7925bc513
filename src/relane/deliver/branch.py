"""Deliver a :class:`~relane.engine.Plan`: a new branch, a push, a pull request.

:func:`deliver` commits exactly the files the plan changes, with the bytes
the plan gives them, on a new branch made from a base commit, without
checking anything out: the user's branch, index and working tree stay as
they were. It refuses, changing nothing, when the path is not in a git
repository, the branch exists, there is nothing to change, or a file it
would change has uncommitted modifications (or differs in the base from
what relane read). It can then push the branch and open a pull request.

Everything that can be checked is checked before the first object is
written, the remote (by a dry-run push) and the forge included (its
token, the repository, label names). A push that fails all the same
removes the branch again.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from relane.codemods.retarget import Outcome
from relane.deliver.forge import ForgeError, PullRequest
from relane.deliver.forge.http import DEFAULT_TIMEOUT
from relane.deliver.git import GitError, Repository
from relane.engine import Plan
from relane.errors import UsageError

SUMMARY_LIMIT = 71  # a commit summary line stays under 72 characters


@dataclass(frozen=True)
class PullRequestOptions:
    """How to open the pull request; unset values come from the remote and the plan."""

    forge: str | None = None
    api_url: str | None = None
    title: str | None = None
    draft: bool = False
    labels: tuple[str, ...] = ()
    reviewers: tuple[str, ...] = ()
    timeout: float = DEFAULT_TIMEOUT
    body: str | None = None  # default: the markdown report of the plan


@dataclass(frozen=True)
class DeliverOptions:
    """Where the change goes: ``branch`` from ``base``; ``push`` names a remote."""

    branch: str
    base: str = "HEAD"
    message: str | None = None
    push: str | None = None
    pull_request: PullRequestOptions | None = None


@dataclass(frozen=True)
class Delivery:
    """What :func:`deliver` did."""

    branch: str
    commit: str
    base: str
    files: tuple[str, ...]
    remote: str | None = None
    pull_request: PullRequest | None = None

    @property
    def pushed(self) -> bool:
        return self.remote is not None

    def to_dict(self) -> dict[str, Any]:
        return {
            "branch": self.branch,
            "commit": self.commit,
            "base": self.base,
            "files": list(self.files),
            "pushed": self.pushed,
            "remote": self.remote,
            "pull_request": (
                {"number": self.pull_request.number, "url": self.pull_request.url}
                if self.pull_request
                else None
            ),
        }


@dataclass
class _Prepared:
    base: str
    files: dict[str, bytes] = field(default_factory=dict)
    modes: dict[str, str] = field(default_factory=dict)
    unfiltered: set[str] = field(default_factory=set)


def deliver(
    plan: Plan,
    options: DeliverOptions,
    *,
    path: str | os.PathLike = ".",
    env: Mapping[str, str] | None = None,
) -> Delivery:
    """Commit ``plan`` on a new branch in the repository holding ``path``.

    Raises :class:`~relane.deliver.git.GitError`, :class:`~relane.errors.UsageError`
    or :class:`~relane.deliver.forge.ForgeError` (all exit 2); before the branch
    exists, such an error means nothing was changed.
    """
    pr_options = options.pull_request
    if pr_options is not None and options.push is None:
        raise UsageError("a pull request needs the branch pushed: add --push")
    roots = sorted(set(plan.roots.values()))
    if len(roots) > 1 and not _one_repository(roots):
        raise UsageError(
            f"--branch commits in one repository, and this run covers several ({', '.join(roots)}); "
            "run once per repository"
        )
    repo = Repository.find(path)
    repo.check_branch_name(options.branch)
    if repo.branch_exists(options.branch):
        raise GitError(f"branch {options.branch!r} already exists; choose another name")
    clash = repo.branch_clash(options.branch)
    if clash is not None:
        raise GitError(
            f"branch {options.branch!r} cannot be made beside existing branch {clash!r} "
            "(one branch name cannot be a folder of another); choose another name"
        )
    if not plan.changes:
        raise UsageError("nothing to change; no branch created")
    prepared = _prepare(plan, repo, options.base)
    repo.check_identity()
    if options.push is not None:
        repo.remote_url(options.push)  # an unknown remote is refused before anything is written
        repo.check_push(options.push, options.branch, prepared.base)

    client = pr_base = labels = None
    if pr_options is not None:
        pr_base = repo.branch_of(options.base)
        if pr_base is None:
            raise UsageError(
                f"cannot tell which branch the pull request should target from base {options.base!r}; "
                "pass --base BRANCH"
            )
        assert options.push is not None  # refused above: a pull request needs the branch pushed
        if not repo.remote_has_branch(options.push, pr_base):
            raise GitError(
                f"{options.push} has no branch {pr_base!r} for the pull request to go into; "
                "push it first, or pass --base BRANCH"
            )
        client, labels = _connect(repo, options.push, pr_options, env)

    try:
        message = options.message or commit_message(plan)
        commit = repo.commit_files(
            prepared.base, prepared.files, prepared.modes, message, unfiltered=prepared.unfiltered
        )
        repo.create_branch(options.branch, commit)
        delivery = Delivery(options.branch, commit, prepared.base, tuple(prepared.files))
        if options.push is None:
            return delivery
        try:
            repo.push(options.push, options.branch)
        except GitError as exc:
            if repo.delete_branch(options.branch, commit):  # as before the run, so it can be run again
                raise GitError(
                    f"branch {options.branch!r} was not pushed to {options.push}, "
                    f"so relane removed it again: {exc.message}"
                ) from None
            raise GitError(
                f"branch {options.branch!r} was created at {commit[:12]} "
                f"but not pushed to {options.push}: {exc.message}"
            ) from None
        delivery = replace(delivery, remote=options.push)
        if client is None:
            return delivery
        assert pr_options is not None and pr_base is not None  # the client is made for a pull request only
        return _open(client, delivery, plan, pr_options, pr_base, labels)
    finally:
        if client is not None:
            client.api.close()


def _one_repository(roots: list[str]) -> bool:
    """Whether the roots of a run are all in one git repository (folders of a monorepo)."""
    found = set()
    for root in roots:
        try:
            found.add(Repository.find(root).root)
        except GitError:
            return False
    return len(found) == 1


def _prepare(plan: Plan, repo: Repository, base_ref: str) -> _Prepared:
    """Map the plan's files into the repository and check each may be committed."""
    prepared = _Prepared(repo.commit_id(base_ref))
    olds: dict[str, bytes] = {}
    for change in plan.changes:
        file = change.source.file
        rel = repo.relative(Path(file)) if file is not None else None
        if rel is None:
            raise GitError(f"{change.path}: not a file in the git repository at {repo.root}")
        prepared.files[rel] = change.new_bytes
        olds[rel] = change.old_bytes
    dirty = repo.uncommitted(list(prepared.files))
    if dirty:
        raise GitError(
            f"uncommitted changes in {', '.join(dirty)}; commit or stash them first "
            "(relane commits only its own change)"
        )
    entries = repo.tree_entries(prepared.base, list(prepared.files))
    for rel, old in olds.items():
        if rel not in entries:
            raise GitError(f"{rel} is not in base {base_ref!r}")
        mode, oid = entries[rel]
        committed = repo.blob(oid)
        # The file relane read is the base's when it holds the committed bytes
        # or when git's filters (core.autocrlf, eol attributes) turn it into them.
        if old != committed and repo.blob_id(rel, old) != oid:
            raise GitError(
                f"{rel} differs between base {base_ref!r} and the checked-out file relane read; "
                f"run relane on a checkout of {base_ref!r}"
            )
        prepared.modes[rel] = mode
        if b"\r" in committed:
            # git add leaves CRLF alone in a file committed with CRLF, even
            # under core.autocrlf; hash-object would not, so store as is.
            prepared.unfiltered.add(rel)
    return prepared


def _connect(repo: Repository, remote: str, options: PullRequestOptions, env):
    """The forge client and the labels it takes, checked before anything is written."""
    from relane.deliver import forge

    target = forge.locate(
        repo.remote_url(remote), forge=options.forge, api_url=options.api_url, remote_name=remote
    )
    client = forge.connect(target, forge.require_token(target.forge, env), timeout=options.timeout)
    try:
        client.check_repo()
        labels = client.resolve_labels(options.labels)
    except BaseException:
        client.api.close()
        raise
    return client, labels


def _open(client, delivery: Delivery, plan: Plan, options: PullRequestOptions, base: str, labels) -> Delivery:
    try:
        pr = client.open_pull_request(
            head=delivery.branch,
            base=base,
            title=options.title or summary_line(plan),
            body=fit_body(options.body if options.body is not None else pr_body(plan)),
            draft=options.draft,
            labels=labels,
        )
    except ForgeError as exc:
        raise ForgeError(
            f"{exc.message} (branch {delivery.branch!r} was pushed to {delivery.remote}; "
            "no pull request opened)",
            exc.status,
        ) from None
    try:
        client.finish_pull_request(pr, labels=labels, reviewers=options.reviewers)
    except ForgeError as exc:
        raise ForgeError(f"opened {pr.url}, but then: {exc.message}", exc.status) from None
    return replace(delivery, pull_request=pr)


def summary_line(plan: Plan) -> str:
    """A commit summary under 72 characters: what moved where."""
    from relane.render.format import show_value

    results = plan.outcomes(Outcome.MOVED)
    moved = len(results)
    if not moved:
        files = len(plan.changes)
        return f"Update runs-on in {files} workflow file{'s' if files != 1 else ''}"
    jobs = f"{moved} job{'s' if moved != 1 else ''}"
    if all(r.code == "moved-back" for r in results):  # a rollback: each to a runs-on of its own
        return f"Move {jobs} back to their previous runs-on"
    if plan.target:
        line = f"Move {jobs} to runs-on: {show_value(plan.target)}"
        if len(line) <= SUMMARY_LIMIT:
            return line
    return f"Move {jobs} to other runner labels"


def commit_message(plan: Plan) -> str:
    """The summary line, then each moved job: workflow, job, old and new runs-on."""
    from relane.render.format import show_value

    lines = [summary_line(plan), ""]
    moved = plan.outcomes(Outcome.MOVED)
    if moved:
        lines.append("Moved by relane:")
        lines.extend(
            f"- {r.workflow}: {r.job} ({show_value(r.before)} -> {show_value(r.after)})" for r in moved
        )
    else:
        lines.extend(f"- {c.path}" for c in plan.changes)
    return "\n".join(lines) + "\n"


BODY_LIMIT = 60_000
"""Longest description sent: GitHub refuses bodies over 65,536 characters."""


def pr_body(plan: Plan) -> str:
    """The pull request description: the markdown report of the plan."""
    from relane.render.markdown import plan_markdown

    return plan_markdown(plan)


def fit_body(body: str) -> str:
    """``body``, with its collapsed diff left out when the forge would refuse its size."""
    if len(body) <= BODY_LIMIT:
        return body
    cut = body.rfind("\n<details>")
    head = body[:cut] if cut >= 0 else body[:BODY_LIMIT]
    note = "\n\nThe diff is too long for this description; see the commit."
    return head[: BODY_LIMIT - len(note)] + note + "\n"
