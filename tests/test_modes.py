"""The command line around the codemod: selection, modes, reports and errors."""

from __future__ import annotations

import json
import os
import stat

import pytest

WF = ".github/workflows"

SHIP = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n  test:\n    runs-on: ${{ matrix.os }}\n  call:\n    uses: ./x.yml\n"
PR = "on: [pull_request]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n"
DONE = "on: push\njobs:\n  done:\n    runs-on: publish\n"


@pytest.fixture
def three(repo):
    return repo({"ship.yml": SHIP, "pr.yml": PR, "done.yml": DONE})


def moved(relane, root, *args: str) -> list[str]:
    """``workflow:job`` of each job a dry run would move."""
    r = relane("retarget", str(root), "--to", "publish", "--format", "json", *args)
    assert r.code == 0, r.err
    return [f"{j['workflow'].rsplit('/', 1)[-1]}:{j['job']}" for j in json.loads(r.out)["jobs"] if j["outcome"] == "moved"]


# -- selection -------------------------------------------------------------


@pytest.fixture
def selection(repo):
    return repo(
        {
            "deploy.yml": "on:\n  push:\n    branches: [main]\njobs:\n  build:\n    runs-on: ubuntu-latest\n  ship:\n    runs-on: [self-hosted, linux]\n",
            "nightly.yaml": "on:\n  schedule:\n    - cron: '0 3 * * *'\njobs:\n  bench:\n    runs-on: ubuntu-latest\n",
            "pr.yml": "on: [pull_request, push]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n",
            "call.yml": "on: workflow_call\njobs:\n  inner:\n    runs-on: ubuntu-latest\n",
        }
    )


SELECTIONS = [
    ((), ["call.yml:inner", "deploy.yml:build", "deploy.yml:ship", "nightly.yaml:bench", "pr.yml:lint"]),
    (("--job", "deploy.yml"), ["deploy.yml:build", "deploy.yml:ship"]),
    (("--job", "deploy"), ["deploy.yml:build", "deploy.yml:ship"]),
    (("--job", f"{WF}/deploy.yml"), ["deploy.yml:build", "deploy.yml:ship"]),
    (("--job", ".github/*/d*"), ["deploy.yml:build", "deploy.yml:ship"]),
    (("--job", "nightly"), ["nightly.yaml:bench"]),
    (("--job", "deploy:sh*"), ["deploy.yml:ship"]),
    (("--job", "deploy:build", "--job", "nightly"), ["deploy.yml:build", "nightly.yaml:bench"]),
    (("--job", "*:b*"), ["deploy.yml:build", "nightly.yaml:bench"]),
    (("--on", "push"), ["deploy.yml:build", "deploy.yml:ship", "pr.yml:lint"]),
    (("--on", "push", "--on", "schedule"), ["deploy.yml:build", "deploy.yml:ship", "nightly.yaml:bench", "pr.yml:lint"]),
    (("--on", "@ship"), ["deploy.yml:build", "deploy.yml:ship", "nightly.yaml:bench", "pr.yml:lint"]),
    (("--on", "push,schedule"), ["deploy.yml:build", "deploy.yml:ship", "nightly.yaml:bench", "pr.yml:lint"]),
    (("--not-on", "@pr"), ["call.yml:inner", "deploy.yml:build", "deploy.yml:ship", "nightly.yaml:bench"]),
    (("--on", "@ship", "--not-on", "@pr"), ["deploy.yml:build", "deploy.yml:ship", "nightly.yaml:bench"]),
    (("--not-on", "schedule", "--not-on", "workflow_call"), ["deploy.yml:build", "deploy.yml:ship", "pr.yml:lint"]),
    (("--from", "linux"), ["deploy.yml:ship"]),
    (("--from", "linux", "--from", "ubuntu-latest"), ["call.yml:inner", "deploy.yml:build", "deploy.yml:ship", "nightly.yaml:bench", "pr.yml:lint"]),
    # Different kinds AND together.
    (("--on", "push", "--from", "ubuntu-latest"), ["deploy.yml:build", "pr.yml:lint"]),
    (("--on", "@ship", "--not-on", "@pr", "--from", "ubuntu-latest", "--job", "*:b*"), ["deploy.yml:build", "nightly.yaml:bench"]),
    (("--job", "pr", "--not-on", "@pr"), []),
    (("--include", "*.yaml"), ["nightly.yaml:bench"]),
    (("--exclude", "pr.yml", "--exclude", "call.yml"), ["deploy.yml:build", "deploy.yml:ship", "nightly.yaml:bench"]),
]


