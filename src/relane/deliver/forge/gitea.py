"""The Gitea and Forgejo REST API (``/api/v1``), which the two share.

Pull requests: ``POST /repos/{owner}/{repo}/pulls`` with label *ids*, so
label names are looked up first in ``GET /repos/{owner}/{repo}/labels`` and
then the organisation's ``GET /orgs/{org}/labels``; reviewers through
``POST .../pulls/{n}/requested_reviewers``. Neither forge has a draft flag:
a draft is a pull request whose title starts with ``WIP:``.

Runners: ``GET /repos/{owner}/{repo}/actions/runners``,
``GET /orgs/{org}/actions/runners`` and, for the instance,
``GET /admin/actions/runners``. Gitea (and Forgejo before its runner API
changed) answers ``{"runners": [...], "total_count": N}`` with GitHub's
runner shape; newer Forgejo answers a JSON array of runners whose labels
are strings and whose status is ``offline``, ``idle`` or ``active``, and
lists the runners a repository can use (its own, its owner's, the
instance's) when asked with ``visible=true``. Lists are paged with
``page`` and ``limit``.
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
    head_of,
    newest,
    pull_state,
    reviews_verdict,
)
from relane.deliver.forge.types import TOKEN_VARIABLES, PullRequest
from relane.errors import UsageError

WIP_PREFIX = "WIP: "


class Gitea(Client):
    def __init__(self, repo, token, *, timeout: float = DEFAULT_TIMEOUT, deadline: float | None = None) -> None:
        super().__init__()
        self.repo = repo
        self.api = Api(
            repo.forge,
            repo.api_url,
            token,
            auth_scheme="token",
            headers={"Accept": "application/json"},
            timeout=timeout,
            deadline=deadline,
            token_hint=" or ".join(TOKEN_VARIABLES[repo.forge]),
        )

    def resolve_labels(self, names: Sequence[str]) -> list[Any]:
        if not names:
            return []
        known = self._labels(f"{self.repo_path}/labels")
        missing = [n for n in names if n not in known]
        if missing:
            try:
                for name, label_id in self._labels(f"orgs/{segment(self.repo.owner)}/labels").items():
                    known.setdefault(name, label_id)
            except ForgeError as exc:
                if exc.status != 404:  # 404: a user, not an organisation, owns the repository
                    raise
        missing = [n for n in names if n not in known]
        if missing:
            raise UsageError(
                f"{self.repo.forge}: no label {', '.join(map(repr, missing))} in {self.repo.full_name}; "
                "create it first"
            )
        return [known[n] for n in names]

    def _labels(self, path: str) -> dict[str, int]:
        return {
            label["name"]: label["id"]
            for label in self.api.pages_by_number(path, {}, lambda doc: doc)
            if isinstance(label, dict) and isinstance(label.get("name"), str) and "id" in label
        }

    def open_pull_request(self, *, head, base, title, body, draft=False, labels=()) -> PullRequest:
        title = _title(title, draft)
        payload: dict[str, Any] = {"head": head, "base": base, "title": title, "body": body}
        if labels:
            payload["labels"] = list(labels)
        return pull_request(self.api.json("POST", f"{self.repo_path}/pulls", json_body=payload), self.api.name)

    def finish_pull_request(self, pr, *, labels=(), reviewers=()) -> None:
        self.request_reviewers(pr, reviewers)  # the labels went in with the pull request

    # a campaign's pull requests

    def find_pull_request(self, head: str, base: str) -> PullState | None:
        """The campaign's pull request from branch ``head`` of this repository (open first), if any."""
        found = self.api.pages_by_number(f"{self.repo_path}/pulls", {"state": "all"}, lambda doc: doc)
        mine = (doc for doc in found if head_of(doc) in ((head, self.repo.full_name), (head, None)))
        return newest(p for p in map(pull_state, mine) if p is not None)

    def update_pull_request(self, pr: PullState, *, title, body, draft, labels) -> bool:
        """Bring ``pr``'s title and body to these and add the labels (ids) it
        lacks (labels people added are kept); whether anything had to change."""
        title = _title(title, draft)
        changed = False
        if (pr.title, pr.body) != (title, body):
            self.api.json("PATCH", f"{self.repo_path}/pulls/{pr.number}", json_body={"title": title, "body": body})
            changed = True
        ids = self._labels(f"{self.repo_path}/labels") if labels else {}
        present = {ids[name] for name in pr.labels if name in ids}
        missing = [label_id for label_id in labels if label_id not in present]
        if missing:
            self.api.json("POST", f"{self.repo_path}/issues/{pr.number}/labels", json_body={"labels": missing})
            changed = True
        return changed

    def checks(self, sha: str) -> str:
        doc = self.api.json("GET", f"{self.repo_path}/commits/{sha}/status")
        return checks_verdict(combined_statuses(doc))

    def reviews(self, number: int) -> str:
        return reviews_verdict(
            self.api.pages_by_number(f"{self.repo_path}/pulls/{number}/reviews", {}, lambda doc: doc)
        )

    def list_repos(self, org: str) -> list[dict]:
        try:
            return list(self.api.pages_by_number(f"orgs/{segment(org)}/repos", {}, lambda doc: doc))
        except ForgeError as exc:
            if exc.status != 404:
                raise
        return list(self.api.pages_by_number(f"users/{segment(org)}/repos", {}, lambda doc: doc))

    def _runner_paths(self) -> dict[str, str]:
        return {**super()._runner_paths(), "instance": "admin/actions/runners"}

    def list_runners(self, scope: str) -> list[dict]:
        path = self.runner_path(scope)
        params = {"visible": "true"} if self.repo.forge == "forgejo" and scope != "instance" else {}
        return list(self.api.pages_by_number(path, params, _runners))


def _title(title: str, draft: bool) -> str:
    """Gitea and Forgejo mark a draft by its title."""
    if draft and not title.upper().startswith(("WIP:", "[WIP]")):  # Gitea's test ignores case
        return WIP_PREFIX + title
    return title


def _runners(doc: Any) -> list:
    if isinstance(doc, dict):
        return doc.get("runners") or []
    return doc if isinstance(doc, list) else []
