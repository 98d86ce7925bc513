"""relane guard: labels in use against the runners a forge lists (real HTTP on 127.0.0.1, or saved JSON)."""

from __future__ import annotations

import json

import pytest

from relane.guard import Runner, has_labels, parse_runners, requirements_from_labels

from forgeserver import Answer, forge  # noqa: F401
from gitrepo import git, git_env, workrepo  # noqa: F401

git_cmd = git

TOKEN = "ghp_guardT0kenNeverShown"


def gh_runner(id, name, labels, status="online", busy=False):
    """A runner as GitHub's REST API lists it."""
    return {
        "id": id,
        "name": name,
        "os": "Linux",
        "status": status,
        "busy": busy,
        "ephemeral": False,
        "labels": [{"id": i + 1, "name": label, "type": "custom"} for i, label in enumerate(labels)],
    }


def gitea_runner(id, name, labels, status="online", busy=False, disabled=False):
    """A runner as Gitea's API lists it (labels typed custom, ids by position)."""
    return {
        "id": id,
        "name": name,
        "status": status,
        "busy": busy,
        "disabled": disabled,
        "ephemeral": False,
        "labels": [{"id": i, "name": label, "type": "custom"} for i, label in enumerate(labels)],
    }


def forgejo_runner(id, name, labels, status="idle"):
    """A runner as newer Forgejo lists it: labels are strings, status offline/idle/active."""
    return {
        "id": id,
        "uuid": f"00000000-0000-0000-0000-00000000000{id}",
        "name": name,
        "version": "v11.0.0",
        "owner_id": 0,
        "repo_id": 5,
        "description": "",
        "labels": labels,
        "status": status,
        "ephemeral": False,
    }


WORKFLOWS = {
    "ship.yml": "on: push\njobs:\n  build:\n    runs-on: publish\n  deploy:\n    runs-on: [self-hosted, linux, gpu]\n",
    "ci.yml": (
        "on: pull_request\njobs:\n"
        "  test:\n    runs-on: ubuntu-latest\n"
        "  matrix:\n    runs-on: ${{ matrix.os }}\n"
        "  reuse:\n    uses: ./.github/workflows/ship.yml\n"
        "  win:\n    runs-on: [windows-2022]\n"
    ),
}


def github_guard(relane, root, forge, *extra, scope=("repo",)):
    args = ["guard", "--from-workflows", str(root), "--forge", "github", "--api-url", forge.url]
    for s in scope:
        args += ["--scope", s]
    return relane(*args, *extra)


def test_online_runners_serve_every_label(relane, workrepo, forge, monkeypatch):
    root = workrepo(WORKFLOWS)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    forge.on("GET", "/repos/acme/widgets/actions/runners", Answer(200, {"total_count": 2, "runners": [
        gh_runner(1, "publish-1", ["self-hosted", "Linux", "X64", "publish"]),
        gh_runner(2, "gpu-box", ["self-hosted", "Linux", "X64", "gpu"], busy=True),
    ]}))

    r = github_guard(relane, root, forge)

    assert (r.code, r.out) == (0, (
        "LABEL                      RUNNER     STATUS  BUSY\n"
        "publish                    publish-1  online  no\n"
        "[self-hosted, linux, gpu]  gpu-box    online  yes\n"
        "ok: all 2 labels are served by an online runner\n"
    ))
    assert r.err == "not checked: 4 jobs (2 hosted, 1 expression, 1 reusable)\n"
    assert forge.lines() == ["GET /repos/acme/widgets/actions/runners?per_page=100"]
    request = forge.requests[0]
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.headers["accept"] == "application/vnd.github+json"
    assert TOKEN not in r.out + r.err


def test_offline_runner_does_not_count_unless_allowed(relane, workrepo, forge, monkeypatch):
    root = workrepo({"ship.yml": "on: push\njobs:\n  build:\n    runs-on: publish\n"})
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    forge.on("GET", "/repos/acme/widgets/actions/runners", Answer(200, {"total_count": 1, "runners": [
        gh_runner(1, "publish-1", ["self-hosted", "publish"], status="offline"),
    ]}))

    r = github_guard(relane, root, forge)
    assert (r.code, r.out) == (1, (
        "LABEL    RUNNER     STATUS   BUSY\n"
        "publish  publish-1  offline  no\n"
        "missing: 1 of 1 label has no online runner: publish "
        "(offline runners only for publish; --allow-offline counts them)\n"
    ))

    r = github_guard(relane, root, forge, "--allow-offline")
    assert r.code == 0
    assert r.out.splitlines()[-1] == "ok: the label is served by a runner"


def test_missing_label_and_multi_label_jobs_need_one_runner_with_all(relane, workrepo, forge, monkeypatch):
    root = workrepo(WORKFLOWS)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    # Between them the two runners have self-hosted, linux and gpu, but neither has all three.
    forge.on("GET", "/repos/acme/widgets/actions/runners", Answer(200, {"total_count": 2, "runners": [
        gh_runner(1, "linux-1", ["self-hosted", "Linux", "X64"]),
        gh_runner(2, "gpu-1", ["self-hosted", "gpu"]),
    ]}))

    r = github_guard(relane, root, forge, "--format", "json", "-q")

    assert r.code == 1
    assert r.err == ""
    doc = json.loads(r.out)
    assert doc["served"] is False
    assert doc["verdict"] == "missing: 2 of 2 labels have no online runner: publish, [self-hosted, linux, gpu]"
    assert [(c["labels"], c["served"], c["jobs"], c["runners"]) for c in doc["labels"]] == [
        (["publish"], False, [".github/workflows/ship.yml:build"], []),
        (["self-hosted", "linux", "gpu"], False, [".github/workflows/ship.yml:deploy"], []),
    ]
    assert {(s["job"], s["code"]) for s in doc["not_checked"]} == {
        ("test", "hosted"), ("win", "hosted"), ("matrix", "expression"), ("reuse", "reusable"),
    }


