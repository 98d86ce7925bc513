"""The ``relane`` command: parse options, call the library, print, exit.

Expected failures (:class:`~relane.errors.RelaneError`, click usage errors)
become one line on stderr, ``relane: error: ...``, and a fixed exit code;
nothing below this module prints or exits.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

import click

from relane import __version__
from relane.errors import EXIT_ERROR, EXIT_INTERNAL, RelaneError

EPILOG = """\b
Examples:
  # Show the diff that moves post-merge ship jobs to the `publish` label,
  # leaving pull-request CI alone, with a comment in each moved job:
  relane retarget --on @ship --not-on @pr --from ubuntu-latest --to publish \\
      --comment hard-dependency --ref 'internal#462'

\b
  # What was (not) moved and why, as a pull-request description:
  relane retarget --on @ship --not-on @pr --to publish --format markdown

\b
  # Save the change as a migration, apply it, roll it back:
  relane migrate relane.toml --write
  relane migrate relane.toml --reverse --write

\b
  # What runs on `publish`? Is a runner serving it online?
  relane ls --from publish
  relane guard --label publish

\b
Run `relane COMMAND --help` for each command's options and exit codes.
"""


COMMANDS = {
    "campaign": (
        "relane.cli.campaign",
        "campaign_group",
        "Carry out the migrations of a spec in many repositories, one pull request each.",
    ),
    "guard": (
        "relane.cli.guard",
        "guard_command",
        "Check that every runner label in use is served by an online runner.",
    ),
    "ls": (
        "relane.cli.ls",
        "ls_command",
        "List the jobs under PATH (default: .): workflow, job, triggers, class, runs-on.",
    ),
    "migrate": ("relane.cli.migrate", "migrate_command", "Apply the migrations saved in FILE (TOML), or roll them back."),
    "retarget": (
        "relane.cli.retarget",
        "retarget_command",
        "Move the jobs you select to another runner label, byte-exactly.",
    ),
}
"""Each command: the module and attribute that define it, and the first
paragraph of its help (what ``relane --help`` shortens into its line), so
that listing the commands imports none of them (tests/test_cli_startup.py
checks these texts against the commands)."""


class LazyGroup(click.Group):
    """The ``relane`` group: a command's module is imported only when that
    command runs (or shows its own help), so every run pays for its own
    imports alone."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        module, attribute, _ = entry
        command: click.Command = getattr(import_module(module), attribute)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's own listing, over stand-ins that carry each command's help text.
        listing = click.Group(commands=[click.Command(name, help=text) for name, (_, _, text) in COMMANDS.items()])
        listing.format_commands(ctx, formatter)


@click.group(
    cls=LazyGroup,
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="relane", message="%(prog)s %(version)s")
def cli() -> None:
    """relane: byte-exact codemods for GitHub, Gitea and Forgejo Actions workflows.

    Move jobs to another runner label without disturbing a byte around them,
    and show the change as a diff a reviewer can trust.
    """


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Every line printed on an error path has environment secrets masked
    (:func:`relane.redact.scrub`), a traceback included.
    """
    try:
        code = cli.main(args=argv, prog_name="relane", standalone_mode=False)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except click.exceptions.NoArgsIsHelpError as exc:
        # Bare ``relane``: the help as ``--help`` prints it; still a usage error.
        click.echo(exc.ctx.get_help())
        code = EXIT_ERROR
    except click.exceptions.Abort:
        _error("relane: aborted")
        code = EXIT_ERROR
    except click.ClickException as exc:
        _error(f"relane: error: {_one_line(exc.format_message())}")
        code = EXIT_ERROR
    except RelaneError as exc:
        from relane.cli.options import error_line  # an error path: not at start-up

        _error(f"relane: error: {error_line(exc)}")
        code = exc.exit_code
    except BrokenPipeError:
        # The reader went away (| head): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = EXIT_ERROR
    except KeyboardInterrupt:
        _error("relane: interrupted")
        code = 130
    except Exception as exc:  # an unexpected failure is relane's bug
        if os.environ.get("RELANE_TRACEBACK"):
            import traceback

            _error(traceback.format_exc().rstrip("\n"))
        else:
            _error(
                f"relane: internal error: {type(exc).__name__}: {_one_line(str(exc))} "
                "(set RELANE_TRACEBACK=1 to see where)"
            )
        code = EXIT_INTERNAL
    return 0 if code is None else code


def _error(text: str) -> None:
    from relane.cli.options import err  # an error path: not at start-up

    err(text)


def _one_line(text: str) -> str:
    return " ".join(text.split())
