"""The whole guard run: which forge, what must be served, who serves it.

:func:`run_guard` does what ``relane guard`` does, for a Python caller:
it works out the forge (``forge``, else the git remote's host or the API's,
else the shape of saved runner listings), gathers the requirements (the
given labels and those of the workflows), lists the runners (saved
listings, or the forge's API) and matches them. What it has to say on the
way (warnings about files it did not read, notes on what it assumed or what
the forge answered) goes to ``report``, line by line, as it happens.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence

from relane.guard.matching import GuardResult, check
from relane.guard.requirements import (
    Requirement,
    Skipped,
    merge_requirements,
    requirements_from_labels,
    requirements_from_workflows,
)
from relane.guard.runners import Listing, Runner, parse_runners, read_listing, unique

FORGE_NAMES = {"github": "GitHub", "gitea": "Gitea", "forgejo": "Forgejo"}


def run_guard(
    labels: Iterable[str] = (),
    workflows: str | os.PathLike | None = None,
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    ignore: Iterable[str] = (),
    hosted: bool = False,
    scopes: Sequence[str] = ("repo",),
    allow_offline: bool = False,
    runners_json: Sequence[str | os.PathLike] = (),
    forge: str | None = None,
    api_url: str | None = None,
    repo: str | None = None,
    remote: str = "origin",
    timeout: float | None = None,
    deadline: float | None = None,
    report: Callable[[str], None] | None = None,
) -> GuardResult:
    """Check that ``labels`` (``a,b``: one runner with both) and, when
    ``workflows`` is a path, every static runs-on label of its workflows are
    served by an online runner (any runner with ``allow_offline``).

    The runners come from the saved listings ``runners_json`` (``-`` is
    standard input) or else from the forge's API, for each of ``scopes``
    (``repo``, ``org``, ``instance``). The repository is ``repo`` (owner/name)
    or the one the git ``remote`` of the repository at ``workflows`` (or
    ``.``) names. ``timeout`` bounds each API request, ``deadline`` all of
    them together. ``hosted`` checks jobs on GitHub-hosted labels too (always
    so on Gitea and Forgejo, which have no hosted runners).
    """
    tell = report or (lambda line: None)
    given = requirements_from_labels(labels)
    where = (os.fspath(workflows) if workflows is not None else "") or "."

    def requirements_for(forge_known: str | None, warnings: list[str]) -> tuple[list[Requirement], list[Skipped]]:
        if workflows is None:
            return given, []
        found, skipped = requirements_from_workflows(
            [workflows],
            include=include,
            exclude=exclude,
            ignore=ignore,
            # Gitea and Forgejo have no hosted runners, in whichever folder the workflow is.
            hosted=hosted or forge_known in ("gitea", "forgejo"),
            warnings=warnings,
        )
        return merge_requirements(given, found), skipped

    # Which forge, before the requirements: it decides whether hosted labels count.
    detected = forge or forge_of_repository(where, remote, None if runners_json else api_url)
    warnings: list[str] = []
    requirements, skipped = requirements_for(detected, warnings)
    for warning in warnings:
        tell(f"warning: {warning}")
    listings = []
    if runners_json and (requirements or (detected is None and any(s.code == "hosted" for s in skipped))):
        listings = [read_listing(file) for file in runners_json]
        if detected is None:
            detected, note = forge_of_listings(listings)
            tell(f"note: {note}")
            if detected in ("gitea", "forgejo") and any(s.code == "hosted" for s in skipped):
                requirements, skipped = requirements_for(detected, [])  # its hosted-looking labels count; warned above
    runners: list[Runner] = []
    if requirements:
        if runners_json:
            runners = [r for listing in listings for r in listing.runners]
        else:
            runners, detected = list_runners(
                where, tuple(scopes) or ("repo",), forge=detected, api_url=api_url, repo=repo, remote=remote,
                timeout=timeout, deadline=deadline, report=tell,
            )
    return check(
        requirements,
        unique(runners),
        allow_offline=allow_offline,
        case_sensitive=detected != "github",
        skipped=skipped,
    )


def remote_url(where: str | os.PathLike, remote: str, *, required: bool) -> str | None:
    """The URL of git remote ``remote`` of the repository at ``where``
    (``None`` when there is none and it is not ``required``)."""
    from relane.deliver.git import GitError, Repository

    try:
        return Repository.find(where).remote_url(remote)
    except GitError as exc:
        if required:
            raise GitError(
                f"{exc}; name the repository with --repo OWNER/NAME (and --forge, --api-url), "
                "or check a saved listing with --runners-json FILE"
            ) from None
        return None


def forge_of_repository(where: str | os.PathLike, remote: str, api_url: str | None = None) -> str | None:
    """The forge the remote's host, or else the API's, gives away, if any.

    The same guess the network listing makes, so hosted labels and label
    case are judged by the forge that will be asked.
    """
    from urllib.parse import urlsplit

    from relane.deliver.forge import forge_of_remote, guess_forge

    url = remote_url(where, remote, required=False)
    return (forge_of_remote(url) if url else None) or guess_forge(urlsplit(api_url or "").hostname)


def forge_of_listings(listings: Sequence[Listing]) -> tuple[str | None, str]:
    """The forge the saved listings' shape gives away, and a note saying
    what that means (or that it gives nothing away)."""
    shapes = {listing.forge for listing in listings}
    if len(shapes) == 1 and None not in shapes:
        (forge,) = shapes
        assert forge is not None
        rule = "match in any case" if forge == "github" else "match exactly and hosted labels are checked"
        return forge, (
            f"took the runner listing for {FORGE_NAMES[forge]}'s (by its shape): labels {rule}; "
            "pass --forge if it is another forge's"
        )
    return None, (
        "cannot tell the forge from a git remote or the runner listing: labels match exactly, "
        "as on Gitea and Forgejo; pass --forge github if the listing is GitHub's"
    )


def list_runners(
    where: str | os.PathLike,
    scopes: Sequence[str] = ("repo",),
    *,
    forge: str | None = None,
    api_url: str | None = None,
    repo: str | None = None,
    remote: str = "origin",
    timeout: float | None = None,
    deadline: float | None = None,
    report: Callable[[str], None] | None = None,
) -> tuple[list[Runner], str]:
    """The runners the forge lists for the repository in each of ``scopes``,
    and which forge that is. The forge's notes (a scope it has not, ...) go
    to ``report``."""
    from relane.deliver import forge as forges
    from relane.deliver.forge.http import DEFAULT_TIMEOUT

    needs_remote = repo is None or api_url is None or forge is None
    url = remote_url(where, remote, required=needs_remote)
    target = forges.locate(url, forge=forge, api_url=api_url, repo=repo, remote_name=remote)
    secret = forges.require_token(target.forge)
    with forges.connect(target, secret, timeout=timeout or DEFAULT_TIMEOUT, deadline=deadline) as client:
        scopes = tuple(dict.fromkeys(scopes))
        for scope in scopes:
            client.runner_path(scope)  # a scope the forge has not is refused before any request
        items = [item for scope in scopes for item in client.list_runners(scope)]
        for note in client.notes:
            if report is not None:
                report(f"note: {note}")
    return parse_runners(items, f"{target.forge} runners of {target.full_name}"), target.forge
