"""An independent reading of workflow files, to check relane's output against.

relane reads YAML through libyaml; these helpers read it through
ruamel.yaml's pure-Python YAML 1.2 parser, so a fault shared by relane and
libyaml cannot hide itself. A file becomes a *shape*: nested tuples of
resolved tags and scalar texts, which compare equal exactly when two files
hold the same data (an alias is shown by its anchor, never expanded; a
``<<`` merge key is compared as written, which is stricter than comparing
merged data).

The functions are plain and picklable so a test can spread files over
worker processes: ruamel.yaml's pure parser reads about 0.3 MB/s.
"""

from __future__ import annotations

import warnings

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
NULL = "tag:yaml.org,2002:null"
MERGE = "tag:yaml.org,2002:merge"
EXPRESSION = "${{"

def _parser():
    # A fresh parser for each file: a ``%YAML 1.1`` directive in one file
    # would otherwise stay in force for the next.
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True)


class Invalid(Exception):
    """The file is not a valid single YAML document (or repeats a key)."""


def compose(text: str):
    """The root node of ``text``; :class:`Invalid` when it is not valid YAML."""
    from ruamel.yaml.error import YAMLError, YAMLWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", YAMLWarning)
        try:
            return _parser().compose(text)
        except YAMLError as exc:
            raise Invalid(" ".join(str(exc).split())) from None


def shape(root):
    """Comparable data for a composed node, and the ids of aliased nodes.

    Raises :class:`Invalid` for a mapping that repeats a key (forges reject
    those, and so must relane).
    """
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    seen: set[int] = set()
    aliased: set[int] = set()

    def convert(node):
        if id(node) in seen:
            aliased.add(id(node))
            return ("*", node.anchor)
        seen.add(id(node))
        tag = str(node.tag)
        if isinstance(node, ScalarNode):
            return (tag, node.value)
        if isinstance(node, MappingNode):
            pairs = tuple((convert(k), convert(v)) for k, v in node.value)
            keys = [k for k, _ in pairs]
            if len(set(keys)) != len(keys):
                line = node.start_mark.line + 1
                raise Invalid(f"duplicate key in the mapping at line {line}")
            return (tag, pairs)
        return (tag, tuple(convert(i) for i in node.value))

    return (None if root is None else convert(root)), aliased


def static_jobs(root, aliased: set[int]) -> dict[str, bool]:
    """For every job: whether its runs-on is a fixed label or list of labels
    that only this job uses (what a retarget moves without any option)."""
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    def label(node) -> bool:
        return (
            isinstance(node, ScalarNode)
            and node.anchor is None
            and id(node) not in aliased
            and str(node.tag) != NULL
            and node.style not in ("|", ">")
            and node.value != ""
            and EXPRESSION not in node.value
        )

    def static(value) -> bool:
        if isinstance(value, SequenceNode):
            return (
                bool(value.value)
                and value.anchor is None
                and id(value) not in aliased
                and all(label(item) for item in value.value)
            )
        return label(value)

    jobs_node = _get(root, "jobs")
    if not isinstance(jobs_node, MappingNode):
        return {}
    shared = id(root) in aliased or id(jobs_node) in aliased
    out: dict[str, bool] = {}
    for key, job in jobs_node.value:
        if not isinstance(key, ScalarNode) or str(key.tag) == MERGE:
            continue
        runs_on = _get(job, "runs-on") if isinstance(job, MappingNode) else None
        out[key.value] = (
            runs_on is not None and not shared and id(job) not in aliased and static(runs_on)
        )
    return out


def _get(node, name: str):
    from ruamel.yaml.nodes import MappingNode, ScalarNode

    if not isinstance(node, MappingNode):
        return None
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.value == name and str(key.tag) != MERGE:
            return value
    return None


def value_shape(value) -> tuple:
    """The shape a runs-on value given as plain data (a string or list) reads as."""
    if isinstance(value, list):
        return (SEQ, tuple((STR, v) for v in value))
    return (STR, value)


def replace_runs_on(data: tuple, moves: dict[str, object]) -> tuple:
    """``data`` (a shape) with each moved job's runs-on replaced."""
    tag, pairs = data
    out = []
    for key, value in pairs:
        if key[1] == "jobs" and key[0] != MERGE and isinstance(value[1], tuple):
            jobs = []
            for job_key, job in value[1]:
                if job_key[1] in moves and job_key[0] != MERGE:
                    after = value_shape(moves[job_key[1]])
                    job = (job[0], tuple((k, after if k[1] == "runs-on" else v) for k, v in job[1]))
                jobs.append((job_key, job))
            value = (value[0], tuple(jobs))
        out.append((key, value))
    return (tag, tuple(out))


def read(data: bytes):
    """(shape, static jobs) of a file's bytes; :class:`Invalid` when it is not
    valid YAML, not UTF-8, or repeats a key."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Invalid(f"not UTF-8: {exc}") from None
    root = compose(text.removeprefix("\ufeff"))
    data_shape, aliased = shape(root)
    return data_shape, static_jobs(root, aliased)


def read_many(items: list[tuple[str, bytes]]) -> list[tuple[str, object]]:
    """``read`` for each (name, bytes); a failure is returned as its message."""
    out = []
    for name, data in items:
        try:
            out.append((name, read(data)))
        except Invalid as exc:
            out.append((name, str(exc)))
    return out
