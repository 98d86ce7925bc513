"""A fake forge with state, on the loopback server of forgeserver.py: the
GitHub and Gitea pull-request APIs a campaign uses, and faults to inject.

``FakeForge(server, dialect, remotes)`` answers under ``server.url`` (GitHub)
or ``server.url + "/api/v1"`` (Gitea); pull requests are kept per
repository; a pull request's head commit is read from the bare remote in
``remotes``. ``fail(method, pattern, answer, times)`` answers the next
``times`` requests whose path matches ``pattern`` with ``answer`` instead.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from forgeserver import Answer, ForgeServer, Request


@dataclass
class Fault:
    method: str
    pattern: re.Pattern
    answer: Answer
    times: int


@dataclass
class Repo:
    pulls: list[dict] = field(default_factory=list)
    labels: dict[str, int] = field(default_factory=dict)
    statuses: dict[str, list[dict]] = field(default_factory=dict)  # by commit
    reviews: dict[int, list[dict]] = field(default_factory=dict)


class FakeForge:
    def __init__(self, server: ForgeServer, dialect: str, remotes: Path) -> None:
        self.server = server
        self.dialect = dialect
        self.remotes = remotes
        self.repos: dict[str, Repo] = {}
        self.faults: list[Fault] = []
        self.org_repos: dict[str, list[dict]] = {}
        self.prefix = "" if dialect == "github" else "/api/v1"
        server.fallback = self.answer

    @property
    def api_url(self) -> str:
        return self.server.url + self.prefix

    def repo(self, name: str) -> Repo:
        return self.repos.setdefault(name, Repo(labels={"ci": 7, "runners": 9}))

    def fail(self, method: str, pattern: str, answer: Answer, times: int = 1) -> None:
        self.faults.append(Fault(method, re.compile(pattern), answer, times))

    def count(self, method: str, pattern: str) -> int:
        rx = re.compile(pattern)
        return sum(1 for r in self.server.requests if r.method == method and rx.search(r.path))

    def answer(self, request: Request) -> Answer:
        for fault in self.faults:
            if fault.times and fault.method == request.method and fault.pattern.search(request.path):
                fault.times -= 1
                return fault.answer
        path = request.path[len(self.prefix):] if request.path.startswith(self.prefix) else None
        if path is None:
            return Answer(404, {"message": "Not Found"})
        m = re.fullmatch(r"/orgs/([^/]+)/repos", path)
        if m and request.method == "GET":
            return self._page(request, self.org_repos.get(m[1], []))
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)(/.*)?", path)
        if not m:
            return Answer(404, {"message": "Not Found"})
        name, rest = m[1], m[2] or ""
        repo = self.repo(name)
        return self._repo(request, name, repo, rest)

    def _page(self, request: Request, items: list) -> Answer:
        if self.dialect == "github":
            return Answer(200, items)
        page, limit = int(request.query.get("page", 1)), int(request.query.get("limit", 50))
        return Answer(200, items[(page - 1) * limit: page * limit], headers={"X-Total-Count": str(len(items))})

    def _repo(self, request: Request, name: str, repo: Repo, rest: str) -> Answer:
        method, body = request.method, request.body
        if rest == "" and method == "GET":
            return Answer(200, {"full_name": name})
        if rest == "/labels" and method == "GET":
            return self._page(request, [{"name": k, "id": v} for k, v in repo.labels.items()])
        if rest == "/pulls" and method == "GET":
            found = repo.pulls
            if self.dialect == "github":
                head = request.query.get("head", "")
                found = [p for p in found if f"{name.split('/')[0]}:{p['head']['ref']}" == head]
                if request.query.get("state", "open") == "open":
                    found = [p for p in found if p["state"] == "open"]
            return self._page(request, found)
        if rest == "/pulls" and method == "POST":
            return self._open(name, repo, body)
        m = re.fullmatch(r"/pulls/(\d+)(/.*)?", rest) or re.fullmatch(r"/issues/(\d+)(/labels)", rest)
        if m:
            pr = next((p for p in repo.pulls if p["number"] == int(m[1])), None)
            if pr is None:
                return Answer(404, {"message": "Not Found"})
            return self._pull(request, name, repo, pr, m[2] or "")
        m = re.fullmatch(r"/commits/([0-9a-f]+)/(status|check-runs)", rest)
        if m and method == "GET":
            statuses = repo.statuses.get(m[1], [])
            if m[2] == "status":
                return Answer(200, {"state": "pending", "statuses": [s for s in statuses if "state" in s]})
            return Answer(200, {"check_runs": [s for s in statuses if "conclusion" in s]})
        return Answer(404, {"message": "Not Found"})

    def _open(self, name: str, repo: Repo, body: dict) -> Answer:
        head = body["head"]
        if any(p["head"]["ref"] == head and p["state"] == "open" for p in repo.pulls):
            if self.dialect == "github":
                return Answer(422, {"message": "Validation Failed",
                                    "errors": [{"message": f"A pull request already exists for {name}:{head}."}]})
            return Answer(409, {"message": "pull request already exists for these targets"})
        number = len(repo.pulls) + 1
        labels = [{"name": n, "id": i} for n, i in repo.labels.items() if i in body.get("labels", [])]
        pr = {
            "number": number,
            "html_url": f"{self.server.url}/{name}/pull/{number}",
            "state": "open",
            "title": body["title"],
            "body": body["body"],
            "draft": body.get("draft", False),
            "labels": labels,
            "base": {"ref": body["base"]},
            "head": {"ref": head, "sha": self.head_sha(name, head), "repo": {"full_name": name}},
            "merged": False,
            "merged_at": None,
            "reviewers": [],
        }
        repo.pulls.append(pr)
        return Answer(201, pr)

    def _pull(self, request: Request, name: str, repo: Repo, pr: dict, rest: str) -> Answer:
        method, body = request.method, request.body
        if rest == "" and method == "GET":
            pr["head"]["sha"] = self.head_sha(name, pr["head"]["ref"]) or pr["head"]["sha"]
            return Answer(200, pr)
        if rest == "" and method == "PATCH":
            for key in ("title", "body"):
                if key in body:
                    pr[key] = body[key]
            if "labels" in body:
                pr["labels"] = [{"name": n, "id": i} for n, i in repo.labels.items() if i in body["labels"]]
            return Answer(201, pr)
        if rest == "/labels" and method in ("POST", "PUT"):
            keep = [] if method == "PUT" else [label["name"] for label in pr["labels"]]
            by_id = {i: n for n, i in repo.labels.items()}
            names = list(dict.fromkeys(keep + [by_id.get(x, x) for x in body["labels"]]))
            pr["labels"] = [{"name": n, "id": repo.labels.get(n, 0)} for n in names]
            return Answer(200, pr["labels"])
        if rest == "/requested_reviewers" and method == "POST":
            pr["reviewers"] = sorted(set(pr["reviewers"]) | set(body.get("reviewers", [])) | set(body.get("team_reviewers", [])))
            return Answer(201, pr)
        if rest == "/reviews" and method == "GET":
            return self._page(request, repo.reviews.get(pr["number"], []))
        return Answer(404, {"message": "Not Found"})

    def head_sha(self, name: str, branch: str) -> str | None:
        proc = subprocess.run(
            ["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
            cwd=self.remotes / f"{name}.git", capture_output=True,
        )
        return proc.stdout.decode().strip() or None

    def pulls(self, name: str) -> list[dict]:
        return self.repo(name).pulls


def make_remote(remotes: Path, name: str, files: dict[str, str], scratch: Path) -> Path:
    """A bare repository ``remotes/NAME.git`` whose main branch holds ``files``."""
    work = scratch / name.replace("/", "__")
    for path, text in files.items():
        target = work / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text.encode() if isinstance(text, str) else text)
    (work / "README.md").write_text(f"{name}\n")
    run = lambda *a, cwd=work: subprocess.run(["git", *a], cwd=cwd, check=True, capture_output=True)  # noqa: E731
    run("init", "-q", "-b", "main", str(work), cwd=scratch)
    run("add", "-A")
    run("commit", "-q", "-m", "initial")
    bare = remotes / f"{name}.git"
    bare.parent.mkdir(parents=True, exist_ok=True)
    run("clone", "-q", "--bare", str(work), str(bare), cwd=scratch)
    return bare
