"""Workflows and jobs as Actions users think of them, read from a tree.

Every job gets a :class:`RunsOn` that says which form its ``runs-on`` takes;
the retarget codemod decides from that form alone whether it may edit it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from relane.edit.labels import value_end
from relane.forms import Form
from relane.read.inside import inside_scalar
from relane.read.plain import to_data
from relane.read.source import Source
from relane.read.tree import Alias, AnyNode, Document, Map, Scalar, Seq, parse, resolve, walk
from relane.render.format import one_line

EXPRESSION_START = "${{"


@dataclass(frozen=True, eq=False)
class RunsOn:
    """A job's ``runs-on``: its form, its static labels and its node."""

    form: Form
    labels: tuple[str, ...] = ()
    node: AnyNode | None = None
    detail: str = ""

    @property
    def data(self):
        """The value as parsed: a string, a list, a mapping, or ``None``.

        An alias whose expansion would be large stays
        :class:`~relane.read.plain.Unexpanded`."""
        return to_data(self.node)


@dataclass(frozen=True)
class Trigger:
    """One event under ``on:`` with its filters (``branches``, ``tags``, ...)."""

    event: str
    filters: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def filter(self, name: str) -> tuple[str, ...]:
        for key, values in self.filters:
            if key == name:
                return values
        return ()


@dataclass(eq=False)
class Job:
    id: str
    key: AnyNode
    node: Map | None
    runs_on: RunsOn
    uses: str | None = None


@dataclass(eq=False)
class Workflow:
    """One workflow file: where it is, what triggers it, and its jobs."""

    document: Document
    triggers: tuple[Trigger, ...]
    jobs: list[Job]

    @property
    def source(self) -> Source:
        return self.document.source

    @property
    def root(self) -> AnyNode | None:
        return self.document.root

    @property
    def path(self) -> str:
        return self.source.path

    @cached_property
    def events(self) -> tuple[str, ...]:
        return tuple(t.event for t in self.triggers)

    @cached_property
    def crowded(self) -> dict[Job, str]:
        """Jobs with no line of their own above their ``runs-on`` key, and why.

        relane's comment block goes on whole lines above the line holding
        ``runs-on``. When a job's ``runs-on`` starts on a line another job's
        ``runs-on`` (key or value) already holds (one-line flow jobs, or a
        flow list over several lines that ends where the next job's starts),
        the block there belongs to the first of them: the others are crowded
        out. When that line starts inside a value running over several lines
        (``{name: "a\\n  b", runs-on: x}``), a line put above it would land
        inside that value: there is no room at all.
        """
        held = -1  # the last line an earlier job's runs-on holds
        crowded: dict[Job, str] = {}
        source = self.source
        text = source.text
        for job in self.jobs:
            node = job.node
            if node is None or "runs-on" not in node.index:
                continue
            key = node.key_node("runs-on")
            assert key is not None
            line = source.line_index(key.start)
            start = text.rfind("\n", 0, key.start) + 1
            if line <= held:
                crowded[job] = "runs-on shares its line with another job's"
            elif text[start : key.start].strip(" \t") and inside_scalar(self.root, start):
                crowded[job] = "runs-on is on the last line of a value written over several lines"
            value = node.get("runs-on")
            end = value_end(source, value) if value is not None else key.end
            held = max(held, source.line_index(max(end, key.end)))
        return crowded

    @property
    def name(self) -> str | None:
        root = resolve(self.root)
        if type(root) is Map:
            value = resolve(root.get("name"))
            if type(value) is Scalar:
                return value.value
        return None


def load(source: Source, *, require_mapping: bool = True) -> Workflow:
    """Parse ``source`` into a :class:`Workflow`.

    With ``require_mapping`` a document whose top level is not a mapping is
    an input error; without it such a file becomes a workflow with no jobs.
    """
    document = parse(source)
    top = resolve(document.root)
    if type(top) is not Map:
        if require_mapping:
            what = "empty" if top is None else f"a {_kind(top)}"
            raise source.error(
                f"top level is {what}, not a mapping; not a workflow",
                top.start if top is not None else 0,
            )
        return Workflow(document, (), [])
    return Workflow(document, _triggers(_own_or_merged(top, "on")), _jobs(top))


def _own_or_merged(node: Map, key: str) -> AnyNode | None:
    """``key``'s value in ``node``, or the one a ``<<`` merge key brings in."""
    if key in node.index or not node.has_merge:
        return node.get(key)
    return _merged_node(node, key)


def _kind(node: AnyNode) -> str:
    return {Scalar: "scalar", Seq: "sequence", Map: "mapping"}.get(type(node), "node")


