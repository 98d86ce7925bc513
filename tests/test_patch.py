"""Exact-text tables for the edit API, ``relane.patch``.

Each case is (input, operations, expected output), the way pyupgrade and
zizmor's yamlpatch test theirs: every operation against block and flow
parents, comments around and inside, each quoting style, 2- and 4-space
documents, flush and indented lists, empty collections, CRLF line breaks
and files without a final line break. Every expected output is also read by
ruamel.yaml's pure-Python YAML 1.2 parser and must hold the input's data
with the operations applied; every case is run again with CRLF line breaks,
and (where the file ends on a plain line) without its final line break.
"""

from __future__ import annotations

import datetime

import pytest

import relane
from patchdata import apply_ops, strictly_equal
from relane import Add, Append, PatchError, Remove, Replace, patch

SAME = object()  # the output is the input, byte for byte

W2 = (
    "on: push\n"
    "jobs:\n"
    "  build:\n"
    "    runs-on: ubuntu-latest\n"
    "    steps:\n"
    "      - uses: actions/checkout@v4\n"
    "      - run: make\n"
)

W4 = (
    "on: push\n"
    "jobs:\n"
    "    build:\n"
    "        runs-on: ubuntu-latest\n"
    "        steps:\n"
    "            - uses: actions/checkout@v4\n"
    "            - run: make\n"
)

WF = (
    "on: push\n"
    "jobs:\n"
    "  build:\n"
    "    runs-on: ubuntu-latest\n"
    "    steps:\n"
    "    - uses: actions/checkout@v4\n"
    "    - run: make\n"
)

WC = (
    "# CI\n"
    "on: push  # every push\n"
    "jobs:\n"
    "  # the build\n"
    "  build:\n"
    "    runs-on: ubuntu-latest  # the pool\n"
    "    # the steps\n"
    "    steps:\n"
    "      - uses: actions/checkout@v4  # pinned\n"
    "      # then build\n"
    "      - run: make\n"
    "    # end of build\n"
    "# end\n"
)

FL = (
    "jobs: {build: {runs-on: x, steps: [a, b]}}\n"
)

ML = (
    "env: {\n"
    "  A: 1,\n"
    "  B: 2\n"
    "}\n"
    "labels: [\n"
    "  a,\n"
    "  b,\n"
    "]\n"
)

SQ = (
    "name: 'ci'\n"
    "env:\n"
    "  A: 'x'\n"
    "  B: plain\n"
)

DQ = (
    'name: "ci"\n'
    "env:\n"
    '  A: "x"\n'
    "  B: plain\n"
)

EM = (
    "env: {}\n"
    "labels: []\n"
    "with: { }\n"
)

BS = (
    "run: |\n"
    "  echo a\n"
    "  echo b\n"
    "next: 1\n"
)


def case(name, text, ops, expected):
    return pytest.param(text, ops, text if expected is SAME else expected, id=name)


