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

from typing import Any, Sequence

from relane.deliver.forge.client import Client, pull_request, segment
from relane.deliver.forge.http import DEFAULT_TIMEOUT, Api, ForgeError
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
