"""Every form of ``runs-on`` and ``on:``, as exact text before and after.

Each case runs the retarget codemod on one workflow and compares the output
with the expected text byte for byte. Every case also checks, through
:func:`move`, that the output reads to ruamel.yaml (an independent YAML 1.2
parser) as the input with exactly the moved jobs' runs-on replaced, and that
a second run changes nothing.
"""

from __future__ import annotations

import json

import pytest

import yaml12
from relane import Form, Outcome, Retarget, Source, load, plan_workflow


def move(text: str | bytes, *to: str, **options) -> tuple[str | bytes, list]:
    """The text after moving every job to ``to``, and the job results."""
    data = text.encode() if isinstance(text, str) else text
    workflow = load(Source.from_bytes(data, "w.yml"))
    codemod = Retarget(to=to or ("publish",), **options)
    results, change = plan_workflow(workflow, codemod)
    new = change.new_bytes if change else data
    moved = {r.job: r.after for r in results if r.outcome is Outcome.MOVED}
    assert bool(moved) == (change is not None)
    if moved:
        old_shape = yaml12.read(data)[0]
        assert yaml12.read(new)[0] == yaml12.replace_runs_on(old_shape, moved)
    # Idempotence: the same run on the output changes nothing.
    again, change2 = plan_workflow(load(Source.from_bytes(new, "w.yml")), codemod)
    assert change2 is None
    assert [r.outcome for r in again if r.job in moved] == [Outcome.ALREADY] * len(moved)
    return (new if isinstance(text, bytes) else new.decode()), results


def job(block: str) -> str:
    """A one-job workflow around ``block`` (the job's lines, 4 spaces in)."""
    return "on: push\njobs:\n  build:\n" + block + "    steps:\n      - run: make\n"


def case(before: str, after: str, *to: str, id: str, **options):
    return pytest.param(before, after, to or ("publish",), options, id=id)


