"""``relane ls``: the inventory of jobs, as a table, JSON and Markdown."""

from __future__ import annotations

import pytest
import json
import re
import shutil

from conftest import EXAMPLES, corpus_files
from relane.inventory import classify

LANE = str(EXAMPLES / "publish-lane")


def _table(path, width: int = 100) -> str:
    """The text table fitted to ``width`` columns, as ``relane ls`` prints it
    on a terminal that wide (tests/test_ls_wide.py runs it on one)."""
    from relane.inventory import list_jobs as inventory
    from relane.read.files import discover
    from relane.render.text import inventory_text

    return inventory_text(inventory(discover([path])), width)


def test_text_table_fits_100_columns():
    out = _table(LANE)
    assert out == (
        "WORKFLOW                              JOB       TRIGGERS  CLASS  RUNS-ON\n"
        ".gitea/workflows/ci.yml               test      pull_re…  pr     matrix: ubuntu-latest, macos-latest\n"
        ".gitea/workflows/notify.yml           send      workflo…  none   ubuntu-latest\n"
        "…/workflows/publish-canvas-image.yml  build-a…  push, w…  ship   \"ubuntu-latest\"\n"
        "…/publish-runtime-autobump.yml        autobump  pull_re…  pr     ubuntu-latest\n"
        ".gitea/workflows/publish-runtime.yml  publish   push, w…  ship   [ubuntu-latest]\n"
        ".gitea/workflows/publish-runtime.yml  cascade   push, w…  ship   [ubuntu-latest]\n"
        "…/publish-workspace-server-image.yml  build-a…  push, w…  ship   ubuntu-latest\n"
        "…/publish-workspace-server-image.yml  deploy-…  push, w…  ship   ubuntu-latest\n"
        "…/redeploy-tenants-on-main.yml        redeploy  workflo…  ship   ubuntu-latest\n"
        "…/redeploy-tenants-on-main.yml        notify    workflo…  ship   -\n"
        "…/redeploy-tenants-on-staging.yml     redeploy  push      ship   'ubuntu-latest'\n"
    )
    assert max(len(line) for line in out.splitlines()) <= 100


def test_json_is_a_list_of_jobs(relane):
    doc = json.loads(relane("ls", LANE, "--format", "json").out)
    assert len(doc) == 11
    assert doc[0] == {
        "workflow": ".gitea/workflows/ci.yml",
        "job": "test",
        "triggers": ["pull_request", "merge_group"],
        "class": "pr",
        "runs_on": "${{ matrix.os }}",
        "matrix_labels": [["ubuntu-latest"], ["macos-latest"]],
    }
    by_job = {(d["workflow"].rsplit("/", 1)[1], d["job"]): d for d in doc}
    assert by_job[("publish-runtime.yml", "cascade")]["runs_on"] == ["ubuntu-latest"]
    assert by_job[("redeploy-tenants-on-main.yml", "notify")]["runs_on"] is None
    assert by_job[("notify.yml", "send")]["class"] == "none"


def test_selection_what_runs_on_publish(relane, tmp_path):
    root = tmp_path / "lane"
    shutil.copytree(EXAMPLES / "publish-lane", root)
    assert relane("ls", str(root), "--from", "publish").out == "no jobs found\n"
    relane("migrate", str(root / "relane.toml"), "--write", "-q")
    r = relane("ls", str(root), "--from", "publish", "--format", "markdown")
    assert r.out == (
        "| Workflow | Job | Triggers | Class | runs-on |\n"
        "|---|---|---|---|---|\n"
        '| `.gitea/workflows/publish-canvas-image.yml` | `build-and-push` | push, workflow_dispatch | ship | `"publish"` |\n'
        "| `.gitea/workflows/publish-runtime.yml` | `publish` | push, workflow_dispatch | ship | `publish` |\n"
        "| `.gitea/workflows/publish-runtime.yml` | `cascade` | push, workflow_dispatch | ship | `publish` |\n"
        "| `.gitea/workflows/publish-workspace-server-image.yml` | `build-and-push` | push, workflow_dispatch | ship | `publish` |\n"
        "| `.gitea/workflows/publish-workspace-server-image.yml` | `deploy-production` | push, workflow_dispatch | ship | `publish` |\n"
        "| `.gitea/workflows/redeploy-tenants-on-main.yml` | `redeploy` | workflow_run | ship | `publish` |\n"
        "| `.gitea/workflows/redeploy-tenants-on-staging.yml` | `redeploy` | push | ship | `'publish'` |\n"
    )
    r = relane("ls", str(root), "--on", "@pr", "--job", "ci")
    assert r.out.splitlines()[1] == ".gitea/workflows/ci.yml  test  pull_request, merge_group  pr     matrix: ubuntu-latest, macos-latest"


