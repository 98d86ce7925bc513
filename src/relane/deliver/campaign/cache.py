"""The campaign's cache: a shallow, blob-filtered copy of each repository.

Each repository gets a bare repository under the cache folder whose
``origin`` is its clone URL. A fetch first asks the remote where its
default branch and the campaign's branch point (``git ls-remote``) and
fetches only when either moved since the last run: the last commit of
each, with its trees and without its blobs. The workflow files the
migrations read are then written, byte for byte as committed, into a
scratch folder beside it, where the engine plans the change as ``relane
migrate`` does on a checkout.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

from relane.deliver.campaign.spec import Campaign
from relane.deliver.git import Repository
from relane.errors import RelaneError
from relane.migrate import MigrationPlan, plan_migrations
from relane.read.files import WORKFLOW_DIRS
from relane.redact import Secret, remember

BASE_REF = "refs/relane/base"
CAMPAIGN_REF = "refs/relane/campaign"


def default_cache() -> Path:
    """Where fetched repositories are kept: the user's cache folder."""
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "relane" / "campaigns"


@dataclass(frozen=True)
class Checkout:
    """A repository as fetched: its cache, default branch, base commit, and the campaign branch's commit."""

    repo: str
    git: Repository
    work: Path
    default_branch: str
    base: str
    campaign: str | None  # the campaign branch's commit on the remote, if it has one
    fetched: bool  # False when the cache was up to date


def git_env(clone_url: str, token: Secret | None) -> dict[str, str]:
    """What git needs to reach the remote without asking: the token as an
    HTTP header for the clone URL's host (in the environment, never in a URL
    or an argument), and no terminal prompt."""
    env = {"GIT_TERMINAL_PROMPT": "0"}
    parts = urlsplit(clone_url)
    if token is not None and parts.scheme in ("http", "https") and parts.hostname:
        basic = base64.b64encode(f"x-access-token:{token.reveal()}".encode()).decode()
        remember(basic)
        origin = f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1]}/"
        env.update(
            {
                "GIT_CONFIG_COUNT": "1",
                "GIT_CONFIG_KEY_0": f"http.{origin}.extraHeader",
                "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}",
            }
        )
    return env


def cache_dir(cache: Path, campaign: Campaign, repo: str) -> Path:
    url = campaign.clone(repo)
    key = hashlib.sha256(url.encode()).hexdigest()[:10]
    owner, name = repo.split("/", 1)
    return cache / owner / f"{name}-{key}"


def fetch(campaign: Campaign, repo: str, cache: Path, env: Mapping[str, str]) -> Checkout:
    """Bring ``repo``'s cache up to date and write out the files the migrations read."""
    where = cache_dir(cache, campaign, repo)
    git = Repository.bare(where / "git", campaign.clone(repo))
    branch_ref = f"refs/heads/{campaign.branch}"
    default, heads = git.remote_refs([branch_ref], env)
    base = heads.get("HEAD")
    if default is None or base is None:
        from relane.deliver.git import GitError

        raise GitError("the remote has no default branch (an empty repository?)")
    remote_campaign = heads.get(branch_ref)
    wanted = {BASE_REF: base, **({CAMPAIGN_REF: remote_campaign} if remote_campaign else {})}
    have = git.refs("refs/relane/")
    fetched = any(have.get(ref) != sha for ref, sha in wanted.items())
    if fetched:
        specs = [f"+refs/heads/{default}:{BASE_REF}"] + ([f"+{branch_ref}:{CAMPAIGN_REF}"] if remote_campaign else [])
        git.fetch_shallow(specs, env)
        have = git.refs("refs/relane/")  # a branch may have moved since ls-remote
        base = have.get(BASE_REF, base)
        if remote_campaign:
            remote_campaign = have.get(CAMPAIGN_REF, remote_campaign)
    work = where / "work"
    paths = _read_paths(campaign)
    # The files of a base already written out are left as they are: the same commit, the same bytes.
    stamp, written = where / "work.base", f"{base}\n" + "\n".join(paths) + "\n"
    if not (work.is_dir() and stamp.is_file() and stamp.read_text() == written):
        if work.exists():
            shutil.rmtree(work)
        stamp.unlink(missing_ok=True)
        work.mkdir(parents=True)
        for path, data in git.files(base, paths, env).items():
            if any(part in ("", ".", "..", ".git") for part in path.split("/")):
                continue  # no tree git would check out holds such a path
            target = work / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        stamp.write_text(written)
    return Checkout(repo, git, work, default, base, remote_campaign, fetched)


def _read_paths(campaign: Campaign) -> list[str]:
    """The paths of the repository the migrations read."""
    paths: list[str] = []
    for migration in campaign.migrations:
        for path in migration.paths:
            text = path.as_posix()
            paths.extend(WORKFLOW_DIRS if text in (".", "") else [text])
    return list(dict.fromkeys(paths))


def plan(campaign: Campaign, checkout: Checkout) -> MigrationPlan:
    """The campaign's change to ``checkout``, as ``relane migrate`` plans it;
    a workflow file it cannot read is the first refused file's error, as there."""
    migrations = [replace(m, paths=tuple(checkout.work / p for p in m.paths)) for m in campaign.migrations]
    try:
        result = plan_migrations(migrations)
        result.plan.check()
    except RelaneError as exc:
        # Named as in the repository, not by the cache folder it was written out to.
        inside = f"{checkout.work}{os.sep}"
        exc.message = exc.message.replace(inside, "")
        if exc.path is not None:
            exc.path = exc.path.replace(inside, "")
        raise
    return result
