"""The README's ready-to-paste CI jobs: valid workflows whose guard command works as written."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

import relane as lib

from forgeserver import Answer, forge  # noqa: F401
from gitrepo import git, git_env, workrepo  # noqa: F401

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
JOBS = [block for block in re.findall(r"```yaml\n(.*?)```", README, re.S) if "relane guard" in block]


def guard_step(block: str) -> tuple[dict, dict]:
    workflow = yaml.load(block, Loader=yaml.BaseLoader)  # BaseLoader keeps `on` a string key
    (step,) = [s for s in workflow["jobs"]["guard"]["steps"] if "relane guard" in s.get("run", "")]
    return workflow, step


def test_readme_has_a_github_and_a_gitea_job():
    assert len(JOBS) == 2
    folders = []
    for block in JOBS:
        workflow, step = guard_step(block)
        (folder,) = workflow["on"]["pull_request"]["paths"]
        folders.append(folder)
        source = lib.Source("runner-guard.yml", block)
        assert [j.id for j in lib.load(source).jobs] == ["guard"]
        assert step["run"].split()[:3] == ["relane", "guard", "--from-workflows"]
    assert folders == [".github/workflows/**", ".gitea/workflows/**"]


@pytest.mark.parametrize("index", [0, 1], ids=["github", "gitea"])
def test_readme_guard_command_runs(relane, workrepo, forge, monkeypatch, index):
    workflow, step = guard_step(JOBS[index])
    folder = ".github/workflows" if index == 0 else ".gitea/workflows"
    root = workrepo({"ship.yml": "on: push\njobs:\n  a:\n    runs-on: publish\n  b:\n    runs-on: ubuntu-latest\n"},
                    folder=folder, remote=False)
    # As actions/checkout leaves it: origin is the forge's web address.
    git(root, "remote", "add", "origin", "https://github.com/acme/widgets.git")
    monkeypatch.chdir(root)
    for name, value in step["env"].items():
        monkeypatch.setenv(name, "t0ken-from-secret")
    runner = {"id": 1, "name": "lane-1", "status": "online", "busy": False, "labels": [{"id": 1, "name": "publish"}]}
    hosted = {"id": 2, "name": "pool-1", "status": "online", "busy": True, "labels": [{"id": 1, "name": "ubuntu-latest"}]}
    listing = {"total_count": 2, "runners": [runner, hosted]}
    command = step["run"].replace("$GITHUB_SERVER_URL", forge.url).replace("$GITHUB_REPOSITORY", "acme/widgets")
    args = shlex.split(command)[1:]
    if index == 0:
        forge.on("GET", "/repos/acme/widgets/actions/runners", Answer(200, listing))
        forge.on("GET", "/orgs/acme/actions/runners", Answer(200, {"total_count": 0, "runners": []}))
        args += ["--api-url", forge.url]  # instead of https://api.github.com
    else:
        forge.on("GET", "/api/v1/repos/acme/widgets/actions/runners", Answer(200, listing))
        forge.on("GET", "/api/v1/orgs/acme/actions/runners", Answer(200, {"total_count": 0, "runners": []}))

    r = relane(*args)

    assert r.code == 0, r.err
    assert [req.path.rsplit("/", 3)[-3] for req in forge.requests] == ["widgets", "acme"]
    assert r.out.splitlines()[-1] == ("ok: the label is served by an online runner" if index == 0
                                      else "ok: all 2 labels are served by an online runner")