def _triggers(node: AnyNode | None) -> tuple[Trigger, ...]:
    node = resolve(node)
    # A null (``on: ~``, ``[push, null]``) or empty scalar names no event.
    if type(node) is Scalar:
        return (Trigger(node.value),) if to_data(node) else ()
    if type(node) is Seq:
        return tuple(
            Trigger(item.value) for item in map(resolve, node.items) if type(item) is Scalar and to_data(item)
        )
    if type(node) is Map:
        # The mapping's own events, then those its << merge keys bring in
        # (Gitea and Forgejo apply merge keys), source by source and depth
        # first, as YAML merges them: the first an event is found in wins.
        triggers = []
        have = set()
        seen = {id(node)}
        stack = [node]
        while stack:
            entries = stack.pop()
            for key, value in entries.pairs:
                name = resolve(key)  # a key may be an alias (``*k :``) of an event written elsewhere
                if type(name) is not Scalar or name.value in have or (name is key and key.value == "<<") or not to_data(name):
                    continue
                have.add(name.value)
                triggers.append(Trigger(name.value, _filters(resolve(value))))
            if entries.has_merge:
                for source in reversed(_merge_sources(entries)):
                    if id(source) not in seen:
                        seen.add(id(source))
                        stack.append(source)
        return tuple(triggers)
    return ()


