"""``relane campaign plan|apply|status``: one migration across many repositories."""

from __future__ import annotations

from pathlib import Path

import click

from relane.cli.options import _stack, out
from relane.errors import EXIT_CHANGES, EXIT_OK

EPILOG = """\b
Examples:
  # What the campaign would change in each repository (nothing is written):
  relane campaign plan relane.toml

\b
  # Push the campaign's branch and open or update its pull request in each:
  relane campaign apply relane.toml --jobs 8

\b
  # Run again only the repositories that failed; one shard of four in CI:
  relane campaign apply relane.toml --only failed
  relane campaign apply relane.toml --shard 2/4 --state state-2.jsonl

\b
  # Where the pull requests stand, over the state files of every shard:
  relane campaign status relane.toml --state state-1.jsonl --state state-2.jsonl --format markdown

\b
The spec is the one `relane migrate` reads, with a [campaign] table (branch,
forge, api-url, clone-url, repos, org, topic, exclude, title, body, draft,
labels, reviewers, state). The token comes from GITHUB_TOKEN or GH_TOKEN
(GitHub), GITEA_TOKEN or FORGEJO_TOKEN (Gitea, Forgejo).

\b
Exit codes: 0 every repository succeeded, 1 at least one failed (each is
reported), 2 bad spec or usage (nothing done).
"""

spec_argument = click.argument("spec", metavar="SPEC")
format_option = click.option(
    "--format", "fmt", type=click.Choice(("text", "json", "markdown")), default="text", show_default=True,
    help="How to print the result.",
)
state_option = click.option(
    "--state", "state", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
    help="The state file (default: the spec's `state`, or SPEC's name with .state.jsonl).",
)
run_options = _stack(
    spec_argument,
    click.option(
        "--cache", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
        help="Where fetched repositories are kept (default: ~/.cache/relane/campaigns).",
    ),
    click.option("--jobs", type=click.IntRange(1, 64), default=4, show_default=True, help="Repositories fetched at once."),
    click.option("--shard", metavar="I/N", help="Take only shard I of N (a stable share of the repositories)."),
    click.option(
        "--only", type=click.Choice(("failed", "pending")),
        help="Only repositories whose last recorded outcome is this (from the state file).",
    ),
    state_option,
    format_option,
)


@click.group("campaign", epilog=EPILOG)
def campaign_group() -> None:
    """Carry out the migrations of a spec in many repositories, one pull request each."""


@campaign_group.command("plan", epilog=EPILOG)
@run_options
def plan(spec, cache, jobs, shard, only, state, fmt):
    """Fetch every repository and show what the campaign would change; writes nothing to any forge."""
    _run(spec, cache, jobs, shard, only, state, fmt, write=False)


@campaign_group.command("apply", epilog=EPILOG)
@run_options
@click.option("--refresh", is_flag=True,
              help="Also the repositories finished earlier: bring their branch and pull request up to date "
              "with their default branch (by default a run goes on from where the last one stopped).")
@click.option("--per-second", type=click.FloatRange(min=0.001), default=1.0, show_default=True,
              help="At most this many forge writes a second.")
@click.option("--per-minute", type=click.IntRange(min=1), default=60, show_default=True,
              help="At most this many forge writes a minute.")
def apply(spec, cache, jobs, shard, only, state, fmt, refresh, per_second, per_minute):
    """Push the campaign's branch and open (or update) its pull request in every repository that changes."""
    if refresh and only:
        raise click.UsageError("--refresh takes every repository; it does not go with --only")
    _run(spec, cache, jobs, shard, only, state, fmt, write=True, rates=(per_second, per_minute), refresh=refresh)


@campaign_group.command("status", epilog=EPILOG)
@spec_argument
@click.option(
    "--state", "states", multiple=True, type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
    help="A state file to read (repeatable, one per shard; default: the campaign's).",
)
@format_option
def status(spec, states, fmt):
    """Read back every pull request of the campaign: state, checks, reviews, and counts."""
    import json

    from relane.deliver import forge
    from relane.deliver.campaign import status as report
    from relane.deliver.campaign.run import target
    from relane.deliver.campaign.spec import load_campaign
    from relane.deliver.campaign.throttle import Throttle

    chosen = load_campaign(spec)
    paths = list(states) or [chosen.state]
    records = report.merged_records(paths)
    token = forge.require_token(chosen.forge) if any(r.number for r in records.values()) else None
    rows = report.read_status(
        chosen, records, lambda repo: forge.connect(target(chosen, repo), token), Throttle()
    )
    if fmt == "json":
        out(json.dumps({"repositories": [r.to_dict() for r in rows], "counts": report.counts(rows)}, indent=2) + "\n")
    elif fmt == "markdown":
        out(report.markdown(rows))
    else:
        out(report.text(rows))
    failed = any(r.state in ("failed", "unknown") for r in rows)
    raise SystemExit(EXIT_CHANGES if failed else EXIT_OK)


def _run(spec, cache, jobs, shard, only, state, fmt, *, write, rates=(1.0, 60), refresh=False):
    from relane.deliver import forge
    from relane.deliver.campaign import report
    from relane.deliver.campaign.cache import default_cache
    from relane.deliver.campaign.progress import Progress
    from relane.deliver.campaign.run import Runner, parse_shard, pick, repositories, skipped
    from relane.deliver.campaign.spec import load_campaign
    from relane.deliver.campaign.state import StateFile
    from relane.deliver.campaign.throttle import Throttle

    chosen = load_campaign(spec)
    part = parse_shard(shard) if shard else None
    token = forge.require_token(chosen.forge) if write or chosen.org else forge.token(chosen.forge)
    repos = repositories(chosen, token, part)
    record = StateFile(state or chosen.state, chosen.fingerprint)
    if write:
        record.check_writable()
    todo, left = pick(repos, record, only) if (write and not refresh) or only else (repos, [])
    progress = Progress(len(todo))
    throttle = Throttle(per_second=rates[0], per_minute=rates[1],
                        on_wait=lambda seconds, why: progress.note(f"waiting {seconds:g} s: {why}"))
    runner = Runner(chosen, cache or default_cache(), token, jobs, throttle, record if write else None, progress)
    try:
        results = runner.run(todo, write=write)
    finally:
        progress.close()
    results = sorted(results + [skipped(record, r) for r in left if only is None], key=lambda r: r.repo)
    if fmt == "json":
        out(report.as_json(chosen, "apply" if write else "plan", results))
    elif fmt == "markdown":
        out(report.markdown(results))
    else:
        out(report.text(results))
    raise SystemExit(EXIT_CHANGES if any(r.failed for r in results) else EXIT_OK)