def test_github_pages_by_link_header_and_org_scope(relane, workrepo, forge, monkeypatch):
    root = workrepo({"ship.yml": "on: push\njobs:\n  a:\n    runs-on: publish\n  b:\n    runs-on: gpu\n"})
    monkeypatch.setenv("GH_TOKEN", TOKEN)

    def repo_runners(request):
        if request.query.get("page") == "2":
            return Answer(200, {"total_count": 2, "runners": [gh_runner(2, "publish-2", ["publish"])]})
        link = f'<{forge.url}/repos/acme/widgets/actions/runners?per_page=100&page=2>; rel="next", ' \
               f'<{forge.url}/repos/acme/widgets/actions/runners?per_page=100&page=2>; rel="last"'
        return Answer(200, {"total_count": 2, "runners": [gh_runner(1, "publish-1", ["publish"], status="offline")]},
                      {"Link": link})

    forge.on("GET", "/repos/acme/widgets/actions/runners", repo_runners)
    forge.on("GET", "/orgs/acme/actions/runners", Answer(200, {"total_count": 1, "runners": [
        gh_runner(9, "org-gpu", ["self-hosted", "GPU"]),
    ]}))

    r = github_guard(relane, root, forge, scope=("repo", "org"))

    assert forge.lines() == [
        "GET /repos/acme/widgets/actions/runners?per_page=100",
        "GET /repos/acme/widgets/actions/runners?page=2&per_page=100",
        "GET /orgs/acme/actions/runners?per_page=100",
    ]
    assert (r.code, r.out) == (0, (
        "LABEL    RUNNER     STATUS   BUSY\n"
        "gpu      org-gpu    online   no\n"  # GitHub compares labels case-insensitively
        "publish  publish-1  offline  no\n"
        "publish  publish-2  online   no\n"
        "ok: all 2 labels are served by an online runner\n"
    ))


def test_a_next_page_on_another_host_is_not_followed(relane, forge, monkeypatch, git_env):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    forge.on("GET", "/repos/acme/widgets/actions/runners", Answer(
        200, {"total_count": 2, "runners": []},
        {"Link": '<https://elsewhere.example/steal?page=2>; rel="next"'},
    ))
    r = relane("guard", "--label", "publish", "--forge", "github", "--api-url", forge.url, "--repo", "acme/widgets")
    assert (r.code, r.err) == (
        2, "relane: error: github: the next page is on another host (https://elsewhere.example); not followed\n"
    )


def test_gitea_pages_by_number_and_total_count(relane, workrepo, forge, monkeypatch):
    root = workrepo({"ship.yml": "on: push\njobs:\n  a:\n    runs-on: publish\n  b:\n    runs-on: ubuntu-latest\n"},
                    folder=".gitea/workflows")
    monkeypatch.setenv("GITEA_TOKEN", TOKEN)
    runners = [
        gitea_runner(1, "old", ["ubuntu-latest:docker://node:20-bookworm"]),
        gitea_runner(2, "publish-1", ["publish"], disabled=True),
        gitea_runner(3, "publish-2", ["publish:host"], busy=True),
        gitea_runner(4, "Publish-3", ["Publish"]),
    ]

    def listing(request):  # a server whose pages hold two runners, whatever the limit
        page = int(request.query["page"])
        return Answer(200, {"runners": runners[(page - 1) * 2:page * 2], "total_count": len(runners)})

    forge.on("GET", "/api/v1/repos/acme/widgets/actions/runners", listing)

    r = relane("guard", "--from-workflows", str(root), "--hosted-labels", "--forge", "gitea",
               "--api-url", f"{forge.url}/api/v1")

    assert forge.lines() == [
        "GET /api/v1/repos/acme/widgets/actions/runners?limit=50&page=1",
        "GET /api/v1/repos/acme/widgets/actions/runners?limit=50&page=2",
    ]
    assert {r.headers["authorization"] for r in forge.requests} == {f"token {TOKEN}"}
    # Gitea compares labels exactly (Publish-3 does not serve publish); disabled runners never count.
    assert (r.code, r.out) == (0, (
        "LABEL          RUNNER     STATUS    BUSY\n"
        "publish        publish-1  disabled  no\n"
        "publish        publish-2  online    yes\n"
        "ubuntu-latest  old        online    no\n"
        "ok: all 2 labels are served by an online runner\n"
    ))


def test_forgejo_array_shape_visible_runners_and_instance_scope(relane, workrepo, forge, monkeypatch):
    root = workrepo({"ship.yml": "on: push\njobs:\n  a:\n    runs-on: [docker, publish]\n"},
                    folder=".forgejo/workflows")
    monkeypatch.setenv("FORGEJO_TOKEN", TOKEN)
    forge.on("GET", "/api/v1/repos/acme/widgets/actions/runners", Answer(
        200, [forgejo_runner(1, "lane-1", ["docker", "publish"], status="offline")], {"X-Total-Count": "1"}))
    forge.on("GET", "/api/v1/admin/actions/runners", Answer(
        200, [forgejo_runner(2, "lane-2", ["docker", "publish"], status="active"),
              forgejo_runner(3, "builder", ["docker"], status="idle")], {"X-Total-Count": "2"}))

    r = relane("guard", "--from-workflows", str(root), "--forge", "forgejo", "--api-url", f"{forge.url}/api/v1",
               "--scope", "repo", "--scope", "instance")

    assert forge.lines() == [
        "GET /api/v1/repos/acme/widgets/actions/runners?limit=50&page=1&visible=true",
        "GET /api/v1/admin/actions/runners?limit=50&page=1",
    ]
    assert (r.code, r.out) == (0, (
        "LABEL              RUNNER  STATUS   BUSY\n"
        "[docker, publish]  lane-1  offline  no\n"
        "[docker, publish]  lane-2  online   yes\n"
        "ok: the label is served by an online runner\n"
    ))


def test_github_has_no_instance_scope(relane, forge, monkeypatch, git_env):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    r = relane("guard", "--label", "x", "--scope", "repo", "--scope", "instance", "--forge", "github",
               "--api-url", forge.url, "--repo", "acme/widgets")
    assert (r.code, r.err) == (2, "relane: error: github has no instance scope for runners; use repo or org\n")
    assert forge.requests == []