@pytest.mark.parametrize(("args", "expected"), SELECTIONS, ids=[" ".join(a) or "all" for a, _ in SELECTIONS])
def test_selection(args, expected, selection, relane):
    assert sorted(moved(relane, selection, *args)) == expected


def test_exclusion_reasons(selection, relane):
    r = relane(
        "retarget", str(selection), "--to", "publish", "--format", "text",
        "--on", "@ship", "--not-on", "@pr", "--from", "ubuntu-latest", "--job", "deploy", "--job", "nightly:b*",
    )
    assert r.out == (
        "moved     .github/workflows/deploy.yml:5    build  ubuntu-latest -> publish\n"
        "moved     .github/workflows/nightly.yaml:5  bench  ubuntu-latest -> publish\n"
        "excluded  .github/workflows/call.yml:3      inner  workflow not matched by --job\n"
        "excluded  .github/workflows/deploy.yml:7    ship   runs-on has none of the --from labels (ubuntu-latest)\n"
        "excluded  .github/workflows/pr.yml:3        lint   workflow not matched by --job\n"
    )
    r = relane("retarget", str(selection), "--to", "publish", "--format", "text", "--on", "schedule", "--not-on", "pull_request")
    assert r.out.splitlines()[1:] == [
        "excluded  .github/workflows/call.yml:3      inner  no --on trigger (triggered by workflow_call)",
        "excluded  .github/workflows/deploy.yml:5    build  no --on trigger (triggered by push)",
        "excluded  .github/workflows/deploy.yml:7    ship   no --on trigger (triggered by push)",
        "excluded  .github/workflows/pr.yml:3        lint   pull_request-triggered (--not-on)",
    ]


def test_named_file_and_job_pattern_on_it(selection, relane):
    path = str(selection / WF / "deploy.yml")
    assert moved(relane, path) == ["deploy.yml:build", "deploy.yml:ship"]
    assert moved(relane, path, "--job", f"{WF}/deploy.yml:ship") == ["deploy.yml:ship"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--on", "@nope"), "relane: error: unknown event group '@nope' (known: @pr, @ship)\n"),
        (("--not-on", "@x"), "relane: error: unknown event group '@x' (known: @pr, @ship)\n"),
        (("--job", "ci:"), "relane: error: --job 'ci:': expected WORKFLOW_GLOB[:JOB_GLOB]\n"),
        (("--job", ":build"), "relane: error: --job ':build': expected WORKFLOW_GLOB[:JOB_GLOB]\n"),
        (("--write", "--check"), "relane: error: --write and --check cannot be used together\n"),
        (("--format", "yaml"), "relane: error: Invalid value for '--format': 'yaml' is not one of 'diff', 'text', 'json', 'markdown'.\n"),
    ],
)
def test_usage_errors(args, message, three, relane):
    before = {p.name: p.read_bytes() for p in (three / WF).iterdir()}
    r = relane("retarget", str(three), "--to", "publish", *args)
    assert (r.code, r.out, r.err) == (2, "", message)
    assert {p.name: p.read_bytes() for p in (three / WF).iterdir()} == before


def test_unknown_option(three, relane):
    r = relane("retarget", str(three), "--to", "publish", "--bogus")
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("relane: error: No such option") and "--bogus" in r.err
    assert r.err.count("\n") == 1


def test_missing_path_is_an_error(tmp_path, relane):
    r = relane("retarget", str(tmp_path / "nope"), "--to", "x")
    assert (r.code, r.err) == (2, f"relane: error: {tmp_path / 'nope'}: no such file or folder\n")


# -- modes -----------------------------------------------------------------


