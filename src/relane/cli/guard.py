"""``relane guard``: fail while a runner label has no live runner."""

from __future__ import annotations

import click

from relane.errors import UsageError
from relane.cli.delivery_options import api_url_option, forge_option, timeout_option
from relane.cli.options import err, file_options, out
from relane.deliver.limits import DEFAULT_DEADLINE  # not the forge client: start-up

EPILOG = """\b
Examples:
  # Before merging a move to `publish`: is a runner with that label online?
  relane guard --label publish

\b
  # Every self-hosted label the workflows use, repository and organisation runners:
  relane guard --from-workflows --scope repo --scope org

\b
  # A job on [self-hosted, linux, x64] needs one runner with all three:
  relane guard --label self-hosted,linux,x64

\b
  # Air-gapped: a listing saved from the forge's API instead of the network:
  relane guard --from-workflows --runners-json runners.json

\b
--from-workflows leaves out jobs on GitHub-hosted runners (a .github
workflow whose labels are all standard hosted ones such as ubuntu-latest,
windows-2022, macos-14; --hosted-labels keeps them, and on Gitea or
Forgejo, by --forge or the remote's host, there are none) and
--ignore-label labels; `self-hosted` is
checked like any other label. Jobs whose runs-on is an expression or a
reusable workflow call are not checked (listed on stderr).

\b
Tokens: GITHUB_TOKEN or GH_TOKEN (GitHub), GITEA_TOKEN or FORGEJO_TOKEN
(Gitea, Forgejo); listing runners needs a token that may see them.

\b
Exit codes: 0 every label is served, 1 some label has no runner,
2 usage, input or network error.
"""


@click.command(epilog=EPILOG)
@click.option(
    "--label",
    "labels",
    multiple=True,
    metavar="LABEL[,LABEL...]",
    help="A label that must be served (repeatable); comma-joined labels must all be on one runner.",
)
@click.option(
    "--from-workflows",
    is_flag=False,
    flag_value=".",
    default=None,
    metavar="[PATH]",
    help="Check every static runs-on label of the workflows under PATH (default: .).",
)
@file_options
@click.option(
    "--ignore-label",
    multiple=True,
    metavar="LABEL",
    help="Leave out this label or glob pattern from --from-workflows (repeatable).",
)
@click.option(
    "--hosted-labels",
    is_flag=True,
    help="Check jobs on GitHub-hosted labels (ubuntu-latest, windows-2022, ...) too: "
    "on Gitea and Forgejo they are labels of your own runners.",
)
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    type=click.Choice(("repo", "org", "instance")),
    help="Whose runners to list: the repository's, its organisation's, the instance's "
    "(Gitea/Forgejo admin) (repeatable; default: repo).",
)
@click.option("--allow-offline", is_flag=True, help="Count offline runners as serving a label.")
@click.option(
    "--runners-json",
    multiple=True,
    metavar="FILE",
    help="Read the runners from a saved API answer instead of the network (repeatable; - is stdin). "
    "Without --forge or a remote that names it, the listing's shape tells the forge (said on stderr).",
)
@forge_option
@api_url_option
@click.option("--repo", metavar="OWNER/NAME", help="The repository (default: from the git remote).")
@click.option("--remote", default="origin", show_default=True, help="The git remote that names the repository.")
@timeout_option
@click.option(
    "--deadline",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_DEADLINE,
    metavar="SECONDS",
    help=f"How long all the forge API requests together may take  [default: {DEFAULT_DEADLINE:g}].",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="What to print on stdout.",
)
@click.option("-q", "--quiet", is_flag=True, help="Nothing on stderr about jobs not checked.")
def guard(
    labels,
    from_workflows,
    include,
    exclude,
    ignore_label,
    hosted_labels,
    scopes,
    allow_offline,
    runners_json,
    forge,
    api_url,
    repo,
    remote,
    timeout,
    deadline,
    fmt,
    quiet,
):
    """Check that every runner label in use is served by an online runner.

    Asks the forge (GitHub, Gitea or Forgejo) which runners serve the
    repository and prints, for each label, the runners that have it, then
    a verdict. Use it in CI on pull requests that touch workflow files, so
    that a move to a label no runner advertises cannot merge.
    """
    from relane.guard import check as lib

    if not labels and from_workflows is None:
        raise UsageError("give --label LABEL or --from-workflows [PATH]")
    given = lib.requirements_from_labels(labels)
    where = from_workflows or "."
    warnings: list[str] = []

    def requirements_for(forge_known):
        if from_workflows is None:
            return given, []
        found, skipped = lib.requirements_from_workflows(
            [from_workflows],
            include=include,
            exclude=exclude,
            ignore=ignore_label,
            # Gitea and Forgejo have no hosted runners, in whichever folder the workflow is.
            hosted=hosted_labels or forge_known in ("gitea", "forgejo"),
            warnings=warnings,
        )
        return lib.merge_requirements(given, found), skipped

    # Which forge, before the requirements: it decides whether hosted labels count.
    detected = forge or _forge_of_remote(where, remote, None if runners_json else api_url)
    requirements, skipped = requirements_for(detected)
    if warnings:
        err("\n".join(f"warning: {w}" for w in warnings))
    listings = []
    if runners_json and (requirements or (detected is None and any(s.code == "hosted" for s in skipped))):
        listings = [lib.read_listing(file) for file in runners_json]
        if detected is None:
            detected = _forge_of_listings(listings)
            if detected in ("gitea", "forgejo") and any(s.code == "hosted" for s in skipped):
                requirements, skipped = requirements_for(detected)  # its hosted-looking labels count
    runners, forge = ([], detected)
    if requirements:
        if runners_json:
            runners = [r for listing in listings for r in listing.runners]
        else:
            runners, forge = _list_runners(where, remote, scopes or ("repo",), forge, api_url, repo, timeout, deadline)
    result = lib.check(
        requirements,
        lib.unique(runners),
        allow_offline=allow_offline,
        case_sensitive=forge != "github",
        skipped=skipped,
    )
    out(lib.as_json(result) if fmt == "json" else lib.render_text(result))
    if not quiet:
        err(lib.skipped_summary(result))
    raise SystemExit(result.exit_code)


