"""Moves that would run code from outside the repository on self-hosted
runners draw a warning; --strict makes it an error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from relane.safety import OUTSIDE_EVENTS, hosted

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
WF = ".github/workflows"
PR = "name: Test\non: pull_request\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
PUSH = "name: Build\non: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
WHY_PR = "triggered by pull_request (a fork's pull request runs its own code)"


def warning(path: str, line: int, job: str, why: str, target: str = "publish") -> str:
    return (
        f"warning: {path}:{line}: job {job}: moved to self-hosted {target}, "
        f"where code from outside the repository could run: the workflow is {why}"
    )


def warnings_of(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("warning: ")]


def test_pull_request_job_moved_to_self_hosted_is_warned_everywhere(relane, repo):
    root = repo({"pr.yml": PR, "push.yml": PUSH})
    r = relane("retarget", str(root), "--to", "publish")
    assert r.code == 0
    assert warnings_of(r.err) == [warning(f"{WF}/pr.yml", 4, "test", WHY_PR)]
    r = relane("retarget", str(root), "--to", "publish", "--format", "text")
    assert r.out.splitlines()[-1] == (
        f"warning  {WF}/pr.yml:4    test   moved to self-hosted publish, where code from outside "
        f"the repository could run: the workflow is {WHY_PR}"
    )
    doc = json.loads(relane("retarget", str(root), "--to", "publish", "--format", "json").out)
    text = f"moved to self-hosted publish, where code from outside the repository could run: the workflow is {WHY_PR}"
    assert doc["warnings"] == [
        {"code": "untrusted-trigger", "text": text, "workflow": f"{WF}/pr.yml", "job": "test", "line": 4}
    ]
    jobs = {j["job"]: j for j in doc["jobs"]}
    assert jobs["test"]["warnings"] == [{"code": "untrusted-trigger", "text": text}]
    assert jobs["build"]["warnings"] == []


def test_strict_turns_warnings_into_exit_2_and_writes_nothing(relane, repo):
    root = repo({"pr.yml": PR, "push.yml": PUSH})
    r = relane("retarget", str(root), "--to", "publish", "--write", "--strict")
    assert r.code == 2
    assert r.err.splitlines()[-1] == "relane: error: 1 warning and --strict; nothing written"
    assert (root / WF / "pr.yml").read_text() == PR
    assert (root / WF / "push.yml").read_text() == PUSH
    # The diff still shows what would change.
    assert "+    runs-on: publish\n" in r.out
    # Without the exposed job there is nothing to warn about.
    r = relane("retarget", str(root), "--to", "publish", "--write", "--strict", "--not-on", "@pr")
    assert r.code == 0, r.err
    assert (root / WF / "push.yml").read_text() == PUSH.replace("ubuntu-latest", "publish")


@pytest.mark.parametrize("event", sorted(OUTSIDE_EVENTS))
def test_each_outside_event_is_warned(relane, repo, event):
    root = repo({"a.yml": f"on: [push, {event}]\njobs:\n  a:\n    runs-on: [self-hosted, linux]\n"})
    r = relane("retarget", str(root), "--to", "publish")
    assert warnings_of(r.err) == [
        warning(f"{WF}/a.yml", 3, "a", f"triggered by {event} ({OUTSIDE_EVENTS[event]})")
    ]


@pytest.mark.parametrize(
    "on", ["push", "schedule", "workflow_dispatch", "release", "merge_group", "[push, repository_dispatch]"]
)
def test_events_only_the_repository_can_cause_are_not_warned(relane, repo, on):
    root = repo({"a.yml": f"on: {on}\njobs:\n  a:\n    runs-on: x\n"})
    r = relane("retarget", str(root), "--to", "publish")
    assert warnings_of(r.err) == []


@pytest.mark.parametrize(
    "target",
    # GitHub matches labels case-insensitively: macOS-latest is a hosted runner too.
    ["ubuntu-latest", "ubuntu-24.04", "windows-2022", "macos-14-xlarge", "macOS-latest", "Windows-2022"],
)
def test_github_hosted_targets_are_not_warned_on_github(relane, repo, target):
    root = repo({"pr.yml": PR.replace("ubuntu-latest", "self-hosted")})
    r = relane("retarget", str(root), "--to", target, "--strict")
    assert r.code == 0
    assert warnings_of(r.err) == []


def test_gitea_and_forgejo_have_no_hosted_runners(relane, repo):
    repo({"pr.yml": PR.replace("ubuntu-latest", "docker")}, folder=".gitea/workflows")
    root = repo({"pr.yml": PR.replace("ubuntu-latest", "docker")}, folder=".forgejo/workflows")
    r = relane("retarget", str(root), "--to", "ubuntu-latest")
    assert warnings_of(r.err) == [
        warning(".gitea/workflows/pr.yml", 4, "test", WHY_PR, "ubuntu-latest"),
        warning(".forgejo/workflows/pr.yml", 4, "test", WHY_PR, "ubuntu-latest"),
    ]


def test_workflow_run_after_a_pull_request_workflow_is_warned(relane, repo):
    after = "on:\n  workflow_run:\n    workflows: [Test]\n    types: [completed]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
    after_build = after.replace("[Test]", "[Build]")
    after_unknown = after.replace("[Test]", "[Nightly]")
    after_any = "on: workflow_run\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n"
    root = repo({"pr.yml": PR, "push.yml": PUSH, "a.yml": after, "b.yml": after_build,
                 "c.yml": after_unknown, "d.yml": after_any})
    r = relane("retarget", str(root), "--to", "publish", "--job", "[abcd]")
    assert warnings_of(r.err) == [
        warning(f"{WF}/a.yml", 6, "deploy", f"triggered by workflow_run of 'Test', which is {WHY_PR}"),
        warning(f"{WF}/c.yml", 6, "deploy", "triggered by workflow_run of 'Nightly', which relane did not read"),
        warning(f"{WF}/d.yml", 3, "deploy", "triggered by workflow_run of any workflow"),
    ]


def test_chains_are_followed_through_names_paths_and_calls(relane, repo):
    # An unnamed workflow is known by its path; a chain of workflow_run and
    # workflow_call reaches the reusable workflow at its end.
    pr = "on: pull_request_target\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
    middle = (
        f"on:\n  workflow_run:\n    workflows: [{WF}/pr.yml]\n"
        "jobs:\n  call:\n    uses: ./.github/workflows/reuse.yml\n"
    )
    reuse = "on: workflow_call\njobs:\n  inner:\n    runs-on: ubuntu-latest\n"
    only_push = "on: push\njobs:\n  call:\n    uses: ./.github/workflows/quiet.yml@main\n"
    quiet = "on: workflow_call\njobs:\n  inner:\n    runs-on: ubuntu-latest\n"
    root = repo({"pr.yml": pr, "middle.yml": middle, "reuse.yml": reuse, "push.yml": only_push, "quiet.yml": quiet})
    r = relane("retarget", str(root), "--to", "publish", "--job", "reuse", "--job", "quiet")
    assert warnings_of(r.err) == [
        warning(
            f"{WF}/reuse.yml", 3, "inner",
            f"called by {WF}/middle.yml, at the end of a chain of 2 workflow_run and workflow_call links from "
            f"{WF}/pr.yml, which is triggered by pull_request_target (it runs with the repository's secrets for "
            "a fork's pull request)",
        )
    ]


def _chain(n: int, *, backwards: bool = False) -> dict[str, str]:
    """``n`` workflows, each run after the one before; the first runs on pull requests.
    ``backwards`` names the files so that the chain's end is read first."""
    files = {}
    for i in range(n):
        on = "pull_request" if i == 0 else f"\n  workflow_run:\n    workflows: [w{i - 1}]"
        name = f"w{n - i:05}.yml" if backwards else f"w{i:05}.yml"
        files[name] = f"name: w{i}\non: {on}\njobs:\n  a:\n    runs-on: x\n"
    return files


