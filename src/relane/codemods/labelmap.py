"""The label-map codemod: replace runner labels wherever they decide where a job runs.

``runs-on: ubuntu-20.04`` is the easy case. A label also sits in the job's
matrix when ``runs-on`` reads ``${{ matrix.KEY }}`` (the axis list, the
``include`` and ``exclude`` entries), and a condition such as ``if:
matrix.os == 'ubuntu-20.04'`` must follow it or its step silently stops
running. A job on ``${{ inputs.X }}`` runs where X's defaults, choice
options and its callers' ``with:`` values say (:mod:`relane.codemods.inputs`).
:class:`LabelMap` replaces each mapped label in every such scalar, in
place, keeping its quoting; it warns about every other line that reads the
matrix value, and says why it leaves what it cannot follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from relane.codemod import ALONE, Caution, Codemod, Context, Intent, JobResult, Outcome, Proposal, Reason
from relane.codemods.conditions import compares, condition_path, job_scalars, other_use, rewrite
from relane.codemods.inputs import Places, follow_places, input_name, label_sets
from relane.codemods.labelcodes import MapNotice, MapReason, reason_code
from relane.codemods.labelsets import folds, hosted_kept, label_key, label_scalars, unique_labels
from relane.codemods.labeltable import LabelTable
from relane.codemods.maprecording import with_record
from relane.codemods.matrix import Matrix, NotFollowed, Ref, drop_item, merged_entry
from relane.codemods.retarget import _SKIPS
from relane.comments.annotate import Comments
from relane.edit.labels import replace_labels
from relane.edit.ops import Edit, replace_scalar
from relane.model import Form, Job, Workflow
from relane.read.tree import Scalar, Seq
from relane.select import Exclusion, Selector

Lookup = Callable[[str], "str | None"]


@dataclass
class Change:
    """What mapping one job comes to: edits, intended data, words."""

    edits: list[Edit] = field(default_factory=list)
    intended: dict[int, Intent] = field(default_factory=dict)
    mapped: dict[str, str] = field(default_factory=dict)  # old -> new, as found
    where: list[str] = field(default_factory=list)
    cautions: list[tuple[str, str, int | None]] = field(default_factory=list)  # code, text, offset


@dataclass(frozen=True)
class LabelMap(Codemod):
    """Replace the labels of ``table`` in the jobs ``selector`` picks.

    ``matrix_only`` leaves literal runs-on values alone (``--from X --to Y``
    hands matrix jobs to this codemod; the rest is :class:`Retarget`'s).
    """

    table: LabelTable
    selector: Selector = field(default_factory=Selector)
    matrix_only: bool = False
    record: bool = False  # relane's map record above each job it edits (:mod:`relane.comments.maprecord`)
    comments: Comments | None = None  # a template (--comment) below the record; implies the record

    name = "label-map"
    follows_inputs = True  # --from matches the labels an input gives a job

    @property
    def landing(self) -> tuple[str, ...]:
        return self.table.replacements

    @property
    def to(self) -> tuple[str, ...]:
        """The labels it maps to (a re-run finds the jobs it moved on them)."""
        return self.table.replacements

    @property
    def target(self) -> str:
        return f"mapped labels ({self.table.shown or ', '.join(self.table.describe())})"

    def decide(self, workflow: Workflow, job: Job, excluded: Exclusion | None) -> tuple[Outcome, str, str]:
        """The outcome for ``job`` before looking inside its matrix: (outcome, code, reason)."""
        excluded = excluded or self.selector.job_reason(workflow, job)
        if excluded:
            return Outcome.EXCLUDED, excluded.code, excluded.text
        runs_on = job.runs_on
        if runs_on.form.static:
            if self.matrix_only:
                return Outcome.EXCLUDED, MapReason.LITERAL, "runs-on is written literally"
            return self._by_labels(workflow, [runs_on.labels], "runs-on")
        if runs_on.form is Form.EXPRESSION:
            return _expression(runs_on.node, runs_on.detail)
        if runs_on.form is Form.ABSENT and job.uses is not None:
            if job.uses.startswith("./"):
                return Outcome.MOVED, Reason.MOVED, ""  # its with: values are looked at
            return (
                Outcome.SKIPPED,
                MapReason.REUSABLE_REMOTE,
                f"reusable workflow in another repository ({job.uses}); its labels are not followed",
            )
        if runs_on.form is Form.ABSENT:
            return Outcome.SKIPPED, Reason.NO_RUNS_ON, "job has no runs-on"
        code, text = _SKIPS[runs_on.form]
        return Outcome.SKIPPED, code, text.format(detail=runs_on.detail)

    def _by_labels(self, workflow: Workflow, sets, what: str) -> tuple[Outcome, str, str]:
        """The outcome for a job on the label ``sets`` (one, or one per matrix value)."""
        labels = [label for labels in sets for label in labels]
        by_label = self.selector.label_reason(labels)
        if by_label:
            return Outcome.EXCLUDED, by_label.code, by_label.text
        path = workflow.path
        if any(self.table.lookup(path, labels)(label) for labels in sets for label in labels):
            return Outcome.MOVED, Reason.MOVED, ""
        if any(self.table.lookup(path)(label) for label in labels):
            return Outcome.EXCLUDED, MapReason.SELF_HOSTED, hosted_kept(path, what)
        if any(self.table.is_new(path, label) for label in labels):
            return Outcome.ALREADY, Reason.ON_TARGET, f"{what} already holds the new labels"
        return Outcome.EXCLUDED, MapReason.UNMAPPED, f"{what} holds none of the mapped labels"

    def transform(self, workflow: Workflow, context: Context = ALONE) -> Proposal:
        """A result for every job of ``workflow``, the edits, and the intended
        data of every scalar (or matrix list) they replace."""
        claimed = context.claimed
        results: list[JobResult] = []
        edits: list[Edit] = []
        intended: list[Intent] = []
        meant: set[int] = set()  # ids of the nodes in ``intended``
        excluded = self.selector.workflow_reason(workflow)
        for job in workflow.jobs:
            outcome: Outcome
            code: str
            change: Change | None
            if claimed and job.id in claimed:
                outcome, code, reason = Outcome.EXCLUDED, Reason.CLAIMED, f"left to {claimed[job.id]}"
            else:
                outcome, code, reason = self.decide(workflow, job, excluded)
            before = after = job.runs_on.data
            change = None
            if outcome is Outcome.MOVED and job.runs_on.form.static:
                lookup = self.table.lookup(workflow.path, job.runs_on.labels)
                change = self._literal(workflow, job, lookup)
                kept = change.intended.get(id(job.runs_on.node))
                after = kept.data if kept is not None else _after(before, lookup)
                reason = "mapped " + _pairs(change.mapped) + " in runs-on"
            elif outcome is Outcome.MOVED:
                try:
                    matrix, places = follow_places(workflow, job)
                except NotFollowed as exc:
                    outcome, code, reason = Outcome.SKIPPED, reason_code(exc.code), exc.text
                else:
                    sets = label_sets(places)
                    what = "the matrix" if matrix is not None else "the inputs"
                    outcome, code, reason = self._by_labels(workflow, sets, what)
                    if outcome is Outcome.MOVED:
                        if matrix is not None:
                            change = self._matrix(workflow, job, matrix)
                        else:
                            change = self._inputs(workflow, places)
                        before = list(dict.fromkeys(v for labels in sets for v in labels))
                        after = list(
                            dict.fromkeys(
                                self.table.lookup(workflow.path, labels)(v) or v for labels in sets for v in labels
                            )
                        )
                        reason = "mapped " + _pairs(change.mapped) + " in " + ", ".join(change.where)
            if change is not None and (self.record or self.comments is not None):
                recorded = with_record(workflow, job, change.edits, change.mapped, self.comments)
                if isinstance(recorded, str):
                    outcome, code, reason, change, after = Outcome.SKIPPED, MapReason.UNRECORDED, recorded, None, before
                else:
                    change.edits[:] = recorded
            result = JobResult.of(workflow, job, outcome, code, reason, before, after)
            if change is not None:
                # Jobs taking their runs-on from one input edit the same
                # scalars: each edit once.
                edits.extend(e for e in change.edits if e not in edits)
                for key, intent in change.intended.items():
                    if key not in meant:
                        meant.add(key)
                        intended.append(intent)
                cautions = list(change.cautions)
                fold = folds(workflow)
                for old in change.mapped:
                    row = self.table.row(old, fold)
                    arch = row.architecture_change if row is not None else None
                    if row is not None and arch:
                        note = f" ({row.note})" if row.note else ""
                        text = f"{old} -> {row.replacement} changes the architecture from {arch}{note}"
                        cautions.append((MapNotice.ARCHITECTURE, text, None))
                source = workflow.source
                result = replace(
                    result,
                    warnings=tuple(
                        Caution(c, text, workflow.path, job.id, source.line_col(at)[0] if at is not None else result.line)
                        for c, text, at in cautions
                    ),
                )
            results.append(result)
        return Proposal(tuple(results), tuple(edits), tuple(intended))

    # -- literal runs-on ---------------------------------------------------------

    def _literal(self, workflow: Workflow, job: Job, lookup: Lookup) -> Change:
        change = Change()
        node = job.runs_on.node
        if isinstance(node, Scalar):
            new = lookup(node.value)
            assert new is not None  # a moved job holds a mapped label
            change.edits.append(replace_scalar(node, new))
            change.intended[id(node)] = Intent(node, new)
            change.mapped[node.value] = new
            return change
        # A static runs-on is one label or a list of plain labels.
        assert isinstance(node, Seq) and job.node is not None
        items = label_scalars(node)
        labels = [lookup(i.value) or i.value for i in items]
        for item in items:
            found = lookup(item.value)
            if found is not None:
                change.mapped[item.value] = found
        unique = unique_labels(labels, fold=folds(workflow))
        if len(unique) < len(labels):
            # A mapped label that another item already names: the list loses it.
            key = job.node.key_node("runs-on")
            assert key is not None
            edits, after = replace_labels(workflow.source, key, node, unique)
            change.edits.extend(edits)
            change.intended[id(node)] = Intent(node, after)
            return change
        for item in items:
            found = lookup(item.value)
            if found is not None:
                change.edits.append(replace_scalar(item, found))
                change.intended[id(item)] = Intent(item, found)
        return change

    # -- matrices ------------------------------------------------------------------

    def _dedupe(self, workflow: Workflow, seq: Seq, what: str, change: Change) -> set[int]:
        """Remove the items of ``seq`` (alternatives: matrix values, choice
        options) whose new label another item already holds; the indexes
        removed. ``seq`` then reads as its new list (the intended data)."""
        source = workflow.source
        fold = folds(workflow)

        def lookup(label: str) -> str | None:  # an item on its own
            return self.table.lookup(workflow.path, [label])(label)

        dropped: set[int] = set()
        if not all(isinstance(i, Scalar) for i in seq.items):
            return dropped  # a list of label lists: no item stands for one label
        items = label_scalars(seq)
        kept = {label_key(i.value, fold) for i in items if lookup(i.value) is None}
        for i, item in enumerate(items):
            new = lookup(item.value)
            if new is None:
                continue
            if label_key(new, fold) not in kept:
                kept.add(label_key(new, fold))
                continue
            # An anchored list reads back as no plain list: it keeps its items.
            edit = drop_item(source, seq, i, kept_before=len(dropped) < i) if seq.anchor is None else None
            if edit is None:
                change.cautions.append((MapNotice.DUPLICATE, f"{what} now names {new} twice", item.start))
                continue
            dropped.add(i)
            change.edits.append(edit)
            change.mapped[item.value] = new
            change.cautions.append(
                (
                    MapNotice.DUPLICATE_REMOVED,
                    f"removed {item.value} from {what}: it maps to {new}, already listed there",
                    item.start,
                )
            )
        if dropped:
            kept_items = [lookup(item.value) or item.value for i, item in enumerate(items) if i not in dropped]
            change.intended[id(seq)] = Intent(seq, kept_items)
        return dropped

    def _matrix(self, workflow: Workflow, job: Job, matrix: Matrix) -> Change:
        change = Change()

        places: dict[str, int] = {}
        dropped: set[int] = set()
        axis = matrix.axis
        if axis is not None and matrix.ref.sub is None and all(type(i) is Scalar for i in axis.items):
            dropped = self._dedupe(workflow, axis, f"the matrix axis {matrix.ref.key}", change)
        fold = folds(workflow)
        # Labels removed from the axis: their combinations merged into another's.
        merged = {label_key(s.value, fold) for p in matrix.places if p.where == "axis" and p.index in dropped for s in p.labels}
        for place in matrix.places:
            if place.where == "axis" and place.index in dropped:
                continue
            get = self.table.lookup(workflow.path, [s.value for s in place.labels])
            for scalar in place.labels:
                new = get(scalar.value)
                if new is None:
                    continue
                if label_key(scalar.value, fold) in merged and (text := merged_entry(place, scalar.value, new)):
                    change.cautions.append((MapNotice.MERGED_ENTRY, text, scalar.start))
                change.edits.append(replace_scalar(scalar, new))
                change.mapped[scalar.value] = new
                if not dropped or place.where != "axis":
                    change.intended[id(scalar)] = Intent(scalar, new)
                places[place.where] = places.get(place.where, 0) + 1
        if dropped:
            places["axis"] = places.get("axis", 0) + len(dropped)
        for where in ("axis", "include", "exclude"):
            n = places.get(where)
            if n:
                change.where.append(f"the matrix axis {matrix.ref.key}" if where == "axis" else f"{n} {where} entr{'y' if n == 1 else 'ies'}")
        self._conditions(workflow, job, matrix, change)
        return change

    def _inputs(self, workflow: Workflow, places: Places) -> Change:
        """Replace the mapped labels among the input defaults, options or
        ``with:`` values that decide a job's runs-on."""
        change = Change()
        for where, labels, choices in places:
            dropped = self._dedupe(workflow, choices, where, change) if choices is not None else set()
            get = self.table.lookup(workflow.path, [s.value for s in labels])
            hit = bool(dropped)
            for i, scalar in enumerate(labels):
                # Each choice option is a whole runs-on of its own.
                new = get(scalar.value) if choices is None else self.table.lookup(workflow.path, [scalar.value])(scalar.value)
                if new is not None and i not in dropped:
                    change.edits.append(replace_scalar(scalar, new))
                    if not dropped:
                        change.intended[id(scalar)] = Intent(scalar, new)
                    change.mapped[scalar.value] = new
                    hit = True
            if hit:
                change.where.append(where)
        return change

    def _conditions(self, workflow: Workflow, job: Job, matrix: Matrix, change: Change) -> None:
        """Update the conditions comparing the matrix value with a mapped label;
        warn about every other reading of it."""
        source = workflow.source
        ref = matrix.ref
        fold = folds(workflow)
        found = {label_key(old, fold): new for old, new in change.mapped.items()}

        def lookup(label: str) -> str | None:
            return found.get(label_key(label, fold))

        assert job.node is not None  # a job whose matrix is followed is a mapping
        skip = {id(n) for n in (job.runs_on.node, job.node.get("strategy"))}
        updated = 0
        shown = f"whose values change ({_pairs(change.mapped)})"
        for path, key, node in job_scalars(job, skip):
            is_condition = isinstance(key, Scalar) and key.value == "if" and condition_path(path)
            if is_condition:
                try:
                    done = rewrite(source, node, ref, lookup)
                except ValueError as exc:
                    change.cautions.append((MapNotice.CONDITION, f"{path}: {exc}; update it by hand", node.start))
                    continue
                if done is not None and node.anchor is not None:
                    text = f"{path} defines the YAML anchor &{node.anchor}, shared where it is used; update it by hand"
                    change.cautions.append((MapNotice.CONDITION, text, node.start))
                elif done is not None:
                    edit, value, _ = done
                    change.edits.append(edit)
                    change.intended[id(node)] = Intent(node, value)
                    updated += 1
            if other_use(node.value, ref) or (not is_condition and compares(node.value, ref, lookup)):
                change.cautions.append(
                    (MapNotice.MATRIX_USE, f"{path} reads {ref}, {shown}", node.start)
                )
        if updated:
            change.where.append(f"{updated} condition{'s' if updated != 1 else ''}")


def _expression(node, detail: str) -> tuple[Outcome, str, str]:
    """The outcome for a runs-on expression: followed into the matrix, or why not."""
    if type(node) is Scalar and (Ref.parse(node.value) is not None or input_name(node.value) is not None):
        return Outcome.MOVED, Reason.MOVED, ""
    if type(node) is Seq:
        return Outcome.SKIPPED, Reason.EXPRESSION, f"runs-on is a list holding an expression ({detail}); not followed"
    value = node.value.strip()
    if "&&" in value or "||" in value:
        return Outcome.SKIPPED, MapReason.TERNARY, f"runs-on picks a label by a condition ({detail}); not followed"
    whole = value.startswith("${{") and value.endswith("}}") and value.count("${{") == 1
    if not whole:
        return Outcome.SKIPPED, MapReason.ASSEMBLED, f"runs-on assembles a label from parts ({detail}); not followed"
    return Outcome.SKIPPED, Reason.EXPRESSION, f"runs-on is an expression ({detail}), decided at run time"


def _after(before, lookup: Lookup):
    if isinstance(before, list):
        return [lookup(v) or v for v in before]
    return before


def _pairs(mapped: dict[str, str]) -> str:
    return ", ".join(f"{old} -> {new}" for old, new in mapped.items())
