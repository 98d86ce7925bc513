"""What a campaign reads back from a forge: pull requests, their checks and
reviews, and an organisation's repositories, in one shape for every forge."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PullState:
    """A pull request as a campaign sees it."""

    number: int
    url: str
    state: str  # open, closed or merged
    title: str
    body: str
    labels: tuple[str, ...]
    head_sha: str | None
    draft: bool = False


def pull_state(doc: Any) -> PullState | None:
    """The :class:`PullState` of a forge's pull-request object (GitHub's or Gitea's), or None."""
    if not isinstance(doc, dict) or not isinstance(doc.get("number"), int) or not isinstance(doc.get("html_url"), str):
        return None
    merged = bool(doc.get("merged")) or bool(doc.get("merged_at"))
    state = "merged" if merged else ("open" if doc.get("state") == "open" else "closed")
    head: dict[str, Any] = doc["head"] if isinstance(doc.get("head"), dict) else {}
    labels = tuple(
        label["name"] for label in doc.get("labels") or () if isinstance(label, dict) and isinstance(label.get("name"), str)
    )
    return PullState(
        number=doc["number"],
        url=doc["html_url"],
        state=state,
        title=doc.get("title") or "",
        body=doc.get("body") or "",
        labels=labels,
        head_sha=head.get("sha") if isinstance(head.get("sha"), str) else None,
        draft=bool(doc.get("draft")),
    )


def head_of(doc: Any) -> tuple[str | None, str | None]:
    """The branch and repository (OWNER/NAME) a pull request comes from."""
    head = doc.get("head") if isinstance(doc, dict) else None
    if not isinstance(head, dict):
        return None, None
    repo = head.get("repo")
    return head.get("ref"), repo.get("full_name") if isinstance(repo, dict) else None


def newest(states: Iterable[PullState]) -> PullState | None:
    """The open pull request if there is one, else the most recent."""
    found = sorted(states, key=lambda p: (p.state == "open", p.number))
    return found[-1] if found else None


def checks_verdict(states: Iterable[Any]) -> str:
    """``failing``, ``pending``, ``passing`` or ``none`` for the checks' own words."""
    seen = {s.lower() for s in states if isinstance(s, str)}
    if seen & {"failure", "error", "failed", "cancelled", "timed_out", "action_required", "startup_failure"}:
        return "failing"
    if seen & {"pending", "queued", "in_progress", "waiting", "requested", "running", "warning"}:
        return "pending"
    if seen & {"success", "neutral", "skipped"}:
        return "passing"
    return "none"


def combined_statuses(doc: Any) -> list[Any]:
    """The states of a commit's statuses (``GET .../commits/{ref}/status``)."""
    if not isinstance(doc, dict):
        return []
    statuses = doc.get("statuses") or []
    return [s.get("status") or s.get("state") for s in statuses if isinstance(s, dict)]


def reviews_verdict(reviews: Iterable[Any]) -> str:
    """``changes requested``, ``approved`` or ``none``: each reviewer's last word."""
    last: dict[str, str] = {}
    for review in reviews:
        if not isinstance(review, dict):
            continue
        user: dict[str, Any] = review["user"] if isinstance(review.get("user"), dict) else {}
        state = str(review.get("state") or "").upper()
        if state in ("APPROVED", "CHANGES_REQUESTED", "REQUEST_CHANGES", "DISMISSED"):
            last[str(user.get("login") or user.get("id"))] = state
    if any(s in ("CHANGES_REQUESTED", "REQUEST_CHANGES") for s in last.values()):
        return "changes requested"
    if any(s == "APPROVED" for s in last.values()):
        return "approved"
    return "none"


def repo_names(docs: Iterable[Any], topic: str | None) -> list[str]:
    """The OWNER/NAME of each repository listed, archived ones and those without ``topic`` left out."""
    names = []
    for doc in docs:
        if not isinstance(doc, dict) or not isinstance(doc.get("full_name"), str) or doc.get("archived"):
            continue
        if topic is not None and topic not in (doc.get("topics") or ()):
            continue
        names.append(doc["full_name"])
    return names
