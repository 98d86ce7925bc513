"""Saved migrations: named retargets kept in a TOML file, applied or rolled back.

A spec file holds one or more ``[migration.NAME]`` tables, each with what
``relane retarget`` takes::

    [migration.publish-lane]
    on = ["@ship"]
    not-on = ["@pr"]
    from = ["ubuntu-latest"]
    to = "publish"
    comment = "hard-dependency"
    ref = "internal#462"
    drop-comment = ["NOTE: moved back from the .docker. label"]

Paths (and a comment template file) are relative to the spec file. A
migration always leaves relane's record above each moved job's ``runs-on``
(with no ``comment`` it is the ``# relane: was ...`` line alone), so
:func:`plan_migrations` with ``reverse=True`` can put every moved job back
exactly as it was, dropped comments included.

Migrations run in the order written, in one pass over each file: a job is
handled by the first migration that moves it (or finds it on its target),
and later ones report it as left to that one.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from relane.comments.annotate import Comments, OptionError, data_labels, undo
from relane.read.discover import discover
from relane.errors import InputError, UsageError
from relane.model import Workflow
from relane.engine import Plan, Run, finish
from relane.render.text import show_value
from relane.codemods.retarget import JobResult, Outcome, Retarget, check_label
from relane.select import JobPattern, Selector, expand_events
from relane.read.tree import gc_paused

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_LIST_KEYS = ("paths", "include", "exclude", "jobs", "on", "not-on", "from", "drop-comment")
_TEXT_KEYS = ("comment", "ref", "note")
_FLAG_KEYS = ("move-expressions", "move-groups")
KEYS = ("paths", "include", "exclude", "jobs", "on", "not-on", "from", "to", *_FLAG_KEYS, *_TEXT_KEYS, "comment-width", "drop-comment")
"""The keys a ``[migration.NAME]`` table may hold."""


@dataclass(frozen=True)
class Migration:
    """One named migration of a spec file, checked and ready to run."""

    name: str
    to: tuple[str, ...]
    paths: tuple[Path, ...] = (Path("."),)
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    selector: Selector = field(default_factory=Selector)
    move_expressions: bool = False
    move_groups: bool = False
    comments: Comments = field(default_factory=lambda: Comments(record=True))

    def codemod(self, reverse: bool = False) -> Retarget | Rollback:
        if reverse:
            return Rollback(self.to, self.selector)
        return Retarget(
            to=self.to,
            selector=self.selector,
            move_expressions=self.move_expressions,
            move_groups=self.move_groups,
            comments=self.comments,
        )


# -- the spec file ---------------------------------------------------------------


def load(path: str | Path) -> list[Migration]:
    """The migrations of spec file ``path``, in the order written.

    Anything wrong (TOML syntax, an unknown key, a value of the wrong type,
    an unknown comment template, a bad pattern) is an :class:`InputError`
    naming the file and the key.
    """
    shown = str(path)
    spec = Path(path)
    try:
        text = spec.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise UsageError(f"{shown}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read: {exc}", shown) from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        m = re.search(r"\s*\(at line (\d+), column (\d+)\)", message)
        if m:
            raise InputError(message[: m.start()] + message[m.end() :], shown, int(m.group(1)), int(m.group(2))) from None
        raise InputError(message, shown) from None
    base = spec.parent
    unknown = [k for k in doc if k != "migration"]
    if unknown:
        raise InputError(f"{unknown[0]}: unknown key (a spec holds [migration.NAME] tables)", shown)
    tables = doc.get("migration")
    if not isinstance(tables, dict) or not tables:
        raise InputError("no migrations: add a [migration.NAME] table", shown)
    migrations = []
    for name, table in tables.items():
        where = f"migration.{name}"
        if not isinstance(table, dict):
            raise InputError(f"{where}: expected a table of settings", shown)
        migrations.append(_migration(name, table, base, lambda key, msg, where=where: InputError(f"{where}.{key}: {msg}", shown)))
    return migrations


def _migration(name: str, table: Mapping[str, Any], base: Path, error) -> Migration:
    for key in table:
        if key not in KEYS:
            raise error(key, f"unknown key (known: {', '.join(KEYS)})")
    lists = {key: _strings(table, key, error) for key in _LIST_KEYS}
    texts = {}
    for key in _TEXT_KEYS:
        value = table.get(key)
        if value is not None and not isinstance(value, str):
            raise error(key, "expected a string")
        texts[key] = value
    flags = {}
    for key in _FLAG_KEYS:
        value = table.get(key, False)
        if not isinstance(value, bool):
            raise error(key, "expected true or false")
        flags[key] = value
    width = table.get("comment-width")
    if width is not None and (isinstance(width, bool) or not isinstance(width, int)):
        raise error("comment-width", "expected a whole number of columns")
    if "to" not in table:
        raise error("to", "missing: the label (or list of labels) to move jobs to")
    to = _strings(table, "to", error)
    if not to or any(not label.strip() for label in to):
        raise error("to", "expected a non-empty label or list of labels")
    try:
        for label in to:
            check_label(label)
    except UsageError as exc:
        raise error("to", exc.message) from None
    to = list(dict.fromkeys(to))  # a label named twice means it once, as in Retarget
    paths = tuple(base / p for p in lists["paths"]) or (base,)
    for given, path in zip(lists["paths"], paths):
        if not path.exists():
            raise error("paths", f"{given}: no such file or folder (relative to the spec file)")
    try:
        jobs = [JobPattern.parse(p) for p in lists["jobs"]]
    except UsageError as exc:
        raise error("jobs", exc.message) from None
    for key in ("on", "not-on"):
        try:
            expand_events(lists[key])
        except UsageError as exc:
            raise error(key, exc.message) from None
    try:
        comments = Comments.build(
            texts["comment"],
            ref=texts["ref"],
            note=texts["note"],
            width=width,
            drop=lists["drop-comment"],
            record=True,
            base=base,
        )
    except OptionError as exc:
        raise error(exc.key, exc.message) from None
    return Migration(
        name=name,
        to=tuple(to),
        paths=paths,
        include=tuple(lists["include"]),
        exclude=tuple(lists["exclude"]),
        selector=Selector.build(jobs=jobs, on=lists["on"], not_on=lists["not-on"], from_labels=lists["from"]),
        move_expressions=flags["move-expressions"],
        move_groups=flags["move-groups"],
        comments=comments,
    )


def _strings(table: Mapping[str, Any], key: str, error) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise error(key, "expected a string or a list of strings")
    return list(value)


# -- rolling back -------------------------------------------------------------------


@dataclass(frozen=True)
class Rollback:
    """Put back the jobs a migration moved: those it selects that are on its
    target and carry relane's record. The record gives back the old runs-on
    text and the dropped comments; relane's block goes."""

    to: tuple[str, ...]
    selector: Selector = field(default_factory=Selector)
    target = None  # every job goes back to a runs-on of its own

    def apply(
        self, workflow: Workflow, claimed: Mapping[str, str] | None = None
    ) -> tuple[list[JobResult], list, dict[int, object]]:
        results: list[JobResult] = []
        edits: list = []
        intended: dict[int, object] = {}
        source = workflow.source
        excluded = self.selector.workflow_reason(workflow)
        target = show_value(self.to[0] if len(self.to) == 1 else list(self.to))
        for job in workflow.jobs:
            before = job.runs_on.data
            after = before
            comment, dropped = "none", 0
            runs_on = job.runs_on
            on_target = runs_on.form.static and set(runs_on.labels) == set(self.to)
            why = excluded or self.selector.job_reason(workflow, job)
            if claimed and job.id in claimed:
                outcome, code, reason = Outcome.EXCLUDED, "claimed", f"left to {claimed[job.id]}"
            elif why:
                outcome, code, reason = Outcome.EXCLUDED, why.code, why.text
            else:
                try:
                    # A job with no room for relane's block has none; what
                    # is above its line is another job's block, or a value.
                    back = undo(source, job) if runs_on.node is not None and job not in workflow.crowded else None
                except InputError as exc:  # a job edited by hand since: it alone is left
                    back = exc
                if back is None:
                    if on_target:
                        outcome, code = Outcome.SKIPPED, "no-record"
                        reason = f"on {target} without relane's record: relane did not move it"
                    else:
                        outcome, code, reason = Outcome.EXCLUDED, "not-on-target", f"not on {target}"
                elif not on_target:
                    outcome, code = Outcome.SKIPPED, "changed"
                    reason = f"runs-on changed since relane moved it (now {show_value(before)}); left alone"
                elif isinstance(back, InputError):
                    outcome, code = Outcome.SKIPPED, "changed"
                    reason = f"changed since relane moved it (line {back.line}: {back.message}); left alone"
                elif self.selector.label_reason(data_labels(back.data)):
                    # Another migration's move to the same label: its own rollback undoes it.
                    outcome, code = Outcome.EXCLUDED, "other-move"
                    reason = f"moved to {target} from {show_value(back.data)}, not by this migration (--from)"
                else:
                    after = back.data
                    outcome, code = Outcome.MOVED, "moved-back"
                    reason = f"moved back from {target} to {show_value(after)}"
                    edits.extend(back.edits)
                    intended[id(runs_on.node)] = after
                    comment, dropped = "removed", back.restored
            results.append(
                JobResult.of(workflow, job, outcome, code, reason, before, after, comment=comment, dropped=dropped)
            )
        return results, edits, intended


