"""Label maps: which runner label becomes which.

A map comes from ``OLD=NEW`` pairs (``--map``), from a TOML table of one's
own (``--map FILE.toml``), or from the table of retired GitHub-hosted labels
shipped with relane (``--map @retired``). GitHub compares runner labels
case-insensitively; Gitea and Forgejo compare them exactly.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from relane.errors import InputError, UsageError
from relane.read.toml import loads, read_toml
from relane.safety import SELF_HOSTED_FORGES

RETIRED = "@retired"


@dataclass(frozen=True)
class Label:
    """One row of a label table: a label and what replaces it."""

    label: str
    replacement: str
    date: str = ""
    architecture: str = ""
    replacement_architecture: str = ""
    source: str = ""
    note: str = ""
    hosted_only: bool = False  # a GitHub-hosted label: left alone beside self-hosted ones

    @property
    def architecture_change(self) -> str | None:
        """``x64 to arm64`` when the replacement runs on another architecture."""
        a, b = self.architecture, self.replacement_architecture
        return f"{a} to {b}" if a and b and a != b else None


@dataclass(frozen=True)
class LabelTable:
    """Labels and their replacements, in the order given."""

    rows: tuple[Label, ...]
    origin: str = "--map"
    shown: str = ""
    _folded: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.rows:
            raise UsageError(f"{self.origin}: the label map is empty")
        exact: dict[str, Label] = {}
        folded: dict[str, Label] = {}
        for row in self.rows:
            for side, label in (("old", row.label), ("new", row.replacement)):
                _check(label, side, self.origin)
            if row.label == row.replacement:
                raise UsageError(f"{self.origin} {row.label}={row.replacement}: the label maps to itself")
            seen = exact.get(row.label)
            if seen is not None and seen.replacement != row.replacement:
                raise UsageError(
                    f"{self.origin}: {row.label} maps to both {seen.replacement} and {row.replacement}"
                )
            exact[row.label] = row
            folded.setdefault(row.label.lower(), row)
        chained = [r for r in self.rows if r.replacement in exact]
        if chained:
            r = chained[0]
            raise UsageError(
                f"{self.origin}: {r.label}={r.replacement} and {r.replacement}={exact[r.replacement].replacement} "
                "chain; map each label straight to its final name"
            )
        self._folded.update(exact=exact, folded=folded)

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple((r.label, r.replacement) for r in self.rows)

    @property
    def replacements(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(r.replacement for r in self.rows))

    def row(self, label: str, fold: bool) -> Label | None:
        if fold:
            return self._folded["folded"].get(label.lower())
        return self._folded["exact"].get(label)

    def lookup(self, path: str, labels: Sequence[str] | None = None) -> Callable[[str], str | None]:
        """``label -> replacement or None`` by the rule of the forge ``path``
        is for, for a job on ``labels``. A row for a GitHub-hosted label
        (:attr:`Label.hosted_only`) does not apply where a self-hosted runner
        keeps that label: beside labels that are not GitHub's, or on Gitea
        and Forgejo."""
        from relane.safety import hosted

        fold = not path.startswith(SELF_HOSTED_FORGES)
        on_hosted = labels is None or hosted(path, labels)

        def get(label: str) -> str | None:
            row = self.row(label, fold)
            # A label already written as its replacement (a map of its case) is done.
            if row is None or (row.hosted_only and not on_hosted) or row.replacement == label:
                return None
            return row.replacement

        return get

    def is_new(self, path: str, label: str) -> bool:
        """Whether ``label`` is one of the replacements (by ``path``'s forge rule)."""
        if path.startswith(SELF_HOSTED_FORGES):
            return label in self.replacements
        return label.lower() in {r.lower() for r in self.replacements}

    def describe(self) -> list[str]:
        return [f"{old}={new}" for old, new in self.pairs]


def _check(label: str, side: str, origin: str) -> None:
    from relane.codemods.retarget import check_label

    if not label or not label.strip():
        raise UsageError(f"{origin}: empty {side} label")
    try:
        check_label(label, f"{side} runner label", "a map replaces one label by one label")
    except UsageError as exc:
        raise UsageError(f"{origin}: {exc.message}") from None
    if any(c in label for c in "'\"\\") or "${{" in label:
        raise UsageError(f"{origin}: label {label!r} holds a quote, a backslash or an expression")


def parse_maps(specs: Iterable[str], base: Path | None = None) -> LabelTable:
    """The label map of ``--map`` values: ``OLD=NEW``, ``@retired`` or a TOML file."""
    rows: list[Label] = []
    specs = list(specs)
    for spec in specs:
        if spec == RETIRED:
            rows.extend(retired().rows)
        elif "=" not in spec and spec.endswith(".toml"):
            path = Path(spec) if base is None else base / spec
            rows.extend(read_table(path, spec).rows)
        elif spec.startswith("@"):
            raise UsageError(f"--map {spec}: unknown table (known: {RETIRED})")
        else:
            old, sep, new = spec.partition("=")
            if not sep:
                raise UsageError(f"--map {spec!r}: expected OLD=NEW, {RETIRED} or a FILE.toml")
            if not old.strip() or not new.strip():
                raise UsageError(f"--map {spec!r}: empty {'old' if not old.strip() else 'new'} label")
            rows.append(Label(old, new))
    return LabelTable(tuple(rows), "--map", ", ".join(specs))


def from_spec(value: object, base: Path) -> LabelTable:
    """The label map of a migration's ``map``: a table of ``OLD = NEW``, or
    what ``--map`` takes (``@retired``, a FILE.toml relative to ``base``,
    ``OLD=NEW``), alone or in a list."""
    if isinstance(value, dict):
        if not value:
            raise UsageError("the label map is empty")
        rows = []
        for old, new in value.items():
            if not isinstance(new, str):
                raise UsageError(f"{old}: expected the new label, a string")
            rows.append(Label(old, new))
        return LabelTable(tuple(rows), "map", ", ".join(f"{old}={new}" for old, new in value.items()))
    specs = [value] if isinstance(value, str) else value
    if not isinstance(specs, list) or not specs or not all(isinstance(v, str) for v in specs):
        raise UsageError("expected a table of OLD = NEW, or @retired, FILE.toml or OLD=NEW (or a list of them)")
    return parse_maps(specs, base)


def retired() -> LabelTable:
    """The table of retired GitHub-hosted labels shipped with relane."""
    text = resources.files("relane").joinpath("data/retired.toml").read_text(encoding="utf-8")
    table = _table(loads(text, RETIRED), RETIRED, lambda msg: UsageError(f"{RETIRED}: {msg}"))
    return LabelTable(tuple(replace(row, hosted_only=True) for row in table.rows), RETIRED)


def read_table(path: Path, shown: str) -> LabelTable:
    """A user's own label table: ``[[label]]`` entries with ``label`` and ``replacement``."""
    doc = read_toml(path, shown)
    return _table(doc, shown, lambda msg: InputError(msg, shown))


_FIELDS = ("label", "replacement", "date", "architecture", "replacement-architecture", "source", "note")


def _table(doc: dict, origin: str, error) -> LabelTable:
    unknown = [k for k in doc if k != "label"]
    if unknown:
        raise error(f"{unknown[0]}: unknown key (a label table holds [[label]] entries)")
    entries = doc.get("label")
    if not isinstance(entries, list) or not entries:
        raise error("no labels: add [[label]] entries with label and replacement")
    rows = []
    for i, entry in enumerate(entries, 1):
        if not isinstance(entry, dict):
            raise error(f"label entry {i}: expected a table")
        for key in entry:
            if key not in _FIELDS:
                raise error(f"label entry {i}: {key}: unknown key (known: {', '.join(_FIELDS)})")
        values = {}
        for key in _FIELDS:
            value = entry.get(key, "")
            if isinstance(value, (datetime.date, datetime.datetime)):
                value = value.isoformat()
            if not isinstance(value, str):
                raise error(f"label entry {i}: {key}: expected a string")
            values[key.replace("-", "_")] = value
        if not values["label"] or not values["replacement"]:
            raise error(f"label entry {i}: label and replacement are required")
        rows.append(Label(**values, hosted_only=False))
    return LabelTable(tuple(rows), origin)