def _remote_url(where: str, remote: str, *, required: bool) -> str | None:
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


def _forge_of_remote(where: str, remote: str, api_url: str | None = None) -> str | None:
    """The forge the remote's host, or else the API's, gives away, if any.

    The same guess the network listing makes, so hosted labels and label
    case are judged by the forge that will be asked.
    """
    from urllib.parse import urlsplit

    from relane.deliver.forge import forge_of_remote, guess_forge

    url = _remote_url(where, remote, required=False)
    return (forge_of_remote(url) if url else None) or guess_forge(urlsplit(api_url or "").hostname)


def _forge_of_listings(listings) -> str | None:
    """The forge the saved listings' shape gives away; says on stderr what was assumed."""
    shapes = {listing.forge for listing in listings}
    if len(shapes) == 1 and None not in shapes:
        (forge,) = shapes
        rule = "match in any case" if forge == "github" else "match exactly and hosted labels are checked"
        err(
            f"note: took the runner listing for {_FORGE_NAMES[forge]}'s (by its shape): labels {rule}; "
            "pass --forge if it is another forge's"
        )
        return forge
    err(
        "note: cannot tell the forge from a git remote or the runner listing: labels match exactly, "
        "as on Gitea and Forgejo; pass --forge github if the listing is GitHub's"
    )
    return None


_FORGE_NAMES = {"github": "GitHub", "gitea": "Gitea", "forgejo": "Forgejo"}


def _list_runners(where, remote, scopes, forge, api_url, repo, timeout, deadline):
    from relane.deliver import forge as forges
    from relane.deliver.forge.http import DEFAULT_TIMEOUT
    from relane.guard.check import parse_runners

    needs_remote = repo is None or api_url is None or forge is None
    url = _remote_url(where, remote, required=needs_remote)
    target = forges.locate(url, forge=forge, api_url=api_url, repo=repo, remote_name=remote)
    secret = forges.require_token(target.forge)
    with forges.connect(target, secret, timeout=timeout or DEFAULT_TIMEOUT, deadline=deadline) as client:
        scopes = tuple(dict.fromkeys(scopes))
        for scope in scopes:
            client.runner_path(scope)  # a scope the forge has not is refused before any request
        items = [item for scope in scopes for item in client.list_runners(scope)]
        err("\n".join(f"note: {note}" for note in client.notes))
    return parse_runners(items, f"{target.forge} runners of {target.full_name}"), target.forge
