"""--open-pr against a real HTTP server on 127.0.0.1 speaking GitHub's and Gitea's API."""

from __future__ import annotations

import pytest

import relane as lib
from relane.deliver.branch import BODY_LIMIT, fit_body, pr_body
from relane.deliver.forge import ForgeError, ForgeRepo, connect, locate
from relane.redact import Secret, scrub

from forgeserver import Answer, closed_port_url, forge  # noqa: F401
from gitrepo import branches, git, git_env, snapshot, workrepo  # noqa: F401

SHIP_ARGS = ("--on", "@ship", "--not-on", "@pr", "--to", "publish")
GH_TOKEN = "ghp_Sup3rSecretT0kenValue"
GITEA_TOKEN = "a1b2c3d4e5f6gitea0token"
REPO = {"id": 1, "full_name": "acme/widgets", "default_branch": "main"}


def github_routes(server, number=7):
    server.on("GET", "/repos/acme/widgets", Answer(200, REPO))
    server.on(
        "POST",
        "/repos/acme/widgets/pulls",
        Answer(201, {"number": number, "html_url": f"https://github.com/acme/widgets/pull/{number}", "draft": True}),
    )
    server.on("POST", f"/repos/acme/widgets/issues/{number}/labels", Answer(200, [{"id": 1, "name": "do-not-merge"}]))
    server.on("POST", f"/repos/acme/widgets/pulls/{number}/requested_reviewers", Answer(201, {"number": number}))


def test_github_pull_request(relane, workrepo, forge, monkeypatch):
    root = workrepo()
    github_routes(forge)
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)
    before = snapshot(root)

    r = relane(
        "retarget", str(root), *SHIP_ARGS, "--branch", "relane/publish", "--push", "--open-pr",
        "--forge", "github", "--api-url", forge.url, "--draft", "--label", "do-not-merge",
        "--reviewer", "alice", "--reviewer", "acme/infra",
    )

    assert r.code == 0, r.err
    assert r.err.splitlines()[-2:] == [
        "pushed relane/publish to origin",
        "opened pull request https://github.com/acme/widgets/pull/7",
    ]
    assert forge.lines() == [
        "GET /repos/acme/widgets",
        "POST /repos/acme/widgets/pulls",
        "POST /repos/acme/widgets/issues/7/labels",
        "POST /repos/acme/widgets/pulls/7/requested_reviewers",
    ]
    for request in forge.requests:
        assert request.headers["authorization"] == f"Bearer {GH_TOKEN}"
        assert request.headers["accept"] == "application/vnd.github+json"
        assert request.headers["x-github-api-version"] == "2022-11-28"
        assert request.headers["user-agent"] == f"relane/{lib.__version__}"
    plan = lib.plan([root], "publish", selector=lib.Selector.build(on=["@ship"], not_on=["@pr"]))
    create, labels, reviewers = (r.body for r in forge.requests[1:])
    assert create == {
        "title": "Move 1 job to runs-on: publish",
        "head": "relane/publish",
        "base": "main",
        "body": pr_body(plan),
        "draft": True,
    }
    assert labels == {"labels": ["do-not-merge"]}
    assert reviewers == {"reviewers": ["alice"], "team_reviewers": ["infra"]}
    assert GH_TOKEN not in r.out + r.err
    assert snapshot(root) == before


def test_pr_body_is_the_markdown_report(workrepo):
    root = workrepo()
    plan = lib.plan(
        [root],
        "publish",
        selector=lib.Selector.build(on=["@ship"], not_on=["@pr"]),
        comments=lib.Comments.build("hard-dependency", ref="internal#1"),
    )
    body = pr_body(plan)
    assert body == lib.markdown.plan_markdown(plan)
    assert "### Merge precondition\n" in body
    assert "`relane guard --label publish` exits 0 only once such a runner is online." in body


def test_pr_body_too_long_for_the_forge_leaves_out_the_diff():
    body = "summary\n\n<details>\n" + "+x\n" * 40_000 + "</details>\n"
    fitted = fit_body(body)
    assert len(fitted) <= BODY_LIMIT
    assert fitted == "summary\n\n\nThe diff is too long for this description; see the commit.\n"
    assert fit_body("short\n") == "short\n"


