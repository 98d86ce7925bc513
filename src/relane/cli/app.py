"""The ``relane`` command: parse options, call the library, print, exit.

Expected failures (:class:`~relane.errors.RelaneError`, click usage errors)
become one line on stderr, ``relane: error: ...``, and a fixed exit code;
nothing below this module prints or exits.
"""

from __future__ import annotations

import os
import sys

import click

from relane import __version__
from relane.cli.campaign import campaign_group
from relane.cli.guard import guard_command
from relane.cli.ls import ls_command
from relane.cli.migrate import migrate_command
from relane.cli.retarget import retarget_command
from relane.errors import EXIT_ERROR, EXIT_INTERNAL, RelaneError
from relane.redact import scrub

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


@click.group(
    epilog=EPILOG,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, "--version", prog_name="relane", message="%(prog)s %(version)s")
def cli() -> None:
    """relane: byte-exact codemods for GitHub, Gitea and Forgejo Actions workflows.

    Move jobs to another runner label without disturbing a byte around them,
    and show the change as a diff a reviewer can trust.
    """


cli.add_command(retarget_command)
cli.add_command(guard_command)
cli.add_command(migrate_command)
cli.add_command(ls_command)
cli.add_command(campaign_group)


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
        _error(f"relane: error: {_one_line(str(exc))}")
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
    from relane.render.format import printable  # it reads YAML's model: not at start-up

    click.echo("\n".join(printable(line) for line in scrub(text).split("\n")), err=True)


def _one_line(text: str) -> str:
    return " ".join(text.split())
