"""What the guard checks: the label sets runners must serve.

A :class:`Requirement` is a set of labels one runner must have all of (a
job's ``runs-on``, or a ``--label``).

Which labels count (:func:`requirements_from_workflows`): every static
label of every job, less the jobs that run on GitHub-hosted runners (a
workflow under ``.github/`` whose labels are all GitHub's standard hosted
ones, :data:`relane.safety.GITHUB_HOSTED`) and any labels the caller
ignores. On Gitea and Forgejo there are no hosted runners: ``ubuntu-latest``
there is a label someone's runner must advertise. A hosted-looking label in
a job that also asks for others (``[self-hosted, ubuntu-22.04]``) must be
on the same runner, so it is kept. ``self-hosted`` stays: GitHub lists it
among every self-hosted runner's labels, and on Gitea and Forgejo a job
asking for it needs a runner registered with it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from relane.errors import UsageError
from relane.model import Form, Job
from relane.read.plain import Unexpanded


@dataclass(frozen=True)
class Requirement:
    """Labels that one runner must all have, and the jobs that ask for them."""

    labels: tuple[str, ...]
    jobs: tuple[str, ...] = ()

    @property
    def shown(self) -> str:
        return self.labels[0] if len(self.labels) == 1 else "[" + ", ".join(self.labels) + "]"


@dataclass(frozen=True)
class Skipped:
    """A job the guard did not check, and why."""

    workflow: str
    job: str
    code: str
    reason: str


def requirements_from_labels(values: Iterable[str]) -> list[Requirement]:
    """One requirement per value; ``a,b`` asks for one runner with both labels."""
    found: dict[frozenset, Requirement] = {}
    for value in values:
        labels = tuple(dict.fromkeys(part.strip() for part in value.split(",")))
        if not all(labels):
            raise UsageError(f"empty runner label in {value!r}")
        found.setdefault(frozenset(labels), Requirement(labels))
    return sorted(found.values(), key=lambda r: r.labels)


def merge_requirements(*groups: Iterable[Requirement]) -> list[Requirement]:
    """One requirement per label set, with the jobs of every group that asks for it."""
    merged: dict[frozenset, Requirement] = {}
    for group in groups:
        for req in group:
            key = frozenset(req.labels)
            old = merged.get(key)
            jobs = req.jobs if old is None else tuple(dict.fromkeys(old.jobs + req.jobs))
            merged[key] = Requirement(old.labels if old else req.labels, jobs)
    return sorted(merged.values(), key=lambda r: r.labels)


def requirements_from_workflows(
    paths: Sequence[str | os.PathLike] = (".",),
    *,
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
    ignore: Iterable[str] = (),
    hosted: bool = False,
    warnings: list[str] | None = None,
) -> tuple[list[Requirement], list[Skipped]]:
    """The label sets the jobs under ``paths`` run on, and the jobs not checked.

    ``ignore`` holds labels or glob patterns to leave out (case-insensitive).
    Jobs on GitHub-hosted runners are left out too unless ``hosted``
    (give it when the workflows run on Gitea or Forgejo, which read
    ``.github/workflows`` as well). A file that leads outside its repository
    through a symlink is not read; ``warnings`` (when given) gets a line.
    """
    from relane.codemods.matrix import effective
    from relane.deliver.write import inside_roots
    from relane.model import load
    from relane.read.files import NO_FILES, discover
    from relane.read.source import Source
    from relane.safety import hosted as on_hosted

    patterns = [p.lower() for p in ignore]
    jobs: dict[frozenset, tuple[tuple[str, ...], list[str]]] = {}
    skipped: list[Skipped] = []
    files = list(discover(paths, include, exclude))
    if not files:
        # A guard that checks nothing must not pass: the path or the
        # filters are wrong (the guard's own workflow is a workflow file).
        where = ", ".join(str(p) for p in paths) or "."
        raise UsageError(f"{where}: {NO_FILES}")
    for wf in inside_roots(files, warnings):
        workflow = load(Source.read(wf.file, wf.path), require_mapping=wf.named)
        for job in workflow.jobs:
            # A runs-on naming the matrix runs on each label set the matrix gives.
            sets: list[tuple[tuple[str, ...] | None, str, str]] = [(labels, "", "") for labels in effective(job) or ()] or [_job_labels(job)]
            # A job is left out once for each reason, however many of its
            # matrix's label sets share it.
            left: dict[str, Skipped] = {}
            for labels, code, reason in sets:
                if labels is None:
                    left.setdefault(code, Skipped(wf.path, job.id, code, reason))
                    continue
                if not hosted and on_hosted(wf.path, labels):
                    left.setdefault("hosted", Skipped(wf.path, job.id, "hosted", "runs on a GitHub-hosted runner"))
                    continue
                kept = tuple(label for label in labels if not _matches(label, patterns))
                if not kept:
                    left.setdefault("ignored", Skipped(wf.path, job.id, "ignored", "runs on ignored labels only"))
                    continue
                entry = jobs.setdefault(frozenset(kept), (kept, []))
                if f"{wf.path}:{job.id}" not in entry[1]:
                    entry[1].append(f"{wf.path}:{job.id}")
            skipped.extend(left.values())
    requirements = [Requirement(labels, tuple(names)) for labels, names in jobs.values()]
    return sorted(requirements, key=lambda r: r.labels), skipped


def _matches(label: str, patterns: Sequence[str]) -> bool:
    low = label.lower()
    return any(fnmatchcase(low, p) for p in patterns)


def _job_labels(job: Job) -> tuple[tuple[str, ...] | None, str, str]:
    runs_on = job.runs_on
    form = runs_on.form
    if form is Form.ABSENT:
        if job.uses is not None:
            return None, "reusable", "reusable workflow call; its runner is chosen in the called workflow"
        return None, "no-runs-on", "job has no runs-on"
    if form is Form.EXPRESSION:
        return None, "expression", f"runs-on is an expression ({runs_on.detail}), decided at run time"
    # A runs-on a << merge key brings is read like one written in the job.
    merged = form is Form.MERGED and runs_on.node is not None
    if form in (Form.MERGED, Form.EMPTY, Form.UNSUPPORTED) and not merged:
        return None, form.value, runs_on.detail or f"runs-on is {form.value}"
    data = runs_on.data
    if isinstance(data, Unexpanded):
        return None, "unsupported", f"runs-on is the YAML alias *{data['alias']}, too large to expand; not read"
    # Through a YAML alias the value is read all the same; the reasons say so.
    via = f" (runs-on {runs_on.detail})" if form is Form.ALIAS and runs_on.detail else f" ({runs_on.detail})" if merged else ""
    if isinstance(data, dict):
        if "labels" not in data:
            return None, "group", f"runner group without labels{via}; group members are not listed by label"
        data = data["labels"]
    values = [data] if isinstance(data, str) else data
    if not isinstance(values, list) or not values:
        return None, "unsupported", f"runs-on holds no labels{via}"
    if not all(isinstance(v, str) and v for v in values):
        return None, "unsupported", f"runs-on holds something other than label names{via}"
    if any("${{" in v for v in values):
        return None, "expression", f"runs-on holds an expression{via}, decided at run time"
    return tuple(dict.fromkeys(values)), "", ""
