"""Selectors that match nothing, event names, and --job by a workflow's name:
what a user meets before any edit."""

from __future__ import annotations

import pytest

SHIP = "name: Release pipeline\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n  deploy:\n    runs-on: ubuntu-latest\n"
CI = 'name: "CI: checks"\non: pull_request\njobs:\n  lint:\n    runs-on: ubuntu-latest\n'
FILES = {"ship.yml": SHIP, "ci.yml": CI}


@pytest.mark.parametrize(
    ("args", "warning"),
    [
        (["--job", "relase"], "--job 'relase' matches no workflow (by file name, path or name:)"),
        (["--job", "ship:buidl"], "--job 'ship:buidl' matches no job of the workflows it names"),
        (["--job", "CI:lint"], "--job 'CI:lint' matches no workflow (by file name, path or name:)"),
        (["--from", "ubuntu-lates"], "--from 'ubuntu-lates' matches no job's runs-on; did you mean 'ubuntu-latest'?"),
        (["--on", "release"], "--on matches no workflow: none is triggered by release"),
    ],
)
def test_a_selector_that_matches_nothing_warns_and_fails_check(relane, repo, args, warning):
    root = repo(FILES)
    r = relane("retarget", str(root), *args, "--to", "publish")
    assert r.code == 0 and r.out == ""
    assert r.err.endswith(f"\nwarning: {warning}\n")
    r = relane("retarget", str(root), *args, "--to", "publish", "--check")
    assert (r.code, r.out) == (2, "")
    assert r.err.endswith(f"\nwarning: {warning}\nrelane: error: 1 selector matching nothing and --check\n")
    r = relane("retarget", str(root), *args, "--to", "publish", "--strict", "--write")
    assert r.code == 2 and r.err.endswith("relane: error: 1 warning and --strict; nothing written\n")
    r = relane("retarget", str(root), *args, "--to", "publish", "--format", "text")
    last = r.out.splitlines()[-1].split()
    assert last[:3] == ["warning", "-", "-"] and " ".join(last[3:]) == warning
    r = relane("ls", str(root), *args)
    assert (r.code, r.err) == (0, f"warning: {warning}\n")


def test_a_selector_warning_in_json(relane, repo):
    import json

    r = relane("retarget", str(repo(FILES)), "--job", "relase", "--to", "publish", "--format", "json")
    assert json.loads(r.out)["warnings"] == [{
        "code": "selector", "text": "--job 'relase' matches no workflow (by file name, path or name:)",
        "workflow": "", "job": None, "line": None,
    }]


def test_a_rerun_after_the_move_does_not_call_from_unmatched(relane, repo):
    """Once every job is moved, --from finds none on its label; the jobs on
    the target show the selector did its work, and --check passes."""
    root = repo(FILES)
    assert relane("retarget", str(root), "--from", "ubuntu-latest", "--to", "publish", "--write").code == 0
    r = relane("retarget", str(root), "--from", "ubuntu-latest", "--to", "publish", "--check")
    assert (r.code, r.out, r.err) == (0, "", "would change 0 files of 2; 0 jobs moved to publish\n"
                                      "not moved: 3 already on target (3 on-target)\n")


@pytest.mark.parametrize("job", ["Release pipeline:deploy", '"Release pipeline":deploy', "Release*:deploy",
                                 '"CI: checks":lint', '"CI: checks"'])
def test_job_matches_a_workflows_name(relane, repo, job):
    root = repo(FILES)
    r = relane("ls", str(root), "--job", job, "--format", "json")
    assert r.code == 0 and r.err == ""
    import json

    wanted = ("ship.yml", "deploy") if job.endswith("deploy") else ("ci.yml", "lint")
    assert [(e["workflow"].rsplit("/", 1)[-1], e["job"]) for e in json.loads(r.out)] == [wanted]


def test_a_quoted_name_must_end_its_quote_before_the_job(relane, repo):
    r = relane("ls", str(repo(FILES)), "--job", '"CI: checks"lint')
    assert (r.code, r.err) == (2, 'relane: error: --job \'"CI: checks"lint\': expected "WORKFLOW NAME"[:JOB_GLOB]\n')


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ("pushh", "'pushh' is not an Actions event; did you mean 'push'?"),
        ("pull_reqest", "'pull_reqest' is not an Actions event; did you mean 'pull_request'?"),
        ("deploy", "'deploy' is not an Actions event; did you mean 'deployment'?"),
        ("xyzzy", "'xyzzy' is not an Actions event"),
    ],
)
@pytest.mark.parametrize("option", ["--on", "--not-on"])
def test_an_unknown_event_is_a_usage_error_with_the_closest(relane, repo, option, event, message):
    root = repo(FILES)
    for command in (["retarget", str(root), "--to", "publish"], ["ls", str(root)]):
        r = relane(*command, option, event)
        assert (r.code, r.out, r.err) == (2, "", f"relane: error: {message}\n")


def test_known_events_of_every_forge_are_accepted(relane, repo):
    root = repo(FILES)
    for event in ("image_version", "merge_group", "pull_request_comment", "workflow_call", "registry_package"):
        assert relane("ls", str(root), "--not-on", event).code == 0


def test_bare_relane_prints_the_normal_help(relane):
    r = relane()
    assert r.code == 2 and r.err == ""
    assert r.out == relane("--help").out
    assert r.out.startswith("Usage: relane [OPTIONS] COMMAND [ARGS]...\n\n")


SPEC = """\
[migration.a]
from = "ubuntu-latest"
to = "publish"

[migration.b]
jobs = ["ship:deploy"]
to = "gpu"
"""


