"""The whole corpus through a label map: every real workflow, mapped as a repository.

Four common labels get new names. Then, file by file:

(a) the output reads, to ruamel.yaml's independent YAML 1.2 parser, as the
    original with only mapped labels changed: a scalar under a job's
    ``runs-on``, ``strategy.matrix`` or an ``if:`` now holds the mapped
    label (or the condition with the mapped labels), as does an input's
    default or options and a ``with:`` value passed to a workflow of the
    repository that takes its runs-on from it; a matrix or options list
    may lose an item that maps onto another; every job whose runs-on is a
    fixed label list holding a mapped label is mapped;
(b) every changed line is the original line with some mapped labels
    replaced, and every removed line held a mapped label;
(c) a second run changes nothing.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

import yaml12
from conftest import corpus_files, needs_corpus
from relane import InputError, Source, load
from relane.codemod import Outcome
from relane.codemods.labelmap import LabelMap
from relane.codemods.labeltable import parse_maps
from relane.engine import run
from relane.read.files import discover
from test_corpus import Independent

MAP = {
    "ubuntu-latest": "relane-ubuntu-new",
    "windows-latest": "relane-windows-new",
    "macos-latest": "relane-macos-new",
    "ubuntu-22.04": "relane-ubuntu-2204",
}
LABEL = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, MAP)) + r")(?![\w.-])", re.IGNORECASE)
WORKFLOWS = ".github/workflows"


def mapped(value: str) -> str | None:
    return MAP.get(value.lower())


def _accepted(folder: str) -> dict[str, bytes]:
    out = {}
    for f in corpus_files(folder):
        data = f.read_bytes()
        path = f"{WORKFLOWS}/{f.name}"
        try:
            load(Source.from_bytes(data, path), require_mapping=False)
        except InputError:
            continue
        out[path] = data
    return out


def _line_matches(old: str, new: str) -> bool:
    """Whether ``new`` is ``old`` with some of its mapped labels replaced."""
    parts = []
    pos = 0
    for m in LABEL.finditer(old):
        parts.append(re.escape(old[pos : m.start()]))
        parts.append(f"(?:{re.escape(m.group(0))}|{re.escape(MAP[m.group(0).lower()])})")
        pos = m.end()
    parts.append(re.escape(old[pos:]))
    return re.fullmatch("".join(parts), new) is not None


def _condition(old: str) -> str:
    return re.sub(
        r"(['\"])([^'\"]*)\1",
        lambda m: m.group(1) + (mapped(m.group(2)) or m.group(2)) + m.group(1),
        old,
    )


def _compare(old, new, path: tuple, failures: list[str]) -> None:
    if old == new:
        return
    where = "/".join(map(str, path)) or "top"
    (otag, oval), (ntag, nval) = old, new
    if otag == ntag and isinstance(oval, tuple) and isinstance(nval, tuple) and len(oval) == len(nval):
        if otag == yaml12.SEQ:
            for i, (o, n) in enumerate(zip(oval, nval, strict=True)):
                _compare(o, n, path + (i,), failures)
        else:
            for (ok, ov), (nk, nv) in zip(oval, nval, strict=True):
                if ok != nk:
                    failures.append(f"{where}: key {ok} became {nk}")
                else:
                    _compare(ov, nv, path + (ok[1],), failures)
        return
    allowed = (len(path) >= 3 and path[0] == "jobs" and (
        path[2] in ("runs-on", "if", "with") or path[2:4] == ("strategy", "matrix") or (path[2] == "steps" and path[-1] == "if")
    )) or (len(path) >= 5 and path[0] == "on" and path[2] == "inputs" and path[4] in ("default", "options"))
    if not allowed:
        failures.append(f"{where} changed")
    elif otag != ntag:
        failures.append(f"{where}: tag changed")
    elif isinstance(oval, str):
        if nval not in (mapped(oval), _condition(oval)):
            failures.append(f"{where}: {oval!r} became {nval!r}")
    elif otag == yaml12.SEQ:
        olds = [v[1] for v in oval]
        got = [v[1] for v in nval]
        want = [mapped(v) or v if isinstance(v, str) else v for v in olds]
        folded = {v.lower() if isinstance(v, str) else v for v in want}
        if len(got) >= len(want) or folded != {v.lower() if isinstance(v, str) else v for v in got}:
            failures.append(f"{where}: list {olds} became {got}")
    else:
        failures.append(f"{where}: entries added or lost")


def _literal_jobs(shape) -> set[str]:
    """Jobs whose runs-on is a fixed label or list holding a mapped label."""
    out = set()
    jobs = dict((k[1], v) for k, v in shape[1]).get("jobs")
    if not jobs or not isinstance(jobs[1], tuple):
        return out
    for key, job in jobs[1]:
        if not isinstance(job[1], tuple):
            continue
        runs_on = dict((k[1], v) for k, v in job[1] if isinstance(k[1], str)).get("runs-on")
        if runs_on is None:
            continue
        values = [runs_on[1]] if isinstance(runs_on[1], str) else [v[1] for v in runs_on[1] if isinstance(v[1], str)]
        if any(mapped(v) for v in values):
            out.add(key[1])
    return out


@needs_corpus
@pytest.mark.slow
@pytest.mark.parametrize("folder", ["wild", "testdata"])
def test_corpus_mapped(folder: str, tmp_path: Path):
    files = _accepted(folder)
    root = tmp_path / folder
    (root / WORKFLOWS).mkdir(parents=True)
    for path, data in files.items():
        (root / path).write_bytes(data)
    codemod = LabelMap(parse_maps([f"{k}={v}" for k, v in MAP.items()]))
    plan = run(codemod, discover([root]))
    written = {c.path: c.new_bytes for c in plan.changes}
    assert len(written) > 100, "the map should reach many files"
    moved = {(r.workflow, r.job) for r in plan.results if r.outcome is Outcome.MOVED}
    through_matrix = sum(1 for r in plan.results if r.outcome is Outcome.MOVED and " the matrix " in r.reason)
    assert through_matrix > {"wild": 100, "testdata": 5}[folder], through_matrix
    # Only files naming a mapped label can change; ruamel.yaml reads those.
    reach = {p: d for p, d in files.items() if LABEL.search(d.decode("utf-8", "replace"))}
    assert set(written) <= set(reach)
    pool = Independent()
    try:
        old = pool.gather(pool.submit(list(reach.items())))
        new_readings = pool.gather(pool.submit(list(written.items())))
    finally:
        pool.close()
    failures: dict[str, str] = {}
    for path, data in reach.items():
        new = written.get(path, data)
        if isinstance(old[path], str):
            continue
        old_shape, static = old[path]
        new_shape = new_readings[path][0] if path in written else old_shape
        problems: list[str] = []
        _compare(old_shape, new_shape, (), problems)
        for job in _literal_jobs(old_shape):
            if static.get(job) and (path, job) not in moved:
                problems.append(f"job {job} has a mapped literal label but was not mapped")
        old_lines = data.decode("utf-8-sig").splitlines(keepends=True)
        new_lines = new.decode("utf-8-sig").splitlines(keepends=True)
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            if op == "replace" and i2 - i1 == j2 - j1:
                for o, n in zip(old_lines[i1:i2], new_lines[j1:j2], strict=True):
                    if not _line_matches(o, n):
                        problems.append(f"line {i1 + 1}: {o!r} became {n!r}")
            elif op == "delete" and all(LABEL.search(o) for o in old_lines[i1:i2]):
                continue
            else:
                problems.append(f"lines {i1 + 1}-{i2}: {op} {old_lines[i1:i2]!r} -> {new_lines[j1:j2]!r}")
        if problems:
            failures[path] = "; ".join(problems[:3])
    assert not failures, f"{len(failures)} file(s):\n" + "\n".join(f"{p}: {w}" for p, w in list(failures.items())[:12])
    # (c) a second run over the written files changes nothing.
    for path, data in written.items():
        (root / path).write_bytes(data)
    again = run(codemod, discover([root]))
    assert not again.changes
    assert not [r for r in again.results if r.outcome is Outcome.MOVED]
