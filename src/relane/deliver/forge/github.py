"""GitHub's REST API (github.com and GitHub Enterprise Server).

Pull requests: ``POST /repos/{owner}/{repo}/pulls`` (``draft`` supported),
then labels through the issues endpoint (``POST .../issues/{n}/labels``,
names; GitHub creates a label that does not exist yet) and reviewers
through ``POST .../pulls/{n}/requested_reviewers``. Runners:
``GET /repos/{owner}/{repo}/actions/runners`` and
``GET /orgs/{org}/actions/runners``, paged by the Link header. A user
account has no organisation runners: when the org listing answers 404 and
``GET /users/{owner}`` says ``"type": "User"``, the org scope is empty
(with a note), not an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from relane.deliver.forge.client import Client, pull_request, segment
from relane.deliver.forge.http import DEFAULT_TIMEOUT, Api, ForgeError
from relane.deliver.forge.pulls import (
    PullState,
    checks_verdict,
    combined_statuses,
    newest,
    pull_state,
    reviews_verdict,
)
from relane.deliver.forge.types import TOKEN_VARIABLES, PullRequest


class GitHub(Client):
    def __init__(self, repo, token, *, timeout: float = DEFAULT_TIMEOUT, deadline: float | None = None) -> None:
        super().__init__()
        self.repo = repo
        self.api = Api(
            "github",
            repo.api_url,
            token,
            auth_scheme="Bearer",
            headers={"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28"},
            timeout=timeout,
            deadline=deadline,
            token_hint=" or ".join(TOKEN_VARIABLES["github"]),
        )

    def resolve_labels(self, names: Sequence[str]) -> list[Any]:
        return list(names)

    def open_pull_request(self, *, head, base, title, body, draft=False, labels=()) -> PullRequest:
        doc = self.api.json(
            "POST",
            f"{self.repo_path}/pulls",
            json_body={"title": title, "head": head, "base": base, "body": body, "draft": draft},
        )
        return pull_request(doc, self.api.name)

    def finish_pull_request(self, pr, *, labels=(), reviewers=()) -> None:
        if labels:
            self.api.json("POST", f"{self.repo_path}/issues/{pr.number}/labels", json_body={"labels": list(labels)})
        self.request_reviewers(pr, reviewers)

    # a campaign's pull requests

    def find_pull_request(self, head: str, base: str) -> PullState | None:
        """The campaign's pull request from branch ``head`` of this repository (open first), if any."""
        params = {"head": f"{self.repo.owner}:{head}", "state": "all", "per_page": 100}
        found = self.api.pages_by_link(f"{self.repo_path}/pulls", params, lambda doc: doc)
        return newest(p for p in map(pull_state, found) if p is not None)

    def update_pull_request(self, pr: PullState, *, title, body, draft, labels) -> bool:
        """Bring ``pr``'s title and body to these and add the labels it lacks
        (labels people added are kept); whether anything had to change."""
        changed = False
        if (pr.title, pr.body) != (title, body):
            self.api.json("PATCH", f"{self.repo_path}/pulls/{pr.number}", json_body={"title": title, "body": body})
            changed = True
        missing = [name for name in labels if name not in pr.labels]
        if missing:
            self.api.json("POST", f"{self.repo_path}/issues/{pr.number}/labels", json_body={"labels": missing})
            changed = True
        return changed

    def checks(self, sha: str) -> str:
        states = combined_statuses(self.api.json("GET", f"{self.repo_path}/commits/{sha}/status"))
        runs = self.api.json("GET", f"{self.repo_path}/commits/{sha}/check-runs", params={"per_page": 100})
        for run in runs.get("check_runs") or [] if isinstance(runs, dict) else []:
            if isinstance(run, dict):
                states.append(run.get("conclusion") or run.get("status"))
        return checks_verdict(states)

    def reviews(self, number: int) -> str:
        found = self.api.pages_by_link(f"{self.repo_path}/pulls/{number}/reviews", {"per_page": 100}, lambda doc: doc)
        return reviews_verdict(found)

    def list_repos(self, org: str) -> list[dict]:
        params = {"per_page": 100, "type": "all"}
        try:
            return list(self.api.pages_by_link(f"orgs/{segment(org)}/repos", params, lambda doc: doc))
        except ForgeError as exc:
            if exc.status != 404:
                raise
        return list(self.api.pages_by_link(f"users/{segment(org)}/repos", params, lambda doc: doc))

    def list_runners(self, scope: str) -> list[dict]:
        path = self.runner_path(scope)
        try:
            return list(self.api.pages_by_link(path, {"per_page": 100}, _runners))
        except ForgeError as exc:
            if scope != "org" or exc.status != 404:
                raise
            error = exc
        # A repository owned by a user has no organisation: GitHub answers
        # 404 for its org listing. Asked whose the name is, it says so.
        if not self._owned_by_user():
            raise error
        self.notes.append(
            f"{self.repo.owner} is a user account, not an organisation: no organisation runners"
        )
        return []

    def _owned_by_user(self) -> bool:
        """Whether ``GET /users/{owner}`` calls the owner a user (not an organisation)."""
        try:
            doc = self.api.json("GET", f"users/{segment(self.repo.owner)}")
        except ForgeError:
            return False
        return isinstance(doc, dict) and doc.get("type") == "User"


def _runners(doc: Any) -> list:
    return doc.get("runners", []) if isinstance(doc, dict) else []