def test_reversing_one_migration_leaves_anothers_jobs_unmentioned(relane, repo):
    root = repo({"ship.yml": SHIP})
    (root / "relane.toml").write_text(SPEC.replace('from = "ubuntu-latest"\n', 'jobs = ["ship:build"]\n'))
    assert relane("migrate", str(root / "relane.toml"), "--write").code == 0
    (root / "relane.toml").write_text(SPEC)
    r = relane("migrate", str(root / "relane.toml"), "--reverse", "--name", "a", "--format", "text")
    assert r.code == 0
    assert r.out == (
        "== migration a\n"
        "moved     .github/workflows/ship.yml:4  build   publish -> ubuntu-latest (comment removed)\n"
        "excluded  .github/workflows/ship.yml:7  deploy  on the target of migration b, not this one's\n"
    )
    assert "changed" not in r.err and "left alone" not in r.err
    assert r.err == (
        "a: would change 1 file of 1; 1 job moved back to their previous runs-on\n"
        "not moved: 1 excluded (1 other-move)\n"
        "comments: 1 removed\n"
    )


def test_a_hand_edit_after_the_move_is_still_reported(relane, repo):
    root = repo({"ship.yml": SHIP})
    (root / "relane.toml").write_text(SPEC)
    assert relane("migrate", str(root / "relane.toml"), "--write").code == 0
    ship = root / ".github/workflows/ship.yml"
    ship.write_text(ship.read_text().replace("runs-on: publish", "runs-on: elsewhere"))
    r = relane("migrate", str(root / "relane.toml"), "--reverse", "--name", "a", "--format", "text")
    assert "skipped  .github/workflows/ship.yml:4  build   runs-on changed since relane moved it (now elsewhere); left alone\n" in r.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "publish,linux"],
         "target runner label 'publish,linux' holds a comma; for a runner with all of these labels, "
         "name each: --to publish --to linux"),
        (["--to", "a, b"],
         "target runner label 'a, b' holds a comma; for a runner with all of these labels, name each: --to a --to b"),
        (["--to", "a b"],
         "target runner label 'a b' holds a space; for a runner with all of these labels, name each: --to a --to b"),
        (["--to", "${{ matrix.os }}"],
         "target runner label '${{ matrix.os }}' is an expression over each job's own matrix; a target must "
         "mean the same for every job it moves: a label, or an expression such as ${{ vars.RUNNER }} "
         "(--move-expressions is about the expressions jobs are moved from)"),
        (["--to", "a", "--to", "A"], "target runner labels 'a' and 'A' differ only in case; name one of them"),
        (["--from", "", "--to", "a"], "--from label '' is empty: it would match no job"),
        (["--from", " ", "--to", "a"], "--from label ' ' is empty: it would match no job"),
    ],
)
def test_odd_targets_are_refused_with_what_was_meant(relane, repo, args, message):
    root = repo(FILES)
    r = relane("retarget", str(root), *args, "--write")
    assert (r.code, r.out, r.err) == (2, "", f"relane: error: {message}\n")
    assert (root / ".github/workflows/ship.yml").read_text() == SHIP


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('to = "publish,linux"', "migration.m.to: target runner label 'publish,linux' holds a comma; "
         "for a runner with all of these labels, name each: --to publish --to linux"),
        ('to = ["a", "A"]', "migration.m.to: target runner labels 'a' and 'A' differ only in case; name one of them"),
        ('to = "a"\nfrom = [""]', "migration.m.from: --from label '' is empty: it would match no job"),
    ],
)
def test_odd_targets_in_a_spec_name_the_key(relane, repo, line, message):
    root = repo(FILES)
    (root / "relane.toml").write_text(f"[migration.m]\n{line}\n")
    r = relane("migrate", str(root / "relane.toml"))
    assert (r.code, r.out, r.err) == (2, "", f"relane: error: {root / 'relane.toml'}: {message}\n")


def test_a_migration_selector_that_matches_nothing_warns_and_fails_check(relane, repo):
    root = repo(FILES)
    (root / "relane.toml").write_text('[migration.m]\njobs = ["relase"]\nto = "publish"\n')
    r = relane("migrate", str(root / "relane.toml"))
    assert r.code == 0
    assert "warning: --job 'relase' matches no workflow (by file name, path or name:)\n" in r.err
    r = relane("migrate", str(root / "relane.toml"), "--check")
    assert (r.code, r.out) == (2, "")
    assert r.err.endswith("relane: error: 1 selector matching nothing and --check\n")


def test_from_matches_a_label_a_mapped_input_gives(relane, repo):
    # retarget --map followed --from into the input's default and options and
    # mapped them, yet warned that --from matched no job's runs-on, and
    # --check failed with a usage error (2) instead of saying it would
    # change the file (1).
    root = repo({
        "ci.yml": "on:\n  workflow_dispatch:\n    inputs:\n      os:\n        type: choice\n"
        "        options: [ubuntu-20.04, macos-14]\n        default: ubuntu-20.04\n"
        "jobs:\n  build:\n    runs-on: ${{ inputs.os }}\n    steps:\n      - run: make\n"
    })
    r = relane("retarget", str(root), "--map", "@retired", "--from", "ubuntu-20.04", "--check")
    assert r.code == 1
    assert "options: [ubuntu-24.04, macos-14]" in r.out
    assert "warning" not in r.err
    r = relane("retarget", str(root), "--map", "@retired", "--from", "ubuntu-2004")
    assert r.err.endswith("\nwarning: --from 'ubuntu-2004' matches no job's runs-on; did you mean 'ubuntu-20.04'?\n")