RUNS_ON = [
    # -- scalars ---------------------------------------------------------
    case("    runs-on: ubuntu-latest\n", "    runs-on: publish\n", id="plain"),
    case('    runs-on: "ubuntu-latest"\n', '    runs-on: "publish"\n', id="double-quoted"),
    case("    runs-on: 'ubuntu-latest'\n", "    runs-on: 'publish'\n", id="single-quoted"),
    case(
        "    runs-on: ubuntu-latest   # same lane as the build\n",
        "    runs-on: publish   # same lane as the build\n",
        id="comment-on-the-line",
    ),
    case(
        "    # NOTE: keep on ubuntu-latest until a lane exists\n    runs-on: ubuntu-latest\n",
        "    # NOTE: keep on ubuntu-latest until a lane exists\n    runs-on: publish\n",
        id="comment-above",
    ),
    case(
        "    runs-on: # the shared pool\n      ubuntu-latest\n",
        "    runs-on: # the shared pool\n      publish\n",
        id="comment-between-key-and-value",
    ),
    case("    runs-on:\n      ubuntu-latest\n", "    runs-on:\n      publish\n", id="value-on-next-line"),
    case("    runs-on: ubuntu\n      latest\n", "    runs-on: publish\n", id="multi-line-plain"),
    case('    runs-on: "ubuntu\n      latest"\n', '    runs-on: "publish"\n', id="multi-line-quoted"),
    case("    runs-on: 123\n", "    runs-on: publish\n", id="number-like-label"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "yes"\n', "yes", id="target-needs-quotes-yes"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "on"\n', "on", id="target-needs-quotes-on"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "1.10"\n', "1.10", id="target-needs-quotes-number"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "#lane"\n', "#lane", id="target-needs-quotes-hash"),
    case("    runs-on: 'ubuntu-latest'\n", "    runs-on: 'it''s'\n", "it's", id="single-quoted-escape"),
    case('    runs-on: "ubuntu-latest"\n', '    runs-on: "a\\"b\\\\c"\n', 'a"b\\c', id="double-quoted-escape"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "étage"\n', "étage", id="non-ascii-label"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "y"\n', "y", id="target-needs-quotes-yaml-1.1-y"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "1e3"\n', "1e3", id="target-needs-quotes-yaml-1.2-float"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "1E3"\n', "1E3", id="target-needs-quotes-yaml-1.2-float-capital"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "0o17"\n', "0o17", id="target-needs-quotes-yaml-1.2-octal"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "0x1F"\n', "0x1F", id="target-needs-quotes-hex"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: ".inf"\n', ".inf", id="target-needs-quotes-infinity"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "1_000"\n', "1_000", id="target-needs-quotes-yaml-1.1-int"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "017"\n', "017", id="target-needs-quotes-yaml-1.1-octal"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "0b101"\n', "0b101", id="target-needs-quotes-yaml-1.1-binary"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "Off"\n', "Off", id="target-needs-quotes-yaml-1.1-off"),
    case("    runs-on: ubuntu-latest\n", '    runs-on: "1.2.3"\n', "1.2.3", id="target-needs-quotes-yaml-1.1-float-by-the-spec"),
    # -- one label to several, in each style ------------------------------
    case("    runs-on: ubuntu-latest\n", "    runs-on: [self-hosted, linux]\n", "self-hosted", "linux", id="scalar-to-several"),
    case('    runs-on: "ubuntu-latest"\n', '    runs-on: ["self-hosted", "linux"]\n', "self-hosted", "linux", id="double-quoted-to-several"),
    case("    runs-on: 'ubuntu-latest'\n", "    runs-on: ['self-hosted', 'linux']\n", "self-hosted", "linux", id="single-quoted-to-several"),
    case(
        "    runs-on: ubuntu-latest  # why\n",
        "    runs-on: [self-hosted, linux]  # why\n",
        "self-hosted",
        "linux",
        id="scalar-with-comment-to-several",
    ),
    case("    runs-on:\n      ubuntu\n", "    runs-on:\n      [a, b]\n", "a", "b", id="next-line-scalar-to-several"),
    case("    runs-on: [ubuntu-latest]\n", "    runs-on: [self-hosted, linux]\n", "self-hosted", "linux", id="flow-one-to-several"),
    case("    runs-on: [a,b]\n", "    runs-on: [x,v,z]\n", "x", "v", "z", id="flow-tight-separator"),
    case(
        "    runs-on: ['a', \"b\"]\n",
        "    runs-on: ['x', \"v\", \"z\"]\n",
        "x",
        "v",
        "z",
        id="flow-mixed-quotes-to-more",
    ),
    case(
        "    runs-on:\n      - ubuntu-latest\n",
        "    runs-on:\n      - self-hosted\n      - linux\n",
        "self-hosted",
        "linux",
        id="block-one-to-several",
    ),
    case(
        "    runs-on:\n    - ubuntu-latest\n",
        "    runs-on:\n    - self-hosted\n    - linux\n",
        "self-hosted",
        "linux",
        id="indentless-block-one-to-several",
    ),
    case(
        "    runs-on:\n      - 'a'\n      - \"b\"\n",
        "    runs-on:\n      - 'x'\n      - \"v\"\n      - \"z\"\n",
        "x",
        "v",
        "z",
        id="block-quoted-to-more",
    ),
    case(
        "    runs-on:\n      - a\n      -   b\n",
        "    runs-on:\n      - x\n      -   v\n      -   z\n",
        "x",
        "v",
        "z",
        id="block-odd-spacing-to-more",
    ),
    case(
        "    runs-on: [\n      a,\n      b,\n    ]\n",
        "    runs-on: [\n      x,\n      v,\n      z,\n    ]\n",
        "x",
        "v",
        "z",
        id="multi-line-flow-to-more",
    ),
    case(
        "    runs-on: [\n      a,  # why a\n      b\n    ]\n",
        "    runs-on: [\n      x,  # why a\n      v,\n      z\n    ]\n",
        "x",
        "v",
        "z",
        id="multi-line-flow-with-comment-to-more",
    ),
    # -- several labels to one, and to fewer ------------------------------
    case("    runs-on: [self-hosted, linux]\n", "    runs-on: publish\n", id="flow-to-one"),
    case('    runs-on: ["self-hosted", "linux"]\n', '    runs-on: "publish"\n', id="flow-quoted-to-one"),
    case("    runs-on: [ a , b ]  # why\n", "    runs-on: publish  # why\n", id="flow-spaced-to-one"),
    case("    runs-on: [a, b, c]\n", "    runs-on: [x, v]\n", "x", "v", id="flow-to-fewer"),
    case("    runs-on:\n      - self-hosted\n      - linux\n", "    runs-on: publish\n", id="block-to-one"),
    case("    runs-on:\n    - self-hosted\n    - linux\n", "    runs-on: publish\n", id="indentless-block-to-one"),
    case("    runs-on:\n      - 'a'\n      - b\n", "    runs-on: 'publish'\n", id="block-quoted-to-one"),
    case(
        "    runs-on:\n      - a\n      - b\n      - c\n",
        "    runs-on:\n      - x\n      - v\n",
        "x",
        "v",
        id="block-to-fewer",
    ),
    case(
        "    runs-on:\n      - a\n      - b\n      - c\n",
        "    runs-on:\n      - a\n      - b\n",
        "a",
        "b",
        id="block-drop-last",
    ),
    case(
        "    runs-on:\n      - a\n      - b\n\n    # about the steps\n",
        "    runs-on: publish\n\n    # about the steps\n",
        id="block-to-one-keeps-what-follows",
    ),
    # -- comments inside lists are never dropped ---------------------------
    case(
        "    runs-on: # the runner must have all of these\n      - self-hosted\n      - linux\n",
        "    runs-on: # the runner must have all of these\n      - publish\n",
        id="block-comment-after-key-stays-a-list",
    ),
    case(
        "    runs-on:\n      - self-hosted  # ours\n      # and the OS:\n      - linux\n",
        "    runs-on:\n      - publish  # ours\n      # and the OS:\n",
        id="block-comment-among-items-stays",
    ),
    case(
        "    runs-on:\n      - a\n      - b  # about b\n      - c\n",
        "    runs-on:\n      - x\n",
        "x",
        id="block-trailing-comment-goes-with-its-item",
    ),
    case(
        "    runs-on:\n      - a\n      # keep me\n      - b\n      - c\n",
        "    runs-on:\n      - x\n      # keep me\n",
        "x",
        id="block-comment-line-between-dropped-items",
    ),
    case(
        "    runs-on: [\n      self-hosted,  # ours\n      linux\n    ]\n",
        "    runs-on: [\n      publish  # ours\n    ]\n",
        id="flow-comment-stays-a-list",
    ),
    case(
        "    runs-on: [\n      a,  # why a\n      b,\n      c\n    ]\n",
        "    runs-on: [\n      x,  # why a\n      v\n    ]\n",
        "x",
        "v",
        id="flow-comment-drop-one",
    ),
    case(
        "    runs-on: # the pool\n      [self-hosted, linux]\n",
        "    runs-on: # the pool\n      publish\n",
        id="comment-between-key-and-flow-list",
    ),
    # -- flow mappings and quoted keys ------------------------------------
    case("    runs-on: {group: g, labels: [a]}\n", "    runs-on: publish\n", id="group-flow-moved", move_groups=True),
    case(
        "    runs-on:\n      group: big\n      labels: [linux]\n",
        "    runs-on: [a, b]\n",
        "a",
        "b",
        id="group-block-moved-to-several",
        move_groups=True,
    ),
    case(
        "    runs-on: # the org pool\n      group: big\n",
        "    runs-on: # the org pool\n      publish\n",
        id="group-block-after-comment-moved",
        move_groups=True,
    ),
    case("    runs-on: ${{ matrix.os }}  # why\n", "    runs-on: publish  # why\n", id="expression-moved", move_expressions=True),
    case(
        "    runs-on: [self-hosted, '${{ inputs.arch }}']\n",
        "    runs-on: publish\n",
        id="expression-in-list-moved",
        move_expressions=True,
    ),
    case(
        '    runs-on: "${{ inputs.runner }}"\n',
        '    runs-on: ["a", "b"]\n',
        "a",
        "b",
        id="quoted-expression-moved-to-several",
        move_expressions=True,
    ),
    case('    "runs-on": ubuntu-latest\n', '    "runs-on": publish\n', id="double-quoted-key"),
    case("    'runs-on': [a, b]\n", "    'runs-on': publish\n", id="single-quoted-key"),
]


@pytest.mark.parametrize(("before", "after", "to", "options"), RUNS_ON)
def test_runs_on_forms(before, after, to, options):
    new, results = move(job(before), *to, **options)
    assert new == job(after)
    assert [r.outcome for r in results] == [Outcome.MOVED]


WHOLE = [
    pytest.param(
        "on: push\njobs:\n  build: {runs-on: ubuntu, steps: []}\n",
        "on: push\njobs:\n  build: {runs-on: publish, steps: []}\n",
        ("publish",),
        id="flow-mapping-job",
    ),
    pytest.param(
        "on: push\njobs:\n  build: {runs-on: x, steps: []}\n",
        "on: push\njobs:\n  build: {runs-on: [v, z], steps: []}\n",
        ("v", "z"),
        id="flow-mapping-job-to-several",
    ),
    pytest.param(
        "on: push\njobs: {a: {runs-on: ubuntu}, b: {runs-on: [a, b]}}\n",
        "on: push\njobs: {a: {runs-on: publish}, b: {runs-on: publish}}\n",
        ("publish",),
        id="flow-mapping-jobs",
    ),
    pytest.param(
        'on: push\njobs:\n  "a":\n    "runs-on": ubuntu\n  \'b\':\n    \'runs-on\': ubuntu\n',
        'on: push\njobs:\n  "a":\n    "runs-on": publish\n  \'b\':\n    \'runs-on\': publish\n',
        ("publish",),
        id="quoted-job-and-runs-on-keys",
    ),
    pytest.param(
        "    on: push\n    jobs:\n      a:\n        runs-on:\n        - a\n        - b\n",
        "    on: push\n    jobs:\n      a:\n        runs-on: publish\n",
        ("publish",),
        id="document-indented-as-a-whole",
    ),
    pytest.param(
        "%YAML 1.1\n---\non: push\njobs:\n  a:\n    runs-on: b\n...\n",
        "%YAML 1.1\n---\non: push\njobs:\n  a:\n    runs-on: publish\n...\n",
        ("publish",),
        id="directive-and-end-marker",
    ),
    pytest.param(
        "on: push\njobs:\n  a:\n    runs-on:\n      - a\n      - b\n    # trailing comment\n  b:\n    runs-on: c\n",
        "on: push\njobs:\n  a:\n    runs-on:\n      - x\n      - v\n      - z\n    # trailing comment\n  b:\n    runs-on: [x, v, z]\n",
        ("x", "v", "z"),
        id="block-append-before-trailing-comment",
    ),
    pytest.param(
        # The anchored job is left alone and its alias still reads it; the
        # job with its own runs-on beside a merge key moves.
        "on: push\njobs:\n  a: &base\n    runs-on: ubuntu\n  b:\n    <<: *base\n    runs-on: other\n",
        "on: push\njobs:\n  a: &base\n    runs-on: ubuntu\n  b:\n    <<: *base\n    runs-on: publish\n",
        ("publish",),
        id="own-runs-on-beside-merge-key",
    ),
    pytest.param(
        "on: push\njobs:\n  a:\n    runs-on: &r ubuntu\n  b:\n    runs-on: *r\n  c:\n    runs-on: ubuntu\n",
        "on: push\njobs:\n  a:\n    runs-on: &r ubuntu\n  b:\n    runs-on: *r\n  c:\n    runs-on: publish\n",
        ("publish",),
        id="anchor-and-alias-stay-others-move",
    ),
    pytest.param(
        "on: push\ndefaults: &d\n  runs-on: [a, b]\njobs:\n  a:\n    runs-on: [a, b]\n",
        "on: push\ndefaults: &d\n  runs-on: [a, b]\njobs:\n  a:\n    runs-on: publish\n",
        ("publish",),
        id="anchored-lookalike-elsewhere-untouched",
    ),
]


@pytest.mark.parametrize(("before", "after", "to"), WHOLE)
def test_whole_workflows(before, after, to):
    assert move(before, *to)[0] == after


BYTES = [
    pytest.param(
        b"on: push\r\njobs:\r\n  a:\r\n    runs-on: ubuntu  # why\r\n    steps: []\r\n",
        b"on: push\r\njobs:\r\n  a:\r\n    runs-on: publish  # why\r\n    steps: []\r\n",
        ("publish",),
        id="crlf",
    ),
    pytest.param(
        b"\xef\xbb\xbfon: push\r\njobs:\r\n  a:\r\n    runs-on:\r\n    - a\r\n    - b\r\n",
        b"\xef\xbb\xbfon: push\r\njobs:\r\n  a:\r\n    runs-on: publish\r\n",
        ("publish",),
        id="bom-crlf-block-to-one",
    ),
    pytest.param(
        b"\xef\xbb\xbfon: push\r\njobs:\r\n  a:\r\n    runs-on:\r\n    - a\r\n    - b",
        b"\xef\xbb\xbfon: push\r\njobs:\r\n  a:\r\n    runs-on:\r\n    - x\r\n    - v\r\n    - z",
        ("x", "v", "z"),
        id="bom-crlf-no-final-newline-to-more",
    ),
    pytest.param(
        b"on: push\r\njobs:\r\n  a:\r\n    runs-on:\r\n    - a\r\n    - b\r\n    - c",
        b"on: push\r\njobs:\r\n  a:\r\n    runs-on: x",
        ("x",),
        id="crlf-no-final-newline-to-one",
    ),
    pytest.param(
        b"on: push\njobs:\n  a:\n    runs-on:\n    - a\n    - b\n    - c",
        b"on: push\njobs:\n  a:\n    runs-on:\n    - x\n    - v",
        ("x", "v"),
        id="no-final-newline-drop-last",
    ),
    pytest.param(
        b"\xef\xbb\xbfon: push\njobs:\n  a:\n    runs-on: ubuntu",
        b"\xef\xbb\xbfon: push\njobs:\n  a:\n    runs-on: publish",
        ("publish",),
        id="bom-no-final-newline",
    ),
    pytest.param(
        b"on: push   \njobs:\n  a:\n    runs-on: ubuntu   \n    steps: []   \n",
        b"on: push   \njobs:\n  a:\n    runs-on: [x, v]   \n    steps: []   \n",
        ("x", "v"),
        id="trailing-spaces",
    ),
    pytest.param(
        b"on: push\njobs:\n  a:\n    runs-on:\n      - a   \n      - b   \n",
        b"on: push\njobs:\n  a:\n    runs-on: publish   \n",
        ("publish",),
        id="trailing-spaces-in-block-list",
    ),
    pytest.param(
        b"on: push\n\njobs:\n\n  a:\n    runs-on: [a]\n\n\n  b:\n    runs-on: [a]\n",
        b"on: push\n\njobs:\n\n  a:\n    runs-on: publish\n\n\n  b:\n    runs-on: publish\n",
        ("publish",),
        id="blank-lines",
    ),
]


@pytest.mark.parametrize(("before", "after", "to"), BYTES)
def test_bytes_kept(before, after, to):
    assert move(before, *to)[0] == after


NOT_MOVED = [
    # (runs-on block, code, reason)
    ("    runs-on: ${{ matrix.os }}\n", "expression", "runs-on is an expression (${{ matrix.os }}), decided at run time"),
    (
        "    runs-on: [self-hosted, '${{ inputs.arch }}']\n",
        "expression",
        "runs-on is an expression (${{ inputs.arch }}), decided at run time",
    ),
    ("    runs-on: {group: big, labels: [linux]}\n", "group", "runs-on is a runner-group mapping"),
    ("    runs-on:\n      group: big\n", "group", "runs-on is a runner-group mapping"),
    ("    runs-on:\n", "empty", "runs-on is empty"),
    ("    runs-on: null\n", "empty", "runs-on is empty"),
    ("    runs-on: ~\n", "empty", "runs-on is empty"),
    ("    runs-on: ''\n", "empty", "runs-on is empty"),
    ("    runs-on: []\n", "empty", "runs-on is an empty list"),
    ("    runs-on: |\n      ubuntu\n", "unsupported", "runs-on is a block scalar"),
    ("    runs-on: [a, [b]]\n", "unsupported", "runs-on list holds a value that is not a label"),
    ("    runs-on: [a, '']\n", "unsupported", "runs-on list holds a value that is not a label"),
    # relane writes untagged values: a tag would be dropped by the move, and
    # the record of a tagged value could not be rolled back.
    ("    runs-on: !!str ubuntu\n", "unsupported", "runs-on value carries the YAML tag !!str"),
    ("    runs-on: !!int 3\n", "unsupported", "runs-on value carries the YAML tag !!int"),
    ("    runs-on: !!str ${{ x }}\n", "unsupported", "runs-on value carries the YAML tag !!str"),
    ("    runs-on: !!map {labels: [a]}\n", "unsupported", "runs-on value carries the YAML tag !!map"),
    ("    runs-on: !<tag:example.com,2024:lane> a\n", "unsupported",
     "runs-on value carries the YAML tag !<tag:example.com,2024:lane>"),
    ("    runs-on: !!seq [a]\n", "unsupported", "runs-on list carries the YAML tag !!seq"),
    ("    runs-on: [!!str a, b]\n", "unsupported", "runs-on list holds a value with the YAML tag !!str"),
    ("    runs-on:\n      - a\n      - !!str b\n", "unsupported", "runs-on list holds a value with the YAML tag !!str"),
    ("    runs-on: &lane ubuntu\n", "anchor", "runs-on defines the YAML anchor &lane that other jobs may share"),
    ("    runs-on: [&os linux, x64]\n", "anchor", "runs-on holds the YAML anchor &os that other jobs may share"),
    ("    uses: ./.github/workflows/deploy.yml\n", "reusable", "reusable workflow call (./.github/workflows/deploy.yml); its runner is chosen in the called workflow"),
    ("    if: false\n", "no-runs-on", "job has no runs-on"),
]


@pytest.mark.parametrize(("block", "code", "reason"), NOT_MOVED, ids=[c for _, c, _ in NOT_MOVED])
def test_not_moved_by_default(block, code, reason):
    text = job(block)
    new, results = move(text)
    assert new == text
    [r] = results
    assert (r.outcome, r.code, r.reason) == (Outcome.SKIPPED, code, reason)


SHARED = [
    pytest.param(
        "on: push\njobs:\n  a:\n    runs-on: &r ubuntu\n  b:\n    runs-on: *r\n",
        [
            ("a", "anchor", "runs-on defines the YAML anchor &r that other jobs may share"),
            ("b", "alias", "runs-on is the YAML alias *r; changing it here would move other jobs"),
        ],
        id="anchor-alias",
    ),
    pytest.param(
        "on: push\nlanes:\n  l: &l [a, b]\njobs:\n  a:\n    runs-on: *l\n  b:\n    runs-on: [*l]\n",
        [
            ("a", "alias", "runs-on is the YAML alias *l; changing it here would move other jobs"),
            ("b", "alias", "runs-on holds the YAML alias *l; changing it here would move other jobs"),
        ],
        id="alias-to-list",
    ),
    pytest.param(
        "on: push\njobs:\n  a: &j\n    runs-on: ubuntu\n  b: *j\n",
        [
            ("a", "shared", "job is shared through a YAML alias; editing it would change other jobs too"),
            ("b", "shared", "job is shared through a YAML alias; editing it would change other jobs too"),
        ],
        id="aliased-job",
    ),
    pytest.param(
        "on: push\njobs:\n  a: &j\n    runs-on: ubuntu\n  b:\n    <<: *j\n    steps: []\n",
        [
            ("a", "shared", "job is shared through a YAML alias; editing it would change other jobs too"),
            ("b", "merged", "runs-on comes in through a << merge key"),
        ],
        id="merge-key-brings-runs-on",
    ),
    pytest.param(
        "on: push\nbase: &b\n  x:\n    runs-on: ubuntu\njobs:\n  <<: *b\n  a:\n    runs-on: [y]\n",
        [
            ("a", "moved", "moved from y to publish"),
            ("x", "merged", "job comes in through a << merge key"),
        ],
        id="merge-key-brings-jobs",
    ),
    pytest.param(
        "on: push\nwf: &w\n  jobs:\n    a:\n      runs-on: ubuntu\nother: *w\njobs:\n  b:\n    runs-on: ubuntu\n",
        [("b", "moved", "moved from ubuntu to publish")],
        id="aliased-lookalike-jobs-elsewhere",
    ),
    pytest.param(
        "on: push\njobs: &all\n  a:\n    runs-on: ubuntu\ncopy: *all\n",
        [("a", "shared", "job is shared through a YAML alias; editing it would change other jobs too")],
        id="aliased-jobs-mapping",
    ),
    pytest.param(
        "on: push\njobs:\n  a:\n    runs-on: &x [a, b]\n  b:\n    runs-on: [a, b]\n",
        [
            ("a", "anchor", "runs-on defines the YAML anchor &x that other jobs may share"),
            ("b", "moved", "moved from [a, b] to publish"),
        ],
        id="unaliased-anchor-still-stays",
    ),
]


@pytest.mark.parametrize(("text", "expected"), SHARED)
def test_anchors_and_aliases_never_move_another_job(text, expected):
    new, results = move(text)
    assert [(r.job, r.code, r.reason) for r in results] == expected
    if not any(code == "moved" for _, code, _ in expected):
        assert new == text


def test_expressions_and_groups_move_only_when_asked():
    text = job("    runs-on: ${{ matrix.os }}\n") + "  deploy:\n    runs-on: {group: big}\n"
    assert move(text)[0] == text
    assert move(text, move_expressions=True)[0] == text.replace("${{ matrix.os }}", "publish")
    assert move(text, move_groups=True)[0] == text.replace("{group: big}", "publish")
    _, results = move(text, move_expressions=True, move_groups=True)
    assert [r.reason for r in results] == [
        "moved from the expression ${{ matrix.os }} to publish",
        "moved from a runner-group mapping to publish",
    ]


ALREADY = [
    ("    runs-on: publish\n", ("publish",)),
    ("    runs-on: 'publish'\n", ("publish",)),
    ("    runs-on: [publish]\n", ("publish",)),
    ("    runs-on:\n      - b\n      - a\n", ("a", "b")),
    ("    runs-on: [a, b]\n", ("b", "a", "b")),
]


@pytest.mark.parametrize(("block", "to"), ALREADY)
def test_already_on_target(block, to):
    new, results = move(job(block), *to)
    assert new == job(block)
    assert [(r.outcome, r.code) for r in results] == [(Outcome.ALREADY, "on-target")]


def test_a_label_named_twice_counts_once():
    new, results = move(job("    runs-on: ubuntu\n"), "x", "v", "x")
    assert new == job("    runs-on: [x, v]\n")
    assert results[0].after == ["x", "v"]


# -- on: ------------------------------------------------------------------

ON = [
    ("on: push\n", ["push"], {}),
    ("on: [push, pull_request]\n", ["push", "pull_request"], {}),
    ("on:\n  - push\n  - 'workflow_dispatch'\n", ["push", "workflow_dispatch"], {}),
    ("on:\n- push\n- release\n", ["push", "release"], {}),
    ("on:\n  push:\n  workflow_dispatch:\n", ["push", "workflow_dispatch"], {}),
    ("on:\n  schedule:\n    - cron: '0 0 * * *'\n", ["schedule"], {}),
    (
        "on:\n  push:\n    branches: [main, staging]\n    tags:\n      - 'runtime-v*'\n    paths-ignore: docs/**\n",
        ["push"],
        {"push": {"branches": ("main", "staging"), "tags": ("runtime-v*",), "paths-ignore": ("docs/**",)}},
    ),
    (
        "on:\n  workflow_run:\n    workflows: [build]\n    types: [completed]\n  pull_request:\n    types: [opened]\n",
        ["workflow_run", "pull_request"],
        {"workflow_run": {"workflows": ("build",), "types": ("completed",)}, "pull_request": {"types": ("opened",)}},
    ),
    ('"on": push\n', ["push"], {}),
    ("'on':\n  release:\n    types: [published]\n", ["release"], {"release": {"types": ("published",)}}),
    ("on: {push: {branches: [main]}, workflow_dispatch: {}}\n", ["push", "workflow_dispatch"], {"push": {"branches": ("main",)}}),
    ("on: &t [push]\n", ["push"], {}),
    ("on:  # when\n  # a comment\n  push:  # on push\n", ["push"], {}),
    ("on:\n", [], {}),
    ("true: push\n", [], {}),
    # A null names no event: not in the report, not "triggered by ~".
    ("on: ~\n", [], {}),
    ("on: null\n", [], {}),
    ("on: [push, ~, '']\n", ["push"], {}),
    ("on:\n  - null\n  - release\n", ["release"], {}),
    ("on:\n  ~:\n  workflow_dispatch:\n", ["workflow_dispatch"], {}),
]


@pytest.mark.parametrize(("on", "events", "filters"), ON, ids=[repr(o) for o, _, _ in ON])
def test_on_forms(on, events, filters, repo, relane):
    text = on + "jobs:\n  a:\n    runs-on: ubuntu  # lane\n"
    workflow = load(Source("w.yml", text))
    assert list(workflow.events) == events
    for trigger in workflow.triggers:
        for name, values in filters.get(trigger.event, {}).items():
            assert trigger.filter(name) == values
    # The key stays as written (never a boolean) in every output.
    root = repo({"w.yml": text})
    r = relane("retarget", str(root), "--to", "publish", "--format", "json")
    doc = json.loads(r.out)
    assert doc["jobs"][0]["triggers"] == events
    assert all(type(e) is str for e in doc["jobs"][0]["triggers"])
    assert move(text)[0] == text.replace("ubuntu  #", "publish  #")


def test_on_key_reads_as_the_string_on_to_yaml_1_2():
    shape = yaml12.read(b"on: push\njobs: {}\n")[0]
    assert shape[1][0][0] == (yaml12.STR, "on")


def test_form_of_each_runs_on():
    text = (
        "on: push\njobs:\n"
        "  a: {runs-on: x}\n  b: {runs-on: [x]}\n  c:\n    runs-on:\n      - x\n"
        "  d: {runs-on: '${{ x }}'}\n  e: {runs-on: {group: g}}\n  f: {runs-on: &x x}\n"
        "  g: {runs-on: *x}\n  h: {uses: ./w.yml}\n  i: {runs-on: []}\n  j:\n    runs-on: |\n      x\n"
    )
    forms = [j.runs_on.form for j in load(Source("w.yml", text)).jobs]
    assert forms == [
        Form.SCALAR,
        Form.FLOW_LIST,
        Form.BLOCK_LIST,
        Form.EXPRESSION,
        Form.GROUP,
        Form.ANCHOR,
        Form.ALIAS,
        Form.ABSENT,
        Form.EMPTY,
        Form.UNSUPPORTED,
    ]


# -- verification ------------------------------------------------------------


def test_verification_refuses_what_was_not_meant():
    from relane import VerificationError
    from relane.verify import verify_rewrite as verify

    source = Source("w.yml", "on: push\njobs:\n  a:\n    runs-on: x\n")
    workflow = load(source)
    node = workflow.jobs[0].runs_on.node

    def check(new_text: str, meant) -> None:
        verify(workflow.document, Source("w.yml", new_text), {id(node): meant})

    check(source.text.replace(": x", ": y"), "y")
    with pytest.raises(VerificationError, match=r"^w.yml:4:14: rewritten value reads 'y', meant 'z'$"):
        check(source.text.replace(": x", ": y"), "z")
    with pytest.raises(VerificationError, match="^w.yml:1:5: rewrite changed data it was not meant to change$"):
        check(source.text.replace("push", "release").replace(": x", ": y"), "y")
    with pytest.raises(VerificationError, match="not a plain label, list or mapping"):
        check(source.text.replace(": x", ": !!str y"), "y")
    with pytest.raises(VerificationError, match="^w.yml:5:1: rewrite adds an entry to a collection$"):
        check(source.text + "b: c\n", "x")
    with pytest.raises(VerificationError, match="rewrite does not parse"):
        check(source.text.replace(": x", ": [y"), ["y"])


def test_a_run_leaves_the_cycle_collector_as_it_found_it(repo):
    import gc

    from relane import plan

    root = repo({"w.yml": job("    runs-on: x\n")})
    assert gc.isenabled()
    assert plan([root], "publish").changed
    assert gc.isenabled()


@pytest.mark.parametrize(
    "before, to, after",
    [
        (  # the dropped label sits on the line after its dash, at the end of a file with no final newline
            "on: push\njobs:\n  j:\n    runs-on:\n    - ubuntu-latest\n    # keep me\n    - # why\n       'self-hosted'",
            ("ubuntu-latest",),
            "on: push\njobs:\n  j:\n    runs-on:\n    - ubuntu-latest\n    # keep me",
        ),
        (  # the dash line goes with its label; the item after it is dropped whole
            "on: push\njobs:\n  j:\n    runs-on:\n    - a\n    - # why\n       'b'\n    - c\n    steps: []\n",
            ("a", "z"),
            "on: push\njobs:\n  j:\n    runs-on:\n    - a\n    - # why\n       'z'\n    steps: []\n",
        ),
    ],
)
def test_block_list_shrinks_around_labels_below_their_dash(before, to, after):
    from relane import Retarget, Source, load, plan_workflow

    _, change = plan_workflow(load(Source("a.yml", before)), Retarget(to=to))
    assert change.new_text == after


# -- found in review: shared values, merge keys, tags, several dropped items ----


@pytest.mark.parametrize(
    ("before", "after", "to"),
    [
        ("    runs-on: [x, y,  # c\n      z, w]\n", "    runs-on: [publish   # c\n       ]\n", ("publish",)),
        ("    runs-on: [x,  # pool\n      linux, x64]\n", "    runs-on: [publish  # pool\n       ]\n", ("publish",)),
        ("    runs-on: [x, # c\n      y, z]\n", "    runs-on: [p, # c\n      q ]\n", ("p", "q")),
        ("    runs-on: [x, # a, b\n      y, z]\n", "    runs-on: [p # a, b\n       ]\n", ("p",)),
    ],
    ids=["two-after-comment", "pool-comment", "one-after-comment", "comma-in-comment"],
)
def test_dropping_several_items_of_a_commented_flow_list(before, after, to):
    """Each dropped item goes with the comma before it, so no two removals share one."""
    new, _ = move(job(before), *to)
    assert new == job(after)


def test_expression_target_is_already_there_on_a_second_run():
    new, results = move(job("    runs-on: ${{ matrix.os }}\n"), "${{ vars.RUNNER }}", move_expressions=True)
    assert new == job('    runs-on: "${{ vars.RUNNER }}"\n')
    assert [r.outcome for r in results] == [Outcome.MOVED]


@pytest.mark.parametrize(
    ("text", "options"),
    [
        # A group mapping whose labels another job reaches through an alias.
        ("  a:\n    runs-on: {group: g, labels: &l [x]}\n  b:\n    runs-on: *l\n", {"move_groups": True}),
        ("  a:\n    runs-on:\n      group: g\n      labels: &l x\n  b:\n    runs-on: [*l]\n", {"move_groups": True}),
        # A job holding an expression, shared whole with another job.
        ("  a: &j {runs-on: '${{ matrix.os }}'}\n  b: *j\n", {"move_expressions": True}),
    ],
    ids=["group-labels-anchor", "group-label-anchor-block", "shared-expression-job"],
)
def test_options_never_move_a_value_other_jobs_share(text, options):
    workflow = load(Source.from_bytes(("on: push\njobs:\n" + text).encode(), "w.yml"))
    assert workflow.jobs[0].runs_on.form is Form.SHARED
    results, change = plan_workflow(workflow, Retarget(to=("publish",), **options))
    assert change is None
    assert {r.outcome for r in results} <= {Outcome.SKIPPED}


def test_verification_catches_an_alias_that_lost_its_anchor():
    """The backstop under the model's rule: a rewrite whose alias no longer
    reaches the node it did (its anchor went with a replaced value, or an
    earlier anchor of the same name took over) is refused."""
    from relane import VerificationError
    from relane.verify import verify_rewrite as verify

    for text in (
        "on: push\njobs:\n  a:\n    runs-on: {group: g, labels: &l [x]}\n  b:\n    runs-on: *l\n",
        "on: push\nenv: {L: &l [a]}\njobs:\n  a:\n    runs-on: {group: g, labels: &l [b]}\n  b:\n    runs-on: *l\n",
    ):
        workflow = load(Source.from_bytes(text.encode(), "w.yml"))
        node = workflow.jobs[0].runs_on.node
        new = text.replace(text[node.start:node.end], "p")
        with pytest.raises(VerificationError, match=r"alias \*l no longer reaches the value it did"):
            verify(workflow.document, Source.from_bytes(new.encode(), "w.yml"), {id(node): "p"})


def test_triggers_brought_in_by_a_merge_key_count():
    text = "x-pr: &pr\n  pull_request: {}\non:\n  <<: *pr\n  push: {}\njobs:\n  a:\n    runs-on: x\n"
    workflow = load(Source.from_bytes(text.encode(), "w.yml"))
    assert workflow.events == ("push", "pull_request")
    from relane import Selector

    results, change = plan_workflow(workflow, Retarget(to=("p",), selector=Selector.build(not_on=["@pr"])))
    assert change is None
    assert [r.outcome for r in results] == [Outcome.EXCLUDED]


def test_a_tagged_list_is_left_alone():
    workflow = load(Source.from_bytes(b"on: push\njobs:\n  a:\n    runs-on: !!seq\n      - x\n", "w.yml"))
    assert workflow.jobs[0].runs_on.form is Form.UNSUPPORTED
    results, change = plan_workflow(workflow, Retarget(to=("p", "q")))
    assert change is None and results[0].outcome is Outcome.SKIPPED


@pytest.mark.parametrize("value", ["!!str ubuntu-latest", "[!!str a, b]", "!!int 3", "!!str ${{ x }}"])
def test_a_tagged_value_is_left_alone_even_with_every_option(value):
    text = f"on: push\njobs:\n  a:\n    runs-on: {value}\n"
    workflow = load(Source("w.yml", text))
    results, change = plan_workflow(workflow, Retarget(to=("p",), move_expressions=True, move_groups=True))
    assert change is None
    assert (results[0].outcome, results[0].code) == (Outcome.SKIPPED, "unsupported")