# -- running a spec ---------------------------------------------------------------


@dataclass(eq=False)
class MigrationPlan:
    """A run of several migrations: ``plan`` holds every file changed (for the
    diff and for writing); ``parts`` the plan of each migration, whose
    ``changes`` are the files it had a hand in."""

    plan: Plan
    parts: list[tuple[Migration, Plan]]
    reverse: bool = False

    @property
    def changed(self) -> bool:
        return self.plan.changed

    @property
    def diff(self) -> str:
        return self.plan.diff

    def write(self) -> list[str]:
        return self.plan.write()


def select(migrations: Sequence[Migration], names: Sequence[str]) -> list[Migration]:
    """The migrations called ``names`` (all when empty), in spec order."""
    known = [m.name for m in migrations]
    for name in names:
        if name not in known:
            raise UsageError(f"no migration named {name!r} (known: {', '.join(known)})")
    return [m for m in migrations if not names or m.name in names]


def plan_migrations(migrations: Sequence[Migration], reverse: bool = False) -> MigrationPlan:
    """Plan ``migrations`` (or their rollback) in one pass over their files."""
    codemods = [m.codemod(reverse) for m in migrations]
    parts = [(m, Plan(target=c.target, codemod=c)) for m, c in zip(migrations, codemods)]
    combined = Plan()
    each = Run(combined)
    files: dict[Path, tuple[Any, list[int]]] = {}
    for i, migration in enumerate(migrations):
        for wf in discover(migration.paths, migration.include, migration.exclude):
            files.setdefault(wf.file.resolve(), (wf, []))[1].append(i)
    with gc_paused():  # as in plan.run: nothing here makes reference cycles
        for wf, members in files.values():
            workflow = each.read(wf)
            if workflow is None:
                continue
            claimed: dict[str, str] = {}
            edits: list = []
            intended: dict[int, object] = {}
            touched = []
            for i in members:
                migration, part = parts[i]
                part.files.append(wf.path)
                if not workflow.jobs:
                    part.notes.append((wf.path, "no jobs"))
                results, more, meant = codemods[i].apply(workflow, claimed)
                # A rollback moves jobs back to their own old labels: no new exposure.
                each.add(wf, results, () if reverse else migration.to, into=part)
                for r in results:
                    if r.outcome is Outcome.MOVED or r.outcome is Outcome.ALREADY:
                        claimed.setdefault(r.job, f"migration {migration.name}")
                if more:
                    touched.append(part)
                edits.extend(more)
                intended.update(meant)
            change = finish(workflow, edits, intended)
            if change is not None:
                each.place(change, wf)
                combined.changes.append(change)
                for part in touched:
                    part.changes.append(change)
    each.warn_unsafe_moves()
    for _, part in parts:
        combined.results.extend(part.results)
    targets = {repr(part.target) for _, part in parts}
    if len(targets) == 1 and parts:
        combined.target = parts[0][1].target
    return MigrationPlan(combined, parts, reverse)
