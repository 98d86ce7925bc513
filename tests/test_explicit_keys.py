"""``runs-on`` written as an explicit key (``? runs-on`` then ``:``), whose
value may be a compact list or mapping on the ``:`` line: moved, checked
and rolled back, with and without comments and dropped comments."""

from __future__ import annotations

import pytest
from roundtrip import COMMENT, COMMENT_SPEC, round_trip

HEAD = "on: push\njobs:\n  a:\n    ? runs-on\n"
VALUES = {
    "compact-list": ": - x\n      - y\n",
    "compact-list-comment": ": - x # c\n      - y\n",
    "compact-list-deeper": ":   - x\n        - y\n",
    "compact-list-blank-line": ": - x\n\n      - y\n",
    "compact-list-comment-line": ": - x\n      # between\n      - y\n",
    "key-comment-and-line": "# between\n    : - x\n      - y # c\n",
    "one-item": ": - x\n",
    "compact-group": ": group: g\n      labels: [x]\n",
    "compact-group-comment": ": group: g # c\n      labels: x\n",
    "group-alone": ": group: g\n",
    "flow-list": ": [x,\n      y]\n",
    "flow-group": ": {group: g,\n      labels: x}\n",
    "list-on-next-line": ":\n      - x\n      - y\n",
    "scalar": ": x\n",
}
OPTIONS = {
    "record": ((), ""),
    "comment": (COMMENT, COMMENT_SPEC),
    "comment-drop": ((*COMMENT, "--drop-comment", "."), COMMENT_SPEC + 'drop-comment = ["."]\n'),
}


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("value", VALUES)
@pytest.mark.parametrize("tail", ["    steps: []\n", ""], ids=["more", "last"])
def test_explicit_runs_on_round_trips(relane, repo, value, options, tail):
    text = HEAD + "    " + VALUES[value] + tail
    flags, spec = OPTIONS[options]
    jobs = round_trip(relane, repo, text, (*flags, "--move-groups"), spec + "move-groups = true\n", same=bool(flags))
    assert [j["outcome"] for j in jobs] == ["moved"]