def gitea_routes(server, prefix="/api/v1"):
    server.on("GET", f"{prefix}/repos/acme/widgets", Answer(200, REPO))

    def labels(request):  # a server whose pages hold two labels, whatever the limit
        page = int(request.query.get("page", "1"))
        all_labels = [{"id": 11, "name": "kind/ci"}, {"id": 12, "name": "area/infra"}, {"id": 13, "name": "hold"}]
        return Answer(200, all_labels[(page - 1) * 2:page * 2], {"X-Total-Count": "3"})

    server.on("GET", f"{prefix}/repos/acme/widgets/labels", labels)
    server.on("GET", f"{prefix}/orgs/acme/labels", Answer(200, [{"id": 21, "name": "do-not-merge"}], {"X-Total-Count": "1"}))
    server.on(
        "POST", f"{prefix}/repos/acme/widgets/pulls",
        Answer(201, {"number": 3, "html_url": "https://git.example.com/acme/widgets/pulls/3"}),
    )
    server.on("POST", f"{prefix}/repos/acme/widgets/pulls/3/requested_reviewers", Answer(201, []))


@pytest.mark.parametrize(("forge_name", "variable"), [("gitea", "GITEA_TOKEN"), ("forgejo", "FORGEJO_TOKEN")])
def test_gitea_pull_request_with_label_ids(relane, workrepo, forge, monkeypatch, forge_name, variable):
    root = workrepo()
    gitea_routes(forge)
    monkeypatch.setenv(variable, GITEA_TOKEN)

    r = relane(
        "retarget", str(root), *SHIP_ARGS, "--branch", "relane/publish", "--push", "--open-pr",
        "--forge", forge_name, "--api-url", f"{forge.url}/api/v1", "--draft", "--title", "ci: publish lane",
        "--label", "hold", "--label", "do-not-merge", "--reviewer", "bob",
    )

    assert r.code == 0, r.err
    assert r.err.splitlines()[-1] == "opened pull request https://git.example.com/acme/widgets/pulls/3"
    assert forge.lines() == [
        "GET /api/v1/repos/acme/widgets",
        "GET /api/v1/repos/acme/widgets/labels?limit=50&page=1",
        "GET /api/v1/repos/acme/widgets/labels?limit=50&page=2",
        "GET /api/v1/orgs/acme/labels?limit=50&page=1",
        "POST /api/v1/repos/acme/widgets/pulls",
        "POST /api/v1/repos/acme/widgets/pulls/3/requested_reviewers",
    ]
    assert {r.headers["authorization"] for r in forge.requests} == {f"token {GITEA_TOKEN}"}
    create = forge.requests[4].body
    assert {k: v for k, v in create.items() if k != "body"} == {
        "head": "relane/publish",
        "base": "main",
        "title": "WIP: ci: publish lane",
        "labels": [13, 21],
    }
    assert create["body"].startswith("1 job in 1 workflow moved to `publish`.\n\n### Moved (1)\n")
    assert forge.requests[5].body == {"reviewers": ["bob"], "team_reviewers": []}
    assert GITEA_TOKEN not in r.out + r.err


def test_unknown_gitea_label_refused_before_anything_is_written(relane, workrepo, forge, monkeypatch):
    root = workrepo()
    gitea_routes(forge)
    forge.on("GET", "/api/v1/orgs/acme/labels", Answer(404, {"message": "GetOrgByName", "url": "x"}))
    monkeypatch.setenv("GITEA_TOKEN", GITEA_TOKEN)

    r = relane(
        "retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "--open-pr",
        "--forge", "gitea", "--api-url", f"{forge.url}/api/v1", "--label", "nope",
    )

    assert (r.code, r.err) == (2, "relane: error: gitea: no label 'nope' in acme/widgets; create it first\n")
    assert branches(root) == ["refs/heads/main"]


def test_pull_request_targets_the_base_branch(relane, workrepo, forge, monkeypatch):
    root = workrepo()
    git(root, "branch", "release")
    git(root, "push", "-q", "origin", "release")
    github_routes(forge)
    monkeypatch.setenv("GH_TOKEN", GH_TOKEN)

    r = relane(
        "retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--base", "origin/release", "--push",
        "--open-pr", "--forge", "github", "--api-url", forge.url,
    )

    assert r.code == 0, r.err
    assert forge.requests[1].body["base"] == "release"
    assert forge.requests[1].body["draft"] is False
    assert [r.path for r in forge.requests] == ["/repos/acme/widgets", "/repos/acme/widgets/pulls"]


