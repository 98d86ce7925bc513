"""``relane ls``: list every job, its triggers and its runs-on."""

from __future__ import annotations

import shutil
import sys

import click

from relane.read.files import NO_FILES, discover
from relane.cli.options import GROUPS_EPILOG, build_selector, err, out, paths_argument, selection_options

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
CLASS: pr (only pull-request triggers), ship (only post-merge ones), mixed
(both), none (neither), by the event groups below.

"""


@click.command("ls", epilog=EPILOG + GROUPS_EPILOG)
@paths_argument
@selection_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("text", "json", "markdown")),
    default="text",
    show_default=True,
    help="What to print on stdout.",
)
@click.option("--wide", is_flag=True, help="Never cut the text table's columns, even on a terminal.")
def ls(paths, include, exclude, jobs, on, not_on, from_labels, fmt, wide):
    """List the jobs under PATH (default: .): workflow, job, triggers, class, runs-on.

    Takes the same selection options as retarget; text output is a table
    that fits the terminal's width (long cells cut with …; never cut when
    stdout is not a terminal, or with --wide), json a list of objects
    (workflow, job, triggers, class, runs_on as parsed). A runs-on that a job
    gets through a << merge key is shown with (via <<).
    """
    from relane import inventory

    warnings: list[str] = []
    files = list(discover(paths, include, exclude))
    entries = inventory.inventory(files, build_selector(jobs, on, not_on, from_labels), warnings)
    if warnings:
        err("\n".join(f"warning: {w}" for w in warnings))
    if not files:
        err(NO_FILES)
    if fmt == "json":
        out(inventory.as_json(entries))
    elif fmt == "markdown":
        out(inventory.markdown(entries))
    else:
        out(inventory.text(entries, None if wide or not sys.stdout.isatty() else shutil.get_terminal_size().columns))