def test_a_long_chain_is_told_once_per_workflow(relane, repo):
    root = repo(_chain(4))
    r = relane("retarget", str(root), "--to", "publish")
    assert warnings_of(r.err) == [
        warning(f"{WF}/w00000.yml", 4, "a", WHY_PR),
        warning(f"{WF}/w00001.yml", 6, "a", f"triggered by workflow_run of 'w0', which is {WHY_PR}"),
    ] + [
        warning(
            f"{WF}/w0000{i}.yml", 6, "a",
            f"triggered by workflow_run of 'w{i - 1}', at the end of a chain of {i} workflow_run and "
            f"workflow_call links from {WF}/w00000.yml, which is {WHY_PR}",
        )
        for i in (2, 3)
    ]


@pytest.mark.parametrize("backwards", [False, True])
def test_warnings_about_chains_grow_linearly(relane, repo, tmp_path, backwards):
    sizes = {}
    for n in (100, 400):
        root = repo(_chain(n, backwards=backwards), folder=f"{n}/.github/workflows") / str(n)
        r = relane("retarget", str(root), "--to", "publish", "--format", "json")
        assert len(warnings_of(r.err)) == n
        sizes[n] = len(r.out) + len(r.err)
    # Four times the workflows, about four times the output (a chain told in
    # full each time gave sixteen times).
    assert sizes[400] < 4.5 * sizes[100]


