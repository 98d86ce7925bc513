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

# Everything is imported on first use (PEP 562), so that a plain retarget
# (and the command's start-up) pays only for what it runs.
_LAZY = {
    "Caution": ("codemod", "Caution"),
    "Codemod": ("codemod", "Codemod"),
    "Context": ("codemod", "Context"),
    "Intent": ("codemod", "Intent"),
    "JobResult": ("codemod", "JobResult"),
    "Notice": ("codemod", "Notice"),
    "Outcome": ("codemod", "Outcome"),
    "Proposal": ("codemod", "Proposal"),
    "Reason": ("codemod", "Reason"),
    "Retarget": ("codemods.retarget", "Retarget"),
    "Edit": ("edit.ops", "Edit"),
    "apply": ("edit.ops", "apply"),
    "insert_lines": ("edit.ops", "insert_lines"),
    "insert_text": ("edit.ops", "insert_text"),
    "remove_lines": ("edit.ops", "remove_lines"),
    "replace_labels": ("edit.labels", "replace_labels"),
    "replace_lines": ("edit.ops", "replace_lines"),
    "replace_scalar": ("edit.ops", "replace_scalar"),
    "Add": ("edit.routes", "Add"),
    "Append": ("edit.routes", "Append"),
    "Remove": ("edit.routes", "Remove"),
    "Replace": ("edit.routes", "Replace"),
    "patch": ("edit.routes", "patch"),
    "FileChange": ("changes", "FileChange"),
    "FileResult": ("changes", "FileResult"),
    "FileStatus": ("changes", "FileStatus"),
    "rewrite": ("changes", "rewrite"),
    "Plan": ("engine", "Plan"),
    "StrictError": ("engine", "StrictError"),
    "plan_workflow": ("engine", "plan_workflow"),
    "run": ("engine", "run"),
    "run_all": ("engine", "run_all"),
    "plan": ("roots", "plan"),
    "EXIT_CHANGES": ("errors", "EXIT_CHANGES"),
    "EXIT_ERROR": ("errors", "EXIT_ERROR"),
    "EXIT_INTERNAL": ("errors", "EXIT_INTERNAL"),
    "EXIT_OK": ("errors", "EXIT_OK"),
    "InputError": ("errors", "InputError"),
    "PatchError": ("errors", "PatchError"),
    "RelaneError": ("errors", "RelaneError"),
    "UsageError": ("errors", "UsageError"),
    "VerificationError": ("errors", "VerificationError"),
    "Form": ("model", "Form"),
    "Job": ("model", "Job"),
    "RunsOn": ("model", "RunsOn"),
    "Trigger": ("model", "Trigger"),
    "Workflow": ("model", "Workflow"),
    "load": ("model", "load"),
    "WorkflowFile": ("read.files", "WorkflowFile"),
    "discover": ("read.files", "discover"),
    "Source": ("read.source", "Source"),
    "Alias": ("read.tree", "Alias"),
    "Map": ("read.tree", "Map"),
    "Scalar": ("read.tree", "Scalar"),
    "Seq": ("read.tree", "Seq"),
    "EVENT_GROUPS": ("select", "EVENT_GROUPS"),
    "JobPattern": ("select", "JobPattern"),
    "Selector": ("select", "Selector"),
    # comments, migrations, the inventory, the guard, reports and delivery
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
    # loaded from further afield
    "DeliverOptions",
    "Delivery",
    "PullRequestOptions",
    "Comments",
    "Template",
    "Migration",
    "MigrationPlan",
    "Rollback",
    "load_migrations",
    "plan_migrations",
    "Entry",
    "guard",
    "diff",
    "inventory",
    "markdown",
    "migrate",
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
