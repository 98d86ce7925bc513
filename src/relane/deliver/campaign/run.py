"""Running a campaign over its repositories: choosing them, fetching in
parallel, planning, and (for ``apply``) pushing and opening pull requests
one repository at a time, with a state line for every step."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from relane.codemods.retarget import Outcome
from relane.deliver import forge
from relane.deliver.campaign import apply as deliver
from relane.deliver.campaign.cache import Checkout, fetch, git_env, plan
from relane.deliver.campaign.progress import Progress
from relane.deliver.campaign.spec import Campaign
from relane.deliver.campaign.state import DONE, FAILED, StateFile
from relane.deliver.campaign.throttle import Throttle
from relane.errors import RelaneError, UsageError
from relane.redact import scrub
from relane.render.format import plural

CHANGES = "changes"
SKIPPED = "skipped"


@dataclass
class RepoResult:
    """What became of one repository in this run."""

    repo: str
    outcome: str  # changes, nothing, stale, opened, updated, unchanged, closed, failed, skipped
    files: list[str] = field(default_factory=list)
    moved: int = 0
    pr: str | None = None
    number: int | None = None
    step: str | None = None  # where it failed
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.outcome == FAILED

    def line(self) -> str:
        o = self.outcome
        if o == FAILED:
            return f"{self.repo}: failed at {self.step}: {self.error}"
        if o == deliver.NOTHING:
            return f"{self.repo}: nothing to change"
        if o == SKIPPED:
            return f"{self.repo}: done in an earlier run" + (f" ({self.pr})" if self.pr else "")
        change = f"{plural(len(self.files), 'file')}, {plural(self.moved, 'job')} moved"
        if o == CHANGES:
            return f"{self.repo}: would change {change}"
        if o == deliver.STALE:
            return f"{self.repo}: nothing to change; pull request {self.pr} no longer matches the spec, left open"
        if o == deliver.CLOSED:
            return f"{self.repo}: pull request {self.pr} was closed; not reopened"
        return f"{self.repo}: pull request {o} ({change}): {self.pr}"


def parse_shard(text: str) -> tuple[int, int]:
    """``I/N`` (1 <= I <= N)."""
    first, _, second = text.partition("/")
    if not all(part.isascii() and part.isdigit() for part in (first, second)) or not 1 <= int(first) <= int(second):
        raise UsageError(f"--shard {text!r}: expected I/N with 1 <= I <= N, such as 2/8")
    return int(first), int(second)


def in_shard(repo: str, shard: tuple[int, int] | None) -> bool:
    """Whether ``repo`` falls in shard I of N: by a hash of its name, so that a
    repository stays in its shard when others are added or taken away."""
    if shard is None:
        return True
    index, count = shard
    return zlib.crc32(repo.encode("utf-8")) % count == index - 1


def target(campaign: Campaign, repo: str) -> forge.ForgeRepo:
    return forge.locate(campaign.clone(repo), forge=campaign.forge, api_url=campaign.api_url, repo=repo)


def repositories(campaign: Campaign, token, shard=None) -> list[str]:
    """The campaign's repositories (an org's listed through the forge), sorted, in ``shard``."""
    listed: list[str] = []
    if campaign.org:
        from relane.deliver.forge.pulls import repo_names

        where = target(campaign, f"{campaign.org}/_")
        with forge.connect(where, token) as client:
            listed = repo_names(client.list_repos(campaign.org), campaign.topic)
    return [r for r in campaign.chosen(listed) if in_shard(r, shard)]


@dataclass
class Runner:
    """One run of ``plan`` or ``apply`` over a campaign's repositories."""

    campaign: Campaign
    cache: Path
    token: Any = None
    jobs: int = 4
    throttle: Throttle = field(default_factory=Throttle)
    state: StateFile | None = None  # apply's record; plan keeps none
    progress: Progress | None = None
    connect: Callable[..., Any] = forge.connect

    def run(self, repos: list[str], *, write: bool) -> list[RepoResult]:
        env = git_env(self.campaign.clone_url, self.token)
        targets = {r: target(self.campaign, r) for r in repos} if write else {}
        pool = ThreadPoolExecutor(max_workers=max(1, self.jobs), thread_name_prefix="relane-fetch")
        results = []
        try:
            futures = [pool.submit(fetch, self.campaign, r, self.cache, env) for r in repos]
            for repo, future in zip(repos, futures, strict=True):
                result = self._one(repo, future, targets.get(repo), env, write)
                results.append(result)
                if self.progress is not None:
                    self.progress.finished(
                        repo, result.line(), failed=result.failed, opened=result.outcome == deliver.OPENED
                    )
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
        return results

    def _one(self, repo: str, future, where, env: Mapping[str, str], write: bool) -> RepoResult:
        step = "fetch"
        result = RepoResult(repo, CHANGES)
        try:
            checkout: Checkout = future.result()
            self._record(repo, step, "ok" if checkout.fetched else "cached")
            step = "plan"
            planned = plan(self.campaign, checkout)
            result.files = [c.path for c in planned.plan.changes]
            result.moved = len(planned.plan.outcomes(Outcome.MOVED))
            if not planned.changed:
                step = "pull-request"
                stale = self._stale(checkout, where, env) if write else None
                result.outcome = deliver.NOTHING if stale is None else stale.outcome
                result.pr, result.number = (None, None) if stale is None else (stale.pr_url, stale.pr_number)
                self._record(repo, DONE, result.outcome, pr=result.pr, number=result.number)
                return result
            if checkout.campaign is not None:
                deliver.check_owner(self.campaign, checkout, env)
            if not write:
                return result
            self._record(repo, step, "ok")
            with self.connect(where, self.token) as client:
                # A pull request someone closed: its branch is not pushed to either.
                step = "pull-request"
                applied = deliver.closed_pull_request(self.campaign, client, checkout, self.throttle)
                if applied is None:
                    step = "push"
                    pushed = deliver.push_branch(self.campaign, checkout, planned, env)
                    self._record(repo, step, "pushed" if pushed else "unchanged")
                    step = "pull-request"
                    applied = deliver.ensure_pull_request(self.campaign, client, checkout, planned, self.throttle)
                    if pushed and applied.outcome == deliver.UNCHANGED:  # its diff is new
                        applied = replace(applied, outcome=deliver.UPDATED)
            result.outcome, result.pr, result.number = applied.outcome, applied.pr_url, applied.pr_number
            self._record(repo, DONE, applied.outcome, pr=applied.pr_url, number=applied.pr_number)
        except (RelaneError, OSError) as exc:
            # A workflow file's error names its place in the repository (FILE:LINE:COL: ...).
            message = str(exc) if isinstance(exc, RelaneError) else f"{type(exc).__name__}: {exc}"
            result.outcome, result.step, result.error = FAILED, step, scrub(" ".join(str(message).split()))
            self._record(repo, step, FAILED, error=result.error)
        return result

    def _stale(self, checkout: Checkout, where, env: Mapping[str, str]) -> deliver.Applied | None:
        """The campaign's pull request still open where nothing is left to change, if any."""
        if checkout.campaign is None:
            return None
        with self.connect(where, self.token) as client:
            return deliver.stale_pull_request(self.campaign, client, checkout, self.throttle, env)

    def _record(self, repo: str, step: str, outcome: str, **fields) -> None:
        if self.state is not None:
            self.state.append(repo, step, outcome, **fields)


def skipped(state: StateFile, repo: str) -> RepoResult:
    record = state.last.get(repo)
    return RepoResult(repo, SKIPPED, pr=record.pr if record else None, number=record.number if record else None)


def pick(repos: list[str], state: StateFile, only: str | None) -> tuple[list[str], list[str]]:
    """The repositories to run and those left (finished earlier): ``only``
    takes those whose last outcome is ``failed``, or ``pending`` (never
    run, or stopped before it finished or failed)."""
    run: list[str] = []
    left: list[str] = []
    for repo in repos:
        standing = state.standing(repo)
        if only is None:
            wanted = standing != DONE
        else:
            wanted = standing == only
        (run if wanted else left).append(repo)
    return run, left