def test_dry_run_diff_and_summary(three, relane):
    r = relane("retarget", str(three), "--not-on", "@pr", "--to", "publish")
    assert r.code == 0
    assert r.out == (
        "diff --git a/.github/workflows/ship.yml b/.github/workflows/ship.yml\n"
        "--- a/.github/workflows/ship.yml\n"
        "+++ b/.github/workflows/ship.yml\n"
        "@@ -1,7 +1,7 @@\n"
        " on: push\n"
        " jobs:\n"
        "   build:\n"
        "-    runs-on: ubuntu-latest\n"
        "+    runs-on: publish\n"
        "   test:\n"
        "     runs-on: ${{ matrix.os }}\n"
        "   call:\n"
    )
    assert r.err == (
        "would change 1 file of 3; 1 job moved to publish\n"
        "not moved: 1 already on target (1 on-target)\n"
        "not moved: 1 excluded (1 trigger)\n"
        "not moved: 2 skipped (1 expression, 1 reusable)\n"
    )
    assert (three / WF / "ship.yml").read_text() == SHIP
    assert relane("retarget", str(three), "--not-on", "@pr", "--to", "publish", "-q").err == ""


def test_text_format_lists_every_job(three, relane):
    r = relane("retarget", str(three), "--not-on", "@pr", "--to", "publish", "--format", "text")
    assert r.out == (
        "moved     .github/workflows/ship.yml:3  build  ubuntu-latest -> publish\n"
        "already   .github/workflows/done.yml:3  done   already on publish\n"
        "excluded  .github/workflows/pr.yml:3    lint   pull_request-triggered (--not-on)\n"
        "skipped   .github/workflows/ship.yml:5  test   runs-on is an expression (${{ matrix.os }}), decided at run time\n"
        "skipped   .github/workflows/ship.yml:7  call   reusable workflow call (./x.yml); its runner is chosen in the called workflow\n"
    )


def test_json_format(three, relane):
    r = relane("retarget", str(three), "--not-on", "@pr", "--to", "publish", "--format", "json")
    doc = json.loads(r.out)
    diff = relane("retarget", str(three), "--not-on", "@pr", "--to", "publish").out
    assert doc == {
        "target": "publish",
        "files": {
            "considered": [f"{WF}/done.yml", f"{WF}/pr.yml", f"{WF}/ship.yml"],
            "changed": [f"{WF}/ship.yml"],
        },
        "summary": {"moved": 1, "already": 1, "excluded": 1, "skipped": 2},
        "jobs": [
            {
                "workflow": f"{WF}/done.yml", "job": "done", "outcome": "already", "code": "on-target",
                "reason": "already on publish", "before": "publish", "after": "publish", "line": 3, "triggers": ["push"], "warnings": [],
            },
            {
                "workflow": f"{WF}/pr.yml", "job": "lint", "outcome": "excluded", "code": "trigger",
                "reason": "pull_request-triggered (--not-on)", "before": "ubuntu-latest", "after": "ubuntu-latest",
                "line": 3, "triggers": ["pull_request"], "warnings": [],
            },
            {
                "workflow": f"{WF}/ship.yml", "job": "build", "outcome": "moved", "code": "moved",
                "reason": "moved from ubuntu-latest to publish", "before": "ubuntu-latest", "after": "publish",
                "line": 3, "triggers": ["push"], "warnings": [],
            },
            {
                "workflow": f"{WF}/ship.yml", "job": "test", "outcome": "skipped", "code": "expression",
                "reason": "runs-on is an expression (${{ matrix.os }}), decided at run time",
                "before": "${{ matrix.os }}", "after": "${{ matrix.os }}", "line": 5, "triggers": ["push"], "warnings": [],
            },
            {
                "workflow": f"{WF}/ship.yml", "job": "call", "outcome": "skipped", "code": "reusable",
                "reason": "reusable workflow call (./x.yml); its runner is chosen in the called workflow",
                "before": None, "after": None, "line": 7, "triggers": ["push"], "warnings": [],
            },
        ],
        "notes": [],
        "warnings": [],
        "diff": diff,
    }


def test_json_several_labels(three, relane):
    r = relane("retarget", str(three / WF / "ship.yml"), "--to", "self-hosted", "--to", "linux", "--format", "json")
    doc = json.loads(r.out)
    assert doc["target"] == ["self-hosted", "linux"]
    assert doc["jobs"][0]["after"] == ["self-hosted", "linux"]
    assert "+    runs-on: [self-hosted, linux]\n" in doc["diff"]


