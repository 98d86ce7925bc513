"""relane campaign at its edges: repositories that cannot be planned, state files it cannot write, forge refusals."""

from __future__ import annotations

import json

from forgeserver import forge  # noqa: F401 - fixture
from gitrepo import git, git_env  # noqa: F401 - fixture
from test_campaign import QUIET, SHIPPING, setup, state_lines  # noqa: F401 - fixture

BROKEN = {".github/workflows/broken.yml": "on: push\njobs:\n  a: [\n"}


def test_a_repository_with_an_invalid_workflow_fails_at_plan_and_gets_no_branch(setup, relane, tmp_path):
    # relane migrate refuses such a checkout; a campaign must not open a pull request
    # that leaves the file out, nor call a repository it could not read "nothing to change".
    spec, fake = setup("github", {"acme/api": SHIPPING, "acme/bad": {**SHIPPING, **BROKEN}, "acme/lone": BROKEN})
    refusal = "failed at plan: .github/workflows/broken.yml:4:1: did not find expected node content"
    plan = relane("campaign", "plan", str(spec))
    assert plan.code == 1
    lines = plan.out.splitlines()
    assert lines[0] == "acme/api: would change 1 file, 1 job moved"
    assert lines[1].startswith(f"acme/bad: {refusal}") and lines[2].startswith(f"acme/lone: {refusal}")
    assert lines[3] == "3 repositories: 1 to change, 2 failed"
    result = relane("campaign", "apply", str(spec), "--per-second", "1000")
    assert result.code == 1
    assert result.out.splitlines()[1:3] == lines[1:3]
    assert result.out.endswith("3 repositories: 1 pull request opened, 2 failed\n")
    assert fake.pulls("acme/bad") == [] and fake.pulls("acme/lone") == []
    for name in ("bad", "lone"):
        refs = git(tmp_path / "remotes" / "acme" / f"{name}.git", "for-each-ref", "--format=%(refname)")
        assert refs == "refs/heads/main\n"
    last = {line["repo"]: line for line in state_lines(spec)}
    assert (last["acme/bad"]["step"], last["acme/bad"]["outcome"]) == ("plan", "failed")
    assert last["acme/lone"]["error"].startswith(".github/workflows/broken.yml:4:1: ")


def test_a_state_file_that_cannot_be_written_stops_apply_before_anything_is_done(setup, relane, tmp_path):
    spec, fake = setup("github", {"acme/api": SHIPPING})
    spec.write_text(spec.read_text() + f'state = "{spec.name}/state.jsonl"\n')  # under a file: no folder there
    result = relane("campaign", "apply", str(spec), "--per-second", "1000")
    assert result.code == 2
    assert result.err == (
        f"relane: error: {spec.parent}/{spec.name}/state.jsonl: cannot write the state file: Not a directory\n"
    )
    assert result.out == "" and fake.server.requests == []
    refs = git(tmp_path / "remotes" / "acme" / "api.git", "for-each-ref", "--format=%(refname)")
    assert refs == "refs/heads/main\n"
    # plan keeps no state: it runs.
    assert relane("campaign", "plan", str(spec)).code == 0


def test_a_state_file_that_fails_mid_run_is_one_line_not_a_traceback(tmp_path):
    import pytest

    from relane.deliver.campaign.state import StateFile
    from relane.errors import InputError

    path = tmp_path / "state.jsonl"
    state = StateFile(path, "f1")
    state.append("acme/api", "fetch", "ok")
    path.unlink()
    path.mkdir()  # taken away while the run goes on
    with pytest.raises(InputError, match=r"state.jsonl: cannot write the state file: Is a directory"):
        state.append("acme/api", "plan", "failed", error="x")


def test_a_shard_that_is_no_i_of_n_is_a_usage_error(setup, relane):
    spec, fake = setup("github", {"acme/api": SHIPPING})
    for shard in ("0/4", "5/4", "1/0", "x", "1/4/2", "-1/4", "²/4", "1/²"):
        result = relane("campaign", "plan", str(spec), "--shard", shard)
        assert result.code == 2, (shard, result.err)
        assert result.err == f"relane: error: --shard {shard!r}: expected I/N with 1 <= I <= N, such as 2/8\n"
        assert result.out == ""
    assert fake.server.requests == []