def test_runs_on_as_written(relane, repo):
    root = repo(
        {
            "w.yml": "on: {push: {}, pull_request: {}}\njobs:\n"
            "  a:\n    runs-on:\n      - self-hosted\n      - 'big'\n"
            "  b:\n    runs-on:\n      group: g\n      labels: [x,  y]\n"
            "  c:\n    runs-on: &r x\n"
            "  d:\n    runs-on: *r\n",
        }
    )
    r = relane("ls", str(root))
    assert [re.split(r"  +", line)[3:] for line in r.out.splitlines()[1:]] == [
        ["mixed", "[self-hosted, 'big']"],
        ["mixed", "{group: g, labels: [x, y]}"],
        ["mixed", "&r x"],
        ["mixed", "*r"],
    ]
    doc = json.loads(relane("ls", str(root), "--format", "json").out)
    assert [d["runs_on"] for d in doc] == [["self-hosted", "big"], {"group": "g", "labels": ["x", "y"]}, "x", "x"]


def test_classes():
    assert classify(["push", "pull_request"]) == "mixed"
    assert classify(["schedule"]) == "ship"
    assert classify(["merge_group"]) == "pr"
    assert classify(["workflow_call", "issues"]) == "none"
    assert classify([]) == "none"


@pytest.mark.slow
def test_whole_corpus_fits(relane, tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for path in corpus_files("wild"):
        (folder / path.name).write_bytes(path.read_bytes())
    lines = _table(tmp_path).splitlines()
    assert len(lines) == 1 + 3987
    assert max(len(line) for line in lines) <= 100


def test_from_matches_labels_in_any_case(relane, repo):
    """GitHub compares runner labels case-insensitively, and so does --from."""
    root = repo({"a.yml": "on: push\njobs:\n  mac:\n    runs-on: macOS-latest\n  lin:\n    runs-on: [self-hosted, Linux]\n"})
    r = relane("ls", str(root), "--from", "macos-latest", "--format", "json")
    assert [(j["job"], j["runs_on"]) for j in json.loads(r.out)] == [("mac", "macOS-latest")]
    r = relane("retarget", str(root), "--from", "linux", "--to", "publish", "--write", "-q")
    assert r.code == 0, r.err
    assert (root / ".github/workflows/a.yml").read_text() == (
        "on: push\njobs:\n  mac:\n    runs-on: macOS-latest\n  lin:\n    runs-on: publish\n"
    )


RETIRED_REPO = {
    "ci.yml": "on: push\njobs:\n"
    "  lit:\n    runs-on: Ubuntu-20.04\n"
    "  mine:\n    runs-on: [self-hosted, ubuntu-20.04]\n"
    "  mat:\n    strategy:\n      matrix:\n        os: [ubuntu-24.04, macos-13]\n    runs-on: ${{ matrix.os }}\n"
    "  new:\n    runs-on: ubuntu-24.04\n",
}


def test_retired_lists_jobs_on_retired_labels_and_exits_1(relane, repo):
    root = repo(RETIRED_REPO)
    repo({"ci.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-20.04\n"}, folder=".gitea/workflows")
    r = relane("ls", str(root), "--retired")
    assert r.code == 1
    assert r.out == (
        "WORKFLOW                  JOB  TRIGGERS  CLASS  RUNS-ON\n"
        ".github/workflows/ci.yml  lit  push      ship   Ubuntu-20.04\n"
        ".github/workflows/ci.yml  mat  push      ship   matrix: ubuntu-24.04, macos-13\n"
    )
    assert r.err == (
        "ubuntu-20.04: 1 job; retired 2025-04-15, replace with ubuntu-24.04 "
        "(https://github.com/actions/runner-images/issues/11101)\n"
        "macos-13: 1 job; retired 2025-12-04, replace with macos-15; the architecture changes from x64 to arm64 "
        "(https://github.com/actions/runner-images/issues/13046)\n"
        "relane retarget --map @retired replaces them\n"
    )
    relane("retarget", str(root), "--map", "@retired", "--write", "-q")
    r = relane("ls", str(root), "--retired")
    assert (r.code, r.out, r.err) == (0, "no jobs found\n", "no job runs on a retired label\n")


def test_from_matches_the_labels_a_matrix_gives(relane, repo):
    root = repo(RETIRED_REPO)
    r = relane("ls", str(root), "--from", "MACOS-13", "--format", "json")
    doc = json.loads(r.out)
    assert [(d["job"], d["matrix_labels"]) for d in doc] == [("mat", [["ubuntu-24.04"], ["macos-13"]])]
