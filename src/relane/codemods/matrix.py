"""Follow ``runs-on: ${{ matrix.KEY }}`` into the job's ``strategy.matrix``.

A runner label written in a matrix is set in up to three places: the axis
list (``os: [ubuntu-22.04, windows-2022]``), the ``include`` entries (which
may add combinations of their own) and the ``exclude`` entries (which must
name the same value, or an excluded combination silently starts running).
:func:`follow` finds every scalar there that holds a label the job may run
on, or says why it cannot (:class:`NotFollowed`): a matrix built by an
expression, a value reached through a YAML alias or merge key, ...
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from relane.edit.ops import Edit
from relane.model import EXPRESSION_START, Form, Job
from relane.read.source import Source
from relane.read.tree import Alias, AnyNode, Map, Scalar, Seq, walk

_NAME = r"[A-Za-z_][A-Za-z0-9_-]*"
MATRIX_REF = re.compile(rf"\$\{{\{{\s*matrix\.({_NAME})(?:\.({_NAME}))?\s*\}}\}}\Z")
"""A value that is exactly ``${{ matrix.KEY }}`` or ``${{ matrix.KEY.SUB }}``."""


class NotFollowed(Exception):
    """A label relane does not follow: ``code`` for machines, ``text`` for people."""

    def __init__(self, code: str, text: str) -> None:
        super().__init__(text)
        self.code = code
        self.text = text


@dataclass(frozen=True)
class Ref:
    """``matrix.KEY`` or ``matrix.KEY.SUB``."""

    key: str
    sub: str | None = None

    @classmethod
    def parse(cls, value: str) -> Ref | None:
        m = MATRIX_REF.match(value.strip())
        return cls(m.group(1), m.group(2)) if m else None

    def __str__(self) -> str:
        return f"matrix.{self.key}" + (f".{self.sub}" if self.sub else "")


@dataclass
class Place:
    """Where a matrix holds labels: ``axis``, ``include`` or ``exclude``;
    ``index`` is the item's or entry's position; ``labels`` the label
    scalars of its value (one, or the items of a list of labels)."""

    where: str
    index: int
    item: AnyNode
    labels: list[Scalar]


@dataclass
class Matrix:
    """The label scalars of a job's matrix for one :class:`Ref`."""

    ref: Ref
    node: Map
    axis: Seq | None = None
    places: list[Place] = field(default_factory=list)

    def values(self, where: str | None = None) -> list[list[str]]:
        return [[s.value for s in p.labels] for p in self.places if where is None or p.where == where]


def matrix_of(job: Job) -> Map:
    """The job's ``strategy.matrix`` mapping; :class:`NotFollowed` when there is
    none to follow (absent, an expression, an alias, a merge key)."""
    node = job.node
    strategy = node.get("strategy") if node is not None else None
    if strategy is None:
        raise NotFollowed("no-matrix", "runs-on names the matrix, but the job has no strategy.matrix")
    _plain(strategy, "strategy")
    if type(strategy) is not Map:
        raise NotFollowed("matrix-expression", "strategy is not a mapping; decided at run time")
    _no_merge(strategy, "strategy")
    matrix = strategy.get("matrix")
    if matrix is None:
        raise NotFollowed("no-matrix", "runs-on names the matrix, but the job has no strategy.matrix")
    _plain(matrix, "strategy.matrix")
    if type(matrix) is Scalar:
        raise NotFollowed(
            "matrix-expression",
            f"strategy.matrix is built by an expression ({_short(matrix.value)}), decided at run time",
        )
    if type(matrix) is not Map:
        raise NotFollowed("matrix-expression", "strategy.matrix is not a mapping")
    _no_merge(matrix, "strategy.matrix")
    for n in walk(strategy):
        if n.aliased:
            raise NotFollowed(
                "alias", f"the matrix holds the anchor &{n.anchor}, used elsewhere; editing it would change that too"
            )
        if type(n) is Alias:
            raise NotFollowed("alias", f"the matrix holds the YAML alias *{n.name}; the value it reaches is shared")
    return matrix


def follow(job: Job, ref: Ref) -> Matrix:
    """Every label scalar ``ref`` can take in ``job``'s matrix."""
    node = matrix_of(job)
    found = Matrix(ref, node)
    axis = node.get(ref.key)
    if axis is not None:
        if type(axis) is Scalar:
            what = "an expression" if EXPRESSION_START in axis.value else "not a list"
            raise NotFollowed("matrix-expression", f"the matrix axis {ref.key} is {what} ({_short(axis.value)})")
        if type(axis) is not Seq:
            raise NotFollowed("matrix-value", f"the matrix axis {ref.key} is not a list")
        found.axis = axis
        for i, item in enumerate(axis.items):
            value = _sub(item, ref, f"item {i + 1} of the axis {ref.key}")
            found.places.append(Place("axis", i, item, _labels(value, f"the axis {ref.key}")))
    for where in ("include", "exclude"):
        entries = node.get(where)
        if entries is None:
            continue
        if type(entries) is Scalar:
            raise NotFollowed(
                "matrix-expression", f"strategy.matrix.{where} is an expression ({_short(entries.value)})"
            )
        if type(entries) is not Seq:
            raise NotFollowed("matrix-value", f"strategy.matrix.{where} is not a list")
        for i, entry in enumerate(entries.items):
            if type(entry) is Scalar and EXPRESSION_START in entry.value:
                raise NotFollowed("matrix-expression", f"{where} entry {i + 1} is an expression ({_short(entry.value)})")
            if type(entry) is not Map:
                raise NotFollowed("matrix-value", f"{where} entry {i + 1} is not a mapping")
            _no_merge(entry, f"{where} entry {i + 1}")
            value = entry.get(ref.key)
            if value is None:
                continue
            value = _sub(value, ref, f"{where} entry {i + 1}")
            if value is not None:
                found.places.append(Place(where, i, entry, _labels(value, f"{where} entry {i + 1}")))
    if not any(p.where != "exclude" for p in found.places):
        raise NotFollowed("no-matrix", f"runs-on names {ref}, but the matrix gives it no value")
    return found