def test_write_is_atomic_and_keeps_mode(three, relane):
    ship = three / WF / "ship.yml"
    os.chmod(ship, 0o640)
    inode = ship.stat().st_ino
    dry = relane("retarget", str(three), "--not-on", "@pr", "--to", "publish")
    r = relane("retarget", str(three), "--not-on", "@pr", "--to", "publish", "--write")
    assert (r.code, r.out) == (0, "")
    assert r.err.splitlines()[0] == "changed 1 file of 3; 1 job moved to publish"
    assert ship.read_text() == SHIP.replace("ubuntu-latest", "publish")
    assert stat.S_IMODE(ship.stat().st_mode) == 0o640
    assert ship.stat().st_ino != inode  # replaced by rename, not rewritten in place
    assert sorted(p.name for p in (three / WF).iterdir()) == ["done.yml", "pr.yml", "ship.yml"]
    assert (three / WF / "pr.yml").read_text() == PR
    assert dry.out.count("diff --git") == 1
    # Idempotence: the second run has nothing to do.
    again = relane("retarget", str(three), "--not-on", "@pr", "--to", "publish", "--write")
    assert (again.code, again.out) == (0, "")
    assert again.err.splitlines()[0] == "changed 0 files of 3; 0 jobs moved to publish"
    assert ship.read_text() == SHIP.replace("ubuntu-latest", "publish")


def test_write_plans_every_file_before_writing_any(repo, relane):
    root = repo({"a.yml": SHIP, "b.yml": "on: push\njobs:\n  x:\n    runs-on: [a\n"})
    r = relane("retarget", str(root), "--to", "publish", "--write")
    assert (r.code, r.out) == (2, "")
    assert r.err == "relane: error: .github/workflows/b.yml:5:1: did not find expected ',' or ']' (while parsing a flow sequence)\n"
    assert (root / WF / "a.yml").read_text() == SHIP


def test_check_exit_codes(three, relane):
    r = relane("retarget", str(three), "--not-on", "@pr", "--to", "publish", "--check")
    assert r.code == 1
    assert r.out.startswith("diff --git a/.github/workflows/ship.yml")
    assert (three / WF / "ship.yml").read_text() == SHIP
    assert relane("retarget", str(three), "--job", "done", "--to", "publish", "--check").code == 0
    assert relane("retarget", str(three), "--job", "pr", "--to", "publish", "--check", "--format", "json").code == 1
    relane("retarget", str(three), "--not-on", "@pr", "--to", "publish", "--write")
    r = relane("retarget", str(three), "--not-on", "@pr", "--to", "publish", "--check")
    assert (r.code, r.out) == (0, "")


# -- bad input -------------------------------------------------------------

BAD = [
    pytest.param(
        b"on: push\njobs:\n  a:\n    runs-on: [x\n",
        "5:1: did not find expected ',' or ']' (while parsing a flow sequence)",
        id="yaml-syntax-error",
    ),
    pytest.param(
        b"on: push\njobs:\n  a:\n\truns-on: x\n",
        "4:1: found a tab that cannot start any token (while scanning for the next token); tabs cannot indent YAML",
        id="tab-indentation",
    ),
    pytest.param(
        b"on: push\njobs:\n  a:\n    runs-on: x\n\tsteps: []\n",
        "5:1: found a tab character that violates indentation (while scanning a plain scalar)",
        id="tab-after-value",
    ),
    pytest.param(
        b"on: push\njobs:\n  a:\n    runs-on: @x\n",
        "4:14: found character '@' that cannot start any token (while scanning for the next token)",
        id="reserved-character",
    ),
    pytest.param(
        b"on: push\njobs:\n  a:\n    runs-on: x\n  a:\n    runs-on: y\n",
        "5:3: duplicate key 'a' in mapping (first at line 3)",
        id="duplicate-key",
    ),
    pytest.param(b"on: push\njobs:\n  a:\n    runs-on: \xff\n", "4:14: invalid UTF-8 (byte 0xff)", id="invalid-utf-8"),
    pytest.param(b"\xff\xfeo\x00n\x00", "1:1: UTF-16-encoded file; workflows must be UTF-8", id="utf-16"),
    pytest.param(b"on: push\njobs:\n  a:\n    runs-on: *nope\n", "4:14: undefined alias *nope", id="undefined-alias"),
    pytest.param(b"on: push\n---\njobs: {}\n", "2:1: a second YAML document; a workflow file holds exactly one", id="two-documents"),
]