def test_a_file_that_is_no_state_file_is_refused_not_appended_to(setup, relane):
    # --state given the spec (or any other file) by mistake: its lines are no state
    # lines cut short by a kill, and the file must not get state lines added to it.
    spec, fake = setup("github", {"acme/api": SHIPPING})
    before = spec.read_bytes()
    for command in ("apply", "plan", "status"):
        result = relane("campaign", command, str(spec), "--state", str(spec))
        assert result.code == 2, result.err
        assert result.err == f"relane: error: {spec}:1:1: not a campaign state line\n"
        assert result.out == ""
    assert spec.read_bytes() == before and fake.server.requests == []
    notes = spec.with_name("notes.jsonl")
    notes.write_text('{"time": "2026-01-01", "repo": "acme/api", "step": "done", "outcome": "opened"}\n[1, 2]\n')
    result = relane("campaign", "apply", str(spec), "--state", str(notes))
    assert result.code == 2 and result.err == f"relane: error: {notes}:2:1: not a campaign state line\n"


def test_a_closed_pull_request_keeps_its_branch_as_it_was(setup, relane, tmp_path):
    # "A pull request someone closed is not reopened": nor is its branch pushed to
    # when the spec changes; the repository is reported and recorded as closed.
    spec, fake = setup("github", {"acme/api": SHIPPING})
    assert relane("campaign", "apply", str(spec), "--per-second", "1000").code == 0
    bare = tmp_path / "remotes" / "acme" / "api.git"
    before = git(bare, "rev-parse", "relane/publish-lane")
    writes = fake.count("POST", "") + fake.count("PATCH", "")
    fake.pulls("acme/api")[0]["state"] = "closed"
    spec.write_text(spec.read_text().replace('to = "publish"', 'to = "publish-2"'))
    result = relane("campaign", "apply", str(spec), "--per-second", "1000")
    assert result.code == 0, result.err
    url = f"{fake.server.url}/acme/api/pull/1"
    assert result.out == f"acme/api: pull request {url} was closed; not reopened\n1 repository: 1 pull request closed\n"
    assert git(bare, "rev-parse", "relane/publish-lane") == before
    assert [p["state"] for p in fake.pulls("acme/api")] == ["closed"]
    assert fake.count("POST", "") + fake.count("PATCH", "") == writes
    last = state_lines(spec)[-2:]
    assert [(s["step"], s["outcome"]) for s in last] == [("plan", "ok"), ("done", "closed")]
    assert last[-1]["pr"] == url


def test_a_refused_token_fails_before_the_branch_is_pushed(setup, relane, tmp_path):
    from forgeserver import Answer

    spec, fake = setup("github", {"acme/api": SHIPPING, "acme/web": SHIPPING})
    fake.fail("GET", r"/acme/api/pulls$", Answer(401, {"message": "Bad credentials"}), times=9)
    result = relane("campaign", "apply", str(spec), "--per-second", "1000")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "acme/api: failed at pull-request: github: 401 Unauthorized: Bad credentials "
        "(GET /repos/acme/api/pulls); check GITHUB_TOKEN or GH_TOKEN"
    )
    refs = git(tmp_path / "remotes" / "acme" / "api.git", "for-each-ref", "--format=%(refname)")
    assert refs == "refs/heads/main\n"
    assert len(fake.pulls("acme/web")) == 1


def test_migration_paths_outside_the_repository_are_a_spec_error(setup, relane, tmp_path):
    # Every repository would fail the same way: the spec is wrong, and nothing is fetched.
    spec, fake = setup("github", {"acme/api": SHIPPING})
    outside = tmp_path / "elsewhere"
    for paths, shown in (('["../../etc"]', "../../etc"), (f'["{outside}"]', str(outside)),
                         ('[".github/workflows", "x/../../y"]', "x/../../y")):
        spec.write_text(spec.read_text().split("\n[campaign]")[0].replace(
            'to = "publish"', f'to = "publish"\npaths = {paths}') + "\n[campaign]" + spec.read_text().split("\n[campaign]")[1])
        result = relane("campaign", "plan", str(spec))
        assert result.code == 2, result.err
        assert result.err == (
            f"relane: error: {spec}: migration.publish-lane.paths: {shown!r} is not inside the repository "
            "(a campaign reads paths relative to each repository's root)\n"
        )
        assert result.out == "" and not (tmp_path / "cache" / "relane").exists()
        spec.write_text(spec.read_text().replace(f"paths = {paths}\n", ""))
    assert relane("campaign", "plan", str(spec)).code == 0