def _sub(value: AnyNode, ref: Ref, what: str) -> AnyNode | None:
    if ref.sub is None:
        return value
    if type(value) is Scalar and EXPRESSION_START in value.value:
        raise NotFollowed("matrix-expression", f"{what} is an expression ({_short(value.value)})")
    if type(value) is not Map:
        raise NotFollowed("matrix-value", f"{what} has no {ref.sub} to read")
    _no_merge(value, what)
    return value.get(ref.sub)


def _labels(value: AnyNode | None, what: str) -> list[Scalar]:
    if value is None:
        return []
    items = value.items if type(value) is Seq else [value]
    labels = []
    for item in items:
        if type(item) is not Scalar:
            raise NotFollowed("matrix-value", f"{what} holds a value that is not a label")
        if EXPRESSION_START in item.value:
            raise NotFollowed("matrix-expression", f"{what} holds an expression ({_short(item.value)})")
        if item.style in ("|", ">") or item.tag is not None or not item.value:
            raise NotFollowed("matrix-value", f"{what} holds a value that is not a plain label")
        labels.append(item)
    return labels


def _plain(node: AnyNode, what: str) -> None:
    if type(node) is Alias:
        raise NotFollowed("alias", f"{what} is the YAML alias *{node.name}; the value it reaches is shared")


def _no_merge(node: Map, what: str) -> None:
    if node.has_merge:
        raise NotFollowed("merged", f"{what} takes entries from a << merge key; they live elsewhere")


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def effective(job: Job) -> list[tuple[str, ...]] | None:
    """The label sets ``job`` may run on when its runs-on names its matrix:
    each value the matrix gives it (axis items and include entries, a list
    of labels as one set), in order, each once; ``None`` when its runs-on
    does not name the matrix or the matrix cannot be followed."""
    node = job.runs_on.node
    if type(node) is not Scalar or job.runs_on.form is not Form.EXPRESSION:
        return None
    ref = Ref.parse(node.value)
    if ref is None:
        return None
    try:
        found = follow(job, ref)
    except NotFollowed:
        return None
    sets = (tuple(s.value for s in p.labels) for p in found.places if p.where != "exclude")
    return list(dict.fromkeys(labels for labels in sets if labels))


def merged_entry(place: Place, old: str, new: str) -> str | None:
    """What an include or exclude entry naming ``old`` does once ``old``,
    removed from the axis, merged into ``new``: it now applies to ``new``'s
    combinations. ``None`` for an axis item, and for an include entry that
    adds no key to the combinations it matches."""
    if place.where == "exclude":
        effect = f"excludes {new} combinations that ran before"
    elif place.where == "include" and type(place.item) is Map and len(place.item.pairs) > 1:
        effect = f"extends {new} combinations it did not before"
    else:
        return None
    return f"{place.where} entry {place.index + 1} now names {new}: {old} merged into it, so it {effect}"


# -- removing an axis item ---------------------------------------------------------


def drop_item(source: Source, seq: Seq, index: int, *, kept_before: bool) -> Edit | None:
    """An edit removing item ``index`` of ``seq`` (a list of scalars), or
    ``None`` when the item is not on lines of its own in a block list, or
    a comment lies next to it in a flow list.

    In a flow list the item goes with the separator before it while an
    item before it stays (``kept_before``), else with the one after it: the edits removing several items
    then never overlap."""
    text = source.text
    items = seq.items
    item = items[index]
    if seq.flow:
        if len(items) < 2:
            return None
        if kept_before:
            start, end = items[index - 1].end, item.end
        elif index + 1 == len(items):
            return None  # the list would lose every item
        else:
            start, end = item.start, items[index + 1].start
        if "#" in text[start:end] or "\n" in text[start:end]:
            return None
        return Edit(start, end, "")
    first, stop = source.line_span(source.line_index(item.start))
    last_first, last_stop = source.line_span(source.line_index(item.end))
    if not re.fullmatch(r"[ \t]*-[ \t]+", text[first : item.start]):
        return None
    rest = text[item.end : last_stop]
    if not re.fullmatch(r"[ \t]*(#[^\n]*)?\r?\n?", rest):
        return None
    if not text.endswith("\n", 0, last_stop):
        return None
    return Edit(first, last_stop, "")