NOT_A_MAPPING = [
    pytest.param(b"just a string\n", "1:1: top level is a scalar, not a mapping; not a workflow", id="scalar"),
    pytest.param(b"- on: push\n", "1:1: top level is a sequence, not a mapping; not a workflow", id="sequence"),
    pytest.param(b"", "1:1: top level is empty, not a mapping; not a workflow", id="empty"),
    pytest.param(b"# only a comment\n", "1:1: top level is empty, not a mapping; not a workflow", id="comment-only"),
]


@pytest.mark.parametrize(("data", "message"), BAD + NOT_A_MAPPING)
@pytest.mark.parametrize("mode", ["diff", "write", "check", "json"])
def test_bad_named_file_one_line_exit_2(data, message, mode, repo, relane):
    root = repo({"bad.yml": data, "good.yml": SHIP})
    args = {"diff": (), "write": ("--write",), "check": ("--check",), "json": ("--format", "json")}[mode]
    r = relane("retarget", str(root / WF / "good.yml"), str(root / WF / "bad.yml"), "--to", "publish", *args)
    assert (r.code, r.out, r.err) == (2, "", f"relane: error: {WF}/bad.yml:{message}\n")
    assert (root / WF / "bad.yml").read_bytes() == data
    assert (root / WF / "good.yml").read_text() == SHIP
    assert sorted(p.name for p in (root / WF).iterdir()) == ["bad.yml", "good.yml"]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_bad_file_in_repository_one_line_exit_2(data, message, repo, relane):
    root = repo({"bad.yml": data, "good.yml": SHIP})
    r = relane("retarget", str(root), "--to", "publish", "--write")
    assert (r.code, r.out, r.err) == (2, "", f"relane: error: {WF}/bad.yml:{message}\n")
    assert (root / WF / "good.yml").read_text() == SHIP


@pytest.mark.parametrize(("data", "message"), NOT_A_MAPPING)
def test_non_mapping_found_in_a_repository_is_a_note(data, message, repo, relane):
    """Only a file the user names must be a workflow; a stray one is noted."""
    root = repo({"bad.yml": data, "good.yml": SHIP})
    r = relane("retarget", str(root), "--to", "publish", "--format", "json")
    assert r.code == 0
    assert json.loads(r.out)["notes"] == [{"workflow": f"{WF}/bad.yml", "note": "no jobs"}]


def test_move_options_on_the_command_line(repo, relane):
    text = "on: push\njobs:\n  a:\n    runs-on: ${{ matrix.os }}\n  b:\n    runs-on: {group: big}\n"
    root = repo({"m.yml": text})
    assert moved(relane, root) == []
    assert moved(relane, root, "--move-expressions") == ["m.yml:a"]
    assert moved(relane, root, "--move-groups") == ["m.yml:b"]
    r = relane("retarget", str(root), "--to", "publish", "--move-expressions", "--move-groups", "--write")
    assert r.code == 0
    assert (root / WF / "m.yml").read_text() == "on: push\njobs:\n  a:\n    runs-on: publish\n  b:\n    runs-on: publish\n"


def test_named_file_given_through_dotdot_is_read_from_its_own_folder(relane, tmp_path, monkeypatch):
    # ../other/wf.yml seen from a git checkout: lexically its "parents" pass
    # through the checkout, but the file does not lie in it.
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "wf.yml").write_text("on: push\njobs:\n  a:\n    runs-on: x\n")
    monkeypatch.chdir(tmp_path / "repo")
    r = relane("retarget", "../other/wf.yml", "--to", "y")
    assert r.code == 0, r.err
    assert r.out.startswith("diff --git a/wf.yml b/wf.yml\n")
    assert "warning" not in r.err
