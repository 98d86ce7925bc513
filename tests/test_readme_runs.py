"""Every command and snippet of the README runs as written.

The Python snippets run in a committed copy of examples/publish-lane (the
README says they run from a repository root); the one that opens a pull
request talks to a forge on 127.0.0.1 instead of the one the remote names.
The `relane` command lines run through the command line in-process; the
guard's are run against a forge by tests/test_readme_ci.py.
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT
from forgeserver import Answer, forge  # noqa: F401
from gitrepo import git, git_env  # noqa: F401

README = (ROOT / "README.md").read_text(encoding="utf-8")
PYTHON = re.findall(r"```python\n(.*?)```", README, re.S)
SHELL = [line for block in re.findall(r"```sh\n(.*?)```", README, re.S)
         for line in block.replace("\\\n", " ").splitlines() if line.strip()]


def _synopsis(line: str) -> bool:
    """A usage line such as ``relane ls [PATH]... [selection]``, not a command."""
    return bool(re.search(r"\[[A-Z-]+\]|\[--|\]\.\.\.|\|", line))


COMMANDS = [line for line in SHELL if "relane " in line and not _synopsis(line) and " guard " not in line]


@pytest.fixture
def example(tmp_path, git_env, monkeypatch):
    """A committed copy of the example whose origin is a bare repository named acme/widgets."""
    root = tmp_path / "work"
    shutil.copytree(EXAMPLES / "publish-lane", root)
    git(tmp_path, "init", "-q", "-b", "main", str(root))
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "initial")
    bare = tmp_path / "remote" / "acme" / "widgets.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(root, "remote", "add", "origin", str(bare))
    git(root, "push", "-q", "origin", "main")
    monkeypatch.chdir(root)
    return root


def test_the_readme_has_what_this_file_runs():
    assert len(PYTHON) == 5
    assert len(COMMANDS) >= 2


@pytest.mark.parametrize("index", range(len(PYTHON)))
def test_python_snippet_runs(example, forge, monkeypatch, capsys, index):
    snippet = PYTHON[index]
    if "PullRequestOptions(" in snippet:
        monkeypatch.setenv("GITHUB_TOKEN", "ghp_readmeT0ken")
        forge.on("GET", "/repos/acme/widgets", Answer(200, {"full_name": "acme/widgets"}))
        forge.on("POST", "/repos/acme/widgets/pulls", Answer(201, {"number": 7, "html_url": "https://forge.test/pr/7"}))
        forge.on("POST", "/repos/acme/widgets/issues/7/labels", Answer(200, []))
        snippet = snippet.replace("PullRequestOptions(", f"PullRequestOptions(forge='github', api_url={forge.url!r}, ")
    if "examples/publish-lane" in snippet:  # it reads the example from relane's checkout
        (example.parent / "examples").mkdir()
        shutil.copytree(example, example.parent / "examples" / "publish-lane")
        monkeypatch.chdir(example.parent)
    exec(compile(snippet, f"README.md python snippet {index + 1}", "exec"), {})
    printed = capsys.readouterr().out
    if "print(plan.diff)" in snippet:
        assert printed.startswith("diff --git")


@pytest.mark.parametrize("line", COMMANDS)
def test_relane_command_runs(relane, example, line):
    words = shlex.split(line.split(" && ")[-1])
    program = words.index(next(w for w in words if w.endswith("relane")))
    args = words[program + 1:]
    if line.startswith("python3 -m venv"):  # the first lines: from the checkout, after installing
        args = [str(ROOT / a) if a.startswith("examples/") else a for a in args]
    r = relane(*args)
    assert r.code == 0, r.err
    assert r.out


def test_commands_of_the_virtual_environment_name_it():
    """python and pip lines use the virtual environment the first lines make."""
    for line in SHELL:
        for word in shlex.split(line):
            if re.fullmatch(r"(python3?|pip3?)", word) and not line.startswith("python3 -m venv"):
                pytest.fail(f"README line runs {word} outside .venv: {line}")
    for path in ("fuzz/atheris_relane.py", "benchmarks/scale.py", "tests/test_properties.py", "tests/test_fuzz.py"):
        assert f" {path}" in " ".join(SHELL) and (ROOT / path).is_file()