CASES = [
    case(
        "2sp: replace a plain scalar keeps it plain",
        W2,
        [Replace(("jobs", "build", "steps", 0, "uses"), "actions/checkout@v5")],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v5\n"
        "      - run: make\n",
    ),
    case(
        "2sp: replace runs-on with a list",
        W2,
        [Replace(("jobs", "build", "runs-on"), ["self-hosted", "linux"])],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on:\n"
        "      - self-hosted\n"
        "      - linux\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n",
    ),
    case(
        "2sp: replace runs-on with a mapping",
        W2,
        [Replace(("jobs", "build", "runs-on"), {"group": "big", "labels": ["x"]})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on:\n"
        "      group: big\n"
        "      labels:\n"
        "        - x\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n",
    ),
    case(
        "2sp: replace the steps with an empty list",
        W2,
        [Replace(("jobs", "build", "steps"), [])],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps: []\n",
    ),
    case(
        "2sp: replace the steps with a scalar",
        W2,
        [Replace(("jobs", "build", "steps"), "none")],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps: none\n",
    ),
    case(
        "2sp: replace a step with a mapping",
        W2,
        [Replace(("jobs", "build", "steps", 1), {"name": "build", "run": "make all"})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - name: build\n"
        "        run: make all\n",
    ),
    case(
        "2sp: replace on with a mapping",
        W2,
        [Replace(("on",), {"push": {"branches": ["main"]}})],
        "on:\n"
        "  push:\n"
        "    branches:\n"
        "      - main\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n",
    ),
    case(
        "2sp: replace with an equal value changes nothing",
        W2,
        [Replace(("jobs", "build", "runs-on"), "ubuntu-latest")],
        SAME,
    ),
    case(
        "2sp: add timeout-minutes to a job",
        W2,
        [Add(("jobs", "build"), "timeout-minutes", 30)],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n"
        "    timeout-minutes: 30\n",
    ),
    case(
        "2sp: add a mapping to a job",
        W2,
        [Add(("jobs", "build"), "env", {"A": "1", "B": 2})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n"
        "    env:\n"
        '      A: "1"\n'
        "      B: 2\n",
    ),
    case(
        "2sp: add a list to a job",
        W2,
        [Add(("jobs", "build"), "needs", ["lint", "test"])],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n"
        "    needs:\n"
        "      - lint\n"
        "      - test\n",
    ),
    case(
        "2sp: add a job",
        W2,
        [Add(("jobs",), "test", {"runs-on": "ubuntu-latest", "steps": [{"run": "make test"}]})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n"
        "  test:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: make test\n",
    ),
    case(
        "2sp: add a top-level key",
        W2,
        [Add((), "permissions", {"contents": "read"})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n"
        "permissions:\n"
        "  contents: read\n",
    ),
    case(
        "2sp: add a key to a step",
        W2,
        [Add(("jobs", "build", "steps", 0), "with", {"fetch-depth": 0})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          fetch-depth: 0\n"
        "      - run: make\n",
    ),
    case(
        "2sp: add a mapping to a step",
        W2,
        [Add(("jobs", "build", "steps", 1), "env", {"CI": True})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n"
        "        env:\n"
        "          CI: true\n",
    ),
    case(
        "2sp: append a step",
        W2,
        [Append(("jobs", "build", "steps"), {"name": "test", "run": "make test"})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n"
        "      - name: test\n"
        "        run: make test\n",
    ),
    case(
        "2sp: append a scalar step",
        W2,
        [Append(("jobs", "build", "steps"), "plain")],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n"
        "      - plain\n",
    ),
    case(
        "2sp: append a step with a script",
        W2,
        [Append(("jobs", "build", "steps"), {"run": "make\nmake test\n"})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n"
        "      - run: |\n"
        "          make\n"
        "          make test\n",
    ),
    case(
        "2sp: remove the first step",
        W2,
        [Remove(("jobs", "build", "steps", 0))],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: make\n",
    ),
    case(
        "2sp: remove the last step",
        W2,
        [Remove(("jobs", "build", "steps", -1))],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n",
    ),
    case(
        "2sp: remove the only key of a step",
        W2,
        [Remove(("jobs", "build", "steps", 1, "run"))],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - {}\n",
    ),
    case(
        "2sp: remove runs-on",
        W2,
        [Remove(("jobs", "build", "runs-on"))],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n",
    ),
    case(
        "2sp: remove the steps",
        W2,
        [Remove(("jobs", "build", "steps"))],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n",
    ),
    case(
        "2sp: remove on",
        W2,
        [Remove(("on",))],
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n",
    ),
    case(
        "2sp: remove both steps",
        W2,
        [Remove(("jobs", "build", "steps", 0)), Remove(("jobs", "build", "steps", 0))],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps: []\n",
    ),
    case(
        "4sp: replace a plain scalar keeps it plain",
        W4,
        [Replace(("jobs", "build", "steps", 0, "uses"), "actions/checkout@v5")],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v5\n"
        "            - run: make\n",
    ),
    case(
        "4sp: replace runs-on with a list",
        W4,
        [Replace(("jobs", "build", "runs-on"), ["self-hosted", "linux"])],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on:\n"
        "            - self-hosted\n"
        "            - linux\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n",
    ),
    case(
        "4sp: replace runs-on with a mapping",
        W4,
        [Replace(("jobs", "build", "runs-on"), {"group": "big", "labels": ["x"]})],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on:\n"
        "            group: big\n"
        "            labels:\n"
        "                - x\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n",
    ),
    case(
        "4sp: replace the steps with an empty list",
        W4,
        [Replace(("jobs", "build", "steps"), [])],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps: []\n",
    ),
    case(
        "4sp: replace the steps with a scalar",
        W4,
        [Replace(("jobs", "build", "steps"), "none")],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps: none\n",
    ),
    case(
        "4sp: replace a step with a mapping",
        W4,
        [Replace(("jobs", "build", "steps", 1), {"name": "build", "run": "make all"})],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - name: build\n"
        "              run: make all\n",
    ),
    case(
        "4sp: replace on with a mapping",
        W4,
        [Replace(("on",), {"push": {"branches": ["main"]}})],
        "on:\n"
        "    push:\n"
        "        branches:\n"
        "            - main\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n",
    ),
    case(
        "4sp: replace with an equal value changes nothing",
        W4,
        [Replace(("jobs", "build", "runs-on"), "ubuntu-latest")],
        SAME,
    ),
    case(
        "4sp: add timeout-minutes to a job",
        W4,
        [Add(("jobs", "build"), "timeout-minutes", 30)],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n"
        "        timeout-minutes: 30\n",
    ),
    case(
        "4sp: add a mapping to a job",
        W4,
        [Add(("jobs", "build"), "env", {"A": "1", "B": 2})],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n"
        "        env:\n"
        '            A: "1"\n'
        "            B: 2\n",
    ),
    case(
        "4sp: add a list to a job",
        W4,
        [Add(("jobs", "build"), "needs", ["lint", "test"])],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n"
        "        needs:\n"
        "            - lint\n"
        "            - test\n",
    ),
    case(
        "4sp: add a job",
        W4,
        [Add(("jobs",), "test", {"runs-on": "ubuntu-latest", "steps": [{"run": "make test"}]})],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n"
        "    test:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - run: make test\n",
    ),
    case(
        "4sp: add a top-level key",
        W4,
        [Add((), "permissions", {"contents": "read"})],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n"
        "permissions:\n"
        "    contents: read\n",
    ),
    case(
        "4sp: add a key to a step",
        W4,
        [Add(("jobs", "build", "steps", 0), "with", {"fetch-depth": 0})],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "              with:\n"
        "                  fetch-depth: 0\n"
        "            - run: make\n",
    ),
    case(
        "4sp: add a mapping to a step",
        W4,
        [Add(("jobs", "build", "steps", 1), "env", {"CI": True})],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n"
        "              env:\n"
        "                  CI: true\n",
    ),
    case(
        "4sp: append a step",
        W4,
        [Append(("jobs", "build", "steps"), {"name": "test", "run": "make test"})],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n"
        "            - name: test\n"
        "              run: make test\n",
    ),
    case(
        "4sp: append a scalar step",
        W4,
        [Append(("jobs", "build", "steps"), "plain")],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n"
        "            - plain\n",
    ),
    case(
        "4sp: append a step with a script",
        W4,
        [Append(("jobs", "build", "steps"), {"run": "make\nmake test\n"})],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n"
        "            - run: |\n"
        "                  make\n"
        "                  make test\n",
    ),
    case(
        "4sp: remove the first step",
        W4,
        [Remove(("jobs", "build", "steps", 0))],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - run: make\n",
    ),
    case(
        "4sp: remove the last step",
        W4,
        [Remove(("jobs", "build", "steps", -1))],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n",
    ),
    case(
        "4sp: remove the only key of a step",
        W4,
        [Remove(("jobs", "build", "steps", 1, "run"))],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - {}\n",
    ),
    case(
        "4sp: remove runs-on",
        W4,
        [Remove(("jobs", "build", "runs-on"))],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n",
    ),
    case(
        "4sp: remove the steps",
        W4,
        [Remove(("jobs", "build", "steps"))],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n",
    ),
    case(
        "4sp: remove on",
        W4,
        [Remove(("on",))],
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps:\n"
        "            - uses: actions/checkout@v4\n"
        "            - run: make\n",
    ),
    case(
        "4sp: remove both steps",
        W4,
        [Remove(("jobs", "build", "steps", 0)), Remove(("jobs", "build", "steps", 0))],
        "on: push\n"
        "jobs:\n"
        "    build:\n"
        "        runs-on: ubuntu-latest\n"
        "        steps: []\n",
    ),
    case(
        "flush: replace a plain scalar keeps it plain",
        WF,
        [Replace(("jobs", "build", "steps", 0, "uses"), "actions/checkout@v5")],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v5\n"
        "    - run: make\n",
    ),
    case(
        "flush: replace runs-on with a list",
        WF,
        [Replace(("jobs", "build", "runs-on"), ["self-hosted", "linux"])],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on:\n"
        "    - self-hosted\n"
        "    - linux\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n",
    ),
    case(
        "flush: replace runs-on with a mapping",
        WF,
        [Replace(("jobs", "build", "runs-on"), {"group": "big", "labels": ["x"]})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on:\n"
        "      group: big\n"
        "      labels:\n"
        "      - x\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n",
    ),
    case(
        "flush: replace the steps with an empty list",
        WF,
        [Replace(("jobs", "build", "steps"), [])],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps: []\n",
    ),
    case(
        "flush: replace the steps with a scalar",
        WF,
        [Replace(("jobs", "build", "steps"), "none")],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps: none\n",
    ),
    case(
        "flush: replace a step with a mapping",
        WF,
        [Replace(("jobs", "build", "steps", 1), {"name": "build", "run": "make all"})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - name: build\n"
        "      run: make all\n",
    ),
    case(
        "flush: replace on with a mapping",
        WF,
        [Replace(("on",), {"push": {"branches": ["main"]}})],
        "on:\n"
        "  push:\n"
        "    branches:\n"
        "    - main\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n",
    ),
    case(
        "flush: replace with an equal value changes nothing",
        WF,
        [Replace(("jobs", "build", "runs-on"), "ubuntu-latest")],
        SAME,
    ),
    case(
        "flush: add timeout-minutes to a job",
        WF,
        [Add(("jobs", "build"), "timeout-minutes", 30)],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n"
        "    timeout-minutes: 30\n",
    ),
    case(
        "flush: add a mapping to a job",
        WF,
        [Add(("jobs", "build"), "env", {"A": "1", "B": 2})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n"
        "    env:\n"
        '      A: "1"\n'
        "      B: 2\n",
    ),
    case(
        "flush: add a list to a job",
        WF,
        [Add(("jobs", "build"), "needs", ["lint", "test"])],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n"
        "    needs:\n"
        "    - lint\n"
        "    - test\n",
    ),
    case(
        "flush: add a job",
        WF,
        [Add(("jobs",), "test", {"runs-on": "ubuntu-latest", "steps": [{"run": "make test"}]})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n"
        "  test:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - run: make test\n",
    ),
    case(
        "flush: add a top-level key",
        WF,
        [Add((), "permissions", {"contents": "read"})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n"
        "permissions:\n"
        "  contents: read\n",
    ),
    case(
        "flush: add a key to a step",
        WF,
        [Add(("jobs", "build", "steps", 0), "with", {"fetch-depth": 0})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "      with:\n"
        "        fetch-depth: 0\n"
        "    - run: make\n",
    ),
    case(
        "flush: add a mapping to a step",
        WF,
        [Add(("jobs", "build", "steps", 1), "env", {"CI": True})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n"
        "      env:\n"
        "        CI: true\n",
    ),
    case(
        "flush: append a step",
        WF,
        [Append(("jobs", "build", "steps"), {"name": "test", "run": "make test"})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n"
        "    - name: test\n"
        "      run: make test\n",
    ),
    case(
        "flush: append a scalar step",
        WF,
        [Append(("jobs", "build", "steps"), "plain")],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n"
        "    - plain\n",
    ),
    case(
        "flush: append a step with a script",
        WF,
        [Append(("jobs", "build", "steps"), {"run": "make\nmake test\n"})],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n"
        "    - run: |\n"
        "        make\n"
        "        make test\n",
    ),
    case(
        "flush: remove the first step",
        WF,
        [Remove(("jobs", "build", "steps", 0))],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - run: make\n",
    ),
    case(
        "flush: remove the last step",
        WF,
        [Remove(("jobs", "build", "steps", -1))],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n",
    ),
    case(
        "flush: remove the only key of a step",
        WF,
        [Remove(("jobs", "build", "steps", 1, "run"))],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - {}\n",
    ),
    case(
        "flush: remove runs-on",
        WF,
        [Remove(("jobs", "build", "runs-on"))],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n",
    ),
    case(
        "flush: remove the steps",
        WF,
        [Remove(("jobs", "build", "steps"))],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n",
    ),
    case(
        "flush: remove on",
        WF,
        [Remove(("on",))],
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "    - uses: actions/checkout@v4\n"
        "    - run: make\n",
    ),
    case(
        "flush: remove both steps",
        WF,
        [Remove(("jobs", "build", "steps", 0)), Remove(("jobs", "build", "steps", 0))],
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps: []\n",
    ),
    case(
        "comments: replace a plain scalar keeps it plain",
        WC,
        [Replace(("jobs", "build", "steps", 0, "uses"), "actions/checkout@v5")],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v5  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: replace runs-on with a list",
        WC,
        [Replace(("jobs", "build", "runs-on"), ["self-hosted", "linux"])],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on:  # the pool\n"
        "      - self-hosted\n"
        "      - linux\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: replace runs-on with a mapping",
        WC,
        [Replace(("jobs", "build", "runs-on"), {"group": "big", "labels": ["x"]})],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on:  # the pool\n"
        "      group: big\n"
        "      labels:\n"
        "        - x\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: replace the steps with an empty list",
        WC,
        [Replace(("jobs", "build", "steps"), [])],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps: []\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: replace the steps with a scalar",
        WC,
        [Replace(("jobs", "build", "steps"), "none")],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps: none\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: replace a step with a mapping",
        WC,
        [Replace(("jobs", "build", "steps", 1), {"name": "build", "run": "make all"})],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - name: build\n"
        "        run: make all\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: replace on with a mapping",
        WC,
        [Replace(("on",), {"push": {"branches": ["main"]}})],
        "# CI\n"
        "on:  # every push\n"
        "  push:\n"
        "    branches:\n"
        "      - main\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: replace with an equal value changes nothing",
        WC,
        [Replace(("jobs", "build", "runs-on"), "ubuntu-latest")],
        SAME,
    ),
    case(
        "comments: add timeout-minutes to a job",
        WC,
        [Add(("jobs", "build"), "timeout-minutes", 30)],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "    timeout-minutes: 30\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: add a mapping to a job",
        WC,
        [Add(("jobs", "build"), "env", {"A": "1", "B": 2})],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "    env:\n"
        '      A: "1"\n'
        "      B: 2\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: add a list to a job",
        WC,
        [Add(("jobs", "build"), "needs", ["lint", "test"])],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "    needs:\n"
        "      - lint\n"
        "      - test\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: add a job",
        WC,
        [Add(("jobs",), "test", {"runs-on": "ubuntu-latest", "steps": [{"run": "make test"}]})],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "    # end of build\n"
        "  test:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: make test\n"
        "# end\n",
    ),
    case(
        "comments: add a top-level key",
        WC,
        [Add((), "permissions", {"contents": "read"})],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "    # end of build\n"
        "permissions:\n"
        "  contents: read\n"
        "# end\n",
    ),
    case(
        "comments: add a key to a step",
        WC,
        [Add(("jobs", "build", "steps", 0), "with", {"fetch-depth": 0})],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "        with:\n"
        "          fetch-depth: 0\n"
        "      # then build\n"
        "      - run: make\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: add a mapping to a step",
        WC,
        [Add(("jobs", "build", "steps", 1), "env", {"CI": True})],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "        env:\n"
        "          CI: true\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: append a step",
        WC,
        [Append(("jobs", "build", "steps"), {"name": "test", "run": "make test"})],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "      - name: test\n"
        "        run: make test\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: append a scalar step",
        WC,
        [Append(("jobs", "build", "steps"), "plain")],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "      - plain\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: append a step with a script",
        WC,
        [Append(("jobs", "build", "steps"), {"run": "make\nmake test\n"})],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "      - run: |\n"
        "          make\n"
        "          make test\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: remove the first step",
        WC,
        [Remove(("jobs", "build", "steps", 0))],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      # then build\n"
        "      - run: make\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: remove the last step",
        WC,
        [Remove(("jobs", "build", "steps", -1))],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: remove the only key of a step",
        WC,
        [Remove(("jobs", "build", "steps", 1, "run"))],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - {}\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: remove runs-on",
        WC,
        [Remove(("jobs", "build", "runs-on"))],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: remove the steps",
        WC,
        [Remove(("jobs", "build", "steps"))],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: remove on",
        WC,
        [Remove(("on",))],
        "# CI\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4  # pinned\n"
        "      # then build\n"
        "      - run: make\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "comments: remove both steps",
        WC,
        [Remove(("jobs", "build", "steps", 0)), Remove(("jobs", "build", "steps", 0))],
        "# CI\n"
        "on: push  # every push\n"
        "jobs:\n"
        "  # the build\n"
        "  build:\n"
        "    runs-on: ubuntu-latest  # the pool\n"
        "    # the steps\n"
        "    steps:\n"
        "      # then build\n"
        "      []\n"
        "    # end of build\n"
        "# end\n",
    ),
    case(
        "flow: replace a scalar",
        FL,
        [Replace(("jobs", "build", "runs-on"), "y z")],
        "jobs: {build: {runs-on: y z, steps: [a, b]}}\n",
    ),
    case(
        "flow: replace a scalar with one needing quotes",
        FL,
        [Replace(("jobs", "build", "runs-on"), "a, b")],
        'jobs: {build: {runs-on: "a, b", steps: [a, b]}}\n',
    ),
    case(
        "flow: replace a list item",
        FL,
        [Replace(("jobs", "build", "steps", 1), "c")],
        "jobs: {build: {runs-on: x, steps: [a, c]}}\n",
    ),
    case(
        "flow: replace a list with a list",
        FL,
        [Replace(("jobs", "build", "steps"), ["c", "d", "e"])],
        "jobs: {build: {runs-on: x, steps: [c, d, e]}}\n",
    ),
    case(
        "flow: replace a scalar with a mapping",
        FL,
        [Replace(("jobs", "build", "runs-on"), {"group": "g"})],
        "jobs: {build: {runs-on: {group: g}, steps: [a, b]}}\n",
    ),
    case(
        "flow: replace a scalar with a multi-line string",
        FL,
        [Replace(("jobs", "build", "runs-on"), "a\nb")],
        'jobs: {build: {runs-on: "a\\nb", steps: [a, b]}}\n',
    ),
    case(
        "flow: add a key",
        FL,
        [Add(("jobs", "build"), "timeout-minutes", 30)],
        "jobs: {build: {runs-on: x, steps: [a, b], timeout-minutes: 30}}\n",
    ),
    case(
        "flow: add a key holding a list",
        FL,
        [Add(("jobs", "build"), "needs", ["a", "b"])],
        "jobs: {build: {runs-on: x, steps: [a, b], needs: [a, b]}}\n",
    ),
    case(
        "flow: add a job",
        FL,
        [Add(("jobs",), "test", {"runs-on": "y"})],
        'jobs: {build: {runs-on: x, steps: [a, b]}, test: {runs-on: "y"}}\n',
    ),
    case(
        "flow: append an item",
        FL,
        [Append(("jobs", "build", "steps"), "c")],
        "jobs: {build: {runs-on: x, steps: [a, b, c]}}\n",
    ),
    case(
        "flow: append a mapping item",
        FL,
        [Append(("jobs", "build", "steps"), {"run": "make"})],
        "jobs: {build: {runs-on: x, steps: [a, b, {run: make}]}}\n",
    ),
    case(
        "flow: remove the first item",
        FL,
        [Remove(("jobs", "build", "steps", 0))],
        "jobs: {build: {runs-on: x, steps: [b]}}\n",
    ),
    case(
        "flow: remove the last item",
        FL,
        [Remove(("jobs", "build", "steps", 1))],
        "jobs: {build: {runs-on: x, steps: [a]}}\n",
    ),
    case(
        "flow: remove both items",
        FL,
        [Remove(("jobs", "build", "steps", 1)), Remove(("jobs", "build", "steps", 0))],
        "jobs: {build: {runs-on: x, steps: []}}\n",
    ),
    case(
        "flow: remove the first key",
        FL,
        [Remove(("jobs", "build", "runs-on"))],
        "jobs: {build: {steps: [a, b]}}\n",
    ),
    case(
        "flow: remove the last key",
        FL,
        [Remove(("jobs", "build", "steps"))],
        "jobs: {build: {runs-on: x}}\n",
    ),
    case(
        "flow: remove the only job",
        FL,
        [Remove(("jobs", "build"))],
        "jobs: {}\n",
    ),
    case(
        "multi-line flow: add a key",
        ML,
        [Add(("env",), "C", 3)],
        "env: {\n"
        "  A: 1,\n"
        "  B: 2,\n"
        "  C: 3\n"
        "}\n"
        "labels: [\n"
        "  a,\n"
        "  b,\n"
        "]\n",
    ),
    case(
        "multi-line flow: append an item",
        ML,
        [Append(("labels",), "c")],
        "env: {\n"
        "  A: 1,\n"
        "  B: 2\n"
        "}\n"
        "labels: [\n"
        "  a,\n"
        "  b,\n"
        "  c,\n"
        "]\n",
    ),
    case(
        "multi-line flow: remove the first key",
        ML,
        [Remove(("env", "A"))],
        "env: {\n"
        "  B: 2\n"
        "}\n"
        "labels: [\n"
        "  a,\n"
        "  b,\n"
        "]\n",
    ),
    case(
        "multi-line flow: remove the last key",
        ML,
        [Remove(("env", "B"))],
        "env: {\n"
        "  A: 1\n"
        "}\n"
        "labels: [\n"
        "  a,\n"
        "  b,\n"
        "]\n",
    ),
    case(
        "multi-line flow: remove an item",
        ML,
        [Remove(("labels", 0))],
        "env: {\n"
        "  A: 1,\n"
        "  B: 2\n"
        "}\n"
        "labels: [\n"
        "  b,\n"
        "]\n",
    ),
    case(
        "multi-line flow: replace a value",
        ML,
        [Replace(("env", "B"), "two words")],
        "env: {\n"
        "  A: 1,\n"
        "  B: two words\n"
        "}\n"
        "labels: [\n"
        "  a,\n"
        "  b,\n"
        "]\n",
    ),
    case(
        "flow list with a comment: append",
        "k: [a,  # why\n"
        "  b]\n",
        [Append(("k",), "c")],
        "k: [a,  # why\n"
        "  b,\n"
        "  c]\n",
    ),
    case(
        "flow list with a comment: remove",
        "k: [a,  # why\n"
        "  b]\n",
        [Remove(("k", 1))],
        "k: [a  # why\n"
        "  ]\n",
    ),
    case(
        "flow mapping in a block job: add",
        "jobs:\n"
        "  b:\n"
        "    with: {a: 1}\n",
        [Add(("jobs", "b", "with"), "c", "2")],
        "jobs:\n"
        "  b:\n"
        '    with: {a: 1, c: "2"}\n',
    ),
    case(
        "empty: add to {}",
        EM,
        [Add(("env",), "A", "1")],
        'env: {A: "1"}\n'
        "labels: []\n"
        "with: { }\n",
    ),
    case(
        "empty: add a list to {}",
        EM,
        [Add(("env",), "A", ["x"])],
        "env: {A: [x]}\n"
        "labels: []\n"
        "with: { }\n",
    ),
    case(
        "empty: add to { }",
        EM,
        [Add(("with",), "k", "v")],
        "env: {}\n"
        "labels: []\n"
        "with: {k: v}\n",
    ),
    case(
        "empty: append to []",
        EM,
        [Append(("labels",), "x")],
        "env: {}\n"
        "labels: [x]\n"
        "with: { }\n",
    ),
    case(
        "empty: append a mapping to []",
        EM,
        [Append(("labels",), {"a": 1})],
        "env: {}\n"
        "labels: [{a: 1}]\n"
        "with: { }\n",
    ),
    case(
        "empty: replace {} with a mapping",
        EM,
        [Replace(("env",), {"A": 1})],
        "env: {A: 1}\n"
        "labels: []\n"
        "with: { }\n",
    ),
    case(
        "empty: replace [] with a list",
        EM,
        [Replace(("labels",), ["x", "y"])],
        "env: {}\n"
        'labels: [x, "y"]\n'
        "with: { }\n",
    ),
    case(
        "empty: replace {} with {} changes nothing",
        EM,
        [Replace(("env",), {})],
        SAME,
    ),
    case(
        "empty: remove the empty mapping",
        EM,
        [Remove(("env",))],
        "labels: []\n"
        "with: { }\n",
    ),
    case(
        "empty: add an empty mapping",
        "a: 1\n",
        [Add((), "b", {})],
        "a: 1\n"
        "b: {}\n",
    ),
    case(
        "empty: append an empty list",
        "a:\n"
        "  - x\n",
        [Append(("a",), [])],
        "a:\n"
        "  - x\n"
        "  - []\n",
    ),
    case(
        "empty: null value replaced with a mapping",
        "a:\n"
        "b: 1\n",
        [Replace(("a",), {"k": "v"})],
        "a:\n"
        "  k: v\n"
        "b: 1\n",
    ),
    case(
        "empty: null value replaced with a scalar",
        "a:\n"
        "b: 1\n",
        [Replace(("a",), "v")],
        "a: v\n"
        "b: 1\n",
    ),
    case(
        "empty: null value with a comment replaced",
        "a:  # c\n"
        "b: 1\n",
        [Replace(("a",), ["x"])],
        "a:  # c\n"
        "  - x\n"
        "b: 1\n",
    ),
    case(
        "empty: null item replaced",
        "- \n"
        "- b\n",
        [Replace((0,), {"k": "v"})],
        "- k: v\n"
        "- b\n",
    ),
    case(
        "quoting: plain stays plain",
        "k: v1\n",
        [Replace(("k",), "v2")],
        "k: v2\n",
    ),
    case(
        "quoting: single stays single",
        "k: 'v1'\n",
        [Replace(("k",), "v2")],
        "k: 'v2'\n",
    ),
    case(
        "quoting: double stays double",
        'k: "v1"\n',
        [Replace(("k",), "v2")],
        'k: "v2"\n',
    ),
    case(
        "quoting: single with a quote inside",
        "k: 'v1'\n",
        [Replace(("k",), "it's")],
        "k: 'it''s'\n",
    ),
    case(
        "quoting: single cannot hold a newline",
        "k: 'v1'\n",
        [Replace(("k",), "a\tb\x01")],
        'k: "a\\tb\\x01"\n',
    ),
    case(
        "quoting: double escapes",
        'k: "v1"\n',
        [Replace(("k",), 'say "hi"\\')],
        'k: "say \\"hi\\"\\\\"\n',
    ),
    case(
        "quoting: plain that would read as a number",
        "k: v1\n",
        [Replace(("k",), "30")],
        'k: "30"\n',
    ),
    case(
        "quoting: plain that would read as a boolean",
        "k: v1\n",
        [Replace(("k",), "yes")],
        'k: "yes"\n',
    ),
    case(
        "quoting: plain that would read as null",
        "k: v1\n",
        [Replace(("k",), "~")],
        'k: "~"\n',
    ),
    case(
        "quoting: plain with colon space",
        "k: v1\n",
        [Replace(("k",), "a: b")],
        'k: "a: b"\n',
    ),
    case(
        "quoting: plain with space hash",
        "k: v1\n",
        [Replace(("k",), "a #b")],
        'k: "a #b"\n',
    ),
    case(
        "quoting: plain starting with an indicator",
        "k: v1\n",
        [Replace(("k",), "*star")],
        'k: "*star"\n',
    ),
    case(
        "quoting: plain with a url",
        "k: v1\n",
        [Replace(("k",), "docker://alpine:3.19")],
        "k: docker://alpine:3.19\n",
    ),
    case(
        "quoting: plain with an expression",
        "k: v1\n",
        [Replace(("k",), "${{ matrix.os }}")],
        "k: ${{ matrix.os }}\n",
    ),
    case(
        "quoting: leading dash",
        "k: v1\n",
        [Replace(("k",), "-x")],
        "k: -x\n",
    ),
    case(
        "quoting: a lone dash",
        "k: v1\n",
        [Replace(("k",), "-")],
        'k: "-"\n',
    ),
    case(
        "quoting: empty string",
        "k: v1\n",
        [Replace(("k",), "")],
        'k: ""\n',
    ),
    case(
        "quoting: trailing space",
        "k: v1\n",
        [Replace(("k",), "a ")],
        'k: "a "\n',
    ),
    case(
        "quoting: number stays number",
        "k: 1\n",
        [Replace(("k",), 2)],
        "k: 2\n",
    ),
    case(
        "quoting: string over a number",
        "k: 1\n",
        [Replace(("k",), "2")],
        'k: "2"\n',
    ),
    case(
        "quoting: number over a quoted string",
        "k: '1'\n",
        [Replace(("k",), 1)],
        "k: 1\n",
    ),
    case(
        "quoting: boolean",
        "k: v\n",
        [Replace(("k",), False)],
        "k: false\n",
    ),
    case(
        "quoting: null",
        "k: v\n",
        [Replace(("k",), None)],
        "k: null\n",
    ),
    case(
        "quoting: float",
        "k: v\n",
        [Replace(("k",), 1.5)],
        "k: 1.5\n",
    ),
    case(
        "quoting: large float",
        "k: v\n",
        [Replace(("k",), 1e+20)],
        "k: 1.0e+20\n",
    ),
    case(
        "quoting: file with single quotes",
        SQ,
        [Replace(("env", "B"), "on")],
        "name: 'ci'\n"
        "env:\n"
        "  A: 'x'\n"
        "  B: 'on'\n",
    ),
    case(
        "quoting: file with double quotes",
        DQ,
        [Replace(("env", "B"), "on")],
        'name: "ci"\n'
        "env:\n"
        '  A: "x"\n'
        '  B: "on"\n',
    ),
    case(
        "quoting: new key in a file with single quotes",
        SQ,
        [Add(("env",), "C", "a: b")],
        "name: 'ci'\n"
        "env:\n"
        "  A: 'x'\n"
        "  B: plain\n"
        "  C: 'a: b'\n",
    ),
    case(
        "quoting: new key needing quotes",
        DQ,
        [Add(("env",), "on", "x")],
        'name: "ci"\n'
        "env:\n"
        '  A: "x"\n'
        "  B: plain\n"
        '  "on": x\n',
    ),
    case(
        "quoting: single-quoted file, value with a newline",
        SQ,
        [Add(("env",), "C", "a\x07")],
        "name: 'ci'\n"
        "env:\n"
        "  A: 'x'\n"
        "  B: plain\n"
        '  C: "a\\a"\n',
    ),
    case(
        "quoting: unicode stays plain",
        "k: v\n",
        [Replace(("k",), "héllo wörld")],
        "k: héllo wörld\n",
    ),
    case(
        "quoting: plain in a flow list",
        "k: [a, b]\n",
        [Replace(("k", 0), "x:y")],
        "k: [x:y, b]\n",
    ),
    case(
        "quoting: flow indicator in a flow list",
        "k: [a, b]\n",
        [Replace(("k", 0), "x]")],
        'k: ["x]", b]\n',
    ),
    case(
        "quoting: flow indicator in block",
        "k: a\n",
        [Replace(("k",), "x]")],
        "k: x]\n",
    ),
    case(
        "quoting: quoted followed by a comment",
        "k: 'a' # c\n",
        [Replace(("k",), "b")],
        "k: 'b' # c\n",
    ),
    case(
        "block scalar: replace with another script",
        "run: |\n"
        "  echo a\n"
        "  echo b\n"
        "next: 1\n",
        [Replace(("run",), "echo c\necho d\n")],
        "run: |\n"
        "  echo c\n"
        "  echo d\n"
        "next: 1\n",
    ),
    case(
        "block scalar: replace with one line",
        "run: |\n"
        "  echo a\n"
        "  echo b\n"
        "next: 1\n",
        [Replace(("run",), "echo c")],
        "run: echo c\n"
        "next: 1\n",
    ),
    case(
        "block scalar: replace keeps a strip header",
        "run: |-\n"
        "  a\n"
        "  b\n"
        "next: 1\n",
        [Replace(("run",), "c\nd")],
        "run: |-\n"
        "  c\n"
        "  d\n"
        "next: 1\n",
    ),
    case(
        "block scalar: folded replaced",
        "run: >\n"
        "  a\n"
        "  b\n"
        "next: 1\n",
        [Replace(("run",), "c\nd\n")],
        "run: |\n"
        "  c\n"
        "  d\n"
        "next: 1\n",
    ),
    case(
        "block scalar: remove the entry",
        "run: |\n"
        "  echo a\n"
        "  echo b\n"
        "next: 1\n",
        [Remove(("run",))],
        "next: 1\n",
    ),
    case(
        "block scalar: add after a last script",
        "a:\n"
        "  run: |\n"
        "    x\n",
        [Add(("a",), "shell", "bash")],
        "a:\n"
        "  run: |\n"
        "    x\n"
        "  shell: bash\n",
    ),
    case(
        "block scalar: add after a kept script",
        "a: |+\n"
        "  x\n"
        "\n"
        "b: 1\n",
        [Add((), "c", 2)],
        "a: |+\n"
        "  x\n"
        "\n"
        "b: 1\n"
        "c: 2\n",
    ),
    case(
        "block scalar: leading spaces fall back to quotes",
        "k: v\n",
        [Replace(("k",), "  a\nb")],
        'k: "  a\\nb"\n',
    ),
    case(
        "block scalar: many trailing newlines fall back to quotes",
        "k: v\n",
        [Replace(("k",), "a\nb\n\n")],
        'k: "a\\nb\\n\\n"\n',
    ),
    case(
        "block scalar: scalar with a comment becomes a script",
        "k: v  # note\n"
        "z: 1\n",
        [Replace(("k",), "a\nb\n")],
        "k: |  # note\n"
        "  a\n"
        "  b\n"
        "z: 1\n",
    ),
    case(
        "block scalar: in a list",
        "- a\n"
        "- b\n",
        [Replace((1,), "x\ny\n")],
        "- a\n"
        "- |\n"
        "  x\n"
        "  y\n",
    ),
    case(
        "block scalar: appended to a list",
        "- a\n",
        [Append((), "x\ny")],
        "- a\n"
        "- |-\n"
        "  x\n"
        "  y\n",
    ),
    case(
        "comments: comment inside a mapping kept when adding",
        "a:\n"
        "  b: 1  # one\n"
        "  # more to come\n"
        "c: 2\n",
        [Add(("a",), "d", 3)],
        "a:\n"
        "  b: 1  # one\n"
        "  d: 3\n"
        "  # more to come\n"
        "c: 2\n",
    ),
    case(
        "comments: comment between key and value kept",
        "a:  # why\n"
        "  b: 1\n",
        [Add(("a",), "c", 2)],
        "a:  # why\n"
        "  b: 1\n"
        "  c: 2\n",
    ),
    case(
        "comments: comment above a removed key stays",
        "a: 1\n"
        "# about b\n"
        "b: 2\n"
        "c: 3\n",
        [Remove(("b",))],
        "a: 1\n"
        "# about b\n"
        "c: 3\n",
    ),
    case(
        "comments: comment inside the removed entry goes",
        "a: 1\n"
        "b:\n"
        "  # inner\n"
        "  x: 1\n"
        "c: 3\n",
        [Remove(("b",))],
        "a: 1\n"
        "c: 3\n",
    ),
    case(
        "comments: comment after the last item kept",
        "k:\n"
        "  - a\n"
        "  # after\n"
        "z: 1\n",
        [Append(("k",), "b")],
        "k:\n"
        "  - a\n"
        "  - b\n"
        "  # after\n"
        "z: 1\n",
    ),
    case(
        "comments: comment on the replaced line kept",
        "k: a  # why\n",
        [Replace(("k",), "b")],
        "k: b  # why\n",
    ),
    case(
        "comments: comment between items kept on remove",
        "k:\n"
        "  - a\n"
        "  # between\n"
        "  - b\n",
        [Remove(("k", 1))],
        "k:\n"
        "  - a\n"
        "  # between\n",
    ),
    case(
        "comments: header comment kept",
        "# top\n"
        "\n"
        "k: 1\n",
        [Add((), "z", 2)],
        "# top\n"
        "\n"
        "k: 1\n"
        "z: 2\n",
    ),
    case(
        "comments: replace a block mapping after a comment line",
        "a: # c\n"
        "  b: 1\n"
        "z: 0\n",
        [Replace(("a",), ["x"])],
        "a: # c\n"
        "  - x\n"
        "z: 0\n",
    ),
    case(
        "nested: remove the first of an inner list",
        "- - a\n"
        "  - b\n"
        "- c\n",
        [Remove((0, 0))],
        "- - b\n"
        "- c\n",
    ),
    case(
        "nested: append to an inner list",
        "- - a\n"
        "  - b\n"
        "- c\n",
        [Append((0,), "x")],
        "- - a\n"
        "  - b\n"
        "  - x\n"
        "- c\n",
    ),
    case(
        "nested: append a list to a list",
        "- a\n",
        [Append((), ["x", "y"])],
        "- a\n"
        "- - x\n"
        '  - "y"\n',
    ),
    case(
        "nested: add to a mapping in a list item",
        "- a: 1\n"
        "  b: 2\n",
        [Add((0,), "c", {"d": [1]})],
        "- a: 1\n"
        "  b: 2\n"
        "  c:\n"
        "    d:\n"
        "      - 1\n",
    ),
    case(
        "nested: remove the first key of an item",
        "- a: 1\n"
        "  b: 2\n",
        [Remove((0, "a"))],
        "- b: 2\n",
    ),
    case(
        "nested: remove the second key of an item",
        "- a: 1\n"
        "  b: 2\n",
        [Remove((0, "b"))],
        "- a: 1\n",
    ),
    case(
        "nested: replace the first key of an item with a mapping",
        "- a: 1\n"
        "  b: 2\n",
        [Replace((0, "a"), {"x": 1})],
        "- a:\n"
        "    x: 1\n"
        "  b: 2\n",
    ),
    case(
        "nested: append a mapping to a wide-gap list",
        "-   a: 1\n"
        "    b: 2\n",
        [Append((), {"c": 3, "d": 4})],
        "-   a: 1\n"
        "    b: 2\n"
        "-   c: 3\n"
        "    d: 4\n",
    ),
    case(
        "nested: root list append",
        "- a\n"
        "- b\n",
        [Append((), "c")],
        "- a\n"
        "- b\n"
        "- c\n",
    ),
    case(
        "nested: root list remove the middle",
        "- a\n"
        "- b\n"
        "- c\n",
        [Remove((1,))],
        "- a\n"
        "- c\n",
    ),
    case(
        "nested: negative index",
        "- a\n"
        "- b\n"
        "- c\n",
        [Replace((-1,), "z")],
        "- a\n"
        "- b\n"
        "- z\n",
    ),
    case(
        "layout: no final newline, add",
        "a: 1\n"
        "b: 2",
        [Add((), "c", 3)],
        "a: 1\n"
        "b: 2\n"
        "c: 3",
    ),
    case(
        "layout: no final newline, append",
        "k:\n"
        "  - a",
        [Append(("k",), "b")],
        "k:\n"
        "  - a\n"
        "  - b",
    ),
    case(
        "layout: no final newline, remove the last entry",
        "a: 1\n"
        "b: 2",
        [Remove(("b",))],
        "a: 1",
    ),
    case(
        "layout: no final newline, remove the first entry",
        "a: 1\n"
        "b: 2",
        [Remove(("a",))],
        "b: 2",
    ),
    case(
        "layout: no final newline, replace",
        "a: 1\n"
        "b: 2",
        [Replace(("b",), [1, 2])],
        "a: 1\n"
        "b:\n"
        "  - 1\n"
        "  - 2",
    ),
    case(
        "layout: no final newline, a new script ending with a break is quoted",
        "a:\n"
        "  - x",
        [Append(("a",), "l1\nl2\n")],
        "a:\n"
        "  - x\n"
        '  - "l1\\nl2\\n"',
    ),
    case(
        "layout: no final newline, a replaced script ending with a break is quoted",
        "a: x",
        [Replace(("a",), "l1\nl2\n")],
        'a: "l1\\nl2\\n"',
    ),
    case(
        "layout: no final newline, remove the last entry after a blank line",
        "a: 1\n"
        "\n"
        "b: 2",
        [Remove(("b",))],
        "a: 1",
    ),
    case(
        "layout: no final newline, remove the entry after a script keeps its break",
        "a: |\n"
        "  x\n"
        "b: 2",
        [Remove(("b",))],
        "a: |\n"
        "  x\n",
    ),
    case(
        "layout: flush list below a comment, emptied",
        "j:\n"
        "  steps:\n"
        "  # c\n"
        "  - a\n"
        "  k: 1\n",
        [Remove(("j", "steps", 0))],
        "j:\n"
        "  steps:\n"
        "  # c\n"
        "    []\n"
        "  k: 1\n",
    ),
    case(
        "layout: flush list below a comment, replaced by a script",
        "j:\n"
        "  steps:\n"
        "  # c\n"
        "  - a\n"
        "  k: 1\n",
        [Replace(("j", "steps"), "x\ny\n")],
        "j:\n"
        "  steps:\n"
        "  # c\n"
        "    |\n"
        "    x\n"
        "    y\n"
        "  k: 1\n",
    ),
    case(
        "layout: a line of blanks after the new entry: a script is quoted",
        "a:\n"
        "  b: 1\n"
        "      \n"
        "c: 2\n",
        [Add(("a",), "k", "x\ny\n")],
        "a:\n"
        "  b: 1\n"
        '  k: "x\\ny\\n"\n'
        "      \n"
        "c: 2\n",
    ),
    case(
        "layout: a line of blanks after the replaced value: a script is quoted",
        "a: v\n"
        "      \n"
        "c: 2\n",
        [Replace(("a",), "x\ny\n")],
        'a: "x\\ny\\n"\n'
        "      \n"
        "c: 2\n",
    ),
    case(
        "layout: an empty line after the replaced value: a script is a literal",
        "a: v\n"
        "\n"
        "c: 2\n",
        [Replace(("a",), "x\ny\n")],
        "a: |\n"
        "  x\n"
        "  y\n"
        "\n"
        "c: 2\n",
    ),
    case(
        "layout: a comment indented into the replaced value's place: a script is quoted",
        "jobs:\n"
        "  build:\n"
        "    runs-on: x\n"
        "    # after\n"
        "\n"
        "# end\n",
        [Replace(("jobs", "build"), "multi\nline\n")],
        "jobs:\n"
        '  build: "multi\\nline\\n"\n'
        "    # after\n"
        "\n"
        "# end\n",
    ),
    case(
        "layout: a deeper comment after a replaced scalar, below empty lines: a script is quoted",
        "env:\n"
        "  A: a\n"
        "\n"
        "      # deeper\n",
        [Replace(("env", "A"), "x\ny\n")],
        "env:\n"
        '  A: "x\\ny\\n"\n'
        "\n"
        "      # deeper\n",
    ),
    case(
        "layout: a comment at the key's column after the replaced value: a script is a literal",
        "env:\n"
        "  A: a\n"
        "  # same column\n"
        "  B: b\n",
        [Replace(("env", "A"), "x\ny\n")],
        "env:\n"
        "  A: |\n"
        "    x\n"
        "    y\n"
        "  # same column\n"
        "  B: b\n",
    ),
    case(
        "quoting: a flow item starting with ? or : is quoted (libyaml reads them as indicators there)",
        "a: [b]\n"
        "m: {k: v}\n",
        [Append(("a",), "?x"), Append(("a",), ":x"), Add(("m",), ":k", "?v")],
        'a: [b, "?x", ":x"]\n'
        'm: {k: v, ":k": "?v"}\n',
    ),
    case(
        "quoting: a block item starting with : stays plain",
        "a:\n"
        "  - b\n",
        [Append(("a",), ":x")],
        "a:\n"
        "  - b\n"
        "  - :x\n",
    ),
    case(
        "layout: CRLF add",
        "a: 1\r\n"
        "b:\r\n"
        "  c: 2\r\n",
        [Add(("b",), "d", {"e": 1})],
        "a: 1\r\n"
        "b:\r\n"
        "  c: 2\r\n"
        "  d:\r\n"
        "    e: 1\r\n",
    ),
    case(
        "layout: CRLF append",
        "k:\r\n"
        "  - a\r\n",
        [Append(("k",), "b\nc")],
        "k:\r\n"
        "  - a\r\n"
        "  - |-\r\n"
        "    b\r\n"
        "    c\r\n",
    ),
    case(
        "layout: CRLF remove",
        "a: 1\r\n"
        "b: 2\r\n"
        "c: 3\r\n",
        [Remove(("b",))],
        "a: 1\r\n"
        "c: 3\r\n",
    ),
    case(
        "layout: CRLF replace with block",
        "a: 1\r\n"
        "b: 2\r\n",
        [Replace(("a",), {"x": [1]})],
        "a:\r\n"
        "  x:\r\n"
        "    - 1\r\n"
        "b: 2\r\n",
    ),
    case(
        "layout: CRLF no final newline",
        "a: 1\r\n"
        "b: 2",
        [Add((), "c", 3)],
        "a: 1\r\n"
        "b: 2\r\n"
        "c: 3",
    ),
    case(
        "layout: document start marker",
        "---\n"
        "a: 1\n",
        [Add((), "b", 2)],
        "---\n"
        "a: 1\n"
        "b: 2\n",
    ),
    case(
        "layout: document end marker",
        "a: 1\n"
        "...\n",
        [Add((), "b", 2)],
        "a: 1\n"
        "b: 2\n"
        "...\n",
    ),
    case(
        "layout: blank lines between jobs",
        "jobs:\n"
        "  a:\n"
        "    x: 1\n"
        "\n"
        "  b:\n"
        "    x: 2\n",
        [Add(("jobs", "a"), "y", 2)],
        "jobs:\n"
        "  a:\n"
        "    x: 1\n"
        '    "y": 2\n'
        "\n"
        "  b:\n"
        "    x: 2\n",
    ),
    case(
        "layout: blank line at the end",
        "a:\n"
        "  x: 1\n"
        "\n",
        [Add(("a",), "y", 2)],
        "a:\n"
        "  x: 1\n"
        '  "y": 2\n'
        "\n",
    ),
    case(
        "layout: 4-space doc, flush lists",
        "a:\n"
        "    b:\n"
        "    - x\n",
        [Add(("a",), "c", ["y"])],
        "a:\n"
        "    b:\n"
        "    - x\n"
        "    c:\n"
        '    - "y"\n',
    ),
    case(
        "layout: several ops in a row",
        W2,
        [Add(("jobs", "build"), "timeout-minutes", 10), Replace(("on",), ["push", "pull_request"]), Append(("jobs", "build", "steps"), {"run": "make test"})],
        "on:\n"
        "  - push\n"
        "  - pull_request\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - uses: actions/checkout@v4\n"
        "      - run: make\n"
        "      - run: make test\n"
        "    timeout-minutes: 10\n",
    ),
    case(
        "layout: quoted key",
        '"on": push\n',
        [Replace(("on",), "pull_request")],
        '"on": pull_request\n',
    ),
    case(
        "layout: key needing quotes in a route",
        "'a b': 1\n",
        [Replace(("a b",), 2)],
        "'a b': 2\n",
    ),
    case(
        "layout: tagged value is replaced",
        "k: !!str 1\n",
        [Replace(("k",), "2")],
        'k: "2"\n',
    ),
    case(
        "layout: alias value can be removed",
        "a: &x 1\n"
        "b: *x\n"
        "c: 2\n",
        [Remove(("b",))],
        "a: &x 1\n"
        "c: 2\n",
    ),
    case(
        "layout: alias value can be replaced",
        "a: &x 1\n"
        "b: *x\n",
        [Replace(("b",), 2)],
        "a: &x 1\n"
        "b: 2\n",
    ),
    case(
        "layout: unrelated anchor elsewhere",
        "a: &x 1\n"
        "b: *x\n"
        "c:\n"
        "  d: 1\n",
        [Add(("c",), "e", 2)],
        "a: &x 1\n"
        "b: *x\n"
        "c:\n"
        "  d: 1\n"
        "  e: 2\n",
    ),
]


ERRORS = [
    pytest.param("a: 1\n", [Replace(("b",), 2)], "w.yml:1:1: route ['b'] does not exist: the document has no key 'b'", id="missing key"),
    pytest.param(
        "jobs:\n  a:\n    x: 1\n",
        [Add(("jobs", "b"), "y", 2)],
        "w.yml:2:3: route ['jobs']['b'] does not exist: ['jobs'] has no key 'b'",
        id="missing key deeper",
    ),
    pytest.param("k: [a]\n", [Remove(("k", 1))], "w.yml:1:4: route ['k'][1] does not exist: ['k'] has 1 item(s)", id="missing index"),
    pytest.param("k: []\n", [Replace(("k", -1), 1)], "w.yml:1:4: route ['k'][-1] does not exist: ['k'] has 0 item(s)", id="index in empty list"),
    pytest.param("k: v\n", [Replace(("k", "x"), 1)], "w.yml:1:4: ['k'] is not a mapping, so it has no key 'x'", id="key of a scalar"),
    pytest.param("k: {a: 1}\n", [Replace(("k", 0), 1)], "w.yml:1:4: ['k'] is not a list, so it has no item 0", id="index of a mapping"),
    pytest.param("k: [a]\n", [Add(("k",), "x", 1)], "w.yml:1:4: ['k'] is not a mapping", id="add to a list"),
    pytest.param("k: {a: 1}\n", [Append(("k",), 1)], "w.yml:1:4: ['k'] is not a list", id="append to a mapping"),
    pytest.param("k: v\n", [Append(("k",), 1)], "w.yml:1:4: ['k'] is not a list", id="append to a scalar"),
    pytest.param("a: 1\nb: 2\n", [Add((), "b", 3)], "w.yml:2:1: ['b'] exists already", id="add an existing key"),
    pytest.param("j: {a: 1}\n", [Add(("j",), "a", 1)], "w.yml:1:5: ['j']['a'] exists already", id="add an existing flow key"),
    pytest.param(
        "a: &x {k: 1}\nb: *x\n",
        [Add(("b",), "q", 2)],
        "w.yml:2:4: ['b'] is an alias (*x); an edit through it would change its anchor's node",
        id="add through an alias",
    ),
    pytest.param(
        "a: &x {k: 1}\nb: *x\n",
        [Replace(("b", "k"), 2)],
        "w.yml:2:4: ['b'] is an alias (*x); an edit through it would change its anchor's node",
        id="replace through an alias",
    ),
    pytest.param(
        "a: &x [1]\nb: *x\n",
        [Append(("b",), 2)],
        "w.yml:2:4: ['b'] is an alias (*x); an edit through it would change its anchor's node",
        id="append through an alias",
    ),
    pytest.param(
        "a: &x {k: 1}\nb: *x\n",
        [Add(("a",), "q", 2)],
        "w.yml:1:4: ['a'] is anchored (&x); an edit of it would change what aliases share",
        id="add to an anchored mapping",
    ),
    pytest.param(
        "a: &x {k: 1}\nb: *x\n",
        [Replace(("a", "k"), 2)],
        "w.yml:1:4: ['a'] is anchored (&x); an edit of it would change what aliases share",
        id="replace inside an anchored mapping",
    ),
    pytest.param(
        "a: &x 1\nb: *x\n",
        [Replace(("a",), 2)],
        "w.yml:1:4: the value is anchored (&x); an edit of it would change what aliases share",
        id="replace an anchored scalar",
    ),
    pytest.param(
        "a: &x 1\nb: *x\n",
        [Remove(("a",))],
        "w.yml:1:4: the value is anchored (&x); an edit of it would change what aliases share",
        id="remove an anchored scalar",
    ),
    pytest.param(
        "a:\n  d: &x 1\nb: *x\n",
        [Remove(("a",))],
        "w.yml:2:6: the value holds anchor &x, which aliases refer to",
        id="remove a value holding an aliased anchor",
    ),
    pytest.param(
        "a:\n  d: &x 1\nb: *x\n",
        [Replace(("a",), "z")],
        "w.yml:2:6: the value holds anchor &x, which aliases refer to",
        id="replace a value holding an aliased anchor",
    ),
    pytest.param(
        "base: &b {x: 1}\njob:\n  <<: *b\n  y: 2\n",
        [Add(("job",), "z", 3)],
        "w.yml:3:3: ['job'] takes entries from a merge key (<<); relane does not edit it",
        id="add to a mapping with a merge key",
    ),
    pytest.param("a: [1\n", [Replace(("a",), 2)], "w.yml:2:1: did not find expected ',' or ']' (while parsing a flow sequence)", id="invalid YAML"),
    pytest.param("a: 1\na: 2\n", [Replace(("a",), 2)], "w.yml:2:1: duplicate key 'a' in mapping (first at line 1)", id="duplicate key"),
    pytest.param("a: 1\n---\nb: 2\n", [Replace(("a",), 2)], "w.yml:2:1: a second YAML document; a workflow file holds exactly one", id="two documents"),
    pytest.param("a: 1\rb: 2\n", [Replace(("a",), 2)], "w.yml:1:5: line break CR without LF; relane edits files with LF or CRLF line breaks only", id="lone CR"),
    pytest.param(
        "a: |\n  x",
        [Add((), "b", 1)],
        "w.yml:1:4: the file ends in this block scalar without a final line break; an entry after it would"
        " change its value (end the file with a line break first)",
        id="add after a script that ends the file without a break",
    ),
    pytest.param("", [Add((), "a", 1)], "w.yml: the document is empty", id="empty document"),
    pytest.param("# only a comment\n", [Add((), "a", 1)], "w.yml: the document is empty", id="comment-only document"),
    pytest.param(
        "a: 1\n",
        [Replace((), {"b": 1})],
        "w.yml: an empty route names the whole document; replace or remove an entry of it",
        id="replace the whole document",
    ),
    pytest.param("a: 1\n", [Remove(("a",)), Remove(("a",))], "w.yml:1:1: route ['a'] does not exist: the document has no key 'a'", id="second op misses"),
]


def _ruamel(text: str):
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).load(text)


@pytest.mark.parametrize(("text", "ops", "expected"), CASES)
def test_patch(text, ops, expected):
    assert patch(text, ops) == expected


@pytest.mark.parametrize(("text", "ops", "expected"), CASES)
def test_expected_output_holds_the_intended_data(text, ops, expected):
    # An independent YAML 1.2 reading: the output holds the input's data
    # with the operations applied, types and key order included.
    intended = apply_ops(_ruamel(text), ops)
    assert strictly_equal(_ruamel(expected), intended)


@pytest.mark.parametrize(("text", "ops", "expected"), [c for c in CASES if "\r" not in c.values[0]])
def test_patch_keeps_crlf(text, ops, expected):
    crlf = text.replace("\n", "\r\n")
    assert patch(crlf, ops) == expected.replace("\n", "\r\n")


def _ends_on_a_plain_line(text: str) -> bool:
    # Without its final break a file reads the same unless its last line
    # ends a block scalar (whose value holds that break).
    return text.endswith("\n") and not text.endswith("\n\n") and "|" not in text and ">" not in text


@pytest.mark.parametrize(
    ("text", "ops", "expected"),
    [c for c in CASES if _ends_on_a_plain_line(c.values[0]) and _ends_on_a_plain_line(c.values[2])],
)
def test_patch_keeps_a_missing_final_newline(text, ops, expected):
    def chop(s: str) -> str:
        return s[:-2] if s.endswith("\r\n") else s[:-1]

    assert patch(chop(text), ops) == chop(expected)


@pytest.mark.parametrize(("text", "ops", "message"), ERRORS)
def test_patch_refuses(text, ops, message):
    with pytest.raises(PatchError) as caught:
        patch(text, ops, path="w.yml")
    assert str(caught.value) == message
    assert caught.value.exit_code == relane.EXIT_ERROR
    assert isinstance(caught.value, relane.RelaneError)


def test_a_refused_op_changes_nothing_before_it():
    # Operations apply in order; when one refuses, patch raises and returns nothing.
    with pytest.raises(PatchError):
        patch("a: 1\n", [Replace(("a",), 2), Add((), "a", 3)])


def test_byte_order_mark_is_kept():
    assert patch("\ufeffa: 1\n", [Replace(("a",), 2)]) == "\ufeffa: 2\n"
    assert patch("\ufeffa: 1\r\n", [Add((), "b", [1])]) == "\ufeffa: 1\r\nb:\r\n  - 1\r\n"


def test_no_ops_and_equal_values_change_nothing():
    text = "a:   'x'   # spaced\nb: [1,2]\n"
    assert patch(text, []) is text or patch(text, []) == text
    assert patch(text, [Replace(("a",), "x"), Replace(("b",), [1, 2])]) == text


def test_values_that_cannot_be_written():
    with pytest.raises(TypeError, match="cannot write a set"):
        patch("a: 1\n", [Replace(("a",), {1, 2})])
    with pytest.raises(TypeError, match="route step"):
        patch("a: 1\n", [Replace((1.5,), 2)])
    with pytest.raises(TypeError, match="route step"):
        patch("- a\n", [Replace((True,), 2)])
    with pytest.raises(TypeError, match="key must be a string"):
        patch("a: 1\n", [Add((), 3, 2)])


def test_dates_and_special_floats_round_trip():
    text = "d: 2024-01-02\nf: .nan\n"
    assert patch(text, [Replace(("d",), datetime.date(2024, 1, 2).isoformat())]) == 'd: "2024-01-02"\nf: .nan\n'
    assert patch(text, [Add((), "g", float("inf")), Add((), "h", float("nan"))]) == text + "g: .inf\nh: .nan\n"