@pytest.mark.parametrize(
    ("status", "body", "headers", "message"),
    [
        (401, {"message": "Bad credentials"}, {},
         "github: 401 Unauthorized: Bad credentials (GET /repos/acme/widgets/actions/runners); "
         "check GITHUB_TOKEN or GH_TOKEN"),
        (403, {"message": "Must have admin rights to Repository."}, {},
         "github: 403 Forbidden: Must have admin rights to Repository. (GET /repos/acme/widgets/actions/runners)"),
        (403, {"message": "API rate limit exceeded"}, {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "4102444800"},
         "github: rate limit exceeded: API rate limit exceeded; it resets at 2100-01-01 00:00:00 UTC "
         "(GET /repos/acme/widgets/actions/runners)"),
    ],
)
def test_guard_errors_exit_2(relane, forge, monkeypatch, git_env, status, body, headers, message):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    forge.on("GET", "/repos/acme/widgets/actions/runners", Answer(status, body, headers))
    r = relane("guard", "--label", "publish", "--forge", "github", "--api-url", forge.url, "--repo", "acme/widgets")
    assert (r.code, r.out, r.err) == (2, "", f"relane: error: {message}\n")


def test_guard_timeout_exit_2(relane, forge, monkeypatch, git_env):
    monkeypatch.setenv("GITEA_TOKEN", TOKEN)
    forge.on("GET", "/api/v1/repos/acme/widgets/actions/runners", Answer(200, {"runners": []}, delay=1.0))
    r = relane("guard", "--label", "publish", "--forge", "gitea", "--api-url", f"{forge.url}/api/v1",
               "--repo", "acme/widgets", "--timeout", "0.2")
    assert (r.code, r.err) == (
        2, f"relane: error: gitea: no answer from {forge.url} within 0.2 s (GET /api/v1/repos/acme/widgets/actions/runners)\n"
    )


def test_guard_from_the_git_remote(relane, workrepo, forge, monkeypatch):
    root = workrepo({"ship.yml": "on: push\njobs:\n  a:\n    runs-on: publish\n"})
    monkeypatch.setenv("GITEA_TOKEN", TOKEN)
    monkeypatch.chdir(root)
    forge.on("GET", "/api/v1/repos/acme/widgets/actions/runners",
             Answer(200, {"runners": [gitea_runner(1, "p", ["publish"])], "total_count": 1}))
    # owner and name come from origin (tmp/remote/acme/widgets.git); the API root is given.
    r = relane("guard", "--from-workflows", "--forge", "gitea", "--api-url", f"{forge.url}/api/v1")
    assert r.code == 0, r.err
    assert r.out.splitlines()[-1] == "ok: the label is served by an online runner"


@pytest.mark.parametrize("source", ["network", "runners-json"])
def test_a_forge_told_by_the_remote_has_no_hosted_runners(relane, workrepo, forge, monkeypatch, tmp_path, source):
    """A gitea host in the remote, no --forge: ubuntu-latest in .github/workflows is a label
    someone's runner must advertise, as with --forge gitea."""
    root = workrepo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"})
    git_cmd(root, "remote", "set-url", "origin", "https://gitea.example.com/acme/widgets.git")
    monkeypatch.setenv("GITEA_TOKEN", TOKEN)
    monkeypatch.chdir(root)
    forge.on("GET", "/api/v1/repos/acme/widgets/actions/runners",
             Answer(200, {"runners": [gitea_runner(1, "p", ["publish"])], "total_count": 1}))
    listing = tmp_path / "runners.json"
    listing.write_text(json.dumps({"runners": [gitea_runner(1, "p", ["publish"])], "total_count": 1}))
    where = ["--api-url", f"{forge.url}/api/v1"] if source == "network" else ["--runners-json", str(listing)]

    r = relane("guard", "--from-workflows", *where)

    assert (r.code, r.out, r.err) == (1, (
        "LABEL          RUNNER  STATUS  BUSY\n"
        "ubuntu-latest  -       -       -\n"
        "missing: 1 of 1 label has no online runner: ubuntu-latest\n"
    ), "")
    assert len(forge.requests) == (source == "network")


def test_runners_json_both_shapes_without_network(relane, tmp_path, git_env):
    github = tmp_path / "github.json"
    github.write_text(json.dumps({"total_count": 1, "runners": [gh_runner(1, "p1", ["self-hosted", "publish"])]}))
    forgejo = tmp_path / "forgejo.json"
    forgejo.write_text(json.dumps([forgejo_runner(2, "g1", ["gpu", "linux"], status="offline")]))

    r = relane("guard", "--label", "publish", "--label", "gpu,linux", "--runners-json", str(github),
               "--runners-json", str(forgejo))

    assert (r.code, r.out) == (1, (
        "LABEL         RUNNER  STATUS   BUSY\n"
        "[gpu, linux]  g1      offline  no\n"
        "publish       p1      online   no\n"
        "missing: 1 of 2 labels has no online runner: [gpu, linux] "
        "(offline runners only for [gpu, linux]; --allow-offline counts them)\n"
    ))
    r = relane("guard", "--label", "publish", "--label", "gpu,linux", "--allow-offline",
               "--runners-json", str(github), "--runners-json", str(forgejo))
    assert (r.code, r.out.splitlines()[-1]) == (0, "ok: all 2 labels are served by a runner")


GUESSED_GITHUB = (
    "note: took the runner listing for GitHub's (by its shape): labels match in any case; "
    "pass --forge if it is another forge's\n"
)


