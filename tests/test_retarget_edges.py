"""retarget on unusual but valid YAML: keys written as aliases of a scalar
(``*k :``) count as the key they name, for duplicates and for runs-on."""

from __future__ import annotations

import pytest
from roundtrip import COMMENT, COMMENT_SPEC, round_trip

ANCHORS = "on: push\nenv:\n  KEY: &k runs-on\n  JOB: &j build\n"
DUPLICATES = {
    # The last of two equal keys wins in PyYAML; GitHub refuses the file.
    "runs-on-then-alias": ("jobs:\n  build:\n    runs-on: x\n    *k : y\n", "8:5: duplicate key 'runs-on' in mapping (first at line 7)"),
    "alias-then-runs-on": ("jobs:\n  build:\n    *k : y\n    runs-on: x\n", "8:5: duplicate key 'runs-on' in mapping (first at line 7)"),
    "job-id-twice": ("jobs:\n  build:\n    runs-on: x\n  *j :\n    runs-on: y\n", "8:3: duplicate key 'build' in mapping (first at line 6)"),
}


@pytest.mark.parametrize("shape", DUPLICATES)
def test_a_key_written_as_an_alias_is_a_duplicate_of_the_key_it_names(relane, repo, shape):
    body, where = DUPLICATES[shape]
    root = repo({"w.yml": ANCHORS + body})
    r = relane("retarget", str(root), "--to", "new", "--write")
    assert r.code == 2
    assert r.err.startswith(f"relane: error: .github/workflows/w.yml:{where}\n")
    assert (root / ".github/workflows/w.yml").read_text() == ANCHORS + body


@pytest.mark.parametrize("options", [(), COMMENT], ids=["record", "comment"])
def test_runs_on_written_as_an_alias_key_is_moved(relane, repo, options):
    text = ANCHORS + "jobs:\n  build:\n    *k : x # why\n    steps: []\n"
    jobs = round_trip(relane, repo, text, options, COMMENT_SPEC if options else "", same=bool(options))
    assert [(j["job"], j["outcome"], j["before"]) for j in jobs] == [("build", "moved", "x")]
