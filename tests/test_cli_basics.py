import json

import pytest

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
    assert r.err == "relane: error: missing option --to LABEL (or --map OLD=NEW)\n"


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


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--to", ""), "target runner label '' is empty"),
        (("--to", " "), "target runner label ' ' is empty"),
        (("--to", "a\nb"), "target runner label 'a\\nb' has surrounding spaces or control characters"),
        (("--to", "a\u2028b"), "target runner label 'a\\u2028b' holds a character that does not print (U+2028)"),
        (("--to", "a\x85b"), "target runner label 'a\\x85b' holds a character that does not print (U+0085)"),
        (("--to", "a\ufeffb"), "target runner label 'a\\ufeffb' holds a character that does not print (U+FEFF)"),
        (("--to", "a\u200bb"), "target runner label 'a\\u200bb' holds a character that does not print (U+200B)"),
        # A byte that is not UTF-8 on the command line.
        (("--to", "a\udc80b"),
         "target runner label 'a\\udc80b' holds a character that does not print (byte 0x80, not UTF-8)"),
        (("--to", "p", "--on", ""), "empty event name in ''"),
        (("--to", "p", "--on", "push,"), "empty event name in 'push,'"),
        (("--to", "p", "--not-on", "pull-request"),
         "'pull-request' is not an event name (event names look like 'pull_request')"),
        (("--to", "p", "--not-on", "Pull_Request"),
         "'Pull_Request' is not an event name (event names look like 'pull_request')"),
    ],
)
def test_bad_labels_and_event_names_are_usage_errors(relane, repo, args, message):
    """An empty condition would select everything, a misspelt --not-on would
    exclude nothing: both are refused, like an empty target label."""
    root = repo({"a.yml": "on: pull_request\njobs:\n  a:\n    runs-on: x\n"})
    r = relane("retarget", str(root), *args, "--write")
    assert (r.code, r.out, r.err) == (2, "", f"relane: error: {message}\n")
    assert (root / ".github/workflows/a.yml").read_text() == "on: pull_request\njobs:\n  a:\n    runs-on: x\n"


@pytest.mark.parametrize("given", [".gitea/workflows", ".gitea", "."])
def test_a_workflow_folder_stands_for_its_repository(relane, repo, given):
    root = repo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: x\n"}, folder=".gitea/workflows")
    repo({"b.yml": "on: push\njobs:\n  b:\n    runs-on: x\n"}, folder=".github/workflows")
    r = relane("retarget", str(root / given), "--to", "p", "--format", "json")
    assert r.code == 0, r.err
    moved = [(j["workflow"], j["job"]) for j in json.loads(r.out)["jobs"]]
    if given == ".":
        assert moved == [(".github/workflows/b.yml", "b"), (".gitea/workflows/a.yml", "a")]
    else:
        assert moved == [(".gitea/workflows/a.yml", "a")]


NO_FILES = (
    "no workflow files found (relane reads the *.yml and *.yaml files directly in "
    ".github/workflows, .gitea/workflows and .forgejo/workflows)\n"
)


def test_a_folder_without_workflows_says_so(relane, tmp_path):
    """Pointing relane at the wrong folder must not look like "nothing to do"."""
    (tmp_path / "workflows").mkdir()
    (tmp_path / "workflows/a.yml").write_text("on: push\njobs:\n  a:\n    runs-on: x\n")
    r = relane("retarget", str(tmp_path), "--to", "p")
    assert (r.code, r.out) == (0, "")
    assert r.err == "would change 0 files of 0; 0 jobs moved to p\n" + NO_FILES
    r = relane("ls", str(tmp_path))
    assert (r.code, r.out, r.err) == (0, "no jobs found\n", NO_FILES)
    # A guard that would check nothing fails instead of passing.
    r = relane("guard", "--from-workflows", str(tmp_path), "--runners-json", str(tmp_path / "none.json"))
    assert (r.code, r.out, r.err) == (2, "", f"relane: error: {tmp_path}: {NO_FILES}")
    # Filters that leave nothing are the same mistake.
    (tmp_path / ".github/workflows").mkdir(parents=True)
    (tmp_path / ".github/workflows/a.yml").write_text("on: push\njobs:\n  a:\n    runs-on: x\n")
    r = relane("retarget", str(tmp_path), "--to", "p", "--include", "b.yml")
    assert r.err.endswith(NO_FILES)
    r = relane("ls", str(tmp_path))
    assert (r.code, r.err) == (0, "")


def test_a_literal_block_value_stays_on_its_report_line(relane, repo):
    """A ``|`` block scalar ends with a line break: the text report shows it
    escaped, so that each job keeps one line."""
    root = repo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: |\n      ${{ x }}\n  b:\n    runs-on: y\n"})
    r = relane("retarget", str(root), "--to", "p", "--format", "text")
    assert r.out == (
        "moved    .github/workflows/a.yml:6  b  y -> p\n"
        'skipped  .github/workflows/a.yml:3  a  runs-on is an expression ("${{ x }}\\n"), decided at run time\n'
    )
    r = relane("retarget", str(root), "--to", "p", "--format", "text", "--move-expressions")
    assert r.out == (
        'moved  .github/workflows/a.yml:3  a  "${{ x }}\\n" -> p\n'
        "moved  .github/workflows/a.yml:6  b  y -> p\n"
    )
    r = relane("retarget", str(root), "--to", "p", "--format", "json", "--move-expressions")
    assert [j["reason"] for j in json.loads(r.out)["jobs"]] == [
        'moved from the expression "${{ x }}\\n" to p',
        "moved from y to p",
    ]