def test_runners_json_tells_github_by_its_shape(relane, workrepo, tmp_path, monkeypatch):
    """No --forge and a remote that names no forge (a GitHub Enterprise host): a listing
    shaped like GitHub's answer is matched as GitHub matches labels, in any case."""
    root = workrepo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: [self-hosted, linux, x64]\n"
                             "  b:\n    runs-on: macos-latest\n"})
    git_cmd(root, "remote", "set-url", "origin", "https://git.corp.example/acme/widgets.git")
    monkeypatch.chdir(root)
    listing = tmp_path / "runners.json"
    runner = gh_runner(1, "r1", ["self-hosted", "Linux", "X64"])
    for label in runner["labels"]:
        label["type"] = "read-only"  # GitHub's default labels
    listing.write_text(json.dumps({"total_count": 1, "runners": [runner]}))

    r = relane("guard", "--from-workflows", "--runners-json", str(listing))

    assert (r.code, r.out, r.err) == (0, (
        "LABEL                      RUNNER  STATUS  BUSY\n"
        "[self-hosted, linux, x64]  r1      online  no\n"
        "ok: the label is served by an online runner\n"
    ), GUESSED_GITHUB + "not checked: 1 job (1 hosted)\n")

    # Said outright, the forge is not guessed.
    r = relane("guard", "--from-workflows", "--runners-json", str(listing), "--forge", "github", "-q")
    assert (r.code, r.err) == (0, "")
    r = relane("guard", "--from-workflows", "--runners-json", str(listing), "--forge", "gitea", "-q")
    assert (r.code, r.out.splitlines()[-1]) == (
        1, "missing: 2 of 2 labels have no online runner: macos-latest, [self-hosted, linux, x64]"
    )
    assert r.err == ""


def test_runners_json_tells_gitea_and_forgejo_by_their_shape(relane, tmp_path, monkeypatch, git_env):
    monkeypatch.chdir(tmp_path)  # not a git repository: no remote to tell the forge
    _tree(tmp_path, {".github/workflows/a.yml": "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"})
    forgejo = tmp_path / "forgejo.json"
    forgejo.write_text(json.dumps([forgejo_runner(1, "r1", ["Ubuntu-latest"])]))
    gitea = tmp_path / "gitea.json"
    gitea.write_text(json.dumps({"runners": [gitea_runner(1, "r1", ["Ubuntu-latest"])], "total_count": 1}))

    for listing, name in ((forgejo, "Forgejo"), (gitea, "Gitea")):
        r = relane("guard", "--from-workflows", "--runners-json", str(listing))
        # No hosted runners there, and labels compared exactly: Ubuntu-latest is not ubuntu-latest.
        assert (r.code, r.out.splitlines()[-1], r.err) == (
            1, "missing: 1 of 1 label has no online runner: ubuntu-latest",
            f"note: took the runner listing for {name}'s (by its shape): labels match exactly and hosted "
            "labels are checked; pass --forge if it is another forge's\n",
        )


def test_runners_json_of_no_telling_shape_compares_exactly_and_says_so(relane, tmp_path, monkeypatch, git_env):
    monkeypatch.chdir(tmp_path)
    listing = tmp_path / "runners.json"
    listing.write_text(json.dumps({"runners": [
        {"id": 1, "name": "r1", "status": "online", "busy": False,
         "labels": [{"id": 1, "name": "Linux", "type": "custom"}]},
    ]}))

    r = relane("guard", "--label", "linux", "--runners-json", str(listing))

    assert (r.code, r.err) == (1, (
        "note: cannot tell the forge from a git remote or the runner listing: labels match exactly, "
        "as on Gitea and Forgejo; pass --forge github if the listing is GitHub's\n"
    ))


def test_runners_json_errors(relane, tmp_path, git_env):
    bad = tmp_path / "bad.json"
    bad.write_text('{"runners": [\n  {"name": "x",}\n]}')
    r = relane("guard", "--label", "publish", "--runners-json", str(bad))
    # Where and how the json module words it changes between Python versions
    # (3.13 points at the trailing comma itself); relane passes it on as it is.
    with pytest.raises(json.JSONDecodeError) as found:
        json.loads(bad.read_text())
    said = found.value
    assert (r.code, r.err) == (2, f"relane: error: {bad}:{said.lineno}:{said.colno}: not JSON: {said.msg}\n")
    assert said.lineno == 2 and said.colno in (15, 16)
    shape = tmp_path / "shape.json"
    shape.write_text('{"items": []}')
    r = relane("guard", "--label", "publish", "--runners-json", str(shape))
    assert (r.code, r.err) == (
        2, f'relane: error: {shape}: not a runner listing: expected {{"runners": [...]}} or a JSON array\n'
    )
    r = relane("guard", "--label", "publish", "--runners-json", str(tmp_path / "none.json"))
    assert (r.code, r.err) == (2, f"relane: error: {tmp_path / 'none.json'}: no such file\n")


def test_ignore_labels_and_nothing_to_check(relane, workrepo, git_env):
    root = workrepo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: [self-hosted, scratch-1]\n  b:\n    runs-on: macos-14\n"})
    r = relane("guard", "--from-workflows", str(root), "--ignore-label", "scratch-*", "--ignore-label", "self-hosted")
    assert (r.code, r.out, r.err) == (
        0,
        "nothing to check: no self-hosted runner labels\n",
        "not checked: 2 jobs (1 hosted, 1 ignored)\n",
    )


def test_guard_needs_labels(relane, git_env):
    r = relane("guard")
    assert (r.code, r.err) == (2, "relane: error: give --label LABEL or --from-workflows [PATH]\n")
    r = relane("guard", "--label", "a,,b")
    assert (r.code, r.err) == (2, "relane: error: empty runner label in 'a,,b'\n")


def test_guard_without_token(relane, forge, git_env):
    r = relane("guard", "--label", "x", "--forge", "gitea", "--api-url", forge.url, "--repo", "acme/widgets")
    assert (r.code, r.err) == (2, "relane: error: no gitea token: set GITEA_TOKEN or FORGEJO_TOKEN\n")


def test_label_matching_rules():
    runner = Runner("r", "online", False, ("self-hosted", "Linux", "ubuntu-22.04:docker://node:20"))
    assert has_labels(runner, ["self-hosted", "ubuntu-22.04"])
    assert not has_labels(runner, ["linux"])
    assert has_labels(runner, ["linux", "SELF-HOSTED"], case_sensitive=False)
    assert requirements_from_labels(["b", "a,b", "b,a", "b"])[0].labels == ("a", "b")
    assert [r.labels for r in requirements_from_labels(["b", "a,b", "b,a"])] == [("a", "b"), ("b",)]


