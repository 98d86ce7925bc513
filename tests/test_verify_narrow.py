"""The narrow verification (only the rewritten entries) against the whole-file check.

Whenever :func:`relane.narrow.check_regions` accepts a rewrite, the whole-file
comparison must accept it too: these tests try the ways a region can read
differently alone than in place (the holes fuzzing found in a first
version), random edits of random documents, and every file of the corpus.
"""

from __future__ import annotations

import random
import time

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import corpus_files, needs_corpus
from relane.codemods.retarget import Retarget
from relane.edit.ops import Edit, apply
from relane.errors import VerificationError
from relane.model import load
from relane.narrow import check_regions as _narrow
from relane.read.source import Source
from relane.read.tree import Scalar, parse, walk
from relane.verify import _compare, verify_rewrite


def narrow(doc, new: Source, intended, edits) -> bool:
    return _narrow(doc, new, intended, edits, _compare)


def whole_file_accepts(doc, new: Source, intended) -> bool:
    try:
        _compare(doc.order, new, intended)
    except (VerificationError, yaml.YAMLError):
        return False
    return True


def check(old: str, edits: list[Edit], intended=None, doc=None) -> tuple[bool, bool]:
    """(narrow accepts, whole file accepts); fails if narrow accepts alone."""
    doc = doc or parse(Source("w.yml", old))
    intended = intended or {}
    new = Source("w.yml", apply(old, edits))
    fast = narrow(doc, new, intended, edits)
    whole = whole_file_accepts(doc, new, intended)
    assert whole or not fast, f"narrow check accepted a rewrite the whole-file check refuses: {new.text!r}"
    return fast, whole


def propose(codemod, workflow):
    """A codemod's results, edits and intended data (by node id) for ``workflow``."""
    p = codemod.transform(workflow)
    return p.results, list(p.edits), {id(i.node): i.data for i in p.intended}


def node_at(doc, text: str, value: str) -> Scalar:
    return next(n for n in walk(doc.root) if type(n) is Scalar and n.value == value)


# -- what the narrow check is for ------------------------------------------------------

JOBS = "on: push\njobs:\n  a:\n    runs-on: x  # keep\n    steps:\n      - run: |\n          echo\n  b:\n    runs-on: [x, y]\n"


def test_a_replaced_label_is_verified_narrowly():
    doc = parse(Source("w.yml", JOBS))
    x = node_at(doc, JOBS, "x")
    edits = [Edit(x.start, x.end, "publish")]
    assert check(JOBS, edits, {id(x): "publish"}, doc) == (True, True)


def test_a_comment_above_and_a_replaced_list_are_verified_narrowly():
    doc = parse(Source("w.yml", JOBS))
    b = doc.root.get("jobs").get("b")
    runs_on = b.get("runs-on")
    line = JOBS.rindex("\n", 0, runs_on.start) + 1
    edits = [Edit(line, line, "    # moved\n"), Edit(runs_on.start, runs_on.end, "[p, q]")]
    assert check(JOBS, edits, {id(runs_on): ["p", "q"]}, doc) == (True, True)


def test_a_wrong_value_falls_back_and_the_whole_file_check_names_it():
    doc = parse(Source("w.yml", JOBS))
    x = node_at(doc, JOBS, "x")
    edits = [Edit(x.start, x.end, "other")]
    new = Source("w.yml", apply(JOBS, edits))
    assert not narrow(doc, new, {id(x): "publish"}, edits)
    with pytest.raises(VerificationError, match="rewritten value reads 'other', meant 'publish'") as err:
        verify_rewrite(doc, new, {id(x): "publish"}, edits)
    assert (err.value.line, err.value.col) == (4, 14)


# -- the holes: each reads differently in place than alone ------------------------------

HOLES = [
    # An inserted `...` line ends the document in place; alone, the region is one document.
    ("document end", "on: push\njobs:\n  a:\n    runs-on: x\n", [Edit(8, 8, "\n...")]),
    ("document start", "on: push\njobs:\n  a:\n    runs-on: x\n", [Edit(8, 8, "\n---")]),
    ("directive", "on: push\njobs:\n  a:\n    runs-on: x\n", [Edit(8, 8, "\n%YAML 1.1")]),
    # An edit that swallows the entry's last line break joins the next line to it.
    ("swallowed break", "a: x\nb: y\n", [Edit(3, 5, "x ")]),
    ("swallowed break, nested", "j:\n  a: x\n  b:\n    - y\n", [Edit(7, 9, "x")]),
    # Blank lines at an entry's start belong to a |+ block scalar above it.
    ("blank line after |+", "a: |+\n  x\nb: y\n", [Edit(10, 10, "\n")]),
    ("spaces line after |+", "a: |+\n  x\nb: y\n", [Edit(10, 10, "   \n")]),
    ("blank lines after |+, nested", "j:\n  a: |+\n    x\n  b: y\n", [Edit(17, 17, "\n\n")]),
    # A region ending in a |+ block scalar takes in blank lines after it in place.
    ("|+ at the end", "a: x\n\n\nb: y\n", [Edit(3, 4, "|+\n  x")]),
    # A key moved right of its column joins the entry above.
    ("key moved right", "a:\nb: y\n", [Edit(3, 3, "# c\n  ")]),
    ("key moved right after comment", "j:\n  a:\n  b: y\n", [Edit(8, 8, "  # c\n    ")]),
    # Lone CR and other line breaks.
    ("lone CR", "a: x\nb: y\n", [Edit(4, 4, "\r...")]),
    ("line separator", "a: x\nb: y\n", [Edit(4, 4, "\u2028...")]),
    # Anchors and aliases reach past the region.
    ("new anchor", "a: &p x\nb: &p y\nc: *p\n", [Edit(11, 11, "")]),
]


