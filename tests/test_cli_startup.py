"""Start-up: ``relane --help`` lists the commands without importing them,
and a run imports only what it runs (the time targets themselves are
measured by benchmarks/bench_retarget.py, not here)."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from relane.cli.app import COMMANDS, cli

# Modules no run of ``relane --help`` or of an empty retarget needs.
NEVER_AT_START = (
    "relane.cli.campaign",
    "relane.cli.guard",
    "relane.cli.ls",
    "relane.cli.migrate",
    "relane.deliver.branch",
    "relane.deliver.campaign",
    "relane.deliver.forge",
    "relane.guard",
    "relane.migrate",
    "relane.inventory",
    "relane.comments",
    "relane.codemods.labelmap",
    "relane.codemods.frommatrix",
)

# What reads YAML or edits it: no file, no parser.
NO_FILE_NO_YAML = (
    "yaml",
    "_yaml",
    "relane.read.tree",
    "relane.read.plain",
    "relane.model",
    "relane.edit",
    "relane.verify",
    "relane.narrow",
    "relane.diff",
)


def _imported_by(*args: str) -> set[str]:
    """The modules loaded by the end of ``relane ARGS`` in a fresh interpreter."""
    code = (
        "import sys\n"
        "from relane.cli.app import main\n"
        "code = main(sys.argv[1:])\n"
        "assert code == 0, code\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return set(done.stderr.splitlines()[-1].split())


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_listed_help_is_the_commands_own(name):
    command = cli.get_command(click.Context(cli), name)
    module, attribute, text = COMMANDS[name]
    assert command is getattr(sys.modules[module], attribute)
    assert command.name == name
    assert command.short_help is None and not command.deprecated and not command.hidden
    assert " ".join(command.help.partition("\n\n")[0].split()) == text
    # As shortened for any width: the stand-in's line is the command's line.
    stand_in = click.Command(name, help=text)
    for limit in range(0, 120):
        assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit)


def test_help_lists_every_command_as_the_commands_themselves_would():
    ctx = click.Context(cli, info_name="relane")
    eager = click.Group(commands=[cli.get_command(ctx, name) for name in cli.list_commands(ctx)])
    for width in (40, 80, 100):
        lazy_text, eager_text = click.HelpFormatter(width=width), click.HelpFormatter(width=width)
        cli.format_commands(ctx, lazy_text)
        eager.format_commands(ctx, eager_text)
        assert lazy_text.getvalue() == eager_text.getvalue()
    assert "retarget  Move the jobs you select to another runner label, byte-exactly." in lazy_text.getvalue()


def test_an_unknown_command_is_a_usage_error(relane):
    r = relane("nosuch")
    assert (r.code, r.out, r.err) == (2, "", "relane: error: No such command 'nosuch'.\n")


def test_help_imports_no_command():
    loaded = _imported_by("--help")
    assert not {m for m in loaded if m.startswith(("relane.cli.", "relane.read", *NO_FILE_NO_YAML))} - {"relane.cli.app"}
    assert "relane.select" not in loaded and "relane.engine" not in loaded


@pytest.mark.parametrize("options", [("-q",), (), ("--format", "json")])
def test_an_empty_retarget_imports_only_what_it_runs(tmp_path, options):
    loaded = _imported_by("retarget", str(tmp_path), "--to", "x", *options)
    assert "relane.cli.retarget" in loaded and "relane.engine" in loaded
    assert not {m for m in loaded if m.startswith(NEVER_AT_START + NO_FILE_NO_YAML)}


def test_a_retarget_that_reads_a_file_loads_the_reader(tmp_path):
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text("on: push\njobs:\n  a:\n    runs-on: x\n")
    loaded = _imported_by("retarget", str(tmp_path), "--to", "x", "-q")
    assert {"yaml", "relane.read.tree", "relane.model"} <= loaded
    assert not {m for m in loaded if m.startswith(NEVER_AT_START)}