def test_a_migration_path_a_repository_lacks_is_named_as_in_the_repository(setup, relane, tmp_path):
    spec, fake = setup("github", {"acme/api": SHIPPING, "acme/docs": QUIET})
    spec.write_text(spec.read_text().replace('to = "publish"', 'to = "publish"\npaths = [".github/workflows/ship.yml"]'))
    result = relane("campaign", "plan", str(spec))
    assert result.code == 1
    assert result.out == (
        "acme/api: would change 1 file, 1 job moved\n"
        "acme/docs: failed at plan: .github/workflows/ship.yml: no such file or folder\n"
        "2 repositories: 1 to change, 1 failed\n"
    )
    assert str(tmp_path / "cache") not in result.err


def test_after_a_merged_pull_request_a_new_change_gets_a_new_one(setup, relane, tmp_path):
    # The first pull request was merged; later a workflow with a job to move lands on
    # main. The campaign proposes it: a merged pull request is no refusal.
    from gitrepo import SHIP

    spec, fake = setup("github", {"acme/api": SHIPPING})
    assert relane("campaign", "apply", str(spec), "--per-second", "1000").code == 0
    bare = tmp_path / "remotes" / "acme" / "api.git"
    git(bare, "update-ref", "refs/heads/main", git(bare, "rev-parse", "relane/publish-lane").strip())
    first = fake.pulls("acme/api")[0]
    first.update(state="closed", merged=True, merged_at="2026-01-02T00:00:00Z")
    work = tmp_path / "scratch" / "acme__api"
    git(work, "pull", "-q", str(bare), "main")
    (work / ".github" / "workflows" / "deploy.yml").write_text(SHIP.replace("name: ship", "name: deploy"))
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "deploy")
    git(work, "push", "-q", str(bare), "HEAD:main")
    result = relane("campaign", "apply", str(spec), "--refresh", "--per-second", "1000")
    assert result.code == 0, result.err
    url = f"{fake.server.url}/acme/api/pull/2"
    assert result.out == f"acme/api: pull request opened (1 file, 1 job moved): {url}\n1 repository: 1 pull request opened\n"
    assert [p["state"] for p in fake.pulls("acme/api")] == ["closed", "open"]
    assert git(bare, "rev-parse", "relane/publish-lane^") == git(bare, "rev-parse", "main")
    assert git(bare, "diff", "--name-only", "main", "relane/publish-lane") == ".github/workflows/deploy.yml\n"
    again = relane("campaign", "apply", str(spec), "--refresh", "--per-second", "1000")
    assert again.out == f"acme/api: pull request unchanged (1 file, 1 job moved): {url}\n1 repository: 1 up to date\n"
    # A pull request someone closed without merging stays a refusal (see above).


def test_summaries_count_one_repository_and_none_in_the_singular_and_plural():
    from relane.deliver.campaign.status import Row, summary as status_summary

    assert status_summary([Row("acme/api", "opened", state="open", checks="passing")]) == (
        "1 repository: 1 open, 1 checks passing"
    )
    assert status_summary([]) == "0 repositories"