def test_detached_base_without_a_branch_is_refused(relane, workrepo, forge, monkeypatch):
    root = workrepo()
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)
    commit = git(root, "rev-parse", "HEAD").strip()
    r = relane(
        "retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--base", commit, "--push", "--open-pr",
        "--forge", "github", "--api-url", forge.url,
    )
    assert (r.code, r.err) == (
        2,
        f"relane: error: cannot tell which branch the pull request should target from base {commit!r}; "
        "pass --base BRANCH\n",
    )
    assert forge.requests == []


def run_pr(relane, root, forge, *extra):
    return relane(
        "retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "--open-pr",
        "--forge", "github", "--api-url", forge.url, *extra,
    )


@pytest.mark.parametrize(
    ("status", "body", "headers", "message"),
    [
        (401, {"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"}, {},
         "github: 401 Unauthorized: Bad credentials (GET /repos/acme/widgets); check GITHUB_TOKEN or GH_TOKEN"),
        (403, {"message": "Resource not accessible by personal access token"}, {},
         "github: 403 Forbidden: Resource not accessible by personal access token (GET /repos/acme/widgets)"),
        (404, {"message": "Not Found"}, {}, "github: 404 Not Found: Not Found (GET /repos/acme/widgets)"),
        (403, {"message": "API rate limit exceeded for user ID 1."},
         {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "4102444800"},
         "github: rate limit exceeded: API rate limit exceeded for user ID 1.; "
         "it resets at 2100-01-01 00:00:00 UTC (GET /repos/acme/widgets)"),
        (429, {"message": "You have exceeded a secondary rate limit."}, {"retry-after": "60"},
         "github: rate limit exceeded: You have exceeded a secondary rate limit.; retry after 60 s "
         "(GET /repos/acme/widgets)"),
        (502, None, {}, "github: 502 Bad Gateway (GET /repos/acme/widgets)"),
    ],
)
def test_errors_before_the_branch_change_nothing(relane, workrepo, forge, monkeypatch, status, body, headers, message):
    root = workrepo()
    forge.on("GET", "/repos/acme/widgets", Answer(status, body, headers))
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)
    before = snapshot(root)

    r = run_pr(relane, root, forge)

    assert (r.code, r.out, r.err) == (2, "", f"relane: error: {message}\n")
    assert branches(root) == ["refs/heads/main"]
    assert snapshot(root) == before


def test_validation_error_after_push_says_what_exists(relane, workrepo, forge, monkeypatch):
    root = workrepo()
    forge.on("GET", "/repos/acme/widgets", Answer(200, REPO))
    forge.on(
        "POST", "/repos/acme/widgets/pulls",
        Answer(422, {
            "message": "Validation Failed",
            "errors": [{"resource": "PullRequest", "code": "custom",
                        "message": "A pull request already exists for acme:lane."}],
            "documentation_url": "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
        }),
    )
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)

    r = run_pr(relane, root, forge)

    assert (r.code, r.err) == (
        2,
        "relane: error: github: 422 Unprocessable Entity: Validation Failed: A pull request already exists "
        "for acme:lane. (POST /repos/acme/widgets/pulls) (branch 'lane' was pushed to origin; "
        "no pull request opened)\n",
    )
    assert branches(root) == ["refs/heads/lane", "refs/heads/main"]


def test_reviewer_error_after_the_pull_request_names_it(relane, workrepo, forge, monkeypatch):
    root = workrepo()
    github_routes(forge)
    forge.on(
        "POST", "/repos/acme/widgets/pulls/7/requested_reviewers",
        Answer(422, {"message": "Reviews may only be requested from collaborators. "
                                "One or more of the users or teams you specified is not a collaborator "
                                "of the acme/widgets repository."}),
    )
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)

    r = run_pr(relane, root, forge, "--reviewer", "mallory")

    assert r.code == 2
    assert r.err == (
        "relane: error: opened https://github.com/acme/widgets/pull/7, but then: github: 422 Unprocessable "
        "Entity: Reviews may only be requested from collaborators. One or more of the users or teams you "
        "specified is not a collaborator of the acme/widgets repository. "
        "(POST /repos/acme/widgets/pulls/7/requested_reviewers)\n"
    )


