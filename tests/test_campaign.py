"""relane campaign: plan, apply and status over real git remotes and a fake forge on loopback."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from campaignserver import FakeForge, make_remote
from forgeserver import Answer, forge  # noqa: F401 - fixture
from gitrepo import SHIP, SHIP_MOVED, CI, git, git_env  # noqa: F401 - fixture

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
    assert [l["name"] for l in pr["labels"]] == ["ci"] and pr["reviewers"] == ["platform"]
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
    steps = [(l["repo"], l["step"], l["outcome"]) for l in state_lines(spec)]
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
    # A changed spec is carried out again: the pull requests are updated, not opened twice.
    spec.write_text(spec.read_text().replace('title = "Move', 'title = "Please move'))
    third = relane("campaign", "apply", str(spec), "--per-second", "1000")
    assert third.code == 0, third.err
    assert third.out.endswith("3 repositories: 2 pull requests updated, 1 nothing to change\n")
    assert [p["title"] for p in fake.pulls("acme/api")] == ["Please move ship jobs to the publish lane"]
    assert fake.count("POST", r"/pulls$") == 2
    # The branch was already right: not pushed again.
    assert ("acme/api", "push", "unchanged") in [(l["repo"], l["step"], l["outcome"]) for l in state_lines(spec)]
