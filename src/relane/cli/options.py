"""Options shared by several sub-commands, and how their output is printed."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from relane.errors import EXIT_CHANGES, EXIT_OK, RelaneError, UsageError
from relane.redact import scrub
from relane.select import EVENT_GROUPS, Selector

GROUPS_EPILOG = "\b\nEvent groups for --on and --not-on:\n" + "\n".join(
    f"  @{name:<5} {', '.join(events)}" for name, events in EVENT_GROUPS.items()
)


def _stack(*decorators: Callable) -> Callable:
    def apply(func: Callable) -> Callable:
        for decorator in reversed(decorators):
            func = decorator(func)
        return func

    return apply


paths_argument = click.argument("paths", nargs=-1, metavar="[PATH]...")

file_options = _stack(
    click.option(
        "--include",
        multiple=True,
        metavar="PATTERN",
        help="Only workflow files matching this gitignore-style pattern (repeatable).",
    ),
    click.option(
        "--exclude",
        multiple=True,
        metavar="PATTERN",
        help="Leave out workflow files matching this gitignore-style pattern (repeatable).",
    ),
)

selection_options = _stack(
    file_options,
    click.option(
        "--job",
        "jobs",
        multiple=True,
        metavar="WORKFLOW_GLOB[:JOB_GLOB]",
        help="Jobs to consider: the glob matches the file name, the name without "
        "extension, or the repository-relative path; JOB_GLOB defaults to * (repeatable).",
    ),
    click.option(
        "--on",
        "on",
        multiple=True,
        metavar="EVENT",
        help="Only workflows with at least one of these triggers (repeatable; @groups below).",
    ),
    click.option(
        "--not-on",
        multiple=True,
        metavar="EVENT",
        help="Only workflows with none of these triggers (repeatable; @groups below).",
    ),
    click.option(
        "--from",
        "from_labels",
        multiple=True,
        metavar="LABEL",
        help="Only jobs whose current runs-on holds one of these labels, in any case "
        "(macos-latest matches macOS-latest) (repeatable).",
    ),
)


def build_selector(jobs, on, not_on, from_labels) -> Selector:
    return Selector.build(jobs=jobs, on=on, not_on=not_on, from_labels=from_labels)


comment_options = _stack(
    click.option(
        "--comment",
        metavar="NAME|FILE",
        help="Write this comment above each moved job's runs-on: a built-in template "
        "(hard-dependency, which names --ref when given) or a template file. Placeholders: "
        "{label} {previous} {ref} {workflow} {job} {note}; ({ref}) and ({note}) are left out when not set.",
    ),
    click.option("--ref", metavar="TEXT", help="Fills {ref} in the comment (an issue or change reference)."),
    click.option("--note", metavar="TEXT", help="Fills {note} in the comment."),
    click.option(
        "--comment-width",
        type=click.IntRange(min=1),
        metavar="COLUMNS",
        help="Wrap comment lines at this width, indentation included (default 88); "
        "words are never split.",
    ),
    click.option(
        "--drop-comment",
        multiple=True,
        metavar="REGEX",
        help="Remove the comment blocks inside moved jobs whose text matches (repeatable).",
    ),
)


def build_comments(comment, ref, note, width, drop):
    """The comment options as a :class:`~relane.comments.annotate.Comments`, or ``None``
    when none was given (the plain retarget does no comment work at all)."""
    if not (comment or ref or note or width or drop):
        return None
    from relane.comments.annotate import Comments

    return Comments.build(comment, ref=ref, note=note, width=width, drop=drop)


def mode_options(formats: tuple[str, ...]) -> Callable:
    return _stack(
        click.option("--write", is_flag=True, help="Write the changed files in place (atomically)."),
        click.option(
            "--check",
            is_flag=True,
            help="Exit 1 when there are changes to make, 0 when there are none; writes nothing.",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            default=formats[0],
            show_default=True,
            help="What to print on stdout.",
        ),
        click.option(
            "--strict",
            is_flag=True,
            help="Treat warnings (such as a job outsiders can trigger moved onto a self-hosted "
            "label) as errors: exit 2 and write nothing.",
        ),
        click.option("-q", "--quiet", is_flag=True, help="No summary on stderr."),
        click.option(
            "--skip-invalid",
            is_flag=True,
            help="Report each workflow file that cannot be read (or whose rewrite fails "
            "verification) and go on with the others, instead of stopping with exit 2.",
        ),
    )


def check_modes(write: bool, check: bool) -> None:
    if write and check:
        raise UsageError("--write and --check cannot be used together")


def out(text: str) -> None:
    """Print ``text`` on stdout exactly (no newline translation).

    A file name that is not UTF-8 reaches the reports as lone surrogates
    (``\\udcff``); they are written as that escape, which in JSON is the
    string escape that reads back as the same name."""
    if text:
        sys.stdout.buffer.write(text.encode("utf-8", "backslashreplace"))
        sys.stdout.flush()


def err(text: str) -> None:
    """Print ``text`` on stderr, environment secrets masked and characters
    that would act on the terminal escaped (line by line)."""
    if text:
        from relane.render.format import printable  # only when there is something to print

        click.echo("\n".join(printable(line) for line in scrub(text).split("\n")), err=True)


def refused_lines(plan) -> str:
    """One line per file a run refused (``--skip-invalid``), for stderr."""
    return "\n".join(f"relane: skipped {error_line(f.error)}" for f in plan.refused if f.error is not None)


def error_line(exc: RelaneError) -> str:
    """``exc`` as one line for people: the message's line breaks and runs of
    spaces folded (it may quote a tool's output), the place as it is, with a
    line break in a file name escaped (``\\n``)."""
    from relane.render.format import printable  # an error path: not at start-up

    where = printable(exc.location)
    message = " ".join(exc.message.split())
    return f"{where}: {message}" if where else message


def exit_code(check: bool, changed: bool) -> int:
    return EXIT_CHANGES if check and changed else EXIT_OK
