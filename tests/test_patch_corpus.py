"""The edit API over every real workflow of the corpus.

For each file, each kind of operation is applied at routes a codemod would
pick: ``timeout-minutes`` added to a job lacking one, the first step's
``uses`` (or ``name``, or ``run``) replaced, a step and a job key removed, a
step appended, ``runs-on`` replaced by a list, and every job given a
timeout in one call. Each result must

(a) read, to PyYAML's own loader, as the original data with the operation
    applied (files with aliases are left to relane's own check, which never
    expands them);
(b) change no line outside the edited entry: the lines before the entry
    and after it (with the comments that close it) are the same bytes.

Operations through an alias, of an anchored node or past a merge key, or
adding after a block scalar that ends the file without a line break, must
raise PatchError instead; files relane cannot read must raise PatchError
for any operation. Failures name their files.
"""

from __future__ import annotations

import pytest
import yaml

import relane
from conftest import corpus_files
from patchdata import apply_ops, strictly_equal
from relane import Add, Append, PatchError, Remove, Replace
from relane.edit.place import dash, last_line
from relane.read.source import Source
from relane.read.tree import Alias, Map, Scalar, Seq, parse, walk

FILES = corpus_files("wild") + corpus_files("testdata")
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Why an operation may be refused: it would change what aliases share, or
# new lines would join a block scalar that ends the file without a break.
REFUSALS = ("alias", "anchor", "merge key", "without a final line break")


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _extended(source: Source, line: int) -> int:
    """``line``, and the blank and comment lines that follow it."""
    text = source.text
    while line + 1 < len(source.line_starts):
        start, stop = source.line_span(line + 1)
        if text[start:stop].strip(" \t\r\n")[:1] not in ("", "#"):
            break
        line += 1
    return line


def _span(source: Source, chain: list, whole: bool) -> tuple[int, int]:
    """The lines of the edited entry: the container for Add and Append, the
    entry (key or dash to end of value) for Replace and Remove; a flow
    collection's outermost flow ancestor whole."""
    nodes = [node for _, node in chain]
    for i, node in enumerate(nodes):  # inside flow: the whole flow collection
        if type(node) in (Map, Seq) and node.flow:
            node_lo = source.line_index(node.start)
            return (source.line_index(chain[i - 1][1].start) if i else node_lo), source.line_index(node.end)
    node = nodes[-1]
    if whole or len(nodes) == 1:
        start = node.start
    else:
        parent, index = nodes[-2], chain[-1][0]
        start = parent.pairs[index][0].start if type(parent) is Map else dash(source, parent, index)
    return source.line_index(start), _extended(source, last_line(source, node))


def _unchanged_outside(old: str, new: str, lo: int, hi: int) -> bool:
    a, b = _lines(old), _lines(new)
    after = len(a) - hi - 1
    if after and a[hi + 1 :] != b[len(b) - after :]:
        return False
    if a[:lo] == b[:lo]:
        return True
    # Removing the last entry of a file without a final line break takes
    # the break before it (and the blank lines between).
    k = len(b) - 1
    return (
        after == 0
        and 0 <= k < lo
        and a[:k] == b[:k]
        and a[k].rstrip("\r\n") == b[k]
        and not "".join(a[k + 1 : lo]).strip()
    )


def _ops(root) -> list[tuple[object, list]]:
    """(operation, [(index, node) from the root to the edited node]) for
    the routes a codemod would pick."""
    found: list = []
    if type(root) is not Map:
        return found
    jobs_at = root.index.get("jobs")
    if jobs_at is None or type(root.pairs[jobs_at][1]) is not Map:
        return found
    jobs = root.pairs[jobs_at][1]
    base = [(0, root), (jobs_at, jobs)]
    lacking = [i for i, (k, v) in enumerate(jobs.pairs) if type(v) is Map and "timeout-minutes" not in v.index]
    for i in lacking[:1]:
        found.append((Add(("jobs", jobs.pairs[i][0].value), "timeout-minutes", 30), base + [(i, jobs.pairs[i][1])]))
    for i, (key, job) in enumerate(jobs.pairs):
        if type(job) is not Map or type(key) is not Scalar:
            continue
        route = ("jobs", key.value)
        at = base + [(i, job)]
        steps_at = job.index.get("steps")
        if steps_at is not None and type(job.pairs[steps_at][1]) is Seq:
            steps = job.pairs[steps_at][1]
            s_at = at + [(steps_at, steps)]
            found.append((Append((*route, "steps"), {"name": "relane appended", "run": "echo done\necho again\n"}), s_at))
            if steps.items:
                found.append((Remove((*route, "steps", 0)), s_at + [(0, steps.items[0])]))
                first = steps.items[0]
                if type(first) is Map:
                    for name, value in (("uses", "actions/checkout@v9"), ("name", "renamed: by relane"), ("run", "echo relane")):
                        j = first.index.get(name)
                        if j is not None:
                            found.append((Replace((*route, "steps", 0, name), value), s_at + [(0, first), (j, first.pairs[j][1])]))
                            break
        runs_at = job.index.get("runs-on")
        if runs_at is not None:
            found.append((Replace((*route, "runs-on"), ["self-hosted", "linux"]), at + [(runs_at, job.pairs[runs_at][1])]))
        if job.pairs and type(job.pairs[-1][0]) is Scalar:
            found.append((Remove((*route, job.pairs[-1][0].value)), at + [(len(job.pairs) - 1, job.pairs[-1][1])]))
        break  # the first job with a scalar key
    return found


