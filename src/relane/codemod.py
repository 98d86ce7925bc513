"""The codemod protocol: what the engine runs over each workflow file.

A codemod looks at one loaded :class:`~relane.model.Workflow` and proposes
a :class:`Proposal`: a :class:`JobResult` for every job it considered (an
:class:`Outcome` and a :class:`Reason` with plain words), the span
:class:`~relane.edit.ops.Edit` s that make its change, and what each node it
replaces must read as afterwards. The engine (:mod:`relane.engine`) applies
the edits, re-parses the result and compares it with that intended data
before anything is shown or written, then diffs and writes.

Retarget (:mod:`relane.codemods.retarget`) and its rollback
(:mod:`relane.codemods.rollback`) are codemods on this protocol; so can be
a user's own::

    class PinRunner(relane.Codemod):
        name = "pin-runner"

        def transform(self, workflow, context):
            results, edits, intended = [], [], []
            for job in workflow.jobs:
                ...
            return relane.Proposal(tuple(results), tuple(edits), tuple(intended))

    plan = relane.run(PinRunner(), relane.discover(["."]))
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from relane.edit.ops import Edit
    from relane.model import Job, Workflow
    from relane.read.tree import AnyNode


class Outcome(str, enum.Enum):
    """What happened to a job."""

    MOVED = "moved"
    ALREADY = "already"
    EXCLUDED = "excluded"
    SKIPPED = "skipped"

    def __str__(self) -> str:
        return self.value


class Reason(str, enum.Enum):
    """Why a job ended as it did: stable codes for machines (JSON, tests).

    A codemod of one's own may use these or a ``str`` Enum of its own.
    """

    # moved
    MOVED = "moved"
    MOVED_BACK = "moved-back"
    # already where it should be
    ON_TARGET = "on-target"
    # left out by the selection
    NOT_SELECTED = "not-selected"
    TRIGGER = "trigger"
    LABEL = "label"
    CLAIMED = "claimed"
    OTHER_MOVE = "other-move"
    NOT_ON_TARGET = "not-on-target"
    # not moved: the runs-on cannot be moved safely
    SAME_LINE = "same-line"
    NO_RUNS_ON = "no-runs-on"
    REUSABLE = "reusable"
    EXPRESSION = "expression"
    GROUP = "group"
    ALIAS = "alias"
    ANCHOR = "anchor"
    SHARED = "shared"
    MERGED = "merged"
    EMPTY = "empty"
    UNSUPPORTED = "unsupported"
    # rolling back
    NO_RECORD = "no-record"
    CHANGED = "changed"

    def __str__(self) -> str:
        return self.value


class Notice(str, enum.Enum):
    """Codes of :class:`Caution` s: what a reviewer must hear about."""

    UNTRUSTED_TRIGGER = "untrusted-trigger"
    OUTSIDE_ROOT = "outside-root"
    SELECTOR = "selector"  # a selector value that matches nothing

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Caution:
    """Something a reviewer must hear about: a stable ``code``, plain words,
    and where (a workflow, and the job and its line when it concerns one;
    ``workflow`` is empty for what concerns the whole run)."""

    code: str
    text: str
    workflow: str
    job: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.workflow}:{self.line}" if self.line else self.workflow
        if not where:  # of the whole run, such as a selector that matches nothing
            return self.text
        return f"{where}: job {self.job}: {self.text}" if self.job else f"{where}: {self.text}"

    def to_dict(self) -> dict:
        return {"code": str(self.code), "text": self.text, "workflow": self.workflow, "job": self.job, "line": self.line}


@dataclass(frozen=True)
class JobResult:
    """What happened to one job, and why.

    ``code`` is stable for machines (a :class:`Reason`); ``reason`` is for
    people. ``before`` and ``after`` are the runs-on data as parsed, before
    and after the run. With comment options, ``comment`` says what happened
    to relane's comment block (``added``, ``updated``, ``unchanged``,
    ``removed`` or ``none``) and ``dropped`` counts the comment blocks
    removed (or, rolling back, put back); without them ``comment`` is
    ``None``. ``warnings`` say what a reviewer must know about a move (see
    :mod:`relane.safety`).
    """

    workflow: str
    job: str
    outcome: Outcome
    code: str
    reason: str
    before: Any
    after: Any
    line: int | None = None
    triggers: tuple[str, ...] = ()
    comment: str | None = None
    dropped: int = 0
    warnings: tuple[Caution, ...] = ()

    @classmethod
    def of(
        cls,
        workflow: Workflow,
        job: Job,
        outcome: Outcome,
        code: str,
        reason: str,
        before: Any,
        after: Any,
        comment: str | None = None,
        dropped: int = 0,
    ) -> JobResult:
        """The result for ``job`` of ``workflow`` (its path, line and triggers filled in)."""
        return cls(
            workflow=workflow.path,
            job=job.id,
            outcome=outcome,
            code=code,
            reason=reason,
            before=before,
            after=after,
            line=workflow.source.line_col(job.key.start)[0],
            triggers=workflow.events,
            comment=comment,
            dropped=dropped,
        )

    def to_dict(self) -> dict:
        doc = {
            "workflow": self.workflow,
            "job": self.job,
            "outcome": self.outcome.value,
            "code": str(self.code),
            "reason": self.reason,
            "before": self.before,
            "after": self.after,
            "line": self.line,
            "triggers": list(self.triggers),
            "warnings": [{"code": str(w.code), "text": w.text} for w in self.warnings],
        }
        if self.comment is not None:
            doc["comment"] = self.comment
            doc["dropped_comments"] = self.dropped
        return doc


@dataclass(frozen=True)
class Intent:
    """A node of the original document and the plain data (a string, a list
    or a mapping of them, or ``None``) it must read as after the edits."""

    node: AnyNode
    data: Any


@dataclass(frozen=True)
class Proposal:
    """What a codemod proposes for one workflow: a result for every job it
    considered, the span edits, and the intended data of each replaced node
    (every other node must read exactly as before)."""

    results: tuple[JobResult, ...] = ()
    edits: tuple[Edit, ...] = ()
    intended: tuple[Intent, ...] = ()


@dataclass(frozen=True)
class Context:
    """What the engine tells a codemod about the run.

    ``claimed`` maps the ids of jobs another codemod of the same run has
    already handled to who did (``migration NAME``); a codemod leaves them
    alone and reports them as :attr:`Reason.CLAIMED`.
    """

    claimed: Mapping[str, str] = field(default_factory=dict)


ALONE = Context()
"""The context of a codemod run on its own: no job claimed by another."""


class Codemod:
    """The base of every codemod; subclasses implement :meth:`transform`.

    Class attributes a subclass may set (reports read them):

    ``name``
        what the codemod is called in reports;
    ``target``
        the runs-on the jobs it moves end on (a label or a list), or
        ``None`` when each job goes somewhere of its own;
    ``landing``
        the labels moved jobs now run on: a move of a job that people
        outside the repository can trigger onto one that is not
        GitHub-hosted draws a warning (:mod:`relane.safety`); empty for none;
    ``selector`` and ``comments``
        the job selection and comment options, when it has them.
    """

    name: ClassVar[str] = "codemod"
    selector: Any = None
    comments: Any = None

    @property
    def target(self) -> Any:
        return None

    @property
    def landing(self) -> tuple[str, ...]:
        return ()

    def transform(self, workflow: Workflow, context: Context) -> Proposal:  # pragma: no cover - abstract
        """Look at ``workflow`` and propose results, edits and intended data."""
        raise NotImplementedError(f"{type(self).__name__} does not implement transform()")
