"""``campaign status``: where each repository's pull request stands, read
back from the forge, for the repositories of one or several state files."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relane.deliver.campaign.spec import Campaign
from relane.deliver.campaign.state import Record, last_records, read
from relane.deliver.campaign.throttle import Throttle
from relane.deliver.forge.http import ForgeError
from relane.errors import RelaneError
from relane.redact import scrub
from relane.render.format import tally

COLUMNS = ("repository", "pull request", "state", "checks", "reviews")


@dataclass
class Row:
    repo: str
    outcome: str  # the last outcome recorded
    pr: str | None = None
    number: int | None = None
    state: str = "-"  # open, merged, closed; or the last outcome when there is no pull request
    checks: str = "-"
    reviews: str = "-"
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def merged_records(paths: Iterable[Path]) -> dict[str, Record]:
    """The last record of each repository over all the state files (shards' included)."""
    records: list[Record] = []
    for path in paths:
        records.extend(read(path))
    return last_records(records)


def read_status(
    campaign: Campaign, records: dict[str, Record], connect: Callable[[str], Any], throttle: Throttle
) -> list[Row]:
    """A row per repository; those with a pull request are asked about it."""
    rows = []
    for repo in sorted(records):
        record = records[repo]
        row = Row(repo, record.outcome, record.pr, record.number)
        if record.number is None:
            row.state = "failed" if record.outcome == "failed" else ("nothing to change" if record.outcome == "nothing" else "pending")
            row.error = record.error
            rows.append(row)
            continue
        number = record.number
        try:
            with connect(repo) as client:
                row.state, row.checks, row.reviews = throttle.retry(lambda: _ask(client, campaign, number))  # noqa: B023
        except (RelaneError, OSError) as exc:
            row.state, row.error = "unknown", scrub(str(getattr(exc, "message", exc)))
        rows.append(row)
    return rows


def _ask(client, campaign: Campaign, number: int) -> tuple[str, str, str]:
    doc = client.api.json("GET", f"{client.repo_path}/pulls/{number}")
    from relane.deliver.forge.pulls import pull_state

    pr = pull_state(doc)
    if pr is None:
        raise ForgeError(f"{client.api.name}: the answer about pull request #{number} is not one")
    checks = client.checks(pr.head_sha) if pr.head_sha else "none"
    return pr.state, checks, client.reviews(number)


def counts(rows: list[Row]) -> dict[str, int]:
    found: dict[str, int] = {}
    for row in rows:
        found[row.state] = found.get(row.state, 0) + 1
    for row in rows:
        if row.checks != "-":
            key = f"checks {row.checks}"
            found[key] = found.get(key, 0) + 1
    return found


def text(rows: list[Row]) -> str:
    table = [COLUMNS] + [(r.repo, r.pr or "-", r.state, r.checks, r.reviews) for r in rows]
    widths = [max(len(line[i]) for line in table) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in table]
    lines += [r.repo + ": " + r.error for r in rows if r.error]
    lines.append(summary(rows))
    return "\n".join(lines) + "\n"


def markdown(rows: list[Row]) -> str:
    from relane.render.markdown import table
    from relane.render.markdown import text as plain

    lines = table(
        ["Repository", "Pull request", "State", "Checks", "Reviews"],
        (
            [plain(r.repo), f"[#{r.number}]({r.pr})" if r.pr and r.number else "-", plain(r.state),
             plain(r.checks), plain(r.reviews)]
            for r in rows
        ),
    )
    return "\n".join(lines + ["", summary(rows)]) + "\n"


def summary(rows: list[Row]) -> str:
    found = counts(rows)
    order = ["merged", "open", "closed", "pending", "failed", "nothing to change", "unknown"]
    parts = [f"{found[k]} {k}" for k in order if k in found]
    parts += [f"{v} {k}" for k, v in found.items() if k.startswith("checks")]
    return tally(len(rows), "repository", "repositories", parts)
