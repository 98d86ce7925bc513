"""The runner-label guard: is every label the workflows need served by a live runner?

A :class:`Requirement` is a set of labels one runner must have all of (a
job's ``runs-on``, or a ``--label``). :func:`check` matches requirements
against :class:`Runner` listings, as the forges' APIs give them, and says
for each which runners have all its labels and whether one of them is
online (or, with ``allow_offline``, whether there is one at all).

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

import json
import os
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import Any, Iterable, Sequence

from relane.errors import EXIT_CHANGES, EXIT_OK, InputError, UsageError
from relane.model import Form, Job
from relane.render.format import printable

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


# What must be served


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
    from relane.read.files import NO_FILES, discover
    from relane.model import load
    from relane.safety import hosted as on_hosted
    from relane.read.source import Source
    from relane.deliver.write import inside_roots

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
            labels, code, reason = _job_labels(job)
            if labels is None:
                skipped.append(Skipped(wf.path, job.id, code, reason))
                continue
            if not hosted and on_hosted(wf.path, labels):
                skipped.append(Skipped(wf.path, job.id, "hosted", "runs on a GitHub-hosted runner"))
                continue
            kept = tuple(label for label in labels if not _matches(label, patterns))
            if not kept:
                skipped.append(Skipped(wf.path, job.id, "ignored", "runs on ignored labels only"))
                continue
            entry = jobs.setdefault(frozenset(kept), (kept, []))
            entry[1].append(f"{wf.path}:{job.id}")
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
    if form in (Form.MERGED, Form.EMPTY, Form.UNSUPPORTED):
        return None, form.value, runs_on.detail or f"runs-on is {form.value}"
    data = runs_on.data
    # Through a YAML alias the value is read all the same; the reasons say so.
    via = f" (runs-on {runs_on.detail})" if form is Form.ALIAS and runs_on.detail else ""
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


# Who serves it


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
        labels = item.get("labels") if isinstance(item.get("labels"), list) else []
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


def has_labels(runner: Runner, labels: Sequence[str], *, case_sensitive: bool = True) -> bool:
    """Whether ``runner`` has every one of ``labels``.

    A runner label written ``name:scheme`` (act_runner's form, as older
    Gitea runners registered it) counts as ``name``.
    """
    have = set()
    for label in runner.labels:
        name = label.split(":", 1)[0]
        have.update((label, name) if case_sensitive else (label.lower(), name.lower()))
    return all((l if case_sensitive else l.lower()) in have for l in labels)


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


# Output


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def verdict(result: GuardResult) -> str:
    kind, a_kind = ("runner", "a runner") if result.allow_offline else ("online runner", "an online runner")
    total = len(result.checks)
    if not total:
        return "nothing to check: no self-hosted runner labels"
    missing = result.missing
    if not missing:
        return f"ok: {'the label is' if total == 1 else f'all {total} labels are'} served by {a_kind}"
    names = ", ".join(c.requirement.shown for c in missing)
    has = "has" if len(missing) == 1 else "have"
    line = f"missing: {len(missing)} of {_plural(total, 'label')} {has} no {kind}: {names}"
    offline = [c.requirement.shown for c in missing if any(not r.disabled for r in c.runners)]
    if offline:
        line += f" (offline runners only for {', '.join(offline)}; --allow-offline counts them)"
    return line


def render_text(result: GuardResult) -> str:
    """A table (label, runner, status, busy), one row per matching runner, and the verdict."""
    rows = [("LABEL", "RUNNER", "STATUS", "BUSY")]
    for c in result.checks:
        if not c.runners:
            rows.append((c.requirement.shown, "-", "-", "-"))
        for r in c.runners:
            rows.append((c.requirement.shown, r.name, r.shown_status, "yes" if r.busy else "no"))
    rows = [tuple(printable(cell) for cell in row) for row in rows]
    lines = []
    if result.checks:
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = [
            f"{a:<{widths[0]}}  {b:<{widths[1]}}  {s:<{widths[2]}}  {busy}".rstrip() for a, b, s, busy in rows
        ]
    lines.append(printable(verdict(result)))
    return "\n".join(lines) + "\n"


def skipped_summary(result: GuardResult) -> str:
    """One line for stderr on the jobs not checked, by reason."""
    if not result.skipped:
        return ""
    from collections import Counter

    codes = Counter(s.code for s in result.skipped)
    detail = ", ".join(f"{n} {code}" for code, n in sorted(codes.items(), key=lambda kv: (-kv[1], kv[0])))
    return f"not checked: {_plural(len(result.skipped), 'job')} ({detail})"


def as_json(result: GuardResult) -> str:
    doc = {
        "served": result.served,
        "allow_offline": result.allow_offline,
        "verdict": verdict(result),
        "labels": [
            {
                "labels": list(c.requirement.labels),
                "served": c.served,
                "jobs": list(c.requirement.jobs),
                "runners": [
                    {"name": r.name, "status": r.shown_status, "busy": r.busy, "labels": list(r.labels)}
                    for r in c.runners
                ],
            }
            for c in result.checks
        ],
        "not_checked": [
            {"workflow": s.workflow, "job": s.job, "code": s.code, "reason": s.reason} for s in result.skipped
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