def test_parse_runners_statuses():
    runners = parse_runners([
        forgejo_runner(1, "idle", ["x"], status="idle"),
        forgejo_runner(2, "active", ["x"], status="active"),
        forgejo_runner(3, "off", ["x"], status="offline"),
    ])
    assert [(r.name, r.online, r.busy, r.shown_status) for r in runners] == [
        ("idle", True, False, "online"),
        ("active", True, True, "online"),
        ("off", False, False, "offline"),
    ]


def _tree(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_only_jobs_on_github_hosted_runners_are_left_out(relane, tmp_path, monkeypatch):
    """A hosted-looking label is left out only when the job runs on GitHub's
    hosted runners: a .github job whose labels are all standard hosted ones.
    Custom labels that merely start like one, a hosted label beside others,
    and any label of a Gitea or Forgejo workflow need a runner."""
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, {
        ".github/workflows/a.yml": (
            "on: push\njobs:\n"
            "  hosted:\n    runs-on: ubuntu-24.04-arm\n"
            "  hosted-list:\n    runs-on: [macos-14]\n"
            "  gpu:\n    runs-on: ubuntu-gpu-a100\n"
            "  farm:\n    runs-on: [windows-buildfarm]\n"
            "  mixed:\n    runs-on: [self-hosted, ubuntu-22.04]\n"
        ),
        ".gitea/workflows/b.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n",
    })
    empty = tmp_path / "runners.json"
    empty.write_text('{"total_count": 0, "runners": []}')

    r = relane("guard", "--from-workflows", "--runners-json", str(empty), "--format", "json")

    assert r.code == 1
    doc = json.loads(r.out)
    assert [(c["labels"], c["jobs"]) for c in doc["labels"]] == [
        (["self-hosted", "ubuntu-22.04"], [".github/workflows/a.yml:mixed"]),
        (["ubuntu-gpu-a100"], [".github/workflows/a.yml:gpu"]),
        (["ubuntu-latest"], [".gitea/workflows/b.yml:build"]),
        (["windows-buildfarm"], [".github/workflows/a.yml:farm"]),
    ]
    assert {(s["job"], s["code"]) for s in doc["not_checked"]} == {("hosted", "hosted"), ("hosted-list", "hosted")}

    # Gitea and Forgejo read .github/workflows too, and have no hosted runners.
    r = relane("guard", "--from-workflows", "--runners-json", str(empty), "--forge", "forgejo", "--format", "json")
    doc = json.loads(r.out)
    assert ["macos-14"] in [c["labels"] for c in doc["labels"]]
    assert ["ubuntu-24.04-arm"] in [c["labels"] for c in doc["labels"]]
    assert doc["not_checked"] == []


def test_hosted_labels_in_any_case_are_left_out_on_github(relane, tmp_path, monkeypatch):
    """GitHub compares labels case-insensitively: macOS-latest runs on its hosted runners."""
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, {".github/workflows/a.yml": (
        "on: push\njobs:\n  mac:\n    runs-on: macOS-latest\n  win:\n    runs-on: [Windows-2022]\n"
    )})
    empty = tmp_path / "runners.json"
    empty.write_text('{"total_count": 0, "runners": []}')

    r = relane("guard", "--from-workflows", "--runners-json", str(empty), "--forge", "github")

    assert (r.code, r.out, r.err) == (
        0, "nothing to check: no self-hosted runner labels\n", "not checked: 2 jobs (2 hosted)\n"
    )


def test_a_label_given_and_found_in_the_workflows_keeps_its_jobs(relane, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _tree(tmp_path, {".github/workflows/a.yml": "on: push\njobs:\n  ship:\n    runs-on: [linux, publish]\n"})
    listing = tmp_path / "runners.json"
    listing.write_text(json.dumps({"runners": [gh_runner(1, "p1", ["publish", "linux"])]}))

    r = relane("guard", "--label", "publish,linux", "--label", "gpu", "--from-workflows",
               "--runners-json", str(listing), "--format", "json")

    doc = json.loads(r.out)
    assert [(c["labels"], c["jobs"]) for c in doc["labels"]] == [
        (["gpu"], []),
        (["publish", "linux"], [".github/workflows/a.yml:ship"]),
    ]
    assert r.code == 1


@pytest.mark.parametrize("pages", [3, 4])
def test_github_listing_of_exactly_the_page_bound_is_read_whole(relane, forge, monkeypatch, git_env, pages):
    """relane reads at most MAX_PAGES pages (here lowered to 3): a listing of
    exactly that many is complete; one more page is refused."""
    import relane.deliver.forge.http as http

    monkeypatch.setattr(http, "MAX_PAGES", 3)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)

    def runners(request):
        page = int(request.query.get("page", "1"))
        headers = {}
        if page < pages:
            headers["Link"] = f'<{forge.url}/repos/acme/widgets/actions/runners?per_page=100&page={page + 1}>; rel="next"'
        return Answer(200, {"total_count": pages, "runners": [gh_runner(page, f"r{page}", ["publish"])]}, headers)

    forge.on("GET", "/repos/acme/widgets/actions/runners", runners)
    r = relane("guard", "--label", "publish", "--forge", "github", "--api-url", forge.url, "--repo", "acme/widgets")

    if pages == 3:
        assert r.code == 0, r.err
        assert [line.split()[1] for line in r.out.splitlines()[1:-1]] == ["r1", "r2", "r3"]
    else:
        assert (r.code, r.err) == (
            2, "relane: error: github: more than 3 pages at /repos/acme/widgets/actions/runners; stopped\n"
        )
    assert len(forge.requests) == 3


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("ssh://deploy:Sup3rPassw0rd@git.corp.net/o/r.git", "ssh://***@git.corp.net/o/r.git"),
        ("https://deploy:Sup3r@Passw0rd@git.corp.net/o/r.git", "https://***@git.corp.net/o/r.git"),
        ("https://deploy:Sup3r/Passw0rd@git.corp.net/o/r.git", "https://***@git.corp.net/o/r.git"),
    ],
)
def test_a_password_in_the_remote_url_is_never_shown(relane, workrepo, monkeypatch, url, shown):
    root = workrepo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: x\n"})
    git(root, "remote", "set-url", "origin", url)
    monkeypatch.chdir(root)
    r = relane("guard", "--label", "x")
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        f"relane: error: cannot tell which forge serves remote 'origin' ({shown}); "
        "pass --forge github, gitea or forgejo\n"
    )


