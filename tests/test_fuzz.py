"""Fuzzing, CI-sized: random bytes, random YAML-ish token soup and mutated
corpus files never raise a traceback or fail verification, and a --write
over them either writes whole files or nothing.

The same target runs for hours under atheris: ``fuzz/atheris_relane.py``.
``RELANE_HYPOTHESIS=big`` runs many more examples here.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from conftest import corpus_files, needs_corpus
from fuzz_target import TOKENS, check, mutate
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relane.cli.app import main
from relane.deliver.write import TEMP_SUFFIX

BIG = os.environ.get("RELANE_HYPOTHESIS") == "big"
FUZZ = settings(
    max_examples=50_000 if BIG else 500, deadline=None, derandomize=not BIG, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
SEEDS = [
    p.read_bytes() for folder in ("wild", "testdata", "invalid") for p in corpus_files(folder, missing_ok=True)[::7]
]
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None

REGRESSIONS = [
    # atheris: an expression first in a runs-on list hid a mapping after it,
    # and --move-expressions then crashed replacing the list item by item.
    b"on: push\njobs:\n  a:\n    runs-on:\n      - ${{ x }}\n      - k: v\n",
    b"on: push\njobs:\n  a:\n    runs-on:\n      - ${{ x }}\n      - [nested]\n",
    b"b: &b y\non: push\njobs:\n  a:\n    runs-on: ['${{ x }}', *b]\n",
    # atheris: a block-list label folded over two lines, then more labels
    # than items: the new item was inserted inside the replaced label.
    b"on: push\njobs:\n  a:\n    runs-on:\n       - one label\n         over two lines\n",
    b"on: push\njobs:\n  a:\n    runs-on:\n       - 'quoted\n         label'  # c\n",
    # atheris: a label on the line after its dash; a new item took the
    # label's indentation and read as a continuation of it (exit 3).
    b"on: push\njobs:\n t:\n    runs-on:\n    -\n       test\n",
    b"on: push\njobs:\n t:\n    runs-on:\n      - # why\n        test\n",
    # atheris: libyaml reads "]#" as the list's end and a comment; the plain
    # label that replaced the list ran on into it ("publish#", exit 3).
    b"on: push\njobs:\n  test:\n    runs-on: [a, b]#c\n",
    b"on: push\njobs:\n  test:\n    runs-on: {group: g}#c\n",
    b"on: push\njobs:\n  test:\n    runs-on:\n      - a\n      - 'b'#c\n",
    b"on: push\njobs: {test: {runs-on: [a, b]}}\n",
    # A flow list ending on the line where the next job's runs-on starts:
    # the comment went inside the edited list (OverlappingEdits, exit 3).
    b"on: push\njobs: {a: {runs-on: [x,\n  y]}, b: {runs-on: z}}\n",
    b"on: push\njobs: {a: {runs-on: {group: g,\n  labels: [x]}}, b: {runs-on: z}}\n",
    # An explicit key's compact list or mapping: the record read from column 0.
    b"on: push\njobs:\n  a:\n    ? runs-on\n    : - x # c\n      - y\n",
    b"on: push\njobs:\n  a:\n    ? runs-on\n    : group: g # c\n      labels: [x]\n",
    # Lost flow items' comments left behind as comment lines of their own.
    b"on: push\njobs:\n  a:\n    runs-on: [\n      x, # c1\n      y # c2\n    ]\n",
    b"on: push\njobs:\n  a:\n    runs-on: [publish # one\n      , x # two\n      , # three\n      y]\n",
    b"on: push\njobs:\n  a:\n    runs-on:\n      group: g # c\n      # inside\n      labels: [x]\n",
    # A job relane moved before, moved again.
    b"on: push\njobs:\n  a:\n    # relane: was old\n    runs-on: publish\n",
]


@pytest.mark.parametrize("data", REGRESSIONS)
@pytest.mark.parametrize("choice", range(6))
def test_regressions(data, choice):
    assert check(data, choice) == "ok"


ops = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2**20), st.integers(0, 2**16)), min_size=1, max_size=8)


@given(st.binary(max_size=400), st.integers(0, 11))
@FUZZ
def test_random_bytes(data, choice):
    check(data, choice)


@given(st.lists(st.sampled_from(TOKENS + (b"a", b"b", b"x: y", b"ubuntu-latest")), max_size=60), st.integers(0, 11))
@FUZZ
def test_token_soup(tokens, choice):
    check(b"".join(tokens), choice)


@pytest.mark.slow
@needs_corpus
@given(st.sampled_from(SEEDS), ops, st.integers(0, 11))
@settings(FUZZ, max_examples=100_000 if BIG else 1000)
def test_mutated_corpus_files(seed, mutations, choice):
    check(mutate(seed, mutations), choice)


@pytest.mark.slow
@needs_corpus
@given(st.sampled_from(SEEDS), ops)
@settings(FUZZ, max_examples=5_000 if BIG else 200)
def test_write_over_mutated_files_is_whole_or_nothing(seed, mutations):
    data = mutate(seed, mutations)
    good = b"on: push\njobs:\n  a:\n    runs-on: x\n"
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        folder = Path(tmp) / ".github/workflows"
        folder.mkdir(parents=True)
        (folder / "a.yml").write_bytes(good)
        (folder / "b.yml").write_bytes(data)
        code = main(["retarget", tmp, "--to", "publish", "--write", "-q"])
        assert code in (0, 2)
        assert sorted(p.name for p in folder.iterdir()) == ["a.yml", "b.yml"]
        assert not any(p.name.endswith(TEMP_SUFFIX) for p in folder.iterdir())
        if code == 2:
            assert (folder / "a.yml").read_bytes() == good
            assert (folder / "b.yml").read_bytes() == data
        else:
            assert (folder / "a.yml").read_bytes() == good.replace(b": x", b": publish")
            assert main(["retarget", tmp, "--to", "publish", "--check", "-q"]) == 0
