"""What relane asks of any forge, whatever its API looks like."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from relane.deliver.forge.http import Api, ForgeError
from relane.deliver.forge.types import ForgeRepo, PullRequest
from relane.errors import UsageError


class Client:
    """A forge API client for one repository; subclasses speak each forge's dialect."""

    api: Api
    repo: ForgeRepo

    def __init__(self) -> None:
        self.notes: list[str] = []
        """What the user should know of the answers, though nothing failed (one line each)."""

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.api.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.repo.full_name!r} at {self.api!r})"

    @property
    def repo_path(self) -> str:
        return f"repos/{segment(self.repo.owner)}/{segment(self.repo.name)}"

    def check_repo(self) -> None:
        """Fail now, before anything is changed, if the token cannot see the repository."""
        self.api.json("GET", self.repo_path)

    def resolve_labels(self, names: Sequence[str]) -> list[Any]:
        """What the pull request call takes for these label names."""
        raise NotImplementedError

    def open_pull_request(
        self,
        *,
        head: str,
        base: str,
        title: str,
        body: str,
        draft: bool = False,
        labels: Sequence[Any] = (),
    ) -> PullRequest:
        """Open the pull request (with the labels where the forge takes them at once)."""
        raise NotImplementedError

    def finish_pull_request(self, pr: PullRequest, *, labels: Sequence[Any] = (), reviewers: Sequence[str] = ()) -> None:
        """What the forge adds after the pull request exists: labels, reviewers."""
        raise NotImplementedError

    def request_reviewers(self, pr: PullRequest, reviewers: Sequence[str]) -> None:
        if reviewers:
            people, teams = split_reviewers(reviewers)
            self.api.json(
                "POST",
                f"{self.repo_path}/pulls/{pr.number}/requested_reviewers",
                json_body={"reviewers": people, "team_reviewers": teams},
            )

    def list_runners(self, scope: str) -> list[dict]:
        """The runners of one scope, as the forge's JSON objects."""
        raise NotImplementedError

    def runner_path(self, scope: str) -> str:
        """The API path listing the runners of ``scope``; a :class:`UsageError`
        (before any request) for a scope this forge does not have."""
        paths = self._runner_paths()
        if scope not in paths:
            raise UsageError(f"{self.repo.forge} has no {scope} scope for runners; use {' or '.join(paths)}")
        return paths[scope]

    def _runner_paths(self) -> dict[str, str]:
        return {"repo": f"{self.repo_path}/actions/runners", "org": f"orgs/{segment(self.repo.owner)}/actions/runners"}


def segment(name: str) -> str:
    """``name`` as one segment of an API path: ``/``, ``?``, ``#``, ``%`` and
    the rest percent-encoded, ``.`` and ``..`` too (which a URL would resolve
    away). :func:`~relane.deliver.forge.locate` refuses such names; this holds for
    a :class:`ForgeRepo` made any other way."""
    if name in (".", ".."):
        return name.replace(".", "%2E")
    return quote(name, safe="")


def pull_request(doc: Any, forge: str) -> PullRequest:
    """The number and web address of a pull request the forge answered with."""
    number = url = None
    if isinstance(doc, dict):
        number, url = doc.get("number"), doc.get("html_url")
    if isinstance(number, str) and number.isdigit():
        number = int(number)
    if isinstance(number, int) and not isinstance(number, bool) and isinstance(url, str):
        return PullRequest(number, url)
    # Raised outside any handler: no exception (whose text could hold the answer) is chained.
    raise ForgeError(f"{forge}: the pull request answer has no number and html_url")


def split_reviewers(names: Sequence[str]) -> tuple[list[str], list[str]]:
    """People and teams: ``ORG/TEAM`` (or ``/TEAM``) names a team by its last part."""
    people = [n for n in names if "/" not in n]
    teams = [n.rsplit("/", 1)[1] for n in names if "/" in n]
    return people, teams
