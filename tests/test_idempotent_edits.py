"""Lists and runner groups that lose entries when they move leave nothing
behind that a second run would change: ``--check`` right after ``--write``
finds nothing, with or without ``--drop-comment``. A lost entry's line goes
whole, its trailing comment with it; comment lines among entries stay."""

from __future__ import annotations

import pytest
from roundtrip import COMMENT, COMMENT_SPEC, round_trip

HEAD = "on: push\njobs:\n  a:\n"
# runs-on as written -> what a move to one label leaves.
MOVES = {
    "flow-comment-per-item": (
        "    runs-on: [\n      x, # c1\n      y # c2\n    ]\n    steps: []\n",
        "    runs-on: [\n      new # c1\n    ]\n    steps: []\n",
    ),
    "flow-trailing-comma": (
        "    runs-on: [\n      x, # c1\n      y, # c2\n    ]\n",
        "    runs-on: [\n      new # c1\n      , # c2\n    ]\n",
    ),
    "flow-leading-commas": (
        "    runs-on: [publish # one\n      , x # two\n      , y # three\n    ]\n",
        "    runs-on: [new # one\n    ]\n",
    ),
    "flow-comma-line-with-comment": (
        "    runs-on: [publish # one\n      , x # two\n      , # three\n      y]\n",
        "    runs-on: [new # one\n      ]\n",
    ),
    "flow-comma-alone": (
        "    runs-on: [\n      x # c1\n      ,\n      y # c2\n      ]\n",
        "    runs-on: [\n      new # c1\n      ]\n",
    ),
    "flow-blank-line": (
        "    runs-on: [x, # one\n\n      y, # three\n      z]\n",
        "    runs-on: [new # one\n\n      ]\n",
    ),
    "flow-comment-line": (
        "    runs-on: [x, # c1\n      # own line\n      y]\n",
        "    runs-on: [new # c1\n      # own line\n      ]\n",
    ),
    "group-comment-line": (
        "    runs-on:\n      group: g # c\n      # inside\n      labels: [x]\n    steps: []\n",
        "    runs-on: new\n      # inside\n    steps: []\n",
    ),
    "group-comment-in-labels": (
        "    runs-on:\n      group: g\n      labels:\n        - x # c\n        # between\n\n        - y\n",
        "    runs-on: new\n        # between\n\n",
    ),
    "group-comment-last": (
        "    runs-on:\n      group: g\n      # last",
        "    runs-on: new\n      # last",
    ),
    "group-trailing-comments-only": (
        "    runs-on:\n      group: g # c\n      labels: x # d\n",
        "    runs-on: new # d\n",
    ),
}


@pytest.mark.parametrize("shape", MOVES)
def test_what_a_move_leaves(relane, repo, shape):
    before, after = MOVES[shape]
    root = repo({"w.yml": HEAD + before})
    r = relane("retarget", str(root), "--to", "new", "--move-groups", "--write")
    assert r.code == 0, r.err
    assert (root / ".github/workflows/w.yml").read_text() == HEAD + after


@pytest.mark.parametrize("drop", [(), ("--drop-comment", ".")], ids=["keep", "drop"])
@pytest.mark.parametrize("comment", [(), COMMENT], ids=["record", "comment"])
@pytest.mark.parametrize("shape", MOVES)
def test_a_second_run_changes_nothing_and_rollback_restores(relane, repo, shape, comment, drop):
    spec = (COMMENT_SPEC if comment else "") + ('drop-comment = ["."]\n' if drop else "") + "move-groups = true\n"
    jobs = round_trip(relane, repo, HEAD + MOVES[shape][0], (*comment, *drop, "--move-groups"), spec, same=bool(comment))
    assert [j["outcome"] for j in jobs] == ["moved"]