def test_a_password_with_a_slash_on_a_known_host_reads_as_the_repository(relane, workrepo, monkeypatch):
    root = workrepo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: x\n"})
    git(root, "remote", "set-url", "origin", "https://deploy:Sup3r/Passw0rd@github.com/o/r.git")
    monkeypatch.chdir(root)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.delenv("GH_TOKEN", raising=False)
    r = relane("guard", "--label", "x")
    assert (r.code, r.err) == (2, "relane: error: no github token: set GITHUB_TOKEN or GH_TOKEN\n")


@pytest.mark.parametrize(
    "url", ["https://u:Sup3r/Passw0rd@github.com/o/r.git", "https://github.com:99999/o/r.git", "https://[::1/o/r.git"]
)
def test_a_remote_url_that_cannot_be_read_is_a_usage_error(url):
    from relane.errors import UsageError
    from relane.deliver.forge import ForgeRepo, locate

    with pytest.raises(UsageError) as raised:
        locate(url)
    assert "Sup3r" not in str(raised.value) and "Passw0rd" not in str(raised.value)
    assert str(raised.value).startswith("cannot read the URL of remote 'origin' (")
    assert str(raised.value).endswith("); pass --forge, --api-url and --repo")
    # Not needed when the options say it all.
    assert locate(url, forge="github", api_url="http://127.0.0.1:1", repo="o/r") == ForgeRepo(
        "github", "http://127.0.0.1:1", "o", "r"
    )


@pytest.mark.parametrize("repo", ["../admin", "o/r?x=1", "o/r#x", "o/..", "./r", "o/%2e%2e", "o/r name", "o/r\\x", "o/r\u00e9"])
def test_a_repo_name_that_would_change_the_api_path_is_refused(relane, forge, monkeypatch, git_env, repo):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    r = relane("guard", "--label", "x", "--repo", repo, "--forge", "github", "--api-url", forge.url)
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith(f"relane: error: --repo {repo!r} is not OWNER/NAME"), r.err
    assert r.err.count("\n") == 1
    assert forge.requests == []


def test_a_local_path_remote_above_the_repository_names_no_owner(relane, workrepo, forge, monkeypatch):
    root = workrepo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: x\n"})
    git(root, "remote", "set-url", "origin", "../p1.git")
    monkeypatch.chdir(root)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    r = relane("guard", "--label", "x", "--forge", "github", "--api-url", forge.url)
    assert (r.code, r.err) == (
        2, "relane: error: cannot tell the repository's owner and name from remote 'origin' (../p1.git); "
        "pass --repo OWNER/NAME\n",
    )
    assert forge.requests == []


def test_names_are_percent_encoded_in_api_paths(forge):
    """locate refuses such names; a ForgeRepo made otherwise still cannot
    steer a request to another path."""
    from relane.deliver.forge import ForgeRepo, connect
    from relane.deliver.forge.http import ForgeError

    with connect(ForgeRepo("github", forge.url, "..", "admin?x=1"), None) as client:
        for scope in ("repo", "org"):
            with pytest.raises(ForgeError):
                client.list_runners(scope)
    assert [(q.path, q.query) for q in forge.requests] == [
        ("/repos/%2E%2E/admin%3Fx%3D1/actions/runners", {"per_page": "100"}),
        ("/orgs/%2E%2E/actions/runners", {"per_page": "100"}),
        ("/users/%2E%2E", {}),  # whose the name is, after the org's 404
    ]


def test_github_org_scope_on_a_user_owned_repository_has_no_runners(relane, forge, monkeypatch, git_env):
    """The README's CI job (--scope org --scope repo) on a repository a user owns."""
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    forge.on("GET", "/repos/alice/widgets/actions/runners",
             Answer(200, {"total_count": 1, "runners": [gh_runner(1, "p", ["publish"])]}))
    forge.on("GET", "/users/alice", Answer(200, {"login": "alice", "id": 7, "type": "User"}))
    r = relane("guard", "--label", "publish", "--scope", "org", "--scope", "repo", "--forge", "github",
               "--api-url", forge.url, "--repo", "alice/widgets")
    assert forge.lines() == [
        "GET /orgs/alice/actions/runners?per_page=100",
        "GET /users/alice",
        "GET /repos/alice/widgets/actions/runners?per_page=100",
    ]
    assert (r.code, r.err) == (0, "note: alice is a user account, not an organisation: no organisation runners\n")
    assert r.out.splitlines()[-1] == "ok: the label is served by an online runner"


@pytest.mark.parametrize(
    "user",
    [Answer(200, {"login": "acme", "type": "Organization"}), Answer(404, {"message": "Not Found"}),
     Answer(200, ["not", "an", "account"]), Answer(500, {"message": "boom"})],
    ids=["organisation", "no-such-account", "odd-answer", "server-error"],
)
def test_github_org_scope_404_stays_an_error_unless_the_owner_is_a_user(relane, forge, monkeypatch, git_env, user):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    forge.on("GET", "/users/acme", user)
    r = relane("guard", "--label", "publish", "--scope", "org", "--forge", "github",
               "--api-url", forge.url, "--repo", "acme/widgets")
    assert (r.code, r.out, r.err) == (
        2, "", "relane: error: github: 404 Not Found: Not Found (GET /orgs/acme/actions/runners)\n"
    )
    assert forge.lines() == ["GET /orgs/acme/actions/runners?per_page=100", "GET /users/acme"]


