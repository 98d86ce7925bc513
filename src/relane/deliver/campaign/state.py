"""The state file: one JSON line per step per repository, appended as it happens.

Each line holds the time, the repository, the step (``fetch``, ``plan``,
``push``, ``pull-request``, ``done``), its outcome, the pull request's
address and number when there is one, and the error when it failed.
A line is written whole, and flushed to disk, before the run goes on: a
run killed at any point loses at most the step it was in, and the next
run starts each repository again from its last line.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from relane.errors import InputError
from relane.redact import scrub

DONE = "done"
FAILED = "failed"
PENDING = "pending"


@dataclass(frozen=True)
class Record:
    """One line of a state file."""

    repo: str
    step: str
    outcome: str
    time: str = ""
    pr: str | None = None
    number: int | None = None
    error: str | None = None
    spec: str | None = None

    @property
    def standing(self) -> str:
        """``done``, ``failed`` or ``pending``: where the repository stands after this step."""
        if self.outcome == FAILED:
            return FAILED
        return DONE if self.step == DONE else PENDING

    def to_json(self) -> str:
        doc: dict[str, Any] = {"time": self.time, "repo": self.repo, "step": self.step, "outcome": self.outcome}
        doc.update({k: v for k, v in (("pr", self.pr), ("number", self.number), ("error", self.error)) if v is not None})
        doc["spec"] = self.spec
        return json.dumps(doc, ensure_ascii=False, sort_keys=False)


class StateFile:
    """The state file of one run (or shard): read at the start, appended to as steps finish."""

    def __init__(self, path: Path, fingerprint: str | None = None) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self._lock = threading.Lock()
        self.last: dict[str, Record] = last_records(read(path)) if path.exists() else {}
        # A line cut short by a kill is ended before the next is written, not joined to it.
        self._cut = path.exists() and path.stat().st_size > 0 and not _ends_line(path)

    def standing(self, repo: str) -> str:
        """Where ``repo`` stands for this spec: a repository finished under another spec is pending."""
        record = self.last.get(repo)
        if record is None:
            return PENDING
        if record.standing == DONE and record.spec != self.fingerprint:
            return PENDING
        return record.standing

    def append(self, repo: str, step: str, outcome: str, **fields: Any) -> Record:
        if fields.get("error") is not None:
            fields["error"] = scrub(str(fields["error"]))
        record = Record(repo, step, outcome, _now(), spec=self.fingerprint, **fields)
        line = (record.to_json() + "\n").encode("utf-8")
        with self._lock:
            if self._cut:
                line, self._cut = b"\n" + line, False
            fd = self._open()
            try:
                os.write(fd, line)  # one write: a line is there whole or not at all
                os.fsync(fd)
            except OSError as exc:
                raise self._unwritable(exc) from None
            finally:
                os.close(fd)
            self.last[repo] = record
        return record

    def check_writable(self) -> None:
        """Raise an :class:`InputError` now, before anything is done, if the file cannot be appended to."""
        os.close(self._open())

    def _open(self) -> int:
        try:
            if not self.path.parent.exists():
                self.path.parent.mkdir(parents=True)
            return os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        except OSError as exc:
            raise self._unwritable(exc) from None

    def _unwritable(self, exc: OSError) -> InputError:
        return InputError(f"cannot write the state file: {exc.strerror or exc}", str(self.path))


def read(path: Path) -> list[Record]:
    """The records of a state file, in order; a line cut short by a kill is skipped."""
    try:
        text = path.read_bytes().decode("utf-8", "replace")
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", str(path)) from None
    records = []
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            doc = json.loads(line)
            records.append(
                Record(
                    repo=doc["repo"], step=doc["step"], outcome=doc["outcome"], time=doc.get("time", ""),
                    pr=doc.get("pr"), number=doc.get("number"), error=doc.get("error"), spec=doc.get("spec"),
                )
            )
        except (ValueError, KeyError, TypeError):
            if line.startswith("{") and not line.rstrip().endswith("}"):
                continue  # a line cut short: the one being written when a run was killed
            raise InputError("not a campaign state line", str(path), number, 1) from None
    return records


def last_records(records: Iterable[Record]) -> dict[str, Record]:
    """The last record of each repository (by time, then by order read), and the
    last pull request it had, kept on a later record that names none."""
    last: dict[str, Record] = {}
    for record in sorted(records, key=lambda r: r.time):  # stable: equal times keep file order
        before = last.get(record.repo)
        if before is not None and record.pr is None and before.pr is not None:
            record = Record(**{**record.__dict__, "pr": before.pr, "number": before.number})
        last[record.repo] = record
    return last


def _ends_line(path: Path) -> bool:
    with path.open("rb") as file:
        file.seek(-1, os.SEEK_END)
        return file.read(1) == b"\n"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")
