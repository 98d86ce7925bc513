"""How a ``plan`` or ``apply`` run is shown: a line per repository and a
summary, or JSON, or a Markdown table."""

from __future__ import annotations

import json
from collections import Counter

from relane.deliver.campaign.run import RepoResult
from relane.deliver.campaign.spec import Campaign
from relane.render.format import tally

ORDER = ("changes", "opened", "updated", "unchanged", "closed", "stale", "nothing", "skipped", "failed")
WORDS = {
    "changes": "to change",
    "opened": "pull request opened",
    "updated": "pull request updated",
    "unchanged": "up to date",
    "closed": "pull request closed",
    "stale": "pull request stale",
    "nothing": "nothing to change",
    "skipped": "done earlier",
    "failed": "failed",
}


def counts(results: list[RepoResult]) -> dict[str, int]:
    found = Counter(r.outcome for r in results)
    return {k: found[k] for k in ORDER if found[k]}


def summary(results: list[RepoResult]) -> str:
    parts = [f"{n} {_counted(k, n)}" for k, n in counts(results).items()]
    return tally(len(results), "repository", "repositories", parts)


def _counted(outcome: str, n: int) -> str:
    """What ``n`` repositories with ``outcome`` are counted as: ``1 pull request opened``, ``2 pull requests opened``."""
    words = WORDS[outcome]
    return words if n == 1 else words.replace("pull request ", "pull requests ", 1)


def text(results: list[RepoResult]) -> str:
    return "".join(r.line() + "\n" for r in results) + summary(results) + "\n"


def as_json(campaign: Campaign, command: str, results: list[RepoResult]) -> str:
    doc = {
        "command": command,
        "branch": campaign.branch,
        "repositories": [
            {
                "repo": r.repo,
                "outcome": r.outcome,
                "files": r.files,
                "moved": r.moved,
                "pull_request": {"number": r.number, "url": r.pr} if r.pr else None,
                "error": None if r.error is None else {"step": r.step, "message": r.error},
            }
            for r in results
        ],
        "counts": counts(results),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def markdown(results: list[RepoResult]) -> str:
    from relane.render.markdown import table
    from relane.render.markdown import text as plain

    rows = []
    for r in results:
        what = WORDS[r.outcome] if r.outcome not in ("failed",) else f"failed at {r.step}: {r.error}"
        pr = f"[#{r.number}]({r.pr})" if r.pr and r.number else "-"
        rows.append([plain(r.repo), plain(what), str(len(r.files)), str(r.moved), pr])
    lines = table(["Repository", "Outcome", "Files", "Jobs moved", "Pull request"], rows)
    return "\n".join(lines + ["", summary(results)]) + "\n"
