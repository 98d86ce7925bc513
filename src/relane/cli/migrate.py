"""``relane migrate``: apply, or roll back, the migrations saved in a TOML file."""

from __future__ import annotations

from pathlib import Path

import click

from relane.cli.delivery import delivery_lines, delivery_options, with_delivery
from relane.cli.options import check_modes, err, exit_code, mode_options, out, refused_lines

EPILOG = """\b
Examples:
  # Show what the migrations of relane.toml would change:
  relane migrate relane.toml

\b
  # Apply one of them, and print a pull-request description:
  relane migrate relane.toml --name publish-lane --write --format markdown

\b
  # Roll it back: moved jobs get their old runs-on, comments come back as
  # they were, relane's comments go:
  relane migrate relane.toml --name publish-lane --reverse --write

\b
A spec holds [migration.NAME] tables with the keys paths, include, exclude,
jobs, on, not-on, from, to, move-expressions, move-groups, comment, ref,
note, comment-width and drop-comment (as the retarget options of the same
names; paths and template files are relative to the spec). See
examples/publish-lane/relane.toml. Instead of to, map = { OLD = NEW, ... }
(or "@retired", or a FILE.toml) replaces labels as retarget --map does,
with the selection keys only; --reverse refuses such a migration.

\b
Exit codes: 0 done (or nothing to change), 1 --check found changes,
2 usage or input error (nothing written), 3 internal error.
"""


@click.command("migrate", epilog=EPILOG)
@click.argument("spec", metavar="FILE")
@click.option(
    "--name",
    "names",
    multiple=True,
    metavar="NAME",
    help="Run only this migration (repeatable; default: all, in the order written).",
)
@click.option(
    "--reverse",
    is_flag=True,
    help="Roll back: jobs the migration moved get their previous runs-on again, "
    "dropped comments come back, relane's comments go.",
)
@mode_options(("diff", "text", "json", "markdown"))
@delivery_options
def migrate_command(spec, names, reverse, write, check, fmt, strict, quiet, skip_invalid, delivery):
    """Apply the migrations saved in FILE (TOML), or roll them back.

    Each migration is a retarget with its options written down, so that it
    can be reviewed, re-run (a second run changes nothing) and undone byte
    for byte: relane leaves a record above each moved job's runs-on.
    """
    from relane import migrate as migrations
    from relane.render.migration import migration_json, migration_markdown, migration_summary, migration_text

    check_modes(write, check)
    delivery.check_modes(write, check)
    chosen = migrations.select(migrations.load(spec), names)
    result = migrations.plan_migrations(chosen, reverse=reverse)
    if not skip_invalid:
        result.plan.check()
    blocked = strict and bool(result.plan.warnings)
    if write and not blocked:
        result.write()
    roots = [path for m in chosen for path in m.paths] or [Path(spec).parent]
    body = migration_markdown(result) if delivery.open_pr else None
    delivered = None if blocked else delivery.run(result.plan, roots, body=body)
    if fmt == "json":
        out(with_delivery(migration_json(result, spec), delivered))
    elif fmt == "text":
        out(migration_text(result))
    elif fmt == "markdown":
        out(migration_markdown(result))
    elif not write or blocked:
        out(result.diff)
    if not quiet:
        err(migration_summary(result, written=write and not blocked))
    err(refused_lines(result.plan))
    err(delivery_lines(delivered, quiet=quiet))
    if check:
        from relane.select import refuse_unmatched

        refuse_unmatched(result.plan.warnings)
    if blocked:
        result.plan.check(strict=True)
    raise SystemExit(exit_code(check, result.changed))
