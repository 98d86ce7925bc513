"""Follow runner labels through the inputs of reusable and dispatched workflows.

A workflow with ``runs-on: ${{ inputs.X }}`` runs where its inputs say: the
``default`` of ``on.workflow_call.inputs.X`` (and of
``on.workflow_dispatch.inputs.X``, whose ``options`` list the choices), and
the ``with: X:`` value of each job in the same repository that calls it
(``uses: ./.github/workflows/x.yml``). :func:`input_places` finds the label
scalars of the first kind, :func:`caller_places` those of the second.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from relane.codemods.matrix import Matrix, NotFollowed, Ref, follow
from relane.errors import InputError
from relane.model import EXPRESSION_START, Job, Workflow, load
from relane.read.source import Source
from relane.read.tree import Alias, AnyNode, Map, Scalar, Seq

INPUT_REF = re.compile(r"\$\{\{\s*inputs\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}\Z")
"""A value that is exactly ``${{ inputs.NAME }}``."""

Places = list[tuple[str, list[Scalar], "Seq | None"]]
"""Where labels are set, in words, with the label scalars there (and the
list holding them when they are alternatives that must not repeat)."""


def input_name(value: str) -> str | None:
    m = INPUT_REF.match(value.strip())
    return m.group(1) if m else None


def runs_on_inputs(workflow: Workflow) -> set[str]:
    """The inputs a job of ``workflow`` takes its whole runs-on from."""
    names = set()
    for job in workflow.jobs:
        node = job.runs_on.node
        if type(node) is Scalar and (name := input_name(node.value)):
            names.add(name)
    return names


def input_places(workflow: Workflow, name: str) -> Places:
    """The label scalars input ``name`` takes by default: the ``default`` of
    its ``workflow_call`` and ``workflow_dispatch`` declarations and the
    ``options`` of the latter."""
    places: Places = []
    for event in ("workflow_call", "workflow_dispatch"):
        spec = _get(_get(_get(_get(workflow.root, "on", "on"), event, "on"), "inputs", event), name, f"{event}.inputs")
        if spec is None:
            continue
        if type(spec) is not Map:
            raise NotFollowed("unsupported", f"the {event} input {name} is not a mapping")
        default = _get(spec, "default", f"{event}.inputs.{name}")
        if default is not None:
            places.append((f"the {event} default of {name}", _label(default, f"the {event} default of {name}"), None))
        options = _get(spec, "options", f"{event}.inputs.{name}")
        if type(options) is Seq:
            labels = [_label(o, f"an option of {name}")[0] for o in options.items]
            places.append((f"the {event} options of {name}", labels, options))
    return places


def caller_places(workflow: Workflow, job: Job) -> Places:
    """The ``with:`` values a job calling a workflow of the same repository
    passes to the inputs that workflow takes its runs-on from."""
    uses = job.uses or ""
    if not uses.startswith("./"):
        raise NotFollowed("reusable-remote", f"reusable workflow in another repository ({uses}); its labels are not followed")
    called = _load_called(workflow, uses)
    names = runs_on_inputs(called)
    if not names:
        raise NotFollowed("reusable", f"reusable workflow call ({uses}); the called workflow takes no runs-on from its inputs")
    with_ = _get(job.node, "with", "the job")
    places: Places = []
    for name in sorted(names):
        value = _get(with_, name, "with") if with_ is not None else None
        if value is not None:
            places.append((f"with.{name} passed to {uses}", _label(value, f"with.{name}"), None))
    return places


def _load_called(workflow: Workflow, uses: str) -> Workflow:
    file = workflow.source.file
    if file is None:
        raise NotFollowed("reusable", f"reusable workflow call ({uses}); the caller has no repository to look in")
    root = file.parents[len(PurePosixPath(workflow.path).parts) - 1]
    called = Path(root, uses[2:].split("@", 1)[0])
    try:
        called.resolve().relative_to(root.resolve())
        return load(Source.read(called, uses[2:]))
    except (ValueError, InputError, OSError) as exc:
        why = "outside the repository" if isinstance(exc, ValueError) else getattr(exc, "message", str(exc))
        raise NotFollowed("reusable", f"reusable workflow call ({uses}); the called workflow cannot be read: {why}") from None


def _get(node: AnyNode | None, key: str, what: str) -> AnyNode | None:
    if node is None:
        return None
    if type(node) is not Map:
        return None
    if node.has_merge:
        raise NotFollowed("merged", f"{what} takes entries from a << merge key; they live elsewhere")
    value = node.get(key)
    if value is not None and (value.aliased or value.anchor is not None or type(value) is Alias):
        raise NotFollowed("alias", f"{what}.{key} is shared through a YAML anchor or alias")
    return value


def _label(node: AnyNode, what: str) -> list[Scalar]:
    if type(node) is not Scalar or node.style in ("|", ">") or node.tag is not None or not node.value:
        raise NotFollowed("unsupported", f"{what} is not a plain label")
    if EXPRESSION_START in node.value:
        raise NotFollowed("expression", f"{what} is an expression ({node.value}); not followed")
    if node.anchor is not None:
        raise NotFollowed("anchor", f"{what} defines the YAML anchor &{node.anchor}; an anchored label is not rewritten")
    return [node]


def follow_places(workflow: Workflow, job: Job) -> tuple[Matrix | None, Places]:
    """Where the labels of a job whose runs-on is not literal are set: its
    matrix, the defaults of an input, or the ``with:`` values it passes to
    a workflow it calls; :class:`NotFollowed` when they cannot be followed."""
    node = job.runs_on.node
    if node is None:
        places = caller_places(workflow, job)
        if not places:
            raise NotFollowed("no-value", f"reusable workflow call ({job.uses}) that passes no label to its runs-on")
        return None, places
    # Only a scalar expression naming a matrix value or an input is followed.
    assert isinstance(node, Scalar)
    ref = Ref.parse(node.value)
    if ref is not None:
        matrix = follow(job, ref)
        # Replacing an anchored label would replace its anchor with it.
        for p in matrix.places:
            for s in p.labels:
                if s.anchor is not None:
                    raise NotFollowed("anchor", f"{ref} takes {s.value}, which defines the YAML anchor &{s.anchor}; not rewritten")
        return matrix, [(p.where, p.labels, None) for p in matrix.places]
    name = input_name(node.value) or ""
    places = input_places(workflow, name)
    if not places:
        raise NotFollowed("no-value", f"the input {name} has no default; the callers choose the runner")
    return None, places


def label_sets(places: Places) -> list[list[str]]:
    """The label sets a job on ``places`` may run on: one per place (the
    excluded matrix entries aside), one per choice option (each a whole runs-on)."""
    sets: list[list[str]] = []
    for where, labels, choices in places:
        if where == "exclude":
            continue
        sets.extend([[s.value] for s in labels] if choices is not None else [[s.value for s in labels]])
    return sets


def input_label_sets(workflow: Workflow, job: Job) -> tuple[tuple[str, ...], ...]:
    """The labels the inputs give ``job``, each a label set of its own (an
    input is a whole runs-on; choice options are alternatives), as
    :func:`follow_places` finds them for a job on ``${{ inputs.X }}`` or one
    calling a workflow of the same repository; ``()`` for any other job, or
    when they cannot be followed."""
    node = job.runs_on.node
    if node is None and not (job.uses or "").startswith("./"):
        return ()
    if node is not None and not (type(node) is Scalar and input_name(node.value)):
        return ()
    try:
        _, places = follow_places(workflow, job)
    except NotFollowed:
        return ()
    return tuple(dict.fromkeys((s.value,) for _, labels, _ in places for s in labels))