def test_an_open_pull_request_the_spec_no_longer_matches_is_reported_not_called_nothing(setup, relane, tmp_path):
    # The spec changed so that nothing in the repository matches any more: the campaign's
    # open pull request still moves jobs. It is named (and recorded), not closed: people
    # may have reviewed it, and a closed one would stay refused should the spec match again.
    spec, fake = setup("github", {"acme/api": SHIPPING, "acme/docs": QUIET})
    assert relane("campaign", "apply", str(spec), "--per-second", "1000").code == 0
    bare = tmp_path / "remotes" / "acme" / "api.git"
    before = git(bare, "rev-parse", "relane/publish-lane")
    writes = fake.count("POST", "") + fake.count("PATCH", "")
    spec.write_text(spec.read_text().replace('from = ["ubuntu-latest"]', 'from = ["windows-latest"]'))
    plan = relane("campaign", "plan", str(spec))
    assert plan.out.endswith("2 repositories: 2 nothing to change\n")  # plan asks no forge
    result = relane("campaign", "apply", str(spec), "--per-second", "1000")
    assert result.code == 0, result.err
    url = f"{fake.server.url}/acme/api/pull/1"
    assert result.out == (
        f"acme/api: nothing to change; pull request {url} no longer matches the spec, left open\n"
        "acme/docs: nothing to change\n"
        "2 repositories: 1 pull request stale, 1 nothing to change\n"
    )
    assert git(bare, "rev-parse", "relane/publish-lane") == before
    assert [p["state"] for p in fake.pulls("acme/api")] == ["open"]
    assert fake.count("POST", "") + fake.count("PATCH", "") == writes
    last = {line["repo"]: line for line in state_lines(spec)}
    assert (last["acme/api"]["step"], last["acme/api"]["outcome"]) == ("done", "stale")
    assert (last["acme/api"]["pr"], last["acme/api"]["number"]) == (url, 1)
    assert (last["acme/docs"]["step"], last["acme/docs"]["outcome"]) == ("done", "nothing")
    as_json = relane("campaign", "apply", str(spec), "--refresh", "--per-second", "1000", "--format", "json")
    assert [(r["outcome"], r["pull_request"]) for r in json.loads(as_json.out)["repositories"]] == [
        ("stale", {"number": 1, "url": url}), ("nothing", None),
    ]
    # A forge that cannot be asked fails the repository where it was asked.
    from forgeserver import Answer

    fake.fail("GET", r"/acme/api/pulls$", Answer(401, {"message": "Bad credentials"}), times=9)
    refused = relane("campaign", "apply", str(spec), "--refresh", "--per-second", "1000")
    assert refused.code == 1
    assert refused.out.startswith("acme/api: failed at pull-request: github: 401 Unauthorized: Bad credentials")
    fake.faults.clear()
    # Once it is merged or closed, there is nothing left to say.
    fake.pulls("acme/api")[0]["state"] = "closed"
    again = relane("campaign", "apply", str(spec), "--refresh", "--per-second", "1000")
    assert again.out == "acme/api: nothing to change\nacme/docs: nothing to change\n2 repositories: 2 nothing to change\n"


def test_commits_added_to_the_campaigns_branch_are_named_as_such_and_left_alone(setup, relane, tmp_path):
    # Someone pushed a fix onto the campaign's branch: its tip has no trailer, but the
    # campaign made the branch. It is still left alone (their commit is not overwritten),
    # and the message says what is there.
    spec, fake = setup("github", {"acme/api": SHIPPING})
    assert relane("campaign", "apply", str(spec), "--per-second", "1000").code == 0
    bare = tmp_path / "remotes" / "acme" / "api.git"
    work = tmp_path / "scratch" / "acme__api"
    git(work, "fetch", "-q", str(bare), "relane/publish-lane")
    git(work, "checkout", "-q", "FETCH_HEAD")
    (work / "NOTES.md").write_text("a note\n")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "a reviewer's fix")
    git(work, "push", "-q", str(bare), "HEAD:refs/heads/relane/publish-lane")
    tip = git(bare, "rev-parse", "relane/publish-lane").strip()
    spec.write_text(spec.read_text().replace('title = "Move', 'title = "Please move'))
    result = relane("campaign", "apply", str(spec), "--per-second", "1000")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "acme/api: failed at plan: the branch 'relane/publish-lane' this campaign made has commits it did not make "
        f"(the last, {tip[:12]}, has no 'Relane-Campaign: relane/publish-lane'); left alone"
    )
    assert git(bare, "rev-parse", "relane/publish-lane").strip() == tip
    assert fake.pulls("acme/api")[0]["title"] == "Move ship jobs to the publish lane"