def test_gitea_conflict_message_is_shown(relane, workrepo, forge, monkeypatch):
    root = workrepo()
    gitea_routes(forge)
    forge.on(
        "POST", "/api/v1/repos/acme/widgets/pulls",
        Answer(409, {"message": "pull request already exists for these targets", "url": "https://x/api/swagger"}),
    )
    monkeypatch.setenv("GITEA_TOKEN", GITEA_TOKEN)

    r = relane(
        "retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "--open-pr",
        "--forge", "gitea", "--api-url", f"{forge.url}/api/v1",
    )

    assert r.err == (
        "relane: error: gitea: 409 Conflict: pull request already exists for these targets "
        "(POST /api/v1/repos/acme/widgets/pulls) (branch 'lane' was pushed to origin; no pull request opened)\n"
    )


def test_timeout_is_one_line(relane, workrepo, forge, monkeypatch):
    root = workrepo()
    forge.on("GET", "/repos/acme/widgets", Answer(200, REPO, delay=1.0))
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)

    r = run_pr(relane, root, forge, "--timeout", "0.2")

    assert (r.code, r.err) == (
        2, f"relane: error: github: no answer from {forge.url} within 0.2 s (GET /repos/acme/widgets)\n"
    )
    assert branches(root) == ["refs/heads/main"]


def test_connection_refused_is_one_line(relane, workrepo, monkeypatch):
    root = workrepo()
    url = closed_port_url()
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)

    r = relane(
        "retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "--open-pr",
        "--forge", "github", "--api-url", url,
    )

    assert r.code == 2
    assert r.err.startswith(f"relane: error: github: cannot reach {url}: ")
    assert r.err.endswith(" (GET /repos/acme/widgets)\n")
    assert r.err.count("\n") == 1


def test_missing_token_refused_before_anything(relane, workrepo, forge):
    root = workrepo()
    r = run_pr(relane, root, forge)
    assert (r.code, r.err) == (2, "relane: error: no github token: set GITHUB_TOKEN or GH_TOKEN\n")
    assert forge.requests == []
    assert branches(root) == ["refs/heads/main"]


def test_a_forge_echoing_the_token_does_not_leak_it(relane, workrepo, forge, monkeypatch):
    root = workrepo()
    forge.on("GET", "/repos/acme/widgets", Answer(401, {"message": f"token {GH_TOKEN} is revoked"}))
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)

    r = run_pr(relane, root, forge)

    assert r.err == (
        "relane: error: github: 401 Unauthorized: token *** is revoked (GET /repos/acme/widgets); "
        "check GITHUB_TOKEN or GH_TOKEN\n"
    )
    assert GH_TOKEN not in r.out + r.err


def test_token_never_in_reprs_or_exception_text(forge):
    secret = Secret("glpat-0123456789abcdef")
    assert str(secret) == "***" and repr(secret) == "Secret('***')"
    forge.on("GET", "/repos/acme/widgets", Answer(403, {"message": "bad glpat-0123456789abcdef"}))
    client = connect(ForgeRepo("github", forge.url, "acme", "widgets"), secret)
    with client, pytest.raises(ForgeError) as info:
        client.check_repo()
    for text in (str(info.value), repr(info.value), repr(client), repr(client.api), repr(vars(client))):
        assert "glpat-0123456789abcdef" not in text
    assert forge.requests[0].headers["authorization"] == "Bearer glpat-0123456789abcdef"
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(secret)


def test_scrub_removes_url_credentials():
    assert scrub("fatal: https://x-access-token:abc@github.com/a/b.git and http://tok@h:3000/x") == (
        "fatal: https://***@github.com/a/b.git and http://***@h:3000/x"
    )
    assert scrub("git@github.com:acme/widgets.git") == "git@github.com:acme/widgets.git"