def test_github_org_scope_other_errors_do_not_ask_whose_the_name_is(relane, forge, monkeypatch, git_env):
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    forge.on("GET", "/orgs/acme/actions/runners", Answer(403, {"message": "Must be an org admin"}))
    forge.on("GET", "/users/acme", Answer(200, {"type": "User"}))
    r = relane("guard", "--label", "publish", "--scope", "org", "--forge", "github",
               "--api-url", forge.url, "--repo", "acme/widgets")
    assert (r.code, r.err) == (
        2, "relane: error: github: 403 Forbidden: Must be an org admin (GET /orgs/acme/actions/runners)\n"
    )
    assert forge.lines() == ["GET /orgs/acme/actions/runners?per_page=100"]


def _dripped_listing(body_bytes: int) -> bytes:
    doc = json.dumps({"runners": [], "total_count": 0}).encode()
    return doc + b" " * (body_bytes - len(doc))


@pytest.mark.parametrize("drip_head", [False, True], ids=["body", "headers-and-body"])
def test_guard_timeout_bounds_the_whole_answer_not_each_read(relane, forge, monkeypatch, git_env, drip_head):
    """A forge that trickles its answer, a byte every 0.25 s, each byte well
    within --timeout: the request as a whole still ends at --timeout."""
    import time

    monkeypatch.setenv("GITEA_TOKEN", TOKEN)
    forge.on("GET", "/api/v1/repos/acme/widgets/actions/runners",
             Answer(200, raw=_dripped_listing(40), drip=0.25, drip_head=drip_head))
    start = time.monotonic()
    r = relane("guard", "--label", "publish", "--forge", "gitea", "--api-url", f"{forge.url}/api/v1",
               "--repo", "acme/widgets", "--timeout", "1")
    took = time.monotonic() - start
    assert (r.code, r.out, r.err) == (
        2, "", f"relane: error: gitea: no answer from {forge.url} within 1 s (GET /api/v1/repos/acme/widgets/actions/runners)\n"
    )
    assert took < 2.5, took  # a byte at a time, the whole answer takes 10 s or more


def test_guard_timeout_bounds_a_request_on_a_kept_alive_connection(relane, forge, monkeypatch, git_env):
    """The second page comes over the connection the first opened."""
    import time

    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)

    def runners(request):
        if request.query.get("page") == "2":
            return Answer(200, raw=_dripped_listing(40), drip=0.25)
        return Answer(200, {"total_count": 2, "runners": [gh_runner(1, "a", ["publish"])]},
                      {"Link": f'<{forge.url}/repos/acme/widgets/actions/runners?per_page=100&page=2>; rel="next"'})

    forge.on("GET", "/repos/acme/widgets/actions/runners", runners)
    start = time.monotonic()
    r = relane("guard", "--label", "publish", "--forge", "github", "--api-url", forge.url,
               "--repo", "acme/widgets", "--timeout", "1")
    took = time.monotonic() - start
    assert (r.code, r.err) == (
        2, f"relane: error: github: no answer from {forge.url} within 1 s (GET /repos/acme/widgets/actions/runners)\n"
    )
    assert len(forge.requests) == 2
    assert took < 2.5, took


def test_a_slow_but_whole_answer_within_the_timeout_is_read(relane, forge, monkeypatch, git_env):
    monkeypatch.setenv("GITEA_TOKEN", TOKEN)
    forge.on("GET", "/api/v1/repos/acme/widgets/actions/runners",
             Answer(200, raw=_dripped_listing(8 + len(json.dumps({"runners": [], "total_count": 0}))), drip=0.02))
    r = relane("guard", "--label", "publish", "--forge", "gitea", "--api-url", f"{forge.url}/api/v1",
               "--repo", "acme/widgets", "--timeout", "5")
    assert r.code == 1, r.err  # read whole: no runner serves the label


def _guard_saved(relane, root, forge, files, runners):
    """relane guard --from-workflows over ``files``, against a saved listing of ``runners``."""
    _tree(root, files)
    listing = root / f"{forge}.json"
    listing.write_text(json.dumps({"total_count": len(runners), "runners": runners}))
    return relane("guard", "--from-workflows", "--runners-json", str(listing), "--forge", forge)


def test_from_workflows_checks_the_labels_a_matrix_gives(relane, tmp_path, monkeypatch, git_env):
    monkeypatch.chdir(tmp_path)
    r = _guard_saved(relane, tmp_path, "gitea", {".gitea/workflows/a.yml": "on: push\njobs:\n  a:\n    strategy:\n      matrix:\n"
                     "        os: [lane-a, [lane-b, arm64]]\n        include:\n          - os: lane-c\n"
                     "    runs-on: ${{ matrix.os }}\n"}, [gitea_runner(1, "r1", ["lane-a", "lane-b", "arm64"])])
    assert r.code == 1
    assert r.out.splitlines()[-1] == "missing: 1 of 3 labels has no online runner: lane-c"


def test_from_workflows_checks_a_runs_on_a_merge_key_brings(relane, tmp_path, monkeypatch, git_env):
    # A runs-on from a << merge key is static labels all the same (ls shows
    # them): the guard left the job out, found nothing to check and passed.
    monkeypatch.chdir(tmp_path)
    r = _guard_saved(relane, tmp_path, "github", {".github/workflows/a.yml": "on: push\nx-defaults: &defaults\n"
                     "  runs-on: [self-hosted, lane-x]\njobs:\n  build:\n    <<: *defaults\n    steps: [{run: make}]\n"
                     "  hosted:\n    <<: {runs-on: ubuntu-latest}\n"}, [gh_runner(1, "r1", ["self-hosted", "lane-y"])])
    assert r.code == 1
    assert r.out.splitlines()[-1] == "missing: 1 of 1 label has no online runner: [self-hosted, lane-x]"
    assert r.err == "not checked: 1 job (1 hosted)\n"