@pytest.mark.parametrize("name, old, edits", HOLES, ids=[h[0] for h in HOLES])
def test_holes_never_pass_the_narrow_check_alone(name, old, edits):
    fast, whole = check(old, edits)
    if not whole:
        assert not fast


def test_hole_cases_do_change_the_data():
    # The table above is worth having only if those rewrites really go wrong in place.
    failing = [name for name, old, edits in HOLES if not check(old, edits)[1]]
    assert {"document end", "document start", "directive", "swallowed break", "blank line after |+",
            "spaces line after |+", "blank lines after |+, nested", "key moved right",
            "key moved right after comment", "lone CR"} <= set(failing)


@pytest.mark.slow
def test_a_file_with_24000_jobs_is_checked_in_far_less_than_quadratic_time():
    jobs = 24_000
    text = "on: push\njobs:\n" + "".join(
        f"  job{i}:\n    name: Job {i}  # a comment\n    runs-on: ubuntu-latest\n    steps:\n"
        f"      - run: make {i}\n" for i in range(jobs)
    )
    source = Source("big.yml", text)
    workflow = load(source)
    results, edits, intended = propose(Retarget(to=("publish",)), workflow)
    # Every job moved: verify() reads the whole file once rather than 24,000 regions.
    verify_rewrite(workflow.document, Source("big.yml", apply(text, edits)), intended, edits)
    # One job in 20 moved, all over the file: the narrow check is the cheaper.
    edits = edits[::20]
    moved = {e.start for e in edits}
    intended = {id(job.runs_on.node): "publish" for job in workflow.jobs
                if job.runs_on.node is not None and job.runs_on.node.start in moved}
    new = Source("big.yml", apply(text, edits))
    start = time.perf_counter()
    assert narrow(workflow.document, new, intended, edits)
    fast = time.perf_counter() - start
    start = time.perf_counter()
    _compare(workflow.document.order, new, intended)
    whole = time.perf_counter() - start
    # A look-up costing a pass over the jobs per edit would take minutes.
    assert fast < whole


# -- random documents, random edits ----------------------------------------------------

VALUES = [
    "x", "x y", "'q'", '"q"', "[a, b]", "{{k: v}}", "", "|\n{i}  l1\n{i}  l2", "|+\n{i}  l\n", "|-\n{i}  l",
    ">\n{i}  f", "&an x", "*an", "!t x", "x  # c", "x\n{i}  more", "null",
]
INSERTS = [
    "\n", "   \n", "\t\n", "# c\n", "{i}# c\n", "{i}  # c\n", "...\n", "---\n", "%YAML 1.1\n", "{i}k: v\n",
    "{i}  k: v\n", "{i}- a\n", "k: v\n", "\r", "\u2028", "{i}&an k: v\n", "{i}? k\n",
]
TAILS = ["\n...", "\n", "\n\n", " # c", "\n{i}  more", "\n{i}k2: v", " x", "\n---", "\r\n"]
# Replacement text -> what it reads as where it stands alone (when it does).
REPLACEMENTS = {
    "y": "y", "z w": "z w", "[p, q]": ["p", "q"], "'y'": "y", "|+\n  y": "y\n", "|-\n  y": "y", "y\n...": "y",
    "y\n": "y", "&an y": "y", "*an": None, "!t y": "y", "": None, "y\n  k: v": None, "y # c": "y",
}


