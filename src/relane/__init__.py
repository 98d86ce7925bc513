"""relane: byte-exact codemods for GitHub, Gitea and Forgejo Actions workflows.

The library is the product; the ``relane`` command is a thin shell over it.

>>> import relane
>>> plan = relane.plan(["."], "publish",
...                    selector=relane.Selector.build(on=["@ship"], not_on=["@pr"]))
>>> print(plan.diff)           # doctest: +SKIP
>>> for job in plan.results:   # doctest: +SKIP
...     print(job.workflow, job.job, job.outcome, job.reason)
>>> plan.write()               # doctest: +SKIP
"""

__version__ = "0.1.0"

from relane.read.discover import WorkflowFile, discover
from relane.edit.ops import Edit, apply, insert_lines, insert_text, remove_lines, replace_labels, replace_lines, replace_scalar
from relane.errors import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_INTERNAL,
    EXIT_OK,
    InputError,
    RelaneError,
    UsageError,
    VerificationError,
)
from relane.model import Form, Job, RunsOn, Trigger, Workflow, load
from relane.engine import FileChange, Plan, plan, plan_workflow, run
from relane.codemods.retarget import Caution, JobResult, Outcome, Retarget
from relane.select import EVENT_GROUPS, JobPattern, Selector
from relane.read.source import Source
from relane.verify import verify


def deliver(plan, options, **kwargs):
    """Commit ``plan`` on a new branch, and push it and open a pull request as
    ``options`` say: :func:`relane.deliver.branch.deliver`.

    Defined here, not imported on first use: the ``relane.deliver`` package,
    imported above, would otherwise stand in the function's place."""
    from relane.deliver.branch import deliver as deliver_plan

    return deliver_plan(plan, options, **kwargs)


__all__ = [
    "EVENT_GROUPS",
    "EXIT_CHANGES",
    "EXIT_ERROR",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "Caution",
    "DeliverOptions",
    "Delivery",
    "Edit",
    "FileChange",
    "Form",
    "InputError",
    "Job",
    "JobPattern",
    "JobResult",
    "Outcome",
    "Plan",
    "PullRequestOptions",
    "RelaneError",
    "Retarget",
    "RunsOn",
    "Selector",
    "Source",
    "Trigger",
    "UsageError",
    "VerificationError",
    "Workflow",
    "WorkflowFile",
    "apply",
    "deliver",
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
    "run",
    "verify",
    # loaded on first use (see __getattr__)
    "Comments",
    "Entry",
    "Migration",
    "MigrationPlan",
    "Rollback",
    "Template",
    "inventory",
    "load_migrations",
    "markdown",
    "plan_migrations",
]

# Comments, migrations, the inventory, Markdown reports and delivery (git,
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
    "Rollback": ("migrate", "Rollback"),
    "load_migrations": ("migrate", "load"),
    "plan_migrations": ("migrate", "plan_migrations"),
    "Entry": ("inventory", "Entry"),
    # modules: relane.inventory.inventory(), relane.render.markdown.markdown()
    "inventory": ("inventory", None),
    "markdown": ("render.markdown", None),
}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        module, attribute = _LAZY[name]
        loaded = import_module(f".{module}", __name__)
        value = loaded if attribute is None else getattr(loaded, attribute)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'relane' has no attribute {name!r}")
