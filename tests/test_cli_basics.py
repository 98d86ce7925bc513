import json

from relane import __version__


def test_version(relane):
    r = relane("--version")
    assert r.code == 0
    assert r.out.strip() == f"relane {__version__}"


def test_retarget_help_lists_groups_and_examples(relane):
    r = relane("retarget", "--help")
    assert r.code == 0
    assert "  @pr    pull_request, pull_request_target, merge_group\n" in r.out
    assert "  @ship  push, workflow_dispatch, workflow_run, schedule, release, repository_dispatch\n" in r.out
    assert "Examples:" in r.out


def test_unknown_option_is_one_line_exit_2(relane):
    r = relane("retarget", "--bogus")
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert r.err.startswith("relane: error: ")
    assert "--bogus" in r.err


def test_missing_to_is_usage_error(relane, repo):
    root = repo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: x\n"})
    r = relane("retarget", str(root))
    assert r.code == 2
    assert r.err == "relane: error: missing option --to LABEL\n"


def test_dry_run_diff_and_json(relane, repo):
    root = repo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: x\n"})
    r = relane("retarget", str(root), "--to", "publish")
    assert r.code == 0
    assert r.out == (
        "diff --git a/.github/workflows/a.yml b/.github/workflows/a.yml\n"
        "--- a/.github/workflows/a.yml\n"
        "+++ b/.github/workflows/a.yml\n"
        "@@ -1,4 +1,4 @@\n"
        " on: push\n"
        " jobs:\n"
        "   a:\n"
        "-    runs-on: x\n"
        "+    runs-on: publish\n"
    )
    assert (root / ".github/workflows/a.yml").read_text() == "on: push\njobs:\n  a:\n    runs-on: x\n"
    doc = json.loads(relane("retarget", str(root), "--to", "publish", "--format", "json").out)
    assert doc["jobs"] == [
        {
            "workflow": ".github/workflows/a.yml",
            "job": "a",
            "outcome": "moved",
            "code": "moved",
            "reason": "moved from x to publish",
            "before": "x",
            "after": "publish",
            "line": 3,
            "triggers": ["push"],
            "warnings": [],
        }
    ]


def test_top_level_help_has_worked_examples(relane):
    r = relane("--help")
    assert r.code == 0
    for command in ("retarget", "migrate", "ls", "guard"):
        assert f"\n  {command} " in r.out
    assert "Examples:" in r.out
    assert "    relane retarget --on @ship --not-on @pr --to publish --format markdown\n" in r.out