def _filters(node: AnyNode | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if type(node) is not Map:
        return ()
    filters: list[tuple[str, tuple[str, ...]]] = []
    for key, given in node.pairs:
        value = resolve(given)
        if type(key) is not Scalar:
            continue
        if type(value) is Scalar:
            filters.append((key.value, (value.value,)))
        elif type(value) is Seq:
            items = tuple(i.value for i in map(resolve, value.items) if type(i) is Scalar)
            filters.append((key.value, items))
    return tuple(filters)


def _jobs(top: Map) -> list[Job]:
    if "jobs" not in top.index and top.has_merge:
        # The whole jobs mapping comes in through a << merge key.
        merged = resolve(_merged_node(top, "jobs"))
        if type(merged) is not Map:
            return []
        return _merged_jobs([merged, *_merge_sources(merged)], {"<<"})
    jobs_node = top.get("jobs")
    jobs_map = resolve(jobs_node)
    if type(jobs_map) is not Map:
        return []
    shared_above = jobs_map.aliased or top.aliased
    jobs = []
    for key, value in jobs_map.pairs:
        name = resolve(key)  # a key may be an alias (``*k :``) of a job id written elsewhere
        if type(name) is not Scalar or (type(key) is Scalar and key.value == "<<" and key.plain):
            continue
        node = resolve(value)
        if type(node) is not Map:
            jobs.append(Job(name.value, key, None, RunsOn(Form.EMPTY, detail="job is not a mapping")))
            continue
        shared = shared_above or type(value) is Alias or node.aliased
        jobs.append(Job(name.value, key, node, _runs_on(node, shared), _uses(node)))
    if jobs_map.has_merge:
        jobs += _merged_jobs(_merge_sources(jobs_map), set(jobs_map.index))
    return jobs


def _merged_jobs(sources: list[Map], seen: set[str]) -> list[Job]:
    """The jobs of ``sources`` a ``<<`` merge key brings in, but those of
    ``seen`` ids: they live elsewhere, so they are reported, never edited."""
    jobs = []
    for source in sources:
        for key, value in source.pairs:
            if type(key) is not Scalar or key.value in seen:
                continue
            seen.add(key.value)
            node = resolve(value)
            runs_on = RunsOn(Form.MERGED, detail="job comes in through a << merge key")
            jobs.append(Job(key.value, key, node if type(node) is Map else None, runs_on))
    return jobs


def _uses(job: Map) -> str | None:
    value = resolve(job.get("uses"))
    return value.value if type(value) is Scalar else None


def _runs_on(job: Map, shared: bool) -> RunsOn:
    if "runs-on" not in job.index:
        merged = _merged_node(job) if job.has_merge else None
        if merged is not None:
            # Reported (and matched by --from) as the value it brings, never edited here.
            return RunsOn(Form.MERGED, _classify(merged)[1], merged, "runs-on comes in through a << merge key")
        if "uses" in job.index:
            return RunsOn(Form.ABSENT, detail="reusable workflow call")
        return RunsOn(Form.ABSENT, detail="no runs-on")
    node = job.get("runs-on")
    form, labels, detail = _classify(node)
    # Every form relane may replace (an expression or a group with an
    # option): an edit must never reach another job through an anchor.
    if form.static or form is Form.EXPRESSION or form is Form.GROUP:
        if shared:
            return RunsOn(Form.SHARED, labels, node, "job is shared through a YAML alias")
        for n in walk(node):
            if n.aliased:
                return RunsOn(Form.SHARED, labels, node, f"value is used elsewhere through &{n.anchor}")
    if form is Form.GROUP:
        # As for a list's items: an anchor or a tag inside a group is one
        # relane's record could not give back, so a move could not be rolled back.
        for n in walk(node):
            if n.anchor is not None:
                return RunsOn(Form.ANCHOR, labels, node, f"holds the YAML anchor &{n.anchor}")
            if n.tag is not None:
                return RunsOn(Form.UNSUPPORTED, labels, node, f"runs-on group holds a value with the YAML tag {_show_tag(n.tag)}")
    return RunsOn(form, labels, node, detail)


def _merge_sources(node: Map) -> list[Map]:
    """The mappings a ``<<`` merge key of ``node`` brings entries from."""
    sources = resolve(node.get("<<"))
    if type(sources) is Seq:
        return [m for m in map(resolve, sources.items) if type(m) is Map]
    return [sources] if type(sources) is Map else []


def _merged_node(node: Map, key: str = "runs-on") -> AnyNode | None:
    """The value of ``key`` a ``<<`` merge key of ``node`` brings in: the
    first source holding one wins, as YAML merges them. A mapping may merge
    itself through its own anchor: each is searched once."""
    seen = {id(node)}
    stack = _merge_sources(node)[::-1]
    while stack:
        source = stack.pop()
        if key in source.index:
            return source.get(key)
        if source.has_merge and id(source) not in seen:
            seen.add(id(source))
            stack.extend(_merge_sources(source)[::-1])
    return None


def _static_label(node: AnyNode) -> str | None:
    if type(node) is Scalar and node.style not in ("|", ">") and node.value:
        return node.value
    return None


def _classify(node: AnyNode | None) -> tuple[Form, tuple[str, ...], str]:
    if node is None:  # pragma: no cover - a present key has a value node
        return Form.UNSUPPORTED, (), "unrecognised runs-on"
    if isinstance(node, Alias):
        target = resolve(node)
        labels = _labels_of(target)
        return Form.ALIAS, labels, f"is the YAML alias *{node.name}"
    if node.anchor is not None:
        return Form.ANCHOR, _labels_of(node), f"defines the YAML anchor &{node.anchor}"
    if node.tag is not None:
        # relane writes untagged values; a rewrite would drop or misplace the
        # tag, and a record of a tagged value could not be rolled back.
        what = "list" if isinstance(node, Seq) else "value"
        return Form.UNSUPPORTED, _labels_of(node), f"runs-on {what} carries the YAML tag {_show_tag(node.tag)}"
    if isinstance(node, Scalar):
        if EXPRESSION_START in node.value:
            return Form.EXPRESSION, (), one_line(node.value)
        if not node.value or (node.plain and node.value in ("~", "null", "Null", "NULL")):
            # A quoted '' is no label either.
            return Form.EMPTY, (), "runs-on is empty"
        if node.style in ("|", ">"):
            return Form.UNSUPPORTED, (node.value.strip(),), "runs-on is a block scalar"
        return Form.SCALAR, (node.value,), ""
    if isinstance(node, Seq):
        if not node.items:
            return Form.EMPTY, (), "runs-on is an empty list"
        found: list[str] = []
        expression = None
        # Every item is looked at: an expression early in the list must not
        # hide a mapping or an alias later on.
        for item in node.items:
            if isinstance(item, Alias):
                return Form.ALIAS, _labels_of(node), f"holds the YAML alias *{item.name}"
            if item.anchor is not None:
                return Form.ANCHOR, _labels_of(node), f"holds the YAML anchor &{item.anchor}"
            if isinstance(item, Scalar) and EXPRESSION_START in item.value:
                expression = expression or item.value
                continue
            if item.tag is not None:
                return Form.UNSUPPORTED, _labels_of(node), f"runs-on list holds a value with the YAML tag {_show_tag(item.tag)}"
            label = _static_label(item)
            if label is None:
                return Form.UNSUPPORTED, (), "runs-on list holds a value that is not a label"
            found.append(label)
        if expression is not None:
            return Form.EXPRESSION, (), one_line(expression)
        return (Form.FLOW_LIST if node.flow else Form.BLOCK_LIST), tuple(found), ""
    if isinstance(node, Map):
        return Form.GROUP, _labels_of(resolve(node.get("labels"))), "runner group mapping"
    return Form.UNSUPPORTED, (), "unrecognised runs-on"  # pragma: no cover


def _show_tag(tag: str) -> str:
    """A tag as it is usually written: ``!!str`` for YAML's own."""
    if tag.startswith(_YAML_TAG):
        return "!!" + tag[len(_YAML_TAG) :]
    return tag if tag.startswith("!") else f"!<{tag}>"


_YAML_TAG = "tag:yaml.org,2002:"


def _labels_of(node: AnyNode | None) -> tuple[str, ...]:
    """Static labels inside ``node`` (a scalar or a list), without expansion."""
    node = resolve(node)
    if type(node) is Scalar:
        return (node.value,) if node.value and EXPRESSION_START not in node.value else ()
    if type(node) is Seq:
        return tuple(
            i.value
            for i in map(resolve, node.items)
            if type(i) is Scalar and i.value and EXPRESSION_START not in i.value
        )
    return ()
