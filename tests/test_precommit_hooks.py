"""The pre-commit hooks manifest: well-formed, and each hook's command works as pre-commit runs it."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from gitrepo import SHIP, SHIP_MOVED  # noqa: F401

MANIFEST = Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml"
HOOKS = yaml.safe_load(MANIFEST.read_text())


def test_manifest_shape():
    assert [h["id"] for h in HOOKS] == ["relane-check", "relane-guard", "relane-migrate-check"]
    for hook in HOOKS:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"  # pre-commit installs this package into the hook's venv
        assert hook["pass_filenames"] is False  # relane reads the repository's workflow folders itself
        files = re.compile(hook["files"])
        assert files.search(".github/workflows/ci.yml")
        assert files.search(".gitea/workflows/publish.yaml")
        assert files.search(".forgejo/workflows/x.yml")
        assert not files.search(".github/workflows/sub/x.yml")
        assert not files.search("docs/workflows/x.yml")
    assert HOOKS[1]["stages"] == ["manual"]  # it needs the network and a token
    assert re.compile(HOOKS[2]["files"]).search("relane.toml")  # a changed spec re-runs the check


@pytest.mark.parametrize("hook", HOOKS, ids=lambda h: h["id"])
def test_entry_is_a_relane_command(relane, hook):
    program, *args = shlex.split(hook["entry"])
    assert program == "relane"
    assert relane(*args, "--help").code == 0


def test_check_hook_fails_while_a_migration_is_pending(relane, repo, monkeypatch):
    root = repo({"ship.yml": SHIP})
    monkeypatch.chdir(root)  # pre-commit runs hooks from the repository root
    entry = shlex.split(HOOKS[0]["entry"])[1:]
    args = ["--on", "@ship", "--from", "ubuntu-latest", "--to", "publish"]
    r = relane(*entry, *args)
    assert r.code == 1
    assert r.err == "would change 1 file of 1; 1 job moved to publish\n"
    (root / ".github/workflows/ship.yml").write_text(SHIP_MOVED)
    assert relane(*entry, *args).code == 0


def test_migrate_hook_fails_until_the_migration_is_applied(relane, repo, monkeypatch):
    root = repo({"ship.yml": SHIP})
    (root / "relane.toml").write_text('[migration.lane]\non = ["@ship"]\nto = "publish"\n')
    monkeypatch.chdir(root)
    entry = shlex.split(HOOKS[2]["entry"])[1:]
    r = relane(*entry, "relane.toml")
    assert r.code == 1
    assert r.err == "lane: would change 1 file of 1; 1 job moved to publish\ncomments: 1 added\n"
    assert relane("migrate", "relane.toml", "--write", "-q").code == 0
    assert relane(*entry, "relane.toml").code == 0
