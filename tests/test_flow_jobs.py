"""Jobs written in flow style, in every shape: relane's comment goes on
lines of its own above the line holding a job's runs-on, where YAML allows
a comment even inside a flow mapping; a job with no such line to itself is
skipped with the reason ``same-line`` and never makes relane fail. Every
run is idempotent, and a migration's rollback gives back the file."""

from __future__ import annotations

import pytest
from roundtrip import COMMENT, COMMENT_SPEC, round_trip

SHAPES = {
    # A flow list over two lines ends on the line where the next job's runs-on is.
    "list-ends-on-next-runs-on": ("jobs: {a: {runs-on: [x,\n  y]}, b: {runs-on: z}}\n", {"b"}),
    "group-ends-on-next-runs-on": ("jobs: {a: {runs-on: {group: g,\n  labels: [x]}}, b: {runs-on: z}}\n", {"b"}),
    "list-ends-before-a-third": ("jobs: {a: {runs-on: x},\n b: {runs-on: [p,\n q]}, c: {runs-on: r}}\n", {"c"}),
    "commented-flow-list": ("jobs: {a: {runs-on: [x, # c1\n  y # c2\n  ]}, b: {runs-on: z}}\n", {"b"}),
    "one-line": ("jobs: {a: {runs-on: x}, b: {runs-on: z}}\n", {"b"}),
    "one-line-then-own-line": ("jobs: {a: {runs-on: x}, b: {runs-on: z},\n  c: {runs-on: w}}\n", {"b"}),
    "job-per-line": ("jobs: {\n  a: {runs-on: x},\n  b: {runs-on: z}\n}\n", set()),
    "key-per-line": ("jobs: {\n  a: {\n    runs-on: x\n  },\n  b: {runs-on: z}}\n", set()),
    "block-jobs-flow-bodies": ("jobs:\n  a: {runs-on: [x,\n    y], steps: []}\n  b: {\n    name: n,\n    runs-on: z}\n", set()),
    "whole-file-flow": ("{on: push, jobs: {a: {runs-on: x}}}\n", set()),
    "flow-body-on-its-own-line": ("jobs:\n  a:\n    {runs-on: x}\n", set()),
    "multi-line-name-before": ('jobs: {a: {name: "multi\n  line", runs-on: x}}\n', {"a"}),
    "value-on-next-line": ("jobs: {a: {steps: [], runs-on:\n  x}, b: {runs-on: z}}\n", {"b"}),
    "explicit-key": ("jobs: {? a : {runs-on: x}, b: {runs-on: z}}\n", {"b"}),
}


def _text(body: str) -> str:
    return body if body.startswith("{") else "on: push\n" + body


@pytest.mark.parametrize("shape", SHAPES)
def test_comments_in_flow_jobs(relane, repo, shape):
    body, skipped = SHAPES[shape]
    text = body if body.startswith("{") else "on: push\n" + body
    jobs = round_trip(relane, repo, text, (*COMMENT, "--move-groups"), COMMENT_SPEC + "move-groups = true")
    assert {j["job"] for j in jobs if j["code"] == "same-line"} == skipped
    assert all(j["outcome"] == "moved" for j in jobs if j["job"] not in skipped)
