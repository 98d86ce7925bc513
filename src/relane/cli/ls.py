"""``relane ls``: list every job, its triggers and its runs-on."""

from __future__ import annotations

import shutil
import sys

import click

from relane.cli.options import GROUPS_EPILOG, build_selector, err, out, paths_argument, selection_options
from relane.errors import EXIT_CHANGES, EXIT_OK
from relane.read.files import NO_FILES, discover

EPILOG = """\b
Examples:
  # Every job of the repository:
  relane ls

\b
  # What runs on `publish`?
  relane ls --from publish

\b
  # Post-merge ship jobs, as JSON:
  relane ls --on @ship --not-on @pr --format json

\b
  # In CI: fail while a job still runs on a retired GitHub-hosted label:
  relane ls --retired

\b
RUNS-ON shows a value naming the matrix with the labels the matrix gives
it, and --from matches those too. With --retired, a job whose runs-on comes
from inputs shows the labels they give it (inputs: a, b), and --from
matches those too.

\b
Exit codes: 0 done, 1 --retired found jobs on retired labels, 2 usage or
input error.

\b
CLASS: pr (only pull-request triggers), ship (only post-merge ones), mixed
(both), none (neither), by the event groups below.

"""


@click.command("ls", epilog=EPILOG + GROUPS_EPILOG)
@paths_argument
@selection_options
@click.option(
    "--retired",
    is_flag=True,
    help="Only jobs that still run on a retired GitHub-hosted label (literal, or through "
    "their matrix or the inputs of a reusable or dispatched workflow); exit 1 when there is any.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "markdown")),
    default="text",
    show_default=True,
    help="What to print on stdout.",
)
@click.option("--wide", is_flag=True, help="Never cut the text table's columns, even on a terminal.")
def ls_command(paths, include, exclude, jobs, on, not_on, from_labels, retired, fmt, wide):
    """List the jobs under PATH (default: .): workflow, job, triggers, class, runs-on.

    Takes the same selection options as retarget; text output is a table
    that fits the terminal's width (long cells cut with …; never cut when
    stdout is not a terminal, or with --wide), json a list of objects
    (workflow, job, triggers, class, runs_on as parsed). A runs-on that a job
    gets through a << merge key is shown with (via <<), one naming the
    job's matrix as the labels the matrix gives it (matrix: a, b).
    """
    from relane import inventory

    warnings: list[str] = []
    files = list(discover(paths, include, exclude))
    entries = inventory.list_jobs(files, build_selector(jobs, on, not_on, from_labels), warnings, inputs=retired)
    uses = inventory.retired_uses(entries) if retired else []
    if retired:
        entries = [entry for entry, _ in uses]
    if warnings:
        err("\n".join(f"warning: {w}" for w in warnings))
    if not files:
        err(NO_FILES)
    if fmt == "json":
        from relane.render.json import inventory_json

        out(inventory_json(entries))
    elif fmt == "markdown":
        from relane.render.markdown import inventory_markdown

        out(inventory_markdown(entries))
    else:
        from relane.render.text import inventory_text

        out(inventory_text(entries, None if wide or not sys.stdout.isatty() else shutil.get_terminal_size().columns))
    if retired:
        err(inventory.retired_summary(uses))
        raise SystemExit(EXIT_CHANGES if uses else EXIT_OK)
