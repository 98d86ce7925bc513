"""relane: byte-exact codemods for GitHub, Gitea and Forgejo Actions workflows.

The library is the product; the ``relane`` command is a thin shell over it.
The pipeline, stage by stage: :mod:`relane.read` (find and read workflow
files), :mod:`relane.model` (jobs, triggers, runs-on forms),
:mod:`relane.select`, :mod:`relane.codemod` (the protocol) and
:mod:`relane.codemods` (retarget, rollback), :mod:`relane.edit` (span edits
and :func:`patch`), :mod:`relane.engine` (run, verify, diff),
:mod:`relane.render`, :mod:`relane.deliver` (write, branch, pull request),
:mod:`relane.guard`.

>>> import relane
>>> plan = relane.plan(["."], "publish",
...                    selector=relane.Selector.build(on=["@ship"], not_on=["@pr"]))
>>> print(plan.diff)           # doctest: +SKIP
>>> for job in plan.results:   # doctest: +SKIP
...     print(job.workflow, job.job, job.outcome, job.reason)
>>> plan.write()               # doctest: +SKIP
"""

__version__ = "0.1.0"

from relane.codemod import Caution, Codemod, Context, Intent, JobResult, Notice, Outcome, Proposal, Reason
from relane.codemods.retarget import Retarget
from relane.edit.ops import Edit, apply, insert_lines, insert_text, remove_lines, replace_labels, replace_lines, replace_scalar
from relane.edit.routes import Add, Append, Remove, Replace, patch
from relane.changes import FileChange, FileResult, FileStatus, rewrite
from relane.engine import Plan, StrictError, plan_workflow, run, run_all
from relane.roots import plan
from relane.errors import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_INTERNAL,
    EXIT_OK,
    InputError,
    PatchError,
    RelaneError,
    UsageError,
    VerificationError,
)
from relane.model import Form, Job, RunsOn, Trigger, Workflow, load
from relane.read.files import WorkflowFile, discover
from relane.read.source import Source
from relane.read.tree import Alias, Map, Scalar, Seq
from relane.select import EVENT_GROUPS, JobPattern, Selector


# Comments, migrations, the inventory, the guard, reports and delivery (git,
# forge APIs) are imported on first use, so that a plain retarget (and the
# command's start-up) does not pay for them.
_LAZY = {
    "DeliverOptions": ("deliver.branch", "DeliverOptions"),
    "Delivery": ("deliver.branch", "Delivery"),
    "PullRequestOptions": ("deliver.branch", "PullRequestOptions"),
    "Comments": ("comments.annotate", "Comments"),
    "Template": ("comments.annotate", "Template"),
    "Migration": ("migrate", "Migration"),
    "MigrationPlan": ("migrate", "MigrationPlan"),
    "Rollback": ("codemods.rollback", "Rollback"),
    "load_migrations": ("migrate", "load"),
    "plan_migrations": ("migrate", "plan_migrations"),
    "Entry": ("inventory", "Entry"),
    # modules
    "guard": ("guard", None),
    "diff": ("diff", None),
    "inventory": ("inventory", None),
    "markdown": ("render.markdown", None),
    "migrate": ("migrate", None),
}

__all__ = [
    "Add",
    "Append",
    "PatchError",
    "Remove",
    "Replace",
    "patch",
    "EVENT_GROUPS",
    "EXIT_CHANGES",
    "EXIT_ERROR",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "Alias",
    "Caution",
    "Codemod",
    "Context",
    "Edit",
    "FileChange",
    "FileResult",
    "FileStatus",
    "Form",
    "InputError",
    "Intent",
    "Job",
    "JobPattern",
    "JobResult",
    "Map",
    "Notice",
    "Outcome",
    "Plan",
    "Proposal",
    "Reason",
    "RelaneError",
    "Retarget",
    "RunsOn",
    "Scalar",
    "Selector",
    "Seq",
    "Source",
    "StrictError",
    "Trigger",
    "UsageError",
    "VerificationError",
    "Workflow",
    "WorkflowFile",
    "apply",
    "discover",
    "insert_lines",
    "insert_text",
    "load",
    "plan",
    "plan_workflow",
    "remove_lines",
    "replace_labels",
    "replace_lines",
    "replace_scalar",
    "rewrite",
    "run",
    "run_all",
    *_LAZY,
]


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        module, attribute = _LAZY[name]
        loaded = import_module(f"relane.{module}")
        value = loaded if attribute is None else getattr(loaded, attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'relane' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