@pytest.mark.parametrize(
    ("url", "options", "expected"),
    [
        ("https://github.com/acme/widgets.git", {}, ForgeRepo("github", "https://api.github.com", "acme", "widgets")),
        ("git@github.com:acme/widgets.git", {}, ForgeRepo("github", "https://api.github.com", "acme", "widgets")),
        ("https://tok@github.com/acme/widgets", {}, ForgeRepo("github", "https://api.github.com", "acme", "widgets")),
        ("ssh://git@ssh.github.com:443/acme/widgets.git", {},
         ForgeRepo("github", "https://api.github.com", "acme", "widgets")),
        ("https://www.github.com/acme/widgets", {}, ForgeRepo("github", "https://api.github.com", "acme", "widgets")),
        ("https://WWW.GitHub.com./acme/widgets", {}, ForgeRepo("github", "https://api.github.com", "acme", "widgets")),
        ("git@ssh.github.com:acme/widgets.git", {}, ForgeRepo("github", "https://api.github.com", "acme", "widgets")),
        ("https://github.example.com/acme/widgets.git", {},
         ForgeRepo("github", "https://github.example.com/api/v3", "acme", "widgets")),
        ("https://codeberg.org/acme/widgets.git", {}, ForgeRepo("forgejo", "https://codeberg.org/api/v1", "acme", "widgets")),
        ("ssh://git@gitea.example.com:2222/acme/widgets.git", {},
         ForgeRepo("gitea", "https://gitea.example.com/api/v1", "acme", "widgets")),
        ("http://git.internal:3000/scm/acme/widgets.git", {"forge": "gitea"},
         ForgeRepo("gitea", "http://git.internal:3000/scm/api/v1", "acme", "widgets")),
        ("/srv/git/acme/widgets.git", {"forge": "forgejo", "api_url": "https://f.example/api/v1/"},
         ForgeRepo("forgejo", "https://f.example/api/v1", "acme", "widgets")),
        (None, {"forge": "github", "api_url": "https://api.github.com", "repo": "o/r"},
         ForgeRepo("github", "https://api.github.com", "o", "r")),
    ],
)
def test_locate(url, options, expected):
    assert locate(url, **options) == expected


@pytest.mark.parametrize(
    ("url", "options", "message"),
    [
        ("https://git.internal/acme/widgets.git", {},
         "cannot tell which forge serves remote 'origin' (https://git.internal/acme/widgets.git); "
         "pass --forge github, gitea or forgejo"),
        ("https://user:pw@git.internal/acme/widgets.git", {},
         "cannot tell which forge serves remote 'origin' (https://***@git.internal/acme/widgets.git); "
         "pass --forge github, gitea or forgejo"),
        ("widgets.git", {"forge": "gitea"},
         "cannot tell the repository's owner and name from remote 'origin' (widgets.git); "
         "pass --repo OWNER/NAME"),
        ("/srv/git/acme/widgets.git", {"forge": "gitea"},
         "cannot tell the gitea API address from remote 'origin' (/srv/git/acme/widgets.git); pass --api-url URL"),
        (None, {"forge": "github", "repo": "nope"}, "--repo 'nope' is not OWNER/NAME"),
    ],
)
def test_locate_refusals(url, options, message):
    with pytest.raises(lib.UsageError) as info:
        locate(url, **options)
    assert str(info.value) == message


@pytest.mark.parametrize(("title", "sent"), [("wip: lane", "wip: lane"), ("[WIP] lane", "[WIP] lane"), ("lane", "WIP: lane")])
def test_gitea_draft_title_is_prefixed_once(relane, workrepo, forge, monkeypatch, title, sent):
    """Gitea marks a pull request as work in progress by its title's prefix, in any case."""
    root = workrepo()
    gitea_routes(forge)
    monkeypatch.setenv("GITEA_TOKEN", GITEA_TOKEN)

    r = relane("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "--open-pr", "--forge", "gitea",
               "--api-url", f"{forge.url}/api/v1", "--draft", "--title", title)

    assert r.code == 0, r.err
    (create,) = [q for q in forge.requests if q.method == "POST" and q.path.endswith("/pulls")]
    assert create.body["title"] == sent