def test_a_matrix_job_is_counted_once_among_the_jobs_not_checked(relane, tmp_path, monkeypatch, git_env):
    # One job whose matrix gives three hosted labels and one ignored was
    # said to be "4 jobs (3 hosted, 1 ignored)", and listed three times in JSON.
    monkeypatch.chdir(tmp_path)
    matrix = "[ubuntu-latest, windows-latest, macos-latest, lane-z, lane-old]"
    files = {".github/workflows/a.yml": f"on: push\njobs:\n  t:\n    strategy:\n      matrix:\n        os: {matrix}\n"
             "    runs-on: ${{ matrix.os }}\n  u:\n    runs-on: ubuntu-latest\n"}
    r = _guard_saved(relane, tmp_path, "github", files, [gh_runner(1, "r1", ["self-hosted", "lane-z"])])
    assert (r.code, r.err) == (1, "not checked: 2 jobs (2 hosted)\n")
    r = relane("guard", "--from-workflows", "--runners-json", str(tmp_path / "github.json"), "--forge", "github",
               "--ignore-label", "lane-old", "--format", "json")
    assert r.code == 0
    assert r.err == "not checked: 2 jobs (2 hosted, 1 ignored)\n"
    assert [(s["job"], s["code"]) for s in json.loads(r.out)["not_checked"]] == [("t", "hosted"), ("t", "ignored"), ("u", "hosted")]


def test_a_runs_on_alias_too_large_to_expand_is_not_called_a_runner_group(relane, tmp_path, monkeypatch, git_env):
    # The unexpanded alias reads as {"alias": ..., "expanded": false}, and
    # the guard took that mapping for a runner group without labels.
    monkeypatch.chdir(tmp_path)
    nested = "x: &a [lane-a, lane-b]\ny: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nz: &c [*b, *b, *b, *b, *b, *b, *b, *b]\n"
    files = {".github/workflows/a.yml": f"on: push\n{nested}jobs:\n  a:\n    runs-on: *c\n"}
    r = _guard_saved(relane, tmp_path, "github", files, [gh_runner(1, "r1", ["self-hosted", "lane-a"])])
    assert (r.code, r.err) == (0, "not checked: 1 job (1 unsupported)\n")
    r = relane("guard", "--from-workflows", "--runners-json", str(tmp_path / "github.json"), "--format", "json")
    assert json.loads(r.out)["not_checked"] == [{
        "workflow": ".github/workflows/a.yml", "job": "a", "code": "unsupported",
        "reason": "runs-on is the YAML alias *c, too large to expand; not read"}]


# -- the library: what `relane guard` does, for a Python caller ------------------------


def test_run_guard_lists_runners_from_the_forge(workrepo, forge, monkeypatch):
    from relane.guard import GuardResult, run_guard
    from relane.render.guard import render_text

    root = workrepo(WORKFLOWS)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    forge.on("GET", "/repos/acme/widgets/actions/runners", Answer(200, {"total_count": 1, "runners": [
        gh_runner(1, "publish-1", ["self-hosted", "Linux", "X64", "publish"]),
    ]}))
    said: list[str] = []

    result = run_guard(["extra"], root, forge="github", api_url=forge.url, report=said.append)

    assert isinstance(result, GuardResult)
    assert (result.served, result.exit_code) == (False, 1)
    assert [(c.requirement.labels, c.requirement.jobs, [r.name for r in c.runners], c.served) for c in result.checks] == [
        (("extra",), (), [], False),
        (("publish",), (".github/workflows/ship.yml:build",), ["publish-1"], True),
        (("self-hosted", "linux", "gpu"), (".github/workflows/ship.yml:deploy",), [], False),
    ]
    assert sorted((s.job, s.code) for s in result.skipped) == [
        ("matrix", "expression"), ("reuse", "reusable"), ("test", "hosted"), ("win", "hosted"),
    ]
    assert said == []
    assert forge.lines() == ["GET /repos/acme/widgets/actions/runners?per_page=100"]
    assert render_text(result).splitlines()[-1] == (
        "missing: 2 of 3 labels have no online runner: extra, [self-hosted, linux, gpu]"
    )


def test_run_guard_reads_saved_listings_and_reports_what_it_assumed(workrepo, tmp_path, monkeypatch):
    from relane.guard import run_guard

    root = workrepo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: [self-hosted, linux, x64]\n"})
    git_cmd(root, "remote", "set-url", "origin", "https://git.corp.example/acme/widgets.git")
    listing = tmp_path / "runners.json"
    runner = gh_runner(1, "r1", ["self-hosted", "Linux", "X64"])
    for label in runner["labels"]:
        label["type"] = "read-only"
    listing.write_text(json.dumps({"total_count": 1, "runners": [runner]}))
    said: list[str] = []

    result = run_guard(workflows=root, runners_json=[listing], report=said.append)

    # Taken for GitHub's listing by its shape: labels match in any case.
    assert (result.served, [c.requirement.shown for c in result.checks]) == (True, ["[self-hosted, linux, x64]"])
    assert said == [GUESSED_GITHUB.rstrip("\n")]
    # Told the forge, nothing is assumed (and Gitea matches labels exactly).
    said.clear()
    result = run_guard(workflows=root, runners_json=[listing], forge="gitea", report=said.append)
    assert (result.served, said) == (False, [])


def test_guard_package_api():
    import relane.guard as guard

    assert {"Runner", "Requirement", "GuardResult", "check", "parse_runners", "requirements_from_labels",
            "requirements_from_workflows", "run_guard", "list_runners"} <= set(guard.__all__)
    # The names are the functions, not modules shadowed by them.
    assert callable(guard.check) and guard.check.__module__ == "relane.guard.matching"
    runners = guard.parse_runners([{"name": "r", "status": "idle", "labels": ["gpu:docker://x"]}])
    result = guard.check(guard.requirements_from_labels(["gpu"]), runners)
    assert (result.served, result.checks[0].runners[0].busy) == (True, False)


def test_the_runner_table_lines_up_wide_runner_names(relane, tmp_path, git_env):
    listing = tmp_path / "github.json"
    runners = [gh_runner(1, "构建机", ["self-hosted", "publish"]), gh_runner(2, "p2", ["publish"], status="offline")]
    listing.write_text(json.dumps({"total_count": 2, "runners": runners}))
    r = relane("guard", "--label", "publish", "--runners-json", str(listing))
    assert (r.code, r.out.splitlines()[:3]) == (0, [
        "LABEL    RUNNER  STATUS   BUSY",
        "publish  构建机  online   no",
        "publish  p2      offline  no",
    ])
