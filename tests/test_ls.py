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


INPUTS_REPO = {
    "reusable.yml": "on:\n  workflow_call:\n    inputs:\n      runner:\n        type: string\n        default: ubuntu-20.04\n"
    "jobs:\n  build:\n    runs-on: ${{ inputs.runner }}\n    steps: [{run: make}]\n",
    "manual.yml": "on:\n  workflow_dispatch:\n    inputs:\n      os:\n        type: choice\n"
    "        options: [ubuntu-24.04, macos-13]\n        default: ubuntu-24.04\n"
    "jobs:\n  run:\n    runs-on: ${{ inputs.os }}\n",
    "ci.yml": "on: push\njobs:\n  call:\n    uses: ./.github/workflows/reusable.yml\n    with:\n      runner: windows-2019\n"
    "  fine:\n    uses: ./.github/workflows/reusable.yml\n    with:\n      runner: ubuntu-24.04\n",
}


def test_retired_lists_labels_that_inputs_give_and_exits_1(relane, repo):
    # A retired input default, choice or caller's with: value was not
    # listed (exit 0), although retarget --map @retired replaced it.
    root = repo(INPUTS_REPO)
    listed = relane("ls", str(root), "--retired")
    assert (listed.code, listed.out) == (1, (
        "WORKFLOW                        JOB    TRIGGERS           CLASS  RUNS-ON\n"
        ".github/workflows/ci.yml        call   push               ship   inputs: windows-2019\n"
        ".github/workflows/manual.yml    run    workflow_dispatch  ship   inputs: ubuntu-24.04, macos-13\n"
        ".github/workflows/reusable.yml  build  workflow_call      none   inputs: ubuntu-20.04\n"
    ))
    assert [line.split(":")[0] for line in listed.err.splitlines()] == [
        "windows-2019", "macos-13", "ubuntu-20.04", "relane retarget --map @retired replaces them"]
    rows = json.loads(relane("ls", str(root), "--retired", "--format", "json").out)
    assert [(row["job"], row["runs_on"], row["input_labels"]) for row in rows] == [
        ("call", None, [["windows-2019"]]),
        ("run", "${{ inputs.os }}", [["ubuntu-24.04"], ["macos-13"]]),
        ("build", "${{ inputs.runner }}", [["ubuntu-20.04"]]),
    ]
    md = relane("ls", str(root), "--retired", "--format", "markdown").out
    assert "| `call` | push | ship | inputs: windows-2019 |" in md
    assert "| `build` | workflow_call | none | `${{ inputs.runner }}` (inputs: ubuntu-20.04) |" in md
    assert relane("retarget", str(root), "--map", "@retired", "--write", "-q").code == 0
    r = relane("ls", str(root), "--retired")
    assert (r.code, r.out, r.err) == (0, "no jobs found\n", "no job runs on a retired label\n")


def test_a_plain_listing_shows_an_input_runs_on_as_written(relane, repo):
    root = repo(INPUTS_REPO)
    rows = json.loads(relane("ls", str(root), "--format", "json").out)
    assert [(row["job"], row["runs_on"]) for row in rows] == [
        ("call", None), ("fine", None), ("run", "${{ inputs.os }}"), ("build", "${{ inputs.runner }}")]
    assert not any("input_labels" in row for row in rows)


def test_retired_tells_a_gitea_root_by_its_own_path_among_several_roots(relane, repo, tmp_path):
    # Over several roots the workflow is shown under its root, and the
    # Gitea workflow's ubuntu-20.04 (a label of its owner's runner) was
    # taken for GitHub's retired one.
    gitea = tmp_path / "gitea"
    (gitea / ".gitea/workflows").mkdir(parents=True)
    (gitea / ".gitea/workflows/ci.yml").write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-20.04\n")
    github = tmp_path / "github"
    (github / ".github/workflows").mkdir(parents=True)
    (github / ".github/workflows/ci.yml").write_text("on: push\njobs:\n  b:\n    runs-on: ubuntu-20.04\n")
    r = relane("ls", str(gitea), str(github), "--retired", "--format", "json")
    assert r.code == 1
    assert [(row["root"].rsplit("/", 1)[-1], row["job"]) for row in json.loads(r.out)] == [("github", "b")]
    r = relane("ls", str(gitea), "--retired")
    assert (r.code, r.out) == (0, "no jobs found\n")


def test_from_matches_the_labels_a_matrix_gives(relane, repo):
    root = repo(RETIRED_REPO)
    r = relane("ls", str(root), "--from", "MACOS-13", "--format", "json")
    doc = json.loads(r.out)
    assert [(d["job"], d["matrix_labels"]) for d in doc] == [("mat", [["ubuntu-24.04"], ["macos-13"]])]