def test_the_bundled_example_moves_no_exposed_job(relane):
    r = relane("retarget", str(EXAMPLES / "publish-lane"), "--on", "@ship", "--not-on", "@pr",
               "--from", "ubuntu-latest", "--to", "publish", "--strict")
    assert r.code == 0, r.err
    assert warnings_of(r.err) == []
    # Moving everything would put pull-request jobs on the lane.
    r = relane("retarget", str(EXAMPLES / "publish-lane"), "--to", "publish")
    assert len(warnings_of(r.err)) > 0


@pytest.mark.parametrize(
    "path, labels, expected",
    [
        (f"{WF}/a.yml", ["ubuntu-latest"], True),
        (f"{WF}/a.yml", ["ubuntu-22.04-arm"], True),
        (f"{WF}/a.yml", ["windows-11-arm"], True),
        (f"{WF}/a.yml", ["macos-15-intel"], True),
        (f"{WF}/a.yml", ["ubuntu-latest", "gpu"], False),
        (f"{WF}/a.yml", ["self-hosted"], False),
        (f"{WF}/a.yml", ["ubuntu-latest-8-cores"], False),
        (f"{WF}/a.yml", ["macOS-latest"], True),
        (f"{WF}/a.yml", ["Windows-2022", "UBUNTU-24.04"], True),
        (f"{WF}/a.yml", ["MacOS-Latest-8-cores"], False),
        (".gitea/workflows/a.yml", ["Ubuntu-Latest"], False),
        (f"{WF}/a.yml", [], False),
        (".gitea/workflows/a.yml", ["ubuntu-latest"], False),
    ],
)
def test_hosted_labels(path, labels, expected):
    assert hosted(path, labels) is expected


def test_markdown_report_lists_the_warnings(relane, repo):
    root = repo({"pr.yml": PR, "push.yml": PUSH})
    r = relane("retarget", str(root), "--to", "publish", "--format", "markdown")
    assert "\n### Warnings (1)\n\n" in r.out
    assert (
        f"\n- {WF}/pr.yml:4: job test: moved to self-hosted publish, where code from outside the "
        f"repository could run: the workflow is triggered by pull_request (a fork's pull request "
        "runs its own code)\n"
    ) in r.out


def test_migrate_warns_and_strict_writes_nothing(relane, repo):
    root = repo({"pr.yml": PR, "push.yml": PUSH})
    spec = root / "relane.toml"
    spec.write_text('[migration.lane]\nto = "publish"\n')
    r = relane("migrate", str(spec))
    assert r.code == 0
    assert warnings_of(r.err) == [warning(f"{WF}/pr.yml", 4, "test", WHY_PR)]
    r = relane("migrate", str(spec), "--write", "--strict")
    assert r.code == 2
    assert r.err.splitlines()[-1] == "relane: error: 1 warning and --strict; nothing written"
    assert (root / WF / "pr.yml").read_text() == PR
    assert (root / WF / "push.yml").read_text() == PUSH
    # Rolling back puts jobs on their own old labels: nothing new to warn about.
    assert relane("migrate", str(spec), "--write").code == 0
    r = relane("migrate", str(spec), "--reverse", "--write", "--strict")
    assert r.code == 0, r.err
    assert (root / WF / "pr.yml").read_text() == PR

