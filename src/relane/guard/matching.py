"""Matching: which runners have all of a requirement's labels, and is one of them live?

:func:`check` matches requirements (:class:`~relane.guard.requirements.Requirement`)
against runner listings (:class:`~relane.guard.runners.Runner`) and says for each
which runners have all its labels and whether one of them is online (or,
with ``allow_offline``, whether there is one at all).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from relane.errors import EXIT_CHANGES, EXIT_OK
from relane.guard.requirements import Requirement, Skipped
from relane.guard.runners import Runner


@dataclass(frozen=True)
class Check:
    requirement: Requirement
    runners: tuple[Runner, ...]  # every runner with all the labels, whatever its status
    served: bool


@dataclass
class GuardResult:
    checks: list[Check]
    skipped: list[Skipped] = field(default_factory=list)
    allow_offline: bool = False

    @property
    def served(self) -> bool:
        return all(c.served for c in self.checks)

    @property
    def missing(self) -> list[Check]:
        return [c for c in self.checks if not c.served]

    @property
    def exit_code(self) -> int:
        return EXIT_OK if self.served else EXIT_CHANGES


def has_labels(runner: Runner, labels: Sequence[str], *, case_sensitive: bool = True) -> bool:
    """Whether ``runner`` has every one of ``labels``.

    A runner label written ``name:scheme`` (act_runner's form, as older
    Gitea runners registered it) counts as ``name``.
    """
    have: set[str] = set()
    for label in runner.labels:
        name = label.split(":", 1)[0]
        have.update((label, name) if case_sensitive else (label.lower(), name.lower()))
    return all((want if case_sensitive else want.lower()) in have for want in labels)


def check(
    requirements: Sequence[Requirement],
    runners: Sequence[Runner],
    *,
    allow_offline: bool = False,
    case_sensitive: bool = True,
    skipped: Sequence[Skipped] = (),
) -> GuardResult:
    """Match each requirement against the runners.

    GitHub compares labels case-insensitively (``case_sensitive=False``);
    Gitea and Forgejo compare them exactly. A disabled runner never counts.
    """
    checks = []
    for req in requirements:
        matching = tuple(r for r in runners if has_labels(r, req.labels, case_sensitive=case_sensitive))
        served = any(r.online or (allow_offline and not r.disabled) for r in matching)
        checks.append(Check(req, matching, served))
    return GuardResult(checks, list(skipped), allow_offline)