@st.composite
def documents(draw):
    rng = random.Random(draw(st.integers(0, 2**32)))
    lines: list[str] = []

    def mapping(indent: int, depth: int, entries: int) -> None:
        for n in range(entries):
            i = " " * indent
            if rng.random() < 0.2:
                lines.append(rng.choice(["", f"{i}# note", "  ", f"{i}  # deep"]))
            key = rng.choice(["runs-on", "name", "steps", f"k{depth}{n}", '"q k"'])
            key = f"{key}{n}" if key != '"q k"' else f'"q k{n}"'
            if depth < 2 and rng.random() < 0.35:
                lines.append(f"{i}{key}:")
                if rng.random() < 0.3:
                    for m in range(rng.randint(1, 3)):
                        lines.append(f"{i}  - {rng.choice(['a', 'b c', '[x]', 'k: v'])}{m}")
                else:
                    mapping(indent + 2, depth + 1, rng.randint(1, 3))
            else:
                value = rng.choice(VALUES).format(i=i)
                lines.append(f"{i}{key}: {value}")

    mapping(0, 0, rng.randint(1, 4))
    text = "\n".join(lines) + rng.choice(["\n", "", "\n\n"])
    return text, rng


def random_edits(text: str, doc, rng: random.Random) -> tuple[list[Edit], dict]:
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    breaks = [i for i, c in enumerate(text) if c == "\n"]
    scalars = [n for n in walk(doc.root) if type(n) is Scalar]
    edits: list[Edit] = []
    intended: dict = {}
    for _ in range(rng.randint(1, 3)):
        kind = rng.random()
        if kind < 0.4 and scalars:
            node = rng.choice(scalars)
            new = rng.choice(list(REPLACEMENTS))
            edit = Edit(node.start, node.end, new)
            if rng.random() < 0.8:
                intended[id(node)] = REPLACEMENTS[new] if rng.random() < 0.7 else rng.choice(["y", ["p", "q"]])
        elif kind < 0.7:
            at = rng.choice(starts)
            end = text.find("\n", at)
            indent = " " * (len(text[at:end]) - len(text[at:end].lstrip(" "))) if end >= 0 else ""
            edit = Edit(at, at, rng.choice(INSERTS).format(i=indent))
        elif kind < 0.9 and breaks:
            at = rng.choice(breaks)
            edit = Edit(at, at, rng.choice(TAILS).format(i=" " * rng.choice([0, 2, 4])))
        elif breaks:
            at = rng.choice(breaks)  # swallow a line break
            edit = Edit(at, at + 1, rng.choice(["", " ", "  "]))
        else:
            continue
        if all(edit.end <= e.start and (edit.start, edit.end) != (e.start, e.end) or e.end <= edit.start
               and (edit.start, edit.end) != (e.start, e.end) for e in edits):
            edits.append(edit)
    # Insertions at one spot apply in the order given; keep them sorted so
    # the narrow check and apply() agree on the text.
    edits.sort(key=lambda e: (e.start, e.end))
    return edits, {k: v for k, v in intended.items() if any(e.start == n.start for e in edits for n in scalars if id(n) == k)}


@settings(max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents(), st.integers(0, 2**32))
def test_narrow_accepts_only_what_the_whole_file_check_accepts(document, seed):
    text, _ = document
    try:
        doc = parse(Source("w.yml", text))
    except Exception:
        return
    rng = random.Random(seed)
    edits, intended = random_edits(text, doc, rng)
    if edits:
        check(text, edits, intended, doc)


# -- the corpus ---------------------------------------------------------------------------

def _corpus_sweep(files, rng: random.Random) -> tuple[int, int]:
    accepted = tried = 0
    for path in files:
        try:
            workflow = load(Source.read(path, path.name), require_mapping=False)
        except Exception:
            continue
        text = workflow.source.text
        doc = workflow.document
        for to in (("publish",), ("self-hosted", "linux")):
            results, edits, intended = propose(Retarget(to=to), workflow)
            if edits:
                fast, whole = check(text, edits, intended, doc)
                assert whole
                accepted += fast
                tried += 1
        for job in workflow.jobs:
            node = job.node
            if node is None or "runs-on" not in node.index:
                continue
            key = node.key_node("runs-on")
            line = text.rfind("\n", 0, key.start) + 1
            brk = text.find("\n", key.start)
            candidates = [
                [Edit(line, line, "\n")],
                [Edit(line, line, "...\n")],
                [Edit(line, line, text[line:key.start] + "# c\n\n")],
                [Edit(line, line, "# c\n  " + text[line:key.start])],
            ]
            if brk >= 0:
                candidates += [
                    [Edit(brk, brk, "\n...")],
                    [Edit(brk, brk + 1, " ")],
                    [Edit(brk, brk, "\n" + text[line:key.start] + "  more")],
                ]
            for edits in rng.sample(candidates, 3):
                check(text, edits, {}, doc)
    return accepted, tried


@pytest.mark.slow
@needs_corpus
def test_corpus_sweep_narrow_never_accepts_more_than_the_whole_file_check():
    files = corpus_files("wild") + corpus_files("testdata")
    accepted, tried = _corpus_sweep(files, random.Random(13))
    # The plain retargets of real files are what the narrow check is for.
    assert tried and accepted / tried > 0.95
