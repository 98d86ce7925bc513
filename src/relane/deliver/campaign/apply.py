"""One repository's part of a campaign: its branch, its commit, its pull request.

The campaign owns its branch: the branch's commit carries the trailer
``Relane-Campaign: BRANCH``. A branch of that name without it is someone
else's, or the campaign's with someone's commits on top, and is left alone
(the repository is reported, saying which). The campaign's own
branch is moved to the desired commit (with a lease on the commit it was
read at) only when its tree or base differ; its pull request is found by
its branch before one is opened, and brought to the campaign's title, body
and labels, so that a re-run, or a run resumed after an interruption,
opens nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relane.deliver.branch import commit_message, fit_body, summary_line
from relane.deliver.campaign.cache import Checkout
from relane.deliver.campaign.spec import Campaign
from relane.deliver.campaign.throttle import Throttle
from relane.deliver.forge.http import ForgeError
from relane.deliver.git import GitError
from relane.migrate import MigrationPlan

OPENED = "opened"
UPDATED = "updated"
UNCHANGED = "unchanged"
NOTHING = "nothing"
CLOSED = "closed"
STALE = "stale"  # nothing to change, but the campaign's pull request from an earlier spec is open


class Refused(GitError):
    """The campaign's branch name is taken by a branch the campaign did not make."""


@dataclass(frozen=True)
class Applied:
    outcome: str  # opened, updated, unchanged, nothing, closed
    pr_url: str | None = None
    pr_number: int | None = None
    pushed: bool = False


def report_markdown(result: MigrationPlan) -> str:
    """The pull request's report: each migration's sections, then the diff."""
    from relane.render.markdown import code, diff_block, sections

    lines: list[str] = []
    for migration, part in result.parts:
        lines += ([""] if lines else []) + [f"## Migration {code(migration.name, cell=False)}", ""] + sections(part)
    return "\n".join(lines + diff_block(result.diff)) + "\n"


def body_of(campaign: Campaign, repo: str, result: MigrationPlan) -> str:
    """The pull request's body: the campaign's template (``{report}``, ``{repo}``) or the report."""
    report = report_markdown(result)
    if campaign.body is None:
        return fit_body(report)
    return fit_body(campaign.body.replace("{repo}", repo).replace("{report}", report))


def push_branch(campaign: Campaign, checkout: Checkout, result: MigrationPlan, env) -> bool:
    """Make the campaign's branch hold ``result`` on the base; whether it had to be pushed."""
    git = checkout.git
    check_owner(campaign, checkout, env)
    files = {_relative(checkout.work, c.source.file): c.new_bytes for c in result.plan.changes}
    entries = git.tree_entries(checkout.base, list(files))
    missing = [p for p in files if p not in entries]
    if missing:
        raise GitError(f"{missing[0]} is not in the default branch")
    message = commit_message(result.plan) + f"\n{campaign.marker}\n"
    # Stored byte for byte: the files were read from the commit as they are stored.
    commit = git.commit_files(
        checkout.base, files, {p: entries[p][0] for p in files}, message, unfiltered=set(files)
    )
    if checkout.campaign is not None and _same(git, checkout.campaign, commit):
        return False
    git.push_commit("origin", commit, campaign.branch, expected=checkout.campaign, env=env)
    return True


def check_owner(campaign: Campaign, checkout: Checkout, env=None) -> None:
    """Refuse a branch of the campaign's name whose commit lacks the campaign's trailer."""
    if checkout.campaign is None:
        return
    owner = owner_of(campaign, checkout, env)
    if owner == ADDED_TO:
        raise Refused(
            f"the branch {campaign.branch!r} this campaign made has commits it did not make "
            f"(the last, {checkout.campaign[:12]}, has no {campaign.marker!r}); left alone"
        )
    if owner != MINE:
        raise Refused(
            f"a branch {campaign.branch!r} exists that this campaign did not make "
            f"(no {campaign.marker!r} in its commit); left alone"
        )


MINE = "mine"
ADDED_TO = "added-to"  # the campaign's commit, with others on top
OTHERS = "others"
HISTORY = 50  # commits of a branch read back to find the campaign's own


