"""A token from the environment never shows, whatever goes wrong on the network.

With GITHUB_TOKEN, GH_TOKEN, GITEA_TOKEN and FORGEJO_TOKEN set to
distinctive values, every network path relane has is made to fail in every
way a forge or a network can: pull requests on GitHub and Gitea (from
``retarget`` and ``migrate``), runner listings for ``guard`` (each scope,
each page), and ``git push`` to a remote whose URL carries the token. A
real HTTP server on 127.0.0.1 plays the forge; nothing goes further.

Nothing relane shows, logs, raises or writes may then hold a token, nor 12
characters in a row of one, nor of its base64 forms: not stdout (the JSON
and markdown reports included), not stderr, not the exception that reached
the command line (its text, repr, chain, and a traceback with every frame's
locals, as error trackers record it), not a log record (at DEBUG, httpx's
included), not a file under the test's folder (git objects decompressed),
and not a request sent to another host after a redirect.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import shutil
import subprocess
import sys
import traceback
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

import relane.cli.app as relane_cli

from forgeserver import Answer, ForgeServer, Request, closed_port_url, forge  # noqa: F401
from gitrepo import WORKFLOWS, branches, git, git_env  # noqa: F401

TOKENS = {
    "GITHUB_TOKEN": "ghp_CanaryGithubToken4f9a1c7e2b8d",
    "GH_TOKEN": "gho_CanaryGhToken0d3e5f7a9b1c2e4f",
    "GITEA_TOKEN": "canarygiteatoken6b2d8f0a4c6e8a0b2d",
    "FORGEJO_TOKEN": "canaryforgejotoken1a3c5e7f9b2d4f6",
}
SENT = {"github": TOKENS["GITHUB_TOKEN"], "gitea": TOKENS["GITEA_TOKEN"], "forgejo": TOKENS["FORGEJO_TOKEN"]}
WINDOW = 12  # this many characters of a token in a row count as a leak


def _forms(token: str):
    yield token
    for user in ("", "x-access-token:", "oauth2:"):  # what Basic authentication sends
        yield base64.b64encode((user + token).encode()).decode()


_WINDOWS = {form[i:i + WINDOW] for token in TOKENS.values() for form in _forms(token) for i in range(len(form) - WINDOW + 1)}
_RUN = re.compile(r"[A-Za-z0-9_+/=-]{%d,}" % WINDOW)  # the characters tokens and base64 are made of
_RUN_BYTES = re.compile(_RUN.pattern.encode())


def leaks(text: str | bytes) -> list[str]:
    """The windows of a token (or of its base64 forms) that ``text`` holds."""
    if isinstance(text, bytes):
        runs = (m.decode() for m in _RUN_BYTES.findall(text))
    else:
        runs = _RUN.findall(text)
    return sorted({run[i:i + WINDOW] for run in runs for i in range(len(run) - WINDOW + 1)} & _WINDOWS)


def assert_clean(where: str, text: str | bytes) -> None:
    found = leaks(text)
    if found:
        shown = text if isinstance(text, str) else text.decode("utf-8", "replace")
        index = shown.find(found[0]) if found[0] in shown else 0
        pytest.fail(f"token in {where}: ...{shown[max(0, index - 200):index + 80]!r}...")


# Everything an exception carries


def exception_texts(exc: BaseException | None):
    """str, repr, args, attributes and a traceback with locals, for ``exc`` and
    every exception chained to it (suppressed context included)."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        e = stack.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        yield f"str({type(e).__name__})", str(e)
        yield f"repr({type(e).__name__})", repr(e)
        yield f"{type(e).__name__}.args", repr(e.args)
        yield f"vars({type(e).__name__})", repr(getattr(e, "__dict__", {}))
        formatted = traceback.TracebackException.from_exception(e, capture_locals=True).format()
        yield f"traceback with locals of {type(e).__name__}", "".join(formatted)
        stack += [e.__cause__, e.__context__]


# Everything written under a folder


