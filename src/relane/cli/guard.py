"""``relane guard``: fail while a runner label has no live runner."""

from __future__ import annotations

import click

from relane.cli.delivery import api_url_option, forge_option, timeout_option
from relane.cli.options import err, file_options, out
from relane.deliver.limits import DEFAULT_DEADLINE  # not the forge client: start-up
from relane.errors import UsageError

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


@click.command("guard", epilog=EPILOG)
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
def guard_command(
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
    from relane.guard import run_guard
    from relane.render.guard import as_json, render_text, skipped_summary

    if not labels and from_workflows is None:
        raise UsageError("give --label LABEL or --from-workflows [PATH]")
    result = run_guard(
        labels,
        from_workflows,
        include=include,
        exclude=exclude,
        ignore=ignore_label,
        hosted=hosted_labels,
        scopes=scopes,
        allow_offline=allow_offline,
        runners_json=runners_json,
        forge=forge,
        api_url=api_url,
        repo=repo,
        remote=remote,
        timeout=timeout,
        deadline=deadline,
        report=err,
    )
    out(as_json(result) if fmt == "json" else render_text(result))
    if not quiet:
        err(skipped_summary(result))
    raise SystemExit(result.exit_code)
