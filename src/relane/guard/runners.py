"""Who could serve a label: runners as the forges' APIs list them.

:func:`parse_runners` reads a listing (GitHub's and Gitea's ``{"runners":
[...]}``, Forgejo's array); :func:`read_listing` reads a saved one and
:func:`listing_forge` tells from its shape which forge wrote it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from relane.errors import InputError, UsageError

ONLINE_STATUSES = ("online", "idle", "active")  # GitHub and Gitea say online; newer Forgejo idle or active


@dataclass(frozen=True)
class Runner:
    """One runner as a forge lists it."""

    name: str
    status: str
    busy: bool
    labels: tuple[str, ...]
    disabled: bool = False
    id: Any = None

    @property
    def online(self) -> bool:
        return self.status in ONLINE_STATUSES and not self.disabled

    @property
    def shown_status(self) -> str:
        if self.disabled:
            return "disabled"
        return "online" if self.status in ONLINE_STATUSES else (self.status or "unknown")


def parse_runners(doc: Any, source: str = "runner listing") -> list[Runner]:
    """Runners from a forge's JSON: ``{"runners": [...]}`` (GitHub, Gitea) or a list (Forgejo).

    A runner's labels are objects with a ``name`` (GitHub, Gitea) or strings
    (Forgejo); its status is ``online``/``offline`` with a ``busy`` flag, or
    Forgejo's ``idle``/``active``/``offline``.
    """
    if isinstance(doc, dict) and isinstance(doc.get("runners"), list):
        items = doc["runners"]
    elif isinstance(doc, list):
        items = doc
    else:
        raise InputError('not a runner listing: expected {"runners": [...]} or a JSON array', source)
    return [_runner(item, source, i) for i, item in enumerate(items)]


def _runner(item: Any, source: str, index: int) -> Runner:
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise InputError(f"runner {index + 1} is not an object with a name", source)
    labels = []
    if not isinstance(item.get("labels") or [], list):
        raise InputError(f"runner {index + 1} has labels that are not a list", source)
    for label in item.get("labels") or []:
        name = label.get("name") if isinstance(label, dict) else label
        if isinstance(name, str) and name:
            labels.append(name)
    status = str(item.get("status") or "").lower()
    busy = item.get("busy")
    runner_id = item.get("id")
    if runner_id is not None and (isinstance(runner_id, bool) or not isinstance(runner_id, (int, str))):
        raise InputError(f"runner {index + 1} has an id that is not a number or a string", source)
    disabled = item.get("disabled")
    return Runner(
        name=item["name"],
        status=status,
        busy=busy if isinstance(busy, bool) else status == "active",
        labels=tuple(labels),
        # Saved or proxied listings may say "true": any true-looking value disables.
        disabled=disabled is True or (isinstance(disabled, str) and disabled.strip().lower() in ("true", "1", "yes")),
        id=runner_id,
    )


def listing_forge(doc: Any) -> str | None:
    """The forge a runner listing's shape gives away, if it does.

    GitHub's runners carry ``os`` (and ``runner_group_id`` in an
    organisation's listing) and its default labels (``self-hosted``,
    ``Linux``, ``X64``) have the type ``read-only``. Gitea's runners carry
    ``disabled`` instead, and Forgejo lists a JSON array with labels as
    strings. An empty listing, or one with neither mark (older Gitea looks
    like GitHub without ``os``), gives nothing away.
    """
    if isinstance(doc, list):
        return "forgejo"
    items = doc.get("runners") if isinstance(doc, dict) else None
    marks = set()
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict):
            continue
        labels = item.get("labels")
        if not isinstance(labels, list):
            labels = []
        if "os" in item or "runner_group_id" in item or any(
            isinstance(label, dict) and label.get("type") == "read-only" for label in labels
        ):
            marks.add("github")
        if "disabled" in item or any(isinstance(label, str) for label in labels):
            marks.add("gitea")
    return marks.pop() if len(marks) == 1 else None


@dataclass(frozen=True)
class Listing:
    """A saved runner listing: its runners, and the forge its shape gives away."""

    runners: list[Runner]
    forge: str | None


def read_listing(file: str | os.PathLike) -> Listing:
    """A saved listing (``-`` reads standard input), its runners and its forge."""
    import sys

    name = str(file)
    try:
        text = sys.stdin.read() if name == "-" else Path(file).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{name}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read runner listing: {getattr(exc, 'strerror', None) or exc}", name) from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg}", name, exc.lineno, exc.colno) from None
    except RecursionError:
        raise InputError("not a runner listing: nested too deep", name) from None
    except ValueError:  # a number with more digits than Python converts
        raise InputError("not a runner listing: a number too long to read", name) from None
    return Listing(parse_runners(doc, name), listing_forge(doc))


def unique(runners: Iterable[Runner]) -> list[Runner]:
    """Runners listed in several scopes, once each."""
    seen: dict[Any, Runner] = {}
    for runner in runners:
        key = runner.id if runner.id is not None else (runner.name, runner.labels)
        seen.setdefault(key, runner)
    return list(seen.values())
