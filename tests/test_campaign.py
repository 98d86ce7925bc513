"""relane campaign: plan, apply and status over real git remotes and a fake forge on loopback."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from campaignserver import FakeForge, make_remote
from forgeserver import Answer, forge  # noqa: F401 - fixture
from gitrepo import CI, SHIP, SHIP_MOVED, git, git_env  # noqa: F401 - fixture

TOKEN = "ghp_campaignsecret123456"


def spec_text(fake: FakeForge, remotes: Path, repos: list[str], extra: str = "") -> str:
    forge_name = fake.dialect
    return textwrap.dedent(
        f"""\
        [migration.publish-lane]
        on = ["push"]
        from = ["ubuntu-latest"]
        to = "publish"

        [campaign]
        branch = "relane/publish-lane"
        forge = "{forge_name}"
        api-url = "{fake.api_url}"
        clone-url = "{remotes}/{{repo}}.git"
        repos = {json.dumps(repos)}
        title = "Move ship jobs to the publish lane"
        labels = ["ci"]
        reviewers = ["platform"]
        """
    ) + extra


@pytest.fixture
def setup(tmp_path, git_env, forge, monkeypatch):  # noqa: F811
    """make(dialect, {repo: files}) -> (spec path, fake forge); GITHUB_TOKEN/GITEA_TOKEN set."""
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("GITEA_TOKEN", TOKEN)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    with open(git_env, "a") as config:
        config.write("[uploadpack]\n\tallowFilter = true\n\tallowAnySHA1InWant = true\n")
    remotes = tmp_path / "remotes"
    scratch = tmp_path / "scratch"
    scratch.mkdir()

    def make(dialect: str, repos: dict[str, dict[str, str]], extra: str = "") -> tuple[Path, FakeForge]:
        fake = FakeForge(forge, dialect, remotes)
        for name, files in repos.items():
            make_remote(remotes, name, files, scratch)
        spec = tmp_path / "campaign.toml"
        spec.write_text(spec_text(fake, remotes, sorted(repos), extra))
        return spec, fake

    return make


SHIPPING = {".github/workflows/ship.yml": SHIP, ".github/workflows/ci.yml": CI}
QUIET = {".github/workflows/ci.yml": CI}


def test_plan_shows_each_repository_and_writes_nothing(setup, relane):
    spec, fake = setup("github", {"acme/api": SHIPPING, "acme/docs": QUIET})
    result = relane("campaign", "plan", str(spec))
    assert result.out == (
        "acme/api: would change 1 file, 1 job moved\n"
        "acme/docs: nothing to change\n"
        "2 repositories: 1 to change, 1 nothing to change\n"
    )
    assert result.code == 0
    assert fake.server.requests == []


def state_lines(spec: Path) -> list[dict]:
    path = spec.with_name("campaign.state.jsonl")
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_apply_opens_one_pull_request_each_and_a_rerun_opens_nothing(setup, relane, tmp_path):
    spec, fake = setup("github", {"acme/api": SHIPPING, "acme/docs": QUIET, "acme/web": SHIPPING})
    result = relane("campaign", "apply", str(spec), "--per-second", "1000")
    url = fake.server.url
    assert result.out == (
        f"acme/api: pull request opened (1 file, 1 job moved): {url}/acme/api/pull/1\n"
        "acme/docs: nothing to change\n"
        f"acme/web: pull request opened (1 file, 1 job moved): {url}/acme/web/pull/1\n"
        "3 repositories: 2 pull requests opened, 1 nothing to change\n"
    ), result.err
    assert result.code == 0
    pr = fake.pulls("acme/api")[0]
    assert pr["title"] == "Move ship jobs to the publish lane"
    assert [label["name"] for label in pr["labels"]] == ["ci"] and pr["reviewers"] == ["platform"]
    assert pr["base"]["ref"] == "main" and pr["head"]["ref"] == "relane/publish-lane"
    assert pr["body"].startswith("## Migration `publish-lane`\n\n1 job in 1 workflow moved to `publish`.")
    assert fake.pulls("acme/docs") == []
    # The branch holds one commit on main with the workflow change alone, marked as the campaign's.
    bare = tmp_path / "remotes" / "acme" / "api.git"
    assert git(bare, "show", "relane/publish-lane:.github/workflows/ship.yml") == SHIP_MOVED.replace(
        "    runs-on: publish", "    # relane: was ubuntu-latest\n    runs-on: publish"
    )
    assert git(bare, "rev-parse", "relane/publish-lane^") == git(bare, "rev-parse", "main")
    assert git(bare, "diff", "--name-only", "main", "relane/publish-lane") == ".github/workflows/ship.yml\n"
    assert "Relane-Campaign: relane/publish-lane" in git(bare, "log", "-1", "--format=%B", "relane/publish-lane")
    assert git(tmp_path / "remotes" / "acme" / "docs.git", "for-each-ref", "--format=%(refname)") == "refs/heads/main\n"
    steps = [(s["repo"], s["step"], s["outcome"]) for s in state_lines(spec)]
    assert steps == [
        ("acme/api", "fetch", "ok"), ("acme/api", "plan", "ok"), ("acme/api", "push", "pushed"),
        ("acme/api", "done", "opened"),
        ("acme/docs", "fetch", "ok"), ("acme/docs", "done", "nothing"),
        ("acme/web", "fetch", "ok"), ("acme/web", "plan", "ok"), ("acme/web", "push", "pushed"),
        ("acme/web", "done", "opened"),
    ]
    # Resumed: everything is done, nothing is asked of the forge.
    before = len(fake.server.requests)
    again = relane("campaign", "apply", str(spec))
    assert again.code == 0
    assert again.out.endswith("3 repositories: 3 done earlier\n")
    assert len(fake.server.requests) == before
    # A changed spec is carried out again: the pull requests are updated, not opened twice,
    # and a label someone added stays while the campaign's new one is added.
    fake.pulls("acme/api")[0]["labels"].append({"name": "security-ok", "id": 11})
    spec.write_text(spec.read_text().replace('title = "Move', 'title = "Please move').replace(
        'labels = ["ci"]', 'labels = ["ci", "runners"]'))
    third = relane("campaign", "apply", str(spec), "--per-second", "1000")
    assert third.code == 0, third.err
    assert third.out.endswith("3 repositories: 2 pull requests updated, 1 nothing to change\n")
    assert [p["title"] for p in fake.pulls("acme/api")] == ["Please move ship jobs to the publish lane"]
    assert [label["name"] for label in fake.pulls("acme/api")[0]["labels"]] == ["ci", "security-ok", "runners"]
    assert fake.count("POST", r"/pulls$") == 2
    # The branch was already right: not pushed again.
    assert ("acme/api", "push", "unchanged") in [(s["repo"], s["step"], s["outcome"]) for s in state_lines(spec)]


class FakeClock:
    """Time that moves only when slept: waits are recorded, not spent."""

    def __init__(self) -> None:
        self.time = 1000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.time

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.time += seconds


def runner(spec: Path, tmp_path: Path, clock: FakeClock, **throttle):
    from relane.deliver.campaign.run import Runner
    from relane.deliver.campaign.spec import load_campaign
    from relane.deliver.campaign.state import StateFile
    from relane.deliver.campaign.throttle import Throttle
    from relane.redact import Secret

    campaign = load_campaign(spec)
    state = StateFile(campaign.state, campaign.fingerprint)
    return campaign, Runner(
        campaign, tmp_path / "cache", Secret(TOKEN), 2, Throttle(clock=clock, **throttle), state
    )


def outcomes(results) -> list[tuple[str, str]]:
    return [(r.repo, r.outcome) for r in results]


def test_faults_are_waited_out_retried_or_recorded_and_the_campaign_goes_on(setup, tmp_path):
    repos = {f"acme/r{i}": SHIPPING for i in range(5)}
    spec, fake = setup("github", repos)
    # r0: a 502, then fine. r1: GitHub's secondary rate limit with Retry-After. r2: the
    # connection dropped. r3: a 422 that is no duplicate (the campaign goes on). r4: a
    # pull request made by an attempt whose answer was lost: listed late, 422 on opening.
    fake.fail("POST", r"/acme/r0/pulls$", Answer(502, {"message": "Bad Gateway"}))
    fake.fail("POST", r"/acme/r1/pulls$", Answer(403, {"message": "You have exceeded a secondary rate limit"},
                                                    headers={"Retry-After": "1"}))
    fake.fail("POST", r"/acme/r2/pulls$", Answer(hang_up=True))
    fake.fail("POST", r"/acme/r3/pulls$", Answer(422, {"message": "Validation Failed",
                                                       "errors": [{"message": "base branch is protected"}]}), times=9)
    fake.fail("GET", r"/acme/r4/pulls$", Answer(200, []))
    fake.repo("acme/r4").pulls.append({
        "number": 1, "html_url": f"{fake.server.url}/acme/r4/pull/1", "state": "open", "title": "old",
        "body": "", "labels": [], "head": {"ref": "relane/publish-lane", "sha": None,
                                            "repo": {"full_name": "acme/r4"}}, "reviewers": [],
    })
    clock = FakeClock()
    campaign, run = runner(spec, tmp_path, clock, per_second=1000, backoff=0.25)
    results = run.run(sorted(repos), write=True)
    assert outcomes(results) == [
        ("acme/r0", "opened"), ("acme/r1", "opened"), ("acme/r2", "opened"), ("acme/r3", "failed"),
        ("acme/r4", "updated"),
    ]
    assert results[3].step == "pull-request"
    assert results[3].error == (
        "github: 422 Unprocessable Entity: Validation Failed: base branch is protected (POST /repos/acme/r3/pulls)"
    )
    # A pause after the 502 and after the dropped connection; the wait the rate limit asked for.
    assert [s for s in clock.sleeps if s > 0.01] == [0.25, 1.0, 0.25]
    assert [len(fake.pulls(r)) for r in sorted(repos)] == [1, 1, 1, 0, 1]
    assert fake.pulls("acme/r4")[0]["title"] == "Move ship jobs to the publish lane"
    last = {}
    for line in state_lines(spec):
        last[line["repo"]] = line
    assert last["acme/r3"]["outcome"] == "failed" and last["acme/r3"]["step"] == "pull-request"
    # Only the failure runs again, and fails again.
    from relane.deliver.campaign.run import pick

    todo, left = pick(sorted(repos), run.state, "failed")
    assert todo == ["acme/r3"] and len(left) == 4


def test_throttle_spaces_writes_and_keeps_to_the_minute():
    from relane.deliver.campaign.throttle import Throttle

    clock = FakeClock()
    throttle = Throttle(per_second=2, per_minute=5, clock=clock)
    for _ in range(7):
        throttle.wait()
    # Half a second apart, then the sixth waits for the first to leave the minute.
    assert clock.sleeps == [0.5, 0.5, 0.5, 0.5, 58.0, 0.5]


def test_rate_limit_reset_header_is_waited_for_and_too_long_a_wait_fails():
    from relane.deliver.campaign.throttle import Throttle
    from relane.deliver.forge.http import ForgeError

    clock = FakeClock()
    throttle = Throttle(clock=clock, max_wait=120)
    calls = []

    def step():
        calls.append(1)
        if len(calls) == 1:
            raise ForgeError("github: rate limit exceeded", 403, retry_after=30)
        return "ok"

    assert throttle.retry(step) == "ok" and clock.sleeps == [30]
    with pytest.raises(ForgeError):
        throttle.retry(lambda: (_ for _ in ()).throw(ForgeError("github: rate limit", 429, retry_after=600)))
    with pytest.raises(ForgeError):  # a reset past any date: not waited for
        throttle.retry(lambda: (_ for _ in ()).throw(ForgeError("github: rate limit", 403, retry_after=float("inf"))))
    with pytest.raises(ForgeError):  # a plain refusal is not retried
        throttle.retry(lambda: (_ for _ in ()).throw(ForgeError("github: 403 Forbidden", 403)))
    assert clock.sleeps == [30]


def test_gitea_campaign_labels_by_id_and_drafts_by_title(setup, relane):
    spec, fake = setup("gitea", {"acme/api": SHIPPING}, extra="draft = true\n")
    spec.write_text(spec.read_text().replace('to = "publish"\n', 'to = "publish"\ncomment = "hard-dependency"\nref = "internal#462"\n'))
    result = relane("campaign", "apply", str(spec), "--per-second", "1000")
    assert result.code == 0, result.err
    pr = fake.pulls("acme/api")[0]
    assert pr["title"] == "WIP: Move ship jobs to the publish lane"
    assert pr["labels"] == [{"name": "ci", "id": 7}] and pr["reviewers"] == ["platform"]
    assert "### Merge precondition" in pr["body"]
    # A second run with a changed body template updates the pull request; none is opened twice.
    (spec.parent / "body.md").write_text("Campaign for {repo}.\n\n{report}")
    spec.write_text(spec.read_text() + 'body = "body.md"\n')
    again = relane("campaign", "apply", str(spec), "--per-second", "1000")
    assert again.code == 0, again.err
    assert again.out.endswith("1 repository: 1 pull request updated\n")
    assert len(fake.pulls("acme/api")) == 1
    assert fake.pulls("acme/api")[0]["body"].startswith("Campaign for acme/api.\n\n## Migration")
    assert fake.pulls("acme/api")[0]["title"] == "WIP: Move ship jobs to the publish lane"
    assert fake.pulls("acme/api")[0]["labels"] == [{"name": "ci", "id": 7}]
    assert fake.count("POST", r"/issues/1/labels$") == 0  # the label was there already
    status = relane("campaign", "status", str(spec), "--format", "json")
    assert status.code == 0, status.err
    assert json.loads(status.out)["repositories"] == [{
        "repo": "acme/api", "outcome": "updated", "pr": f"{fake.server.url}/acme/api/pull/1", "number": 1,
        "state": "open", "checks": "none", "reviews": "none", "error": None,
    }]


def test_a_branch_the_campaign_did_not_make_is_refused(setup, relane, tmp_path):
    spec, fake = setup("github", {"acme/api": SHIPPING, "acme/web": SHIPPING})
    bare = tmp_path / "remotes" / "acme" / "api.git"
    git(bare, "branch", "relane/publish-lane", "main")
    result = relane("campaign", "apply", str(spec), "--per-second", "1000")
    assert result.code == 1
    assert result.out.splitlines()[0] == (
        "acme/api: failed at plan: a branch 'relane/publish-lane' exists that this campaign did not make "
        "(no 'Relane-Campaign: relane/publish-lane' in its commit); left alone"
    )
    assert git(bare, "rev-parse", "relane/publish-lane") == git(bare, "rev-parse", "main")
    assert fake.pulls("acme/api") == [] and len(fake.pulls("acme/web")) == 1
    plan = relane("campaign", "plan", str(spec))
    assert plan.code == 1 and plan.out.startswith("acme/api: failed at plan: a branch")


@pytest.mark.slow  # kills a real run mid-way, twice
@pytest.mark.parametrize("signal_name", ["SIGKILL", "SIGINT"])
def test_a_killed_run_resumes_where_it_stopped_and_opens_nothing_twice(setup, relane, signal_name):
    import os
    import signal
    import subprocess
    import sys
    import time

    repos = {f"acme/k{i}": SHIPPING for i in range(8)}
    spec, fake = setup("github", repos)
    state = spec.with_name("campaign.state.jsonl")
    command = [sys.executable, "-c", "import sys; from relane.cli import main; sys.exit(main())",
               "campaign", "apply", str(spec), "--per-second", "5"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            done = state.read_text().count('"step": "done"') if state.exists() else 0
            if done >= 2 or proc.poll() is not None:
                break
            time.sleep(0.02)
        proc.send_signal(getattr(signal, signal_name))
    finally:
        _, stderr = proc.communicate()
    if signal_name == "SIGINT":  # Ctrl-C: one line, as for every command
        assert proc.returncode == 2 and stderr.decode().endswith("relane: aborted\n")
    first = [json.loads(line)["repo"] for line in state.read_text().splitlines() if '"step": "done"' in line]
    assert 2 <= len(first) < 8, "the run was meant to be killed part way"
    result = relane("campaign", "apply", str(spec), "--per-second", "1000")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert sum("done in an earlier run" in line for line in lines) == len(first)
    assert lines[-1].startswith("8 repositories:")
    assert [len(fake.pulls(r)) for r in sorted(repos)] == [1] * 8
    assert fake.count("POST", r"/pulls$") == 8
    # --only pending now finds nothing left to do.
    rest = relane("campaign", "apply", str(spec), "--only", "pending")
    assert rest.code == 0 and rest.out == "0 repositories\n"


def test_shards_cover_every_repository_exactly_once():
    from relane.deliver.campaign.run import in_shard, parse_shard

    repos = [f"org{i % 7}/repo-{i}" for i in range(500)]
    for n in (1, 2, 3, 8, 16):
        shares = [[r for r in repos if in_shard(r, (i, n))] for i in range(1, n + 1)]
        assert sorted(sum(shares, [])) == sorted(repos)
        assert all(shares) and max(map(len, shares)) < 2.2 * len(repos) / n
    # A repository keeps its shard when others come and go.
    assert [in_shard("acme/api", (i, 4)) for i in range(1, 5)].count(True) == 1
    assert parse_shard("2/4") == (2, 4)
    for bad in ("0/4", "5/4", "x/4", "2", "2/0"):
        with pytest.raises(Exception, match="expected I/N"):
            parse_shard(bad)


def test_sharded_apply_then_status_over_both_state_files(setup, relane, tmp_path):
    repos = {f"acme/s{i}": SHIPPING for i in range(6)}
    spec, fake = setup("github", {**repos, "acme/quiet": QUIET})
    seen = []
    for i in (1, 2):
        state = tmp_path / f"state-{i}.jsonl"
        result = relane("campaign", "apply", str(spec), "--shard", f"{i}/2", "--state", str(state),
                        "--per-second", "1000", "--jobs", "3")
        assert result.code == 0, result.err
        seen += [line.split(":")[0] for line in result.out.splitlines()[:-1]]
    assert sorted(seen) == sorted([*repos, "acme/quiet"])
    # The forge moves on: one merged, one with failing checks and changes asked for.
    fake.pulls("acme/s0")[0].update(state="closed", merged=True, merged_at="2026-01-01T00:00:00Z")
    head = fake.head_sha("acme/s1", "relane/publish-lane")
    fake.repo("acme/s1").statuses[head] = [{"state": "success", "context": "lint"},
                                           {"conclusion": "failure", "status": "completed"}]
    fake.repo("acme/s1").reviews[1] = [{"user": {"login": "kim"}, "state": "CHANGES_REQUESTED"}]
    fake.repo("acme/s2").reviews[1] = [{"user": {"login": "kim"}, "state": "APPROVED"}]
    result = relane("campaign", "status", str(spec), "--state", str(tmp_path / "state-1.jsonl"),
                    "--state", str(tmp_path / "state-2.jsonl"))
    assert result.code == 0, result.err
    url = fake.server.url
    import re

    assert [re.split(r"  +", line) for line in result.out.replace(url, "U").splitlines()] == [
        ["repository", "pull request", "state", "checks", "reviews"],
        ["acme/quiet", "-", "nothing to change", "-", "-"],
        ["acme/s0", "U/acme/s0/pull/1", "merged", "none", "none"],
        ["acme/s1", "U/acme/s1/pull/1", "open", "failing", "changes requested"],
        ["acme/s2", "U/acme/s2/pull/1", "open", "none", "approved"],
        ["acme/s3", "U/acme/s3/pull/1", "open", "none", "none"],
        ["acme/s4", "U/acme/s4/pull/1", "open", "none", "none"],
        ["acme/s5", "U/acme/s5/pull/1", "open", "none", "none"],
        ["7 repositories: 1 merged, 5 open, 1 nothing to change, 5 checks none, 1 checks failing"],
    ]
    # Columns line up: every row puts its state under the header's.
    column = result.out.index("state")
    assert all(line[column - 2: column] == "  " for line in result.out.splitlines()[1:-1])
    md = relane("campaign", "status", str(spec), "--state", str(tmp_path / "state-1.jsonl"),
                "--state", str(tmp_path / "state-2.jsonl"), "--format", "markdown")
    assert md.out.splitlines()[:3] == [
        "| Repository | Pull request | State | Checks | Reviews |",
        "|---|---|---|---|---|",
        "| acme/quiet | - | nothing to change | - | - |",
    ]
    assert md.out.splitlines()[3] == f"| acme/s0 | [#1]({url}/acme/s0/pull/1) | merged | none | none |"


def test_bad_spec_is_one_line_with_its_place_and_nothing_is_done(setup, relane, tmp_path):
    spec, fake = setup("github", {"acme/api": SHIPPING})
    spec.write_text(spec.read_text().replace('labels = ["ci"]', 'labels = ["ci"'))
    result = relane("campaign", "apply", str(spec))
    assert result.code == 2
    assert result.err.startswith(f"relane: error: {spec}:14:")
    assert result.out == "" and fake.server.requests == []
    assert not spec.with_name("campaign.state.jsonl").exists()
    for table, message in (
        ('[campaign]\nrepos = ["acme/api"]\n', "campaign.branch: missing: the campaign's branch in every repository"),
        ('[campaign]\nbranch = "x"\n', "campaign.repos: missing: list the repositories (OWNER/NAME), or name an org"),
        ('[campaign]\nbranch = "x"\nrepos = ["acme"]\n', "campaign.repos: 'acme' is not OWNER/NAME"),
        ('[campaign]\nbranch = "x"\nrepos = ["a/b"]\nforge = "svn"\n', "campaign.forge: unknown forge 'svn'; use github, gitea or forgejo"),
        ('[campaign]\nbranch = "x"\nrepos = ["a/b"]\nlabel = "ci"\n', "campaign.label: unknown key (known: "),
        ('[campaign]\nbranch = "a..b"\nrepos = ["a/b"]\n', "campaign.branch: 'a..b' is not a valid branch name"),
    ):
        bad = tmp_path / "bad.toml"
        bad.write_text('[migration.m]\nto = "publish"\n\n' + table)
        result = relane("campaign", "plan", str(bad))
        assert result.code == 2 and result.err.startswith(f"relane: error: {bad}: {message}"), result.err
    assert relane("campaign", "plan", str(spec), "--shard", "3/2").code == 2


def test_tokens_stay_out_of_output_state_and_errors(setup, relane, monkeypatch):
    spec, fake = setup("github", {"acme/api": SHIPPING, "acme/web": SHIPPING})
    fake.fail("POST", r"/acme/api/pulls$", Answer(422, {"message": f"bad token {TOKEN} in request"}), times=9)
    result = relane("campaign", "apply", str(spec), "--per-second", "1000", "--format", "json")
    assert result.code == 1
    doc = json.loads(result.out)
    assert doc["repositories"][0]["error"] == {
        "step": "pull-request",
        "message": "github: 422 Unprocessable Entity: bad token *** in request (POST /repos/acme/api/pulls)",
    }
    assert doc["counts"] == {"opened": 1, "failed": 1}
    state = spec.with_name("campaign.state.jsonl").read_text()
    assert TOKEN not in result.out + result.err + state
    assert all(r.headers.get("authorization") == f"Bearer {TOKEN}" for r in fake.server.requests)


def test_progress_is_a_bar_on_a_terminal_and_lines_elsewhere():
    import io

    from relane.deliver.campaign.progress import Progress

    times = iter([0.0, 10.0, 20.0, 30.0])
    stream = io.StringIO()
    bar = Progress(4, stream, tty=True, clock=lambda: next(times))
    bar.finished("a/b", "a/b: opened", opened=True)
    bar.finished("a/c", "a/c: failed", failed=True)
    bar.note("waiting 1 s: rate limit (403)")
    bar.close()
    assert stream.getvalue() == (
        "\r\x1b[K[######..................] 1/4  failed 0  pull requests 1  ~30s left"
        "\r\x1b[K[############............] 2/4  failed 1  pull requests 1  ~20s left"
        "\r\x1b[Krelane: waiting 1 s: rate limit (403)\n"
        "\r\x1b[K[############............] 2/4  failed 1  pull requests 1  ~30s left\n"
    )
    plain = io.StringIO()
    lines = Progress(2, plain, tty=False)
    lines.finished("a/b", "a/b: nothing to change")
    lines.close()
    assert plain.getvalue() == "relane: [1/2] a/b: nothing to change\n"


def corpus_repositories(count: int) -> dict[str, dict[str, bytes]]:
    """``count`` repositories rebuilt from the corpus: OWNER__NAME__.github__workflows__F.yml."""
    from conftest import corpus_files

    repos: dict[str, dict[str, bytes]] = {}
    for file in corpus_files("wild"):
        owner, name, rest = file.name.split("__", 2)
        path = rest.replace("__", "/")
        if not path.startswith((".github/workflows/", ".gitea/workflows/", ".forgejo/workflows/")):
            continue
        key = f"{owner}/{name}".lower()
        if key not in repos and len(repos) == count:
            continue
        repos.setdefault(key, {})[path] = file.read_bytes()
    return repos


@pytest.mark.slow
def test_a_campaign_over_fifty_corpus_repositories_matches_migrate(setup, relane, tmp_path):
    from dataclasses import replace

    from relane.deliver.campaign.spec import load_campaign
    from relane.migrate import plan_migrations

    repos = corpus_repositories(50)
    assert len(repos) == 50
    spec, fake = setup("github", repos)
    planned = relane("campaign", "plan", str(spec), "--jobs", "8", "--format", "json")
    applied = relane("campaign", "apply", str(spec), "--jobs", "8", "--per-second", "1000",
                     "--per-minute", "100000", "--format", "json")
    plan_doc, apply_doc = json.loads(planned.out), json.loads(applied.out)
    assert planned.code == applied.code
    campaign = load_campaign(spec)
    changed = 0
    for p, a in zip(plan_doc["repositories"], apply_doc["repositories"], strict=True):
        repo = p["repo"]
        assert a["repo"] == repo and a["files"] == p["files"]
        # The oracle: relane migrate's engine on a checkout of the same files.
        work = tmp_path / "scratch" / repo.replace("/", "__")
        try:
            expected = plan_migrations([replace(m, paths=(work,)) for m in campaign.migrations]).plan
        except Exception as exc:  # a file migrate cannot read fails the repository in the campaign too
            assert a["outcome"] == "failed", (repo, exc)
            continue
        bare = tmp_path / "remotes" / f"{repo}.git"
        if not expected.changes:
            assert p["outcome"] == a["outcome"] == "nothing", repo
            assert fake.pulls(repo) == []
            continue
        changed += 1
        assert p["outcome"] == "changes" and a["outcome"] == "opened", (repo, a)
        assert sorted(c.path for c in expected.changes) == sorted(a["files"])
        for change in expected.changes:
            blob = subprocess_bytes(bare, "show", f"relane/publish-lane:{change.path}")
            assert blob == change.new_bytes, (repo, change.path)
        names = subprocess_bytes(bare, "diff", "--name-only", "main", "relane/publish-lane").decode().split()
        assert sorted(names) == sorted(a["files"])
        assert len(fake.pulls(repo)) == 1
    assert changed >= 10
    assert fake.count("POST", r"/pulls$") == changed


def subprocess_bytes(cwd: Path, *args: str) -> bytes:
    import subprocess

    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True).stdout


def test_readme_campaign_workflow_runs_every_shard_and_merges_their_states():
    import re

    import yaml

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text()
    (block,) = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "relane campaign" in b]
    workflow = yaml.safe_load(block)
    shards = workflow["jobs"]["apply"]["strategy"]["matrix"]["shard"]
    (apply,) = [s["run"] for s in workflow["jobs"]["apply"]["steps"] if "campaign apply" in s.get("run", "")]
    assert f"--shard ${{{{ matrix.shard }}}}/{len(shards)}" in apply and shards == list(range(1, len(shards) + 1))
    (status,) = [s["run"] for s in workflow["jobs"]["status"]["steps"] if "campaign status" in s.get("run", "")]
    assert re.findall(r"--state (\S+)", status) == [f"state-{i}.jsonl" for i in shards]


def test_org_and_topic_pick_repositories_through_the_forge(setup, relane):
    spec, fake = setup("github", {"acme/api": SHIPPING, "acme/web": SHIPPING, "acme/old-app": SHIPPING})
    fake.org_repos["acme"] = [
        {"full_name": "acme/api", "topics": ["ci"]},
        {"full_name": "acme/web", "topics": []},
        {"full_name": "acme/old-app", "topics": ["ci"]},
        {"full_name": "acme/archived", "topics": ["ci"], "archived": True},
        {"full_name": "../../escape", "topics": ["ci"]},
    ]
    text = spec.read_text().replace('repos = ["acme/api", "acme/old-app", "acme/web"]',
                                    'org = "acme"\ntopic = "ci"\nexclude = ["acme/old-*"]')
    spec.write_text(text)
    result = relane("campaign", "plan", str(spec))
    assert result.out == "acme/api: would change 1 file, 1 job moved\n1 repository: 1 to change\n", result.err
    assert fake.server.lines() == ["GET /orgs/acme/repos?per_page=100&type=all"]
    assert fake.server.requests[0].headers["authorization"] == f"Bearer {TOKEN}"


def test_plan_only_failed_takes_the_failures_of_the_state_file(setup, relane, tmp_path):
    spec, fake = setup("github", {"acme/api": SHIPPING, "acme/web": SHIPPING})
    fake.fail("POST", r"/acme/web/pulls$", Answer(422, {"message": "Validation Failed"}), times=9)
    assert relane("campaign", "apply", str(spec), "--per-second", "1000").code == 1
    result = relane("campaign", "plan", str(spec), "--only", "failed")
    assert result.code == 0
    assert result.out == "acme/web: would change 1 file, 1 job moved\n1 repository: 1 to change\n"
    fake.faults.clear()  # the forge takes it now
    fixed = relane("campaign", "apply", str(spec), "--only", "failed", "--per-second", "1000")
    assert fixed.code == 0 and fixed.out.startswith("acme/web: pull request opened")


def test_git_gets_the_token_as_a_header_for_the_clone_host_only():
    import base64

    from relane.deliver.campaign.cache import git_env as environment
    from relane.redact import Secret, scrub

    env = environment("https://git.example.com/{repo}.git", Secret(TOKEN))
    basic = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    assert env == {
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "http.https://git.example.com/.extraHeader",
        "GIT_CONFIG_VALUE_0": f"Authorization: Basic {basic}",
    }
    assert scrub(f"fatal: header {basic}") == "fatal: header ***"
    assert environment("/srv/git/{repo}.git", Secret(TOKEN)) == {"GIT_TERMINAL_PROMPT": "0"}
    assert environment("git@example.com:{repo}.git", Secret(TOKEN)) == {"GIT_TERMINAL_PROMPT": "0"}


def test_a_state_line_cut_short_by_a_kill_is_skipped_and_not_joined_to_the_next(tmp_path):
    from relane.deliver.campaign.state import StateFile, read

    path = tmp_path / "s.jsonl"
    state = StateFile(path, "f1")
    state.append("acme/api", "done", "opened", pr="https://x/1", number=1)
    with path.open("ab") as file:
        file.write(b'{"time": "2026-01-01", "repo": "acme/web", "st')
    again = StateFile(path, "f1")
    assert again.standing("acme/api") == "done" and again.standing("acme/web") == "pending"
    again.append("acme/web", "fetch", "failed", error="no route")
    assert [(r.repo, r.step, r.outcome) for r in read(path)] == [
        ("acme/api", "done", "opened"), ("acme/web", "fetch", "failed"),
    ]
    assert StateFile(path, "f1").standing("acme/web") == "failed"
    assert StateFile(path, "f2").standing("acme/api") == "pending"  # another spec: to be done again
    path.write_text('{"repo": 1}\n' + path.read_text())
    with pytest.raises(Exception, match="s.jsonl:1:1: not a campaign state line"):
        read(path)


def test_refresh_moves_the_campaign_branch_onto_a_new_default_branch(setup, relane, tmp_path):
    spec, fake = setup("github", {"acme/api": SHIPPING})
    assert relane("campaign", "apply", str(spec), "--per-second", "1000").code == 0
    # The default branch moves on after the pull request was opened.
    work = tmp_path / "scratch" / "acme__api"
    (work / "NEWS").write_text("later\n")
    git(work, "add", "NEWS")
    git(work, "commit", "-q", "-m", "later")
    git(work, "push", "-q", str(tmp_path / "remotes" / "acme" / "api.git"), "main")
    assert relane("campaign", "apply", str(spec)).out == (
        f"acme/api: done in an earlier run ({fake.server.url}/acme/api/pull/1)\n1 repository: 1 done earlier\n"
    )
    result = relane("campaign", "apply", str(spec), "--refresh", "--per-second", "1000")
    assert result.code == 0, result.err
    assert result.out.startswith("acme/api: pull request updated (1 file, 1 job moved)")
    bare = tmp_path / "remotes" / "acme" / "api.git"
    assert git(bare, "rev-parse", "relane/publish-lane^") == git(bare, "rev-parse", "main")
    assert len(fake.pulls("acme/api")) == 1
    assert relane("campaign", "apply", str(spec), "--refresh", "--only", "failed").code == 2


def test_a_primary_rate_limit_is_waited_out_until_its_reset(setup, tmp_path):
    import time

    spec, fake = setup("github", {"acme/api": SHIPPING})
    reset = int(time.time()) + 30
    fake.fail("POST", r"/acme/api/pulls$", Answer(429, {"message": "API rate limit exceeded"},
                                                  headers={"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": str(reset)}))
    clock = FakeClock()
    _, run = runner(spec, tmp_path, clock, per_second=1000)
    (result,) = run.run(["acme/api"], write=True)
    assert result.outcome == "opened"
    (waited,) = [s for s in clock.sleeps if s > 1]
    assert 25 <= waited <= 30


def test_relane_migrate_reads_a_spec_with_a_campaign_table(setup, relane, tmp_path):
    spec, _ = setup("github", {"acme/api": SHIPPING})
    work = tmp_path / "scratch" / "acme__api"
    (work / "relane.toml").write_text(spec.read_text())
    result = relane("migrate", str(work / "relane.toml"))
    assert result.code == 0, result.err
    assert result.out.startswith("diff --git a/.github/workflows/ship.yml b/.github/workflows/ship.yml\n")
