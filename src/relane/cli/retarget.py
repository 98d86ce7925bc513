"""``relane retarget``: move the selected jobs to other runner labels."""

from __future__ import annotations

import click

from relane.cli.delivery import delivery_lines, delivery_options, with_delivery
from relane.cli.options import (
    GROUPS_EPILOG,
    build_comments,
    build_selector,
    check_modes,
    comment_options,
    err,
    exit_code,
    mode_options,
    out,
    paths_argument,
    refused_lines,
    selection_options,
)
from relane.errors import UsageError

EPILOG = """\b
Examples:
  # Show (do not write) the move of every post-merge ship job to `publish`,
  # leaving PR-triggered workflows alone:
  relane retarget --on @ship --not-on @pr --to publish

\b
  # Move two jobs of one workflow, writing the files:
  relane retarget --job 'publish-*:build-and-push' --job deploy:deploy --to publish --write

\b
  # Only jobs on ubuntu-latest, onto a self-hosted set of labels:
  relane retarget --from ubuntu-latest --to self-hosted --to linux --to x64

\b
  # In CI: fail while jobs remain to be moved:
  relane retarget --on @ship --not-on @pr --to publish --check

\b
  # Commit the change on a new branch, push it and open a pull request
  # labelled so that it waits until a runner advertises the label:
  relane retarget --on @ship --not-on @pr --to publish --branch ci/publish-lane --push --open-pr --label do-not-merge

\b
  # Say in each moved job that `publish` needs a live runner before this
  # merges, drop a stale comment, and print a pull-request description:
  relane retarget --on @ship --not-on @pr --to publish \\
    --comment hard-dependency --ref 'internal#462' \\
    --drop-comment 'moved back from the .docker. label' --format markdown

\b
Exit codes: 0 done (or nothing to change), 1 --check found changes,
2 usage or input error (nothing written), 3 internal error.

"""


def label_map(maps, to, selector, comment_options, move_expressions, move_groups):
    """The :class:`LabelMap` of ``--map`` values; the options it cannot take are usage errors."""
    from relane.codemods.labelmap import LabelMap
    from relane.codemods.labeltable import parse_maps

    for given, name in ((to, "--to"), (move_expressions, "--move-expressions"), (move_groups, "--move-groups")):
        if given:
            raise UsageError(f"--map and {name} cannot be used together")
    comment, ref, note, comment_width, drop_comment = comment_options
    if drop_comment:
        raise UsageError("--map and --drop-comment cannot be used together")
    comments = build_comments(comment, ref, note, comment_width, ())
    return LabelMap(parse_maps(maps), selector, comments=comments)


@click.command("retarget", epilog=EPILOG + GROUPS_EPILOG)
@paths_argument
@selection_options
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="LABEL",
    help="The new runs-on (repeatable: several labels become a list a runner must all match).",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="OLD=NEW|@retired|FILE.toml",
    help="Replace runner label OLD by NEW wherever it decides where a selected job runs: "
    "runs-on, the job's matrix (axis, include, exclude) and conditions comparing the "
    "matrix value (repeatable; @retired: GitHub's retired labels; FILE.toml: a table "
    "of [[label]] entries with label and replacement). Not with --to.",
)
@click.option(
    "--move-expressions",
    is_flag=True,
    help="Also replace runs-on values that are ${{ }} expressions (skipped by default).",
)
@click.option(
    "--move-groups",
    is_flag=True,
    help="Also replace runner-group mappings ({group: ..., labels: ...}; skipped by default).",
)
@comment_options
@mode_options(("diff", "text", "json", "markdown"))
@delivery_options
def retarget_command(paths, include, exclude, jobs, on, not_on, from_labels, to, maps, move_expressions, move_groups, comment, ref, note, comment_width, drop_comment, write, check, fmt, strict, quiet, skip_invalid, delivery):
    """Move the jobs you select to another runner label, byte-exactly.

    PATH is a repository root (default: .) or a workflow file. In a root,
    the *.yml and *.yaml files of .github/workflows, .gitea/workflows and
    .forgejo/workflows are read. By default nothing is written: a unified
    diff goes to stdout and a summary to stderr.

    Jobs whose runs-on is an expression, a runner-group mapping, a YAML
    alias or anchor, or absent (a reusable workflow call) are reported and
    not moved. Moving a job that people outside the repository can trigger
    (pull_request, issue_comment, ...) onto a label that is not GitHub-hosted
    draws a warning; --strict makes it an error.
    """
    # Imported here: ``relane --help`` need not load the engine.
    from relane.codemods.retarget import Retarget
    from relane.read.files import discover
    from relane.roots import run_roots
    from relane.select import refuse_unmatched

    check_modes(write, check)
    delivery.check_modes(write, check)
    selector = build_selector(jobs, on, not_on, from_labels)
    if maps:
        comment_options = (comment, ref, note, comment_width, drop_comment)
        codemod = label_map(maps, to, selector, comment_options, move_expressions, move_groups)
    elif not to:
        raise UsageError("missing option --to LABEL (or --map OLD=NEW)")
    else:
        comments = build_comments(comment, ref, note, comment_width, drop_comment)
        codemod = Retarget(
            to=tuple(to),
            selector=selector,
            move_expressions=move_expressions,
            move_groups=move_groups,
            comments=comments,
        )
        if comments is None and selector.from_labels and not move_expressions and len(codemod.to) == 1:
            # --from X --to Y replaces X by Y in the matrix of a job whose
            # runs-on names the matrix, instead of skipping it as an expression.
            from relane.codemods.frommatrix import WithMatrices

            codemod = WithMatrices.of(codemod)
    plan = run_roots(codemod, discover(paths, include, exclude))
    if not skip_invalid:
        plan.check()
    blocked = strict and bool(plan.warnings)
    if write and not blocked:
        plan.write()
    delivered = None if blocked else delivery.run(plan, paths)
    if fmt in ("json", "text") or not quiet:
        from relane.render import text as report  # -q with a diff needs no report
    if fmt == "json":
        out(with_delivery(report.as_json(plan), delivered))
    elif fmt == "text":
        out(report.plan_text(plan))
    elif fmt == "markdown":
        from relane.render.markdown import plan_markdown

        out(plan_markdown(plan))
    elif not write or blocked:
        out(plan.diff)
    if not quiet:
        err(report.summary(plan, written=write and not blocked))
    err(refused_lines(plan))
    err(delivery_lines(delivered, quiet=quiet))
    if check:
        refuse_unmatched(plan.warnings)
    if blocked:
        plan.check(strict=True)
    raise SystemExit(exit_code(check, plan.changed))
