"""Real git repositories for tests: a work tree with workflows, a bare "remote".

Import the fixtures into a test module: ``from gitrepo import git_env, workrepo``.
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

SHIP = (
    "name: ship\n"
    "on:\n"
    "  push:\n"
    "    branches: [main]\n"
    "jobs:\n"
    "  build:\n"
    "    runs-on: ubuntu-latest  # the shared pool\n"
    "    steps:\n"
    "      - run: make\n"
)
SHIP_MOVED = SHIP.replace("runs-on: ubuntu-latest  #", "runs-on: publish  #")
CI = "on: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n"
WORKFLOWS = {"ship.yml": SHIP, "ci.yml": CI}

# Variables that would let a test reach beyond loopback or see a real token.
_SCRUBBED_ENV = (
    "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy",
    "GITHUB_TOKEN", "GH_TOKEN", "GITEA_TOKEN", "FORGEJO_TOKEN",
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
)


def git(cwd: Path, *args: str, input: bytes | None = None) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, input=input, capture_output=True, check=True)
    return proc.stdout.decode()


@pytest.fixture
def git_env(tmp_path, monkeypatch):
    """git configured for tests only: an identity, no system or user config."""
    config = tmp_path / "gitconfig"
    config.write_text(
        "[user]\n\tname = Relane Test\n\temail = test@example.com\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
    )
    template = tmp_path / "git-template"  # no sample hooks: fewer files to write and delete
    template.mkdir()
    monkeypatch.setenv("GIT_TEMPLATE_DIR", str(template))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("NO_PROXY", "*")
    for name in _SCRUBBED_ENV:
        monkeypatch.delenv(name, raising=False)
    return config


@pytest.fixture
def workrepo(tmp_path, git_env):
    """make(files) -> a committed repository at tmp/work with origin = tmp/remote/acme/widgets.git."""

    def make(files: dict[str, str] = WORKFLOWS, folder: str = ".github/workflows", remote: bool = True) -> Path:
        root = tmp_path / "work"
        for name, text in files.items():
            path = root / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        (root / "README.md").write_text("widgets\n")
        git(root.parent, "init", "-q", "-b", "main", str(root))
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "initial")
        if remote:
            bare = tmp_path / "remote" / "acme" / "widgets.git"
            git(tmp_path, "init", "-q", "--bare", str(bare))
            git(root, "remote", "add", "origin", str(bare))
            git(root, "push", "-q", "origin", "main")
        return root

    return make


def snapshot(root: Path) -> dict:
    """Everything of the user's checkout relane must leave alone."""
    files = {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".git" not in p.relative_to(root).parts
    }
    return {
        "head": git(root, "symbolic-ref", "HEAD"),
        "head_commit": git(root, "rev-parse", "HEAD"),
        "index": hashlib.sha256((root / ".git" / "index").read_bytes()).hexdigest(),
        "staged": git(root, "diff", "--cached", "--binary"),
        "files": files,
    }


def hook(folder: Path, name: str, script: str) -> None:
    """An executable git hook ``name`` in ``folder`` running the shell ``script``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("#!/bin/sh\n" + script)
    (folder / name).chmod(0o755)


def branches(root: Path) -> list[str]:
    return git(root, "for-each-ref", "--format=%(refname)", "refs/heads").split()