def _check(path, text: str, old_data, op, chain) -> None:
    try:
        new = relane.patch(text, [op], path=path.name)
    except PatchError as exc:
        assert any(word in exc.message for word in REFUSALS), f"{path.name}: {op}: {exc}"
        return
    source = Source(path.name, text)
    whole = isinstance(op, (Add, Append))
    lo, hi = _span(source, chain, whole)
    if isinstance(op, Remove) and len(chain) > 2:
        parent = chain[-2][1]
        if len(parent.pairs if type(parent) is Map else parent.items) == 1:  # emptied: the parent's entry
            lo, hi = _span(source, chain[:-1], False)
    assert _unchanged_outside(text, new, lo, hi), f"{path.name}: {op} changed lines outside {lo + 1}-{hi + 1}"
    if old_data is not None:
        intended = _positional(old_data, op, chain)
        assert strictly_equal(yaml.load(new, Loader=_LOADER), intended), f"{path.name}: {op}"


def _positional(data, op, chain):
    """``data`` with ``op`` applied, its route followed by position (PyYAML
    types keys that relane's route names by their text)."""
    import copy

    data = copy.deepcopy(data)
    route: list = []
    holder = data
    for index, _node in chain[1:]:
        key = list(holder)[index] if isinstance(holder, dict) else index
        route.append(key)
        holder = holder[key]
    if isinstance(op, Add):
        return apply_ops(data, [Add(tuple(route), op.key, op.value)])
    if isinstance(op, Append):
        return apply_ops(data, [Append(tuple(route), op.value)])
    if isinstance(op, Remove):
        return apply_ops(data, [Remove(tuple(route))])
    return apply_ops(data, [Replace(tuple(route), op.value)])


@pytest.mark.slow
def test_every_op_over_the_corpus():
    checked = refused = invalid = 0
    for path in FILES:
        data = path.read_bytes()
        try:
            source = Source.from_bytes(data, path.name)
            root = parse(source).root
        except relane.InputError:
            invalid += 1
            with pytest.raises(PatchError):
                relane.patch(data.decode("utf-8", "replace"), [Add(("jobs",), "x", 1)], path=path.name)
            continue
        text = ("\ufeff" if source.bom else "") + source.text
        plain = not any(type(n) is Alias or (type(n) is Map and n.has_merge) for n in walk(root))
        old_data = _load(source.text) if plain else None
        for op, chain in _ops(root):
            try:
                _check(path, text, old_data, op, chain)
            except PatchError:  # pragma: no cover - _check handles refusals
                raise
            checked += 1
        lacking = [Add(("jobs", k.value), "timeout-minutes", 30) for k, v in _jobs(root) if "timeout-minutes" not in v.index]
        if lacking:
            try:
                new = relane.patch(text, lacking, path=path.name)
            except PatchError as exc:
                refused += 1
                assert any(word in exc.message for word in REFUSALS), f"{path.name}: {exc}"
                continue
            assert relane.patch(new, []) == new
            if old_data is not None:
                assert strictly_equal(yaml.load(new.lstrip("\ufeff"), Loader=_LOADER), _timeouts(old_data, root)), path.name
    assert checked > 5 * len(FILES) // 2, (checked, refused, invalid)


def _load(text: str):
    """PyYAML's reading of ``text``; ``None`` where it cannot (a mapping as
    a key: relane's own check covers those files)."""
    try:
        return yaml.load(text, Loader=_LOADER)
    except yaml.constructor.ConstructorError:
        return None


def _jobs(root):
    if type(root) is not Map or type(root.get("jobs")) is not Map:
        return []
    return [(k, v) for k, v in root.get("jobs").pairs if type(k) is Scalar and type(v) is Map]


def _timeouts(data, root):
    import copy

    data = copy.deepcopy(data)
    jobs = data["jobs"]
    for (key, job), name in zip(root.get("jobs").pairs, list(jobs), strict=True):
        if type(key) is Scalar and type(job) is Map and "timeout-minutes" not in job.index:
            jobs[name]["timeout-minutes"] = 30
    return data