@pytest.mark.parametrize("status", [301, 302])
def test_a_post_redirected_with_301_or_302_is_refused_not_turned_into_a_get(relane, workrepo, forge, monkeypatch, status):
    """A forge that moved answers 301/302; following it, an HTTP client turns
    the POST into a GET. relane names the move instead and sends nothing more."""
    root = workrepo()
    github_routes(forge)
    forge.on("POST", "/repos/acme/widgets/pulls",
             Answer(status, None, {"Location": f"{forge.url}/api/v3/repos/acme/widgets/pulls"}))
    forge.on("GET", "/api/v3/repos/acme/widgets/pulls", Answer(200, []))
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)

    r = run_pr(relane, root, forge)

    assert (r.code, r.out, r.err) == (2, "", (
        f"relane: error: github: the forge redirected POST /repos/acme/widgets/pulls ({status}) to "
        f"{forge.url}/api/v3/repos/acme/widgets/pulls; give --api-url the address the API answers at "
        "(branch 'lane' was pushed to origin; no pull request opened)\n"
    ))
    assert forge.lines() == ["GET /repos/acme/widgets", "POST /repos/acme/widgets/pulls"]


@pytest.mark.parametrize("status", [307, 308])
def test_a_post_redirected_with_307_or_308_is_sent_again_as_a_post(relane, workrepo, forge, monkeypatch, status):
    root = workrepo()
    github_routes(forge)
    forge.on("POST", "/repos/acme/widgets/pulls",
             Answer(status, None, {"Location": f"{forge.url}/api/v3/repos/acme/widgets/pulls"}))
    forge.on("POST", "/api/v3/repos/acme/widgets/pulls",
             Answer(201, {"number": 7, "html_url": "https://github.com/acme/widgets/pull/7"}))
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)

    r = run_pr(relane, root, forge)

    assert r.code == 0, r.err
    posts = [q for q in forge.requests if q.method == "POST" and q.path.endswith("/pulls")]
    assert [q.path for q in posts] == ["/repos/acme/widgets/pulls", "/api/v3/repos/acme/widgets/pulls"]
    assert posts[0].body == posts[1].body and posts[1].body["head"] == "lane"
    assert posts[1].headers["authorization"] == f"Bearer {GH_TOKEN}"  # the same host


def test_a_get_redirected_with_301_is_followed(forge):
    from relane.deliver.forge.http import Api

    forge.on("GET", "/old", Answer(301, None, {"Location": "/new"}))
    forge.on("GET", "/new", Answer(200, {"ok": True}))
    with Api("github", forge.url, None, auth_scheme="Bearer") as api:
        assert api.json("GET", "old") == {"ok": True}


def test_a_next_page_link_with_an_unreadable_port_is_one_line(forge):
    from relane.deliver.forge.http import Api, ForgeError

    forge.on("GET", "/runners", Answer(200, {"runners": []}, {"Link": '<http://u:Sup3r/pw@127.0.0.1/x>; rel="next"'}))
    with Api("github", forge.url, None, auth_scheme="Bearer") as api, pytest.raises(ForgeError) as raised:
        list(api.pages_by_link("runners", {}, lambda doc: doc["runners"]))
    assert "Sup3r" not in str(raised.value)
    assert str(raised.value).startswith("github: the next page is on another host (")


def test_a_base_branch_the_remote_lacks_is_refused_before_anything_is_written(relane, workrepo, forge, monkeypatch, tmp_path):
    """A pull request into a branch only the local repository has would be refused once the branch is pushed."""
    root = workrepo()
    git(root, "checkout", "-q", "-b", "wip")
    github_routes(forge)
    monkeypatch.setenv("GITHUB_TOKEN", GH_TOKEN)
    before = snapshot(root)

    r = relane(
        "retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "--open-pr",
        "--forge", "github", "--api-url", forge.url,
    )

    assert (r.code, r.err) == (2, (
        "relane: error: origin has no branch 'wip' for the pull request to go into; "
        "push it first, or pass --base BRANCH\n"
    ))
    assert (snapshot(root), branches(root)) == (before, ["refs/heads/main", "refs/heads/wip"])
    assert git(tmp_path / "remote" / "acme" / "widgets.git", "for-each-ref", "--format=%(refname)") == "refs/heads/main\n"
    assert forge.requests == []