def owner_of(campaign: Campaign, checkout: Checkout, env=None) -> str:
    """Who made the campaign's branch: the campaign (its last commit carries the
    trailer), the campaign and then someone else (a commit of the branch's own,
    not on the default branch, carries it), or someone else."""
    git = checkout.git
    tip = checkout.campaign
    if tip is None or campaign.marker in git.show("%B", tip).splitlines():
        return MINE
    # Only the tips were fetched: read back some history of both to find where they meet.
    try:
        git.fetch_shallow([tip, checkout.base], env, depth=HISTORY)
        messages = git.git("log", f"--max-count={HISTORY}", "--format=%B%x00", tip, f"^{checkout.base}")
    except GitError:
        return OTHERS  # the history cannot be read: the branch is not known to be the campaign's
    if any(campaign.marker in message.splitlines() for message in messages.split("\0")):
        return ADDED_TO
    return OTHERS


def _same(git, old: str, new: str) -> bool:
    """Whether two commits have the same tree on the same parents (read from
    the commits themselves: a shallow fetch hides the parents from ``git log``)."""

    def head(commit: str) -> list[str]:
        lines = git.git("cat-file", "commit", commit).split("\n\n", 1)[0].splitlines()
        return [line for line in lines if line.startswith(("tree ", "parent "))]

    return head(old) == head(new)


def _relative(root: Path, file: Path | None) -> str:
    if file is None:
        raise GitError("a changed file has no path in the repository")
    return Path(file).resolve().relative_to(root.resolve()).as_posix()


def closed_pull_request(campaign: Campaign, client: Any, checkout: Checkout, throttle: Throttle) -> Applied | None:
    """The campaign's pull request if someone closed it unmerged: its branch
    is then left as it is, not pushed to; None when it has none, or it is open or merged."""
    found = throttle.retry(lambda: client.find_pull_request(campaign.branch, checkout.default_branch))
    return _closed(found)


def stale_pull_request(
    campaign: Campaign, client: Any, checkout: Checkout, throttle: Throttle, env=None
) -> Applied | None:
    """The campaign's open pull request in a repository where nothing is left to
    change (a spec that no longer matches): it still proposes its change, so it is
    named. It is not closed: people may have reviewed it, and a closed one would be
    taken for a refusal should the spec match again. None when there is none."""
    if checkout.campaign is None or owner_of(campaign, checkout, env) == OTHERS:
        return None
    found = throttle.retry(lambda: client.find_pull_request(campaign.branch, checkout.default_branch))
    return Applied(STALE, found.url, found.number) if found is not None and found.state == "open" else None


def _closed(found) -> Applied | None:
    """A refusal: closed without being merged. After a merged one a new change gets a new pull request."""
    return Applied(CLOSED, found.url, found.number) if found is not None and found.state == "closed" else None


def ensure_pull_request(
    campaign: Campaign, client: Any, checkout: Checkout, result: MigrationPlan, throttle: Throttle
) -> Applied:
    """Find the campaign's pull request and bring it to the desired state, or open it."""
    title = campaign.title or summary_line(result.plan)
    body = body_of(campaign, checkout.repo, result)

    def step() -> Applied:
        labels = client.resolve_labels(campaign.labels)
        found = client.find_pull_request(campaign.branch, checkout.default_branch)
        closed = _closed(found)
        if closed is not None:
            return closed
        if found is not None and found.state == "open":
            return _updated(client, found, title, body, campaign, labels, throttle)
        throttle.wait()
        try:
            pr = client.open_pull_request(
                head=campaign.branch, base=checkout.default_branch, title=title, body=body,
                draft=campaign.draft, labels=labels,
            )
        except ForgeError as exc:
            if exc.status not in (409, 422):
                raise
            # One exists already (opened by an attempt whose answer was lost): find it next time round.
            again = client.find_pull_request(campaign.branch, checkout.default_branch)
            if again is None or again.state != "open":
                raise
            return _updated(client, again, title, body, campaign, labels, throttle)
        if labels or campaign.reviewers:
            throttle.wait()
            client.finish_pull_request(pr, labels=labels, reviewers=campaign.reviewers)
        return Applied(OPENED, pr.url, pr.number)

    return throttle.retry(step)


def _updated(client, found, title, body, campaign: Campaign, labels, throttle: Throttle) -> Applied:
    throttle.wait()
    changed = client.update_pull_request(found, title=title, body=body, draft=campaign.draft, labels=labels)
    if changed and campaign.reviewers:
        throttle.wait()
        client.request_reviewers(found, campaign.reviewers)
    return Applied(UPDATED if changed else UNCHANGED, found.url, found.number)