def files_under(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


def assert_nothing_written_leaks(root: Path, before: dict[Path, bytes]) -> None:
    for path, data in files_under(root).items():
        if before.get(path) == data:
            continue
        if path.parent.parent.name == "objects" and len(path.parent.name) == 2:
            data = zlib.decompress(data)  # a loose git object
        assert_clean(f"file {path.relative_to(root)}", data)
        if path.parent.name == "pack" and path.suffix == ".pack":  # compressed: read it through git
            objects = subprocess.run(
                ["git", "cat-file", "--batch-all-objects", "--batch"], cwd=path.parents[2],
                capture_output=True, check=True,
            ).stdout
            assert_clean(f"git objects in {path.parents[2].relative_to(root)}", objects)


# Running relane


@dataclass
class Run:
    code: int
    out: str
    err: str
    raised: BaseException | None = None
    logs: list[str] = field(default_factory=list)


@pytest.fixture
def env(monkeypatch, git_env):
    """Every token variable set; git never asks for credentials; no traceback unless asked."""
    for name, value in TOKENS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")
    for name in ("GIT_ASKPASS", "SSH_ASKPASS", "RELANE_TRACEBACK"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A repository with workflows and a bare remote it was pushed to, made once
    per module (git config as ``git_env`` makes it)."""
    base = tmp_path_factory.mktemp("template")
    with pytest.MonkeyPatch.context() as mp:
        config = base / "gitconfig"
        config.write_text("[user]\n\tname = Relane Test\n\temail = test@example.com\n[init]\n\tdefaultBranch = main\n")
        (base / "git-template").mkdir()
        mp.setenv("GIT_TEMPLATE_DIR", str(base / "git-template"))
        mp.setenv("GIT_CONFIG_GLOBAL", str(config))
        mp.setenv("GIT_CONFIG_NOSYSTEM", "1")
        root = base / "work"
        for name, text in WORKFLOWS.items():
            path = root / ".github" / "workflows" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        git(base, "init", "-q", "-b", "main", str(root))
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "initial")
        git(base, "init", "-q", "--bare", str(base / "remote" / "acme" / "widgets.git"))
        git(root, "remote", "add", "origin", str(base / "remote" / "acme" / "widgets.git"))
        git(root, "push", "-q", "origin", "main")
    return base


@pytest.fixture
def workrepo(template, tmp_path, git_env):
    """A copy of the template: tmp/work, whose origin is tmp/remote/acme/widgets.git."""

    def make() -> Path:
        for folder in ("work", "remote"):
            shutil.copytree(template / folder, tmp_path / folder, symlinks=True)
        config = tmp_path / "work" / ".git" / "config"
        config.write_text(config.read_text().replace(str(template), str(tmp_path)))
        return tmp_path / "work"

    return make


@pytest.fixture
def run(relane, monkeypatch, caplog, env):
    """Run the command in-process; keeps the exception that reached the command
    line and every log record (DEBUG and up, httpx and httpcore included)."""
    raised: list[BaseException | None] = []
    show = relane_cli._error

    def spy(text: str) -> None:
        raised.append(sys.exc_info()[1])
        show(text)

    monkeypatch.setattr(relane_cli, "_error", spy)
    caplog.set_level(logging.DEBUG)

    def go(*args: str) -> Run:
        raised.clear()
        caplog.clear()
        r = relane(*args)
        logs = [caplog.text] + [f"{rec.getMessage()} {rec.args!r}" for rec in caplog.records]
        return Run(r.code, r.out, r.err, raised[-1] if raised else None, logs)

    return go


def assert_no_leak(result: Run, root: Path, before: dict[Path, bytes], *servers: ForgeServer) -> None:
    assert_clean("stdout", result.out)
    assert_clean("stderr", result.err)
    for where, text in exception_texts(result.raised):
        assert_clean(where, text)
    for text in result.logs:
        assert_clean("the log", text)
    assert_nothing_written_leaks(root, before)
    for server in servers:  # hosts the token was not meant for
        for request in server.requests:
            assert_clean(f"a request to another host: {request.line}", repr(request))


# How a forge can fail


def auth(request: Request) -> str:
    """The Authorization header as the forge got it, to echo back."""
    return request.headers.get("authorization", "")


def _redirect_away(elsewhere: ForgeServer) -> Callable[[Request], Answer]:
    def answer(request: Request) -> Answer:
        return Answer(307, headers={"Location": elsewhere.url + _same(request)})

    return answer


def _same(request: Request) -> str:
    query = "&".join(f"{k}={v}" for k, v in request.query.items())
    return request.path + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Failure:
    """An answer that goes wrong, what relane then says (a part of its error line)
    and exits with; ``None`` for the code means "as the step says" (an answer
    relane may accept)."""

    answer: Callable[..., Answer]  # (request, step, elsewhere) -> Answer
    code: int | None = 2
    says: str | None = None


FAILURES = {
    "401": Failure(lambda r, s, e: Answer(401, {"message": "Bad credentials"}), 2, "401 Unauthorized: Bad credentials"),
    "403": Failure(
        lambda r, s, e: Answer(403, {"message": "Resource not accessible by personal access token"}),
        2, "403 Forbidden: Resource not accessible by personal access token",
    ),
    "403-rate-limit": Failure(
        lambda r, s, e: Answer(403, {"message": "API rate limit exceeded for user ID 1."},
                               {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "4102444800"}),
        2, "rate limit exceeded: API rate limit exceeded for user ID 1.; it resets at 2100-01-01 00:00:00 UTC",
    ),
    "429": Failure(
        lambda r, s, e: Answer(429, {"message": "You have exceeded a secondary rate limit."}, {"Retry-After": "60"}),
        2, "rate limit exceeded: You have exceeded a secondary rate limit.; retry after 60 s",
    ),
    "404": Failure(lambda r, s, e: Answer(404, {"message": "Not Found"}), 2, "404 Not Found: Not Found"),
    "409": Failure(
        lambda r, s, e: Answer(409, {"message": "pull request already exists for these targets"}),
        2, "409 Conflict: pull request already exists for these targets",
    ),
    "422": Failure(
        lambda r, s, e: Answer(422, {"message": "Validation Failed",
                                     "errors": [{"resource": "Issue", "field": "labels", "code": "invalid"}]}),
        2, "422 Unprocessable Entity: Validation Failed: Issue.labels invalid",
    ),
    "500": Failure(
        lambda r, s, e: Answer(500, raw=b"<html><body>Internal Server Error</body></html>",
                               headers={"Content-Type": "text/html"}),
        2, "500 Internal Server Error (",
    ),
    "malformed-json": Failure(
        lambda r, s, e: Answer(200, raw=b'{"number": 7, "html_url": "https://forge.test/pr/7", ',
                               headers={"Content-Type": "application/json"}),
        2, "is not JSON",
    ),
    "echo-in-error": Failure(
        lambda r, s, e: Answer(
            401,
            {"message": f"token rejected: {auth(r)}",
             "errors": [auth(r), {"message": auth(r)}, {"resource": auth(r), "field": auth(r), "code": auth(r)}]},
            {"X-Echo": auth(r), "WWW-Authenticate": f'Bearer error="{auth(r)}"'},
            reason=auth(r),
        ),
        2, "401 Unauthorized: token rejected: ",
    ),
    "echo-in-text": Failure(
        # The token straddles the 200th character, where relane cuts a plain-text message.
        lambda r, s, e: Answer(502, raw=("x" * 190 + auth(r) + " " + "y" * 40).encode(),
                               headers={"Content-Type": "text/plain", "X-Echo": auth(r)}, reason=auth(r)),
        2, "502 ",
    ),
    "echo-in-answer": Failure(lambda r, s, e: s.echo(r), None),
    "wrong-shape": Failure(lambda r, s, e: s.wrong(r), None),
    "redirect-to-other-host": Failure(lambda r, s, e: _redirect_away(e)(r), 2, "404 Not Found: Not Found"),
    "redirect-loop": Failure(lambda r, s, e: Answer(307, headers={"Location": _same(r)}), 2, "too many redirects"),
    "timeout": Failure(lambda r, s, e: Answer(200, s.ok(r).body, s.ok(r).headers, delay=1.0), 2, "no answer from"),
    "hang-up": Failure(lambda r, s, e: Answer(hang_up=True), 2, "Server disconnected without sending a response"),
    "bad-gzip": Failure(
        lambda r, s, e: Answer(200, raw=b"\x1f\x8b\x08\x00not gzip at all", headers={"Content-Encoding": "gzip"}),
        2, "cannot decode the answer",
    ),
}
TIMEOUT = "0.25"  # seconds; the "timeout" answers take 1 s


@dataclass(frozen=True)
class Step:
    """One request relane makes: its normal answer, the same answer with the
    Authorization header echoed in its strings, and JSON of the wrong shape.

    ``echo_says``/``wrong_says`` are (exit code, part of the error line) for those."""

    name: str
    method: str
    path: str
    ok: Callable[[Request], Answer]
    echo: Callable[[Request], Answer]
    wrong: Callable[[Request], Answer]
    query: dict[str, str] = field(default_factory=dict)  # the step is the request with these parameters
    wrong_says: tuple[int, str | None] = (0, None)
    says: dict[str, tuple[int, str]] = field(default_factory=dict)  # failure -> what it does here instead


def install(server: ForgeServer, steps: list[Step], failing: str, failure: Failure, elsewhere: ForgeServer) -> None:
    """Answer every step normally, except the one named ``failing``."""
    by_path: dict[tuple[str, str], list[Step]] = {}
    for step in steps:
        by_path.setdefault((step.method, step.path), []).append(step)
    for (method, path), group in by_path.items():

        def route(request: Request, group=group) -> Answer:
            step = next(
                s for s in sorted(group, key=lambda s: -len(s.query))
                if all(request.query.get(k) == v for k, v in s.query.items())
            )
            if step.name == failing:
                return failure.answer(request, step, elsewhere)
            return step.ok(request)

        server.on(method, path, route)


def expectation(step: Step, name: str, failure: Failure) -> tuple[int, str | None]:
    if name in step.says:
        return step.says[name]
    if name == "echo-in-answer":
        return 0, None
    if name == "wrong-shape":
        return step.wrong_says
    return failure.code, failure.says


# The pull request: GitHub and Gitea

REPO = {"id": 1, "full_name": "acme/widgets", "default_branch": "main"}
GH_PR = {"number": 7, "html_url": "https://github.test/acme/widgets/pull/7"}
GT_PR = {"number": 3, "html_url": "https://gitea.test/acme/widgets/pulls/3"}


def _pr_echo(pr):
    return lambda r: Answer(201, {**pr, "html_url": f"{pr['html_url']}#{auth(r)}", "title": auth(r),
                                  "user": {"login": auth(r)}})


def _ignored_echo(status, body):
    return lambda r: Answer(status, {"echo": auth(r), "body": body, auth(r): [auth(r)]})


GITHUB_PR_STEPS = [
    Step("repo", "GET", "/repos/acme/widgets", lambda r: Answer(200, REPO),
         _ignored_echo(200, REPO), lambda r: Answer(200, [auth(r)])),
    Step("create", "POST", "/repos/acme/widgets/pulls", lambda r: Answer(201, GH_PR), _pr_echo(GH_PR),
         lambda r: Answer(201, {"number": f"seven {auth(r)}", "html_url": {"href": auth(r)}}),
         wrong_says=(2, "github: the pull request answer has no number and html_url")),
    Step("labels", "POST", "/repos/acme/widgets/issues/7/labels",
         lambda r: Answer(200, [{"id": 1, "name": "do-not-merge"}]), _ignored_echo(200, []),
         lambda r: Answer(200, auth(r))),
    Step("reviewers", "POST", "/repos/acme/widgets/pulls/7/requested_reviewers",
         lambda r: Answer(201, {"number": 7}), _ignored_echo(201, {}), lambda r: Answer(201, [[auth(r)]])),
]


def _gitea_labels(labels):
    return lambda r: Answer(200, labels, {"X-Total-Count": str(len(labels))})


def _gitea_labels_echo(labels):
    return lambda r: Answer(200, labels + [{"id": 99, "name": auth(r), "description": auth(r)}],
                            {"X-Total-Count": str(len(labels) + 1), "X-Echo": auth(r)})


GITEA_PR_STEPS = [
    Step("repo", "GET", "/api/v1/repos/acme/widgets", lambda r: Answer(200, REPO),
         _ignored_echo(200, REPO), lambda r: Answer(200, auth(r))),
    Step("repo-labels", "GET", "/api/v1/repos/acme/widgets/labels",
         _gitea_labels([{"id": 13, "name": "hold"}]), _gitea_labels_echo([{"id": 13, "name": "hold"}]),
         lambda r: Answer(200, [{"id": 13, "name": ["hold", auth(r)]}], {"X-Total-Count": "1"}),
         wrong_says=(2, "gitea: no label 'hold' in acme/widgets; create it first")),
    Step("org-labels", "GET", "/api/v1/orgs/acme/labels",
         _gitea_labels([{"id": 21, "name": "do-not-merge"}]), _gitea_labels_echo([{"id": 21, "name": "do-not-merge"}]),
         lambda r: Answer(200, [{"id": {"n": auth(r)}, "name": auth(r)}], {"X-Total-Count": "1"}),
         wrong_says=(2, "gitea: no label 'do-not-merge' in acme/widgets; create it first"),
         says={name: (2, "gitea: no label 'do-not-merge' in acme/widgets; create it first")
               for name in ("404", "redirect-to-other-host")}),
    Step("create", "POST", "/api/v1/repos/acme/widgets/pulls", lambda r: Answer(201, GT_PR), _pr_echo(GT_PR),
         lambda r: Answer(201, [auth(r)]), wrong_says=(2, "gitea: the pull request answer has no number and html_url")),
    Step("reviewers", "POST", "/api/v1/repos/acme/widgets/pulls/3/requested_reviewers",
         lambda r: Answer(201, []), _ignored_echo(201, []), lambda r: Answer(201, {"x": auth(r)})),
]
PR_STEPS = {"github": GITHUB_PR_STEPS, "gitea": GITEA_PR_STEPS}
PR_ARGS = {
    "github": ("--forge", "github", "--label", "do-not-merge", "--reviewer", "alice"),
    "gitea": ("--forge", "gitea", "--label", "hold", "--label", "do-not-merge", "--reviewer", "bob"),
}
SHIP_ARGS = ("--on", "@ship", "--not-on", "@pr", "--to", "publish")


@pytest.fixture
def elsewhere():
    """Another host (another origin on loopback) that a redirect may send relane to."""
    server = ForgeServer().start()
    yield server
    server.stop()


def api_root(forge_name: str, server: ForgeServer) -> str:
    return server.url if forge_name == "github" else f"{server.url}/api/v1"


# Every failure where nothing is written yet (GitHub's repository check) and
# where the branch is pushed (the pull request, both forges); the other calls
# share that code, and get the failures whose answers differ by call.
SOME_FAILURES = (
    "401", "403-rate-limit", "malformed-json", "echo-in-error", "echo-in-text", "echo-in-answer",
    "wrong-shape", "redirect-to-other-host",
)
FULL_PR_STEPS = {("github", "repo"), ("github", "create"), ("gitea", "create")}


def _pr_cases():
    for forge_name, steps in PR_STEPS.items():
        for step in steps:
            for name in FAILURES if (forge_name, step.name) in FULL_PR_STEPS else SOME_FAILURES:
                yield pytest.param(forge_name, step, name, id=f"{forge_name}-{step.name}-{name}")


def _after(forge_name: str, step: Step) -> str:
    """What the error line adds once the branch is pushed or the pull request open."""
    if step.name == "create":
        return "(branch 'lane' was pushed to origin; no pull request opened)"
    if step.name == "reviewers" or (forge_name == "github" and step.name == "labels"):
        return "opened https://"
    return ""


@pytest.mark.parametrize(("forge_name", "step", "name"), list(_pr_cases()))
def test_pull_request(request, run, workrepo, forge, tmp_path, forge_name, step, name):
    root = workrepo()
    failure = FAILURES[name]
    elsewhere = request.getfixturevalue("elsewhere") if name == "redirect-to-other-host" else None
    install(forge, PR_STEPS[forge_name], step.name, failure, elsewhere)
    before = files_under(tmp_path)
    timeout = ("--timeout", TIMEOUT) if name == "timeout" else ()

    r = run("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "--open-pr",
            "--api-url", api_root(forge_name, forge), *PR_ARGS[forge_name], *timeout, "--format", "json")

    code, says = expectation(step, name, failure)
    assert r.code == code, r.err
    if code == 2:
        assert r.err.count("\n") == 1 and r.err.startswith("relane: error: "), r.err
        assert says in r.err, r.err
        assert _after(forge_name, step) in r.err
        assert r.out == ""
    else:
        assert r.err.splitlines()[-1].startswith("opened pull request https://"), r.err
        assert '"pull_request": {' in r.out
    if name.startswith("echo-in-") and code == 2:
        assert "***" in r.err
    if elsewhere is not None:
        assert elsewhere.requests, "the redirect was not followed"
        assert all("authorization" not in q.headers for q in elsewhere.requests)
    assert_no_leak(r, tmp_path, before, *filter(None, [elsewhere]))


@pytest.mark.parametrize("forge_name", ["github", "gitea"])
def test_pull_request_connection_refused(run, workrepo, tmp_path, forge_name):
    root = workrepo()
    url = closed_port_url()
    before = files_under(tmp_path)

    r = run("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "--open-pr",
            "--api-url", url if forge_name == "github" else f"{url}/api/v1", *PR_ARGS[forge_name])

    assert r.code == 2
    assert r.err.startswith(f"relane: error: {forge_name}: cannot reach {url}: ")
    assert_no_leak(r, tmp_path, before)


def test_migrate_pull_request(run, workrepo, forge, tmp_path):
    """``migrate`` delivers through the same code; its report is markdown."""
    workrepo()  # tmp/work, which the spec names
    spec = tmp_path / "relane.toml"
    spec.write_text('[migration.publish-lane]\npaths = ["work"]\non = ["@ship"]\nnot-on = ["@pr"]\nto = "publish"\n')
    install(forge, GITHUB_PR_STEPS, "create", FAILURES["echo-in-answer"], None)
    before = files_under(tmp_path)

    r = run("migrate", str(spec), "--branch", "lane", "--push", "--open-pr", "--api-url", forge.url,
            *PR_ARGS["github"], "--format", "markdown")

    assert r.code == 0, r.err
    assert r.out.startswith("## Migration `publish-lane`\n")
    assert r.err.splitlines()[-1] == "opened pull request https://github.test/acme/widgets/pull/7#Bearer ***"
    assert_no_leak(r, tmp_path, before)

    install(forge, GITHUB_PR_STEPS, "create", FAILURES["echo-in-error"], None)
    r = run("migrate", str(spec), "--branch", "lane-2", "--push", "--open-pr", "--api-url", forge.url,
            *PR_ARGS["github"], "--format", "markdown")
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("relane: error: github: 401 Unauthorized: token rejected: Bearer ***: Bearer ***: ")
    assert_no_leak(r, tmp_path, before)


# The guard: runner listings, every scope and page


def _runner(request: Request, id: int, name: str, shape: str) -> dict:
    if shape == "forgejo":
        return {"id": id, "name": name, "labels": ["publish"], "status": "idle"}
    return {"id": id, "name": name, "status": "online", "busy": False, "labels": [{"id": 1, "name": "publish"}]}


def _echo_runner(request: Request, shape: str) -> dict:
    runner = _runner(request, 99, auth(request), shape)
    runner["labels"] = runner["labels"] + ([auth(request)] if shape == "forgejo" else [{"id": 2, "name": auth(request)}])
    return runner


def _listing(shape: str, names: list[str], *, total: int, next_page: int | None = None, echo: bool = False):
    def answer(request: Request) -> Answer:
        runners = [_runner(request, i, n, shape) for i, n in enumerate(names, 1)]
        headers = {"X-Total-Count": str(total)}
        if echo:
            runners.append(_echo_runner(request, shape))
            headers = {"X-Total-Count": str(total + 1), "X-Echo": auth(request)}
        if next_page is not None:
            url = f"http://{request.headers['host']}{request.path}?per_page=100&page={next_page}"
            headers["Link"] = f'<{url}>; rel="next"'
        body = runners if shape == "forgejo" else {"total_count": total + echo, "runners": runners}
        return Answer(200, body, headers)

    return answer


def _guard_step(name, path, shape, names, *, total, query=None, next_page=None, wrong="runners"):
    wrongs = {
        # a listing without a list of runners, and a runner without a list of labels
        "runners": lambda r: Answer(200, {"runners": 5, "message": auth(r)}, {"X-Total-Count": "1"}),
        "labels": lambda r: Answer(200, {"runners": [{"name": auth(r), "status": "online", "labels": 5}]}
                                   if shape != "forgejo" else [{"name": auth(r), "labels": 5}],
                                   {"X-Total-Count": "1"}),
    }
    says = {
        "runners": (2, f"the answer to GET {path} is not a listing"),
        "labels": (2, "has labels that are not a list"),
    }
    return Step(
        name, "GET", path,
        _listing(shape, names, total=total, next_page=next_page),
        _listing(shape, names, total=total, next_page=next_page, echo=True),
        wrongs[wrong], query=query or {}, wrong_says=says[wrong],
    )


GUARD_STEPS = {
    "github": [
        _guard_step("repo", "/repos/acme/widgets/actions/runners", "github", ["p1"], total=2, next_page=2),
        _guard_step("repo-page-2", "/repos/acme/widgets/actions/runners", "github", ["p2"], total=2,
                    query={"page": "2"}, wrong="labels"),
        _guard_step("org", "/orgs/acme/actions/runners", "github", ["o1"], total=1, wrong="labels"),
    ],
    "gitea": [
        _guard_step("repo", "/api/v1/repos/acme/widgets/actions/runners", "gitea", ["p1", "p2"], total=3,
                    query={"page": "1"}),
        _guard_step("repo-page-2", "/api/v1/repos/acme/widgets/actions/runners", "gitea", ["p3"], total=3,
                    query={"page": "2"}, wrong="labels"),
        _guard_step("org", "/api/v1/orgs/acme/actions/runners", "gitea", ["o1"], total=1, wrong="labels"),
        _guard_step("instance", "/api/v1/admin/actions/runners", "gitea", ["i1"], total=1),
    ],
    "forgejo": [
        _guard_step("repo", "/api/v1/repos/acme/widgets/actions/runners", "forgejo", ["p1"], total=1),
        _guard_step("instance", "/api/v1/admin/actions/runners", "forgejo", ["i1"], total=1, wrong="labels"),
    ],
}
GUARD_SCOPES = {"github": ("repo", "org"), "gitea": ("repo", "org", "instance"), "forgejo": ("repo", "instance")}


def _guard_cases():
    for forge_name, steps in GUARD_STEPS.items():
        for step in steps:
            for name in FAILURES if step.name == "repo" else SOME_FAILURES:
                yield pytest.param(forge_name, step, name, id=f"{forge_name}-{step.name}-{name}")


def guard_args(forge_name: str, api_url: str, *extra: str) -> list[str]:
    args = ["guard", "--label", "publish", "--forge", forge_name, "--api-url", api_url, "--repo", "acme/widgets"]
    for scope in GUARD_SCOPES[forge_name]:
        args += ["--scope", scope]
    return args + list(extra)


@pytest.mark.parametrize(("forge_name", "step", "name"), list(_guard_cases()))
def test_guard(request, run, forge, tmp_path, monkeypatch, forge_name, step, name):
    monkeypatch.chdir(tmp_path)
    failure = FAILURES[name]
    elsewhere = request.getfixturevalue("elsewhere") if name == "redirect-to-other-host" else None
    install(forge, GUARD_STEPS[forge_name], step.name, failure, elsewhere)
    before = files_under(tmp_path)
    fmt = "json" if name.startswith("echo") else "text"
    timeout = ("--timeout", TIMEOUT) if name == "timeout" else ()

    r = run(*guard_args(forge_name, api_root(forge_name, forge), *timeout, "--format", fmt))

    code, says = expectation(step, name, failure)
    assert r.code == code, r.err
    if code == 2:
        assert r.err.count("\n") == 1 and r.err.startswith("relane: error: "), r.err
        assert says in r.err, r.err
        assert r.out == ""
    else:
        assert '"verdict": "ok: the label is served by an online runner"' in r.out
    if name == "echo-in-answer":
        assert '"name": "token ***"' in r.out or '"name": "Bearer ***"' in r.out
    if elsewhere is not None:
        assert elsewhere.requests, "the redirect was not followed"
        assert all("authorization" not in q.headers for q in elsewhere.requests)
    assert_no_leak(r, tmp_path, before, *filter(None, [elsewhere]))


@pytest.mark.parametrize("forge_name", ["github", "gitea"])
def test_guard_connection_refused(run, tmp_path, monkeypatch, forge_name):
    monkeypatch.chdir(tmp_path)
    url = closed_port_url()
    r = run(*guard_args(forge_name, url if forge_name == "github" else f"{url}/api/v1"))
    assert r.code == 2
    assert r.err.startswith(f"relane: error: {forge_name}: cannot reach {url}: ")
    assert_no_leak(r, tmp_path, {})


# git push to a remote whose URL carries the token

GIT_TOKEN = TOKENS["GITHUB_TOKEN"]


def with_token(url: str) -> str:
    """``http://127.0.0.1:PORT`` as CI jobs write it: ``http://x-access-token:TOKEN@127.0.0.1:PORT``."""
    return url.replace("http://", f"http://x-access-token:{GIT_TOKEN}@", 1)


def _git_answer(status: int, extra: dict[str, str] | None = None) -> Callable[[Request], Answer]:
    def answer(request: Request) -> Answer:
        echoed = f"{auth(request)} {GIT_TOKEN}"
        return Answer(status, raw=f"denied: {echoed}\n".encode(), reason=f"No {echoed}",
                      headers={"Content-Type": "text/plain", "X-Echo": echoed, **(extra or {})})

    return answer


REFS = "/acme/widgets.git/info/refs"
GIT_FAILURES = {
    "refused": None,
    "401": _git_answer(401, {"WWW-Authenticate": 'Basic realm="git"'}),
    "403": _git_answer(403),
    "404": _git_answer(404),
    "500": _git_answer(500),
    "redirect-to-other-host": "redirect",
    "hook-rejects": "hook",
}


def reject_hook(bare: Path) -> None:
    """A remote whose pre-receive hook refuses the push and prints the token it was given."""
    hook = bare / "hooks" / "pre-receive"
    hook.parent.mkdir(exist_ok=True)
    hook.write_text(
        "#!/bin/sh\n"
        'echo "error: refused for $GITHUB_TOKEN" >&2\n'
        f'echo "fatal: token {GIT_TOKEN} may not push" >&2\n'
        "exit 1\n"
    )
    hook.chmod(0o755)


@pytest.mark.parametrize("name", list(GIT_FAILURES))
@pytest.mark.parametrize("open_pr", [False, True], ids=["push", "push-open-pr"])
def test_git_push(request, run, workrepo, forge, tmp_path, name, open_pr):
    root = workrepo()
    failure = GIT_FAILURES[name]
    servers = []
    if name == "refused":
        url = with_token(closed_port_url()) + "/acme/widgets.git"
    elif name == "hook-rejects":
        # A token-carrying URL that insteadOf turns into the local bare repository.
        url = with_token("http://127.0.0.1:9") + "/acme/widgets.git"
        git(root, "config", f"url.{tmp_path / 'remote' / 'acme'}/.insteadOf", with_token("http://127.0.0.1:9") + "/acme/")
        reject_hook(tmp_path / "remote" / "acme" / "widgets.git")
    else:
        url = with_token(forge.url) + "/acme/widgets.git"
        if failure == "redirect":
            elsewhere = request.getfixturevalue("elsewhere")
            servers.append(elsewhere)
            forge.on("GET", REFS, lambda r: Answer(302, headers={"Location": elsewhere.url + _same(r)}))
        else:
            forge.on("GET", REFS, failure)
    git(root, "remote", "set-url", "origin", url)
    pr = ()
    if open_pr:
        install(forge, GITHUB_PR_STEPS, "", FAILURES["401"], None)
        pr = ("--open-pr", "--forge", "github", "--api-url", forge.url)
    before = files_under(tmp_path)

    r = run("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", *pr, "--format", "json")

    assert r.code == 2, r.err
    assert r.err.count("\n") == 1, r.err
    if name == "hook-rejects":  # only the push itself meets the hook: the branch is removed again
        assert r.err.startswith("relane: error: branch 'lane' was not pushed to origin, so relane removed it again: ")
    else:  # the check before anything is written meets the failure
        assert r.err.startswith("relane: error: cannot push to origin, so nothing was written: "), r.err
    assert branches(root) == ["refs/heads/main"]
    assert r.out == ""
    for server in servers:
        assert server.requests, "the redirect was not followed"
        assert all("authorization" not in q.headers for q in server.requests)
    assert_no_leak(r, tmp_path, before, *servers)


# The token does reach the forge it is meant for (else "no leak" would prove nothing)


@pytest.mark.parametrize("forge_name", ["github", "gitea"])
def test_the_forge_gets_the_token(run, workrepo, forge, forge_name):
    root = workrepo()
    install(forge, PR_STEPS[forge_name], "", FAILURES["401"], None)
    r = run("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "--open-pr",
            "--api-url", api_root(forge_name, forge), *PR_ARGS[forge_name])
    assert r.code == 0, r.err
    assert forge.requests
    scheme = "Bearer" if forge_name == "github" else "token"
    assert {q.headers.get("authorization") for q in forge.requests} == {f"{scheme} {SENT[forge_name]}"}


# A bug in the network code: exit 3, and still no token


@pytest.mark.parametrize("show_traceback", [False, True], ids=["one-line", "RELANE_TRACEBACK"])
@pytest.mark.parametrize("command", ["pull-request", "guard"])
def test_unexpected_failure_in_network_code(run, workrepo, forge, tmp_path, monkeypatch, command, show_traceback):
    """Fault injection: the HTTP transport fails with an error no handler
    expects, whose text quotes the request's URL, its Authorization header and
    the token's variable. That is relane's bug (exit 3); what it prints, with
    or without RELANE_TRACEBACK, has the token masked."""
    import httpx

    def broken(self, request):
        raise RuntimeError(
            f"transport bug at {request.url} with {request.headers.get('authorization')} "
            f"(GH_TOKEN={os.environ['GH_TOKEN']})"
        )

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", broken)
    if show_traceback:
        monkeypatch.setenv("RELANE_TRACEBACK", "1")
    if command == "guard":
        monkeypatch.chdir(tmp_path)
        before = files_under(tmp_path)
        r = run(*guard_args("github", forge.url))
    else:
        root = workrepo()
        before = files_under(tmp_path)
        r = run("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "--open-pr",
                "--api-url", forge.url, *PR_ARGS["github"])

    assert r.code == 3, r.err
    assert r.out == ""
    if show_traceback:
        assert r.err.startswith("Traceback (most recent call last):\n"), r.err
        assert "RuntimeError: transport bug at http://127.0.0.1:" in r.err
    else:
        assert r.err.count("\n") == 1
        assert r.err.startswith("relane: internal error: RuntimeError: transport bug at http://127.0.0.1:"), r.err
        assert r.err.endswith("(set RELANE_TRACEBACK=1 to see where)\n")
    assert "with Bearer *** (GH_TOKEN=***)" in r.err
    assert_clean("stderr", r.err)
    for text in r.logs:
        assert_clean("the log", text)
    assert_nothing_written_leaks(tmp_path, before)
    assert not forge.requests  # the transport failed before anything was sent


# A token an HTTP header cannot carry: refused up front, its value never shown

BAD_TOKENS = {
    "newline": "ghp_TOPSECRET1\nTOPSECRET2",
    "carriage-return": "ghp_TOPSECRET1\rTOPSECRET2",
    "space": "ghp_TOPSECRET1 TOPSECRET2",
    "tab": "ghp_TOPSECRET1\tTOPSECRET2",
    "delete": "ghp_TOPSECRET1\x7fTOPSECRET2",
    "non-ascii": "ghp_TOPSECRET1\u00f6TOPSECRET2",
}
BAD_TOKEN_ERROR = (
    "relane: error: {} holds a character a token cannot have (a space, a control character such as a "
    "newline, or a non-ASCII character); set it to the token alone\n"
)


@pytest.mark.parametrize("variable", ["GITHUB_TOKEN", "GH_TOKEN"])
@pytest.mark.parametrize("value", list(BAD_TOKENS.values()), ids=list(BAD_TOKENS))
def test_guard_refuses_a_token_a_header_cannot_carry(run, forge, monkeypatch, value, variable):
    if variable == "GH_TOKEN":
        monkeypatch.delenv("GITHUB_TOKEN")
    monkeypatch.setenv(variable, value)
    forge.on("GET", "/repos/acme/widgets/actions/runners", Answer(200, {"runners": []}))
    r = run("guard", "--label", "x", "--repo", "acme/widgets", "--forge", "github", "--api-url", forge.url)
    assert (r.code, r.out, r.err) == (2, "", BAD_TOKEN_ERROR.format(variable))
    assert "TOPSECRET" not in "".join(text for _, text in exception_texts(r.raised))
    assert forge.requests == []  # refused before any request


@pytest.mark.parametrize("value", list(BAD_TOKENS.values()), ids=list(BAD_TOKENS))
def test_pull_request_refuses_a_token_a_header_cannot_carry(run, workrepo, forge, tmp_path, monkeypatch, value):
    root = workrepo()
    monkeypatch.setenv("GITHUB_TOKEN", value)
    install(forge, PR_STEPS["github"], "", FAILURES["401"], None)
    r = run("retarget", str(root), *SHIP_ARGS, "--branch", "lane", "--push", "--open-pr",
            "--api-url", forge.url, *PR_ARGS["github"])
    assert (r.code, r.out, r.err) == (2, "", BAD_TOKEN_ERROR.format("GITHUB_TOKEN"))
    assert forge.requests == []
    # Nothing was changed: no branch made, nothing pushed.
    assert git(root, "branch", "--list", "lane") == ""
    assert git(tmp_path / "remote" / "acme" / "widgets.git", "branch", "--list", "lane") == ""


def test_a_header_the_http_library_refuses_is_not_quoted(forge):
    """Below the up-front check: if a value a header cannot carry ever
    reached the HTTP library, its error (which quotes the header) is not
    shown, only its type."""
    from relane.deliver.forge.http import Api, ForgeError
    from relane.redact import Secret

    api = Api("github", forge.url, Secret("ghp_TOPSECRET1\nTOPSECRET2"), auth_scheme="Bearer")
    with api, pytest.raises(ForgeError) as raised:
        api.request("GET", "repos/acme/widgets")
    assert str(raised.value) == (
        f"github: the request to {forge.url} could not be sent (LocalProtocolError) (GET /repos/acme/widgets)"
    )
    assert raised.value.__cause__ is None and raised.value.__context__ is None
    assert forge.requests == []
