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

from .discover import WorkflowFile, discover
from .edit import Edit, apply, insert_lines, remove_lines, replace_labels, replace_scalar
from .errors import (
    EXIT_CHANGES,
    EXIT_ERROR,
    EXIT_INTERNAL,
    EXIT_OK,
    InputError,
    RelaneError,
    UsageError,
    VerificationError,
)
from .model import Form, Job, RunsOn, Trigger, Workflow, load
from .plan import FileChange, Plan, plan, plan_workflow, run
from .retarget import Caution, JobResult, Outcome, Retarget
from .select import EVENT_GROUPS, JobPattern, Selector
from .source import Source
from .verify import verify

__all__ = [
    "EVENT_GROUPS",
    "EXIT_CHANGES",
    "EXIT_ERROR",
    "EXIT_INTERNAL",
    "EXIT_OK",
    "Caution",
    "Edit",
    "FileChange",
    "Form",
    "InputError",
    "Job",
    "JobPattern",
    "JobResult",
    "Outcome",
    "Plan",
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
    "discover",
    "insert_lines",
    "load",
    "plan",
    "plan_workflow",
    "remove_lines",
    "replace_labels",
    "replace_scalar",
    "run",
    "verify",
]
