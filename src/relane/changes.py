"""One file's verified rewrite, and how each file of a run ended.

:func:`rewrite` is the only way to a :class:`FileChange` that
:meth:`relane.engine.Plan.write` accepts: it applies the span edits,
re-parses the new text and checks it against the intended data
(:func:`relane.verify.verify_rewrite`).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from relane.errors import RelaneError, VerificationError
from relane.read.source import Source

if TYPE_CHECKING:
    from relane.codemod import Intent
    from relane.edit.ops import Edit
    from relane.model import Workflow

_PROOF = object()
"""Held by every :class:`FileChange` that :func:`rewrite` verified."""


@dataclass(frozen=True, eq=False)
class FileChange:
    """One file's verified rewrite: build it with :func:`rewrite` (or let
    :func:`run` do it); :meth:`Plan.write` refuses any other."""

    source: Source
    new_text: str
    edits: tuple[Edit, ...]
    root: Path | None = None
    _proof: object = field(default=None, repr=False)
    stored: str | None = None  # the file's own path under root, when a symlink leads to it
    # Job id -> its runs-on data after the change, for each job whose runs-on
    # the change replaces (None when it replaces other values too): reports
    # need not read the new text again.
    replaced_runs_on: dict[str, Any] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        from relane.edit.ops import apply

        object.__setattr__(self, "edits", tuple(self.edits))
        if apply(self.source.text, self.edits) != self.new_text:
            raise VerificationError("the edits do not produce the new text", self.source.path)

    @property
    def verified(self) -> bool:
        return self._proof is _PROOF

    @property
    def path(self) -> str:
        return self.source.path

    @cached_property
    def diff(self) -> str:
        from relane.diff import unified_diff

        # Named where the file itself lies, as git and ``git apply`` see it.
        return unified_diff(self.source, self.edits, name=self.stored)

    @property
    def old_bytes(self) -> bytes:
        return self.source.encode()

    @property
    def new_bytes(self) -> bytes:
        return self.source.encode(self.new_text)


def rewrite(
    workflow: Workflow,
    edits: Sequence[Edit],
    intended: Iterable[Intent] = (),
    root: Path | None = None,
    stored: str | None = None,
) -> FileChange | None:
    """Apply ``edits`` to ``workflow`` and verify the result: every node must
    read as before except those in ``intended``, which must read as their
    intended data (``stored``: the file's own path under ``root`` when a
    symlink leads to it). ``None`` if the text does not change; raises
    :class:`~relane.errors.VerificationError` naming where it went wrong."""
    if not edits:
        return None
    # The editing and YAML-reading modules: not loaded by a run that reads no file.
    from relane.edit.ops import apply
    from relane.verify import verify_rewrite

    source = workflow.source
    new_text = apply(source.text, edits)
    if new_text == source.text:
        return None
    meant = {id(i.node): i.data for i in intended}
    verify_rewrite(workflow.document, Source(source.path, new_text, source.bom), meant, edits)
    replaced = {job.id: meant[id(job.runs_on.node)] for job in workflow.jobs if id(job.runs_on.node) in meant}
    return FileChange(
        source, new_text, tuple(edits), root, _PROOF, stored, replaced if len(replaced) == len(meant) else None
    )


class FileStatus(str, enum.Enum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    REFUSED = "refused"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class FileResult:
    """How one file ended: ``changed`` (with its ``change``), ``unchanged``, or
    ``refused`` (with the ``error`` that stopped it: it cannot be read as a
    workflow, or a rewrite failed verification)."""

    path: str
    status: FileStatus
    change: FileChange | None = None
    error: RelaneError | None = None
