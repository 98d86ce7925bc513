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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from relane.codemods.labelmap import LabelMap
from relane.codemods.labeltable import LabelTable, from_spec
from relane.codemods.maprollback import MapRollback
from relane.codemods.retarget import Retarget, check_labels
from relane.codemods.rollback import Rollback
from relane.comments import Comments, OptionError
from relane.engine import Plan, run_all
from relane.errors import InputError, UsageError
from relane.read.files import discover
from relane.read.toml import read_toml
from relane.select import JobPattern, Selector, Unmatched, expand_events

_LIST_KEYS = ("paths", "include", "exclude", "jobs", "on", "not-on", "from", "drop-comment")
_TEXT_KEYS = ("comment", "ref", "note")
_FLAG_KEYS = ("move-expressions", "move-groups")
KEYS = ("paths", "include", "exclude", "jobs", "on", "not-on", "from", "to", "map", *_FLAG_KEYS, *_TEXT_KEYS, "comment-width", "drop-comment")
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
    labels: LabelTable | None = None  # ``map``: replace labels wherever they are set
    others: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The other migrations of the spec file, by name and target: a job on
    one of their targets is theirs to roll back."""

    def codemod(self, reverse: bool = False) -> Retarget | Rollback | LabelMap | MapRollback:
        if self.labels is not None:
            if reverse:
                return MapRollback(self.selector)
            comments = self.comments if self.comments.template is not None else None
            return LabelMap(self.labels, self.selector, record=True, comments=comments)
        if reverse:
            return Rollback(self.to, self.selector, self.others)
        return Retarget(
            to=self.to,
            selector=self.selector,
            move_expressions=self.move_expressions,
            move_groups=self.move_groups,
            comments=self.comments,
        )


# -- the spec file ---------------------------------------------------------------


def load(path: str | Path, root: Path | None = None) -> list[Migration]:
    """The migrations of spec file ``path``, in the order written.

    Anything wrong (TOML syntax, an unknown key, a value of the wrong type,
    an unknown comment template, a bad pattern) is an :class:`InputError`
    naming the file and the key. With ``root`` (a campaign, whose
    repositories are elsewhere) ``paths`` are taken relative to ``root``
    and not looked for yet.
    """
    shown = str(path)
    spec = Path(path)
    doc = read_toml(spec, shown)
    base = spec.parent
    unknown = [k for k in doc if k not in ("migration", "campaign")]
    if unknown:
        raise InputError(f"{unknown[0]}: unknown key (a spec holds [migration.NAME] tables and a [campaign])", shown)
    tables = doc.get("migration")
    if not isinstance(tables, dict) or not tables:
        raise InputError("no migrations: add a [migration.NAME] table", shown)
    migrations = []
    for name, table in tables.items():
        where = f"migration.{name}"
        if not isinstance(table, dict):
            raise InputError(f"{where}: expected a table of settings", shown)
        migrations.append(_migration(name, table, base, root, lambda key, msg, where=where: InputError(f"{where}.{key}: {msg}", shown)))
    return [
        replace(m, others=tuple((o.name, o.to) for o in migrations if o.name != m.name and set(o.to) != set(m.to)))
        for m in migrations
    ]


def _migration(name: str, table: Mapping[str, Any], base: Path, root: Path | None, error) -> Migration:
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
    within = base if root is None else root
    paths = tuple(within / p for p in lists["paths"]) or (within,)
    for given, path in zip(lists["paths"], paths, strict=False):
        if root is None and not path.exists():
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
    if "map" in table:
        try:
            selector = Selector.build(jobs=jobs, on=lists["on"], not_on=lists["not-on"], from_labels=lists["from"])
        except UsageError as exc:  # what is left to check: the --from labels
            raise error("from", exc.message) from None
        return _map_migration(name, table, base, error, paths, lists, selector, texts, width)
    if "to" not in table:
        raise error("to", "missing: the label (or list of labels) to move jobs to (or a map of labels)")
    to = _strings(table, "to", error)
    if not to or any(not label.strip() for label in to):
        raise error("to", "expected a non-empty label or list of labels")
    try:
        to = list(check_labels(to))
    except UsageError as exc:
        raise error("to", exc.message) from None
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
    try:
        selector = Selector.build(jobs=jobs, on=lists["on"], not_on=lists["not-on"], from_labels=lists["from"])
    except UsageError as exc:  # what is left to check: the --from labels
        raise error("from", exc.message) from None
    return Migration(
        name=name,
        to=tuple(to),
        paths=paths,
        include=tuple(lists["include"]),
        exclude=tuple(lists["exclude"]),
        selector=selector,
        move_expressions=flags["move-expressions"],
        move_groups=flags["move-groups"],
        comments=comments,
    )


_NOT_WITH_MAP = ("to", *_FLAG_KEYS, "drop-comment")


def _map_migration(name: str, table: Mapping[str, Any], base: Path, error, paths, lists, selector, texts, width) -> Migration:
    """A migration with ``map``: a label map run over the selected jobs."""
    for key in _NOT_WITH_MAP:
        if key in table:
            raise error(key, "cannot be used with map")
    try:
        comments = Comments.build(texts["comment"], ref=texts["ref"], note=texts["note"], width=width, record=True, base=base)
    except OptionError as exc:
        raise error(exc.key, exc.message) from None
    try:
        labels = from_spec(table["map"], base)
    except UsageError as exc:
        raise error("map", exc.message) from None
    return Migration(
        name=name,
        to=labels.replacements,
        paths=paths,
        include=tuple(lists["include"]),
        exclude=tuple(lists["exclude"]),
        selector=selector,
        labels=labels,
        comments=comments,
    )


def _strings(table: Mapping[str, Any], key: str, error) -> list[str]:
    value = table.get(key, [])
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise error(key, "expected a string or a list of strings")
    return list(value)


# -- running a spec ---------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class MigrationPlan:
    """A run of several migrations: ``plan`` holds every file changed (for the
    diff and for writing); ``parts`` the plan of each migration, whose
    ``changes`` are the files it had a hand in."""

    plan: Plan
    parts: tuple[tuple[Migration, Plan], ...]
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
    runs = [(m.codemod(reverse), discover(m.paths, m.include, m.exclude)) for m in migrations]
    trackers = [_tracker(codemod) for codemod, _ in runs]
    whole, parts = run_all(
        runs, [f"migration {m.name}" for m in migrations], watch=lambda i, workflow: trackers[i].see(workflow)
    )
    # A selector value of a migration that matches nothing: a warning of that migration.
    found = [t.cautions() for t in trackers]
    parts = [replace(part, warnings=part.warnings + more) for part, more in zip(parts, found, strict=True)]
    whole = replace(whole, warnings=whole.warnings + tuple(c for more in found for c in more))
    return MigrationPlan(whole, tuple(zip(migrations, parts, strict=True)), reverse)


def _tracker(codemod: Retarget | Rollback | LabelMap | MapRollback) -> Unmatched:
    tracker = Unmatched.of(codemod)
    assert tracker is not None  # a migration's codemod always has its selector (Migration.selector)
    return tracker
