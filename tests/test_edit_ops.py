"""Direct tests of the span edit operations in ``relane.edit.ops``, as
exact before/after texts."""

from __future__ import annotations

import pytest

from relane.edit.labels import replace_labels
from relane.edit.ops import (
    Edit,
    OverlappingEdits,
    apply,
    insert_lines,
    insert_text,
    remove_lines,
    replace_lines,
    replace_scalar,
)
from relane.read.source import Source
from relane.read.tree import parse


def _doc(text: str):
    source = Source("w.yml", text)
    return source, parse(source).root


# -- apply -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        ([], "abcdef"),
        ([Edit(0, 1, "X")], "Xbcdef"),
        ([Edit(5, 6, "")], "abcde"),
        ([Edit(6, 6, "!")], "abcdef!"),
        ([Edit(3, 3, "-"), Edit(0, 0, "^")], "^abc-def"),  # any order
        ([Edit(2, 2, "1"), Edit(2, 2, "2")], "ab12cdef"),  # insertions keep their order
        ([Edit(1, 3, ""), Edit(3, 4, "D")], "aDef"),  # touching spans
        ([Edit(0, 6, "new")], "new"),
    ],
)
def test_apply(edits, expected):
    assert apply("abcdef", edits) == expected


@pytest.mark.parametrize(
    "edits",
    [
        [Edit(0, 3, "x"), Edit(2, 4, "y")],
        [Edit(1, 4, "x"), Edit(2, 2, "y")],
        [Edit(0, 7, "x")],
        [Edit(3, 2, "x")],
    ],
)
def test_apply_refuses_overlapping_or_outside_edits(edits):
    with pytest.raises(OverlappingEdits):
        apply("abcdef", edits)
    assert issubclass(OverlappingEdits, ValueError)


# -- whole lines -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "lines", "expected"),
    [
        ("a: 1\nb: 2\n", 0, ["# top"], "# top\na: 1\nb: 2\n"),
        ("a: 1\nb: 2\n", 1, ["# x", "# y"], "a: 1\n# x\n# y\nb: 2\n"),
        ("a: 1\nb: 2\n", 2, ["c: 3"], "a: 1\nb: 2\nc: 3\n"),
        ("a: 1\nb: 2", 2, ["c: 3"], "a: 1\nb: 2\nc: 3"),  # no final break: none added
        ("a: 1\r\nb: 2\r\n", 1, ["# x"], "a: 1\r\n# x\r\nb: 2\r\n"),
        ("a: 1\r\nb: 2", 2, ["c: 3", "d: 4"], "a: 1\r\nb: 2\r\nc: 3\r\nd: 4"),
        ("", 0, ["a: 1"], "a: 1\n"),
        ("a: 1\n", 0, [], "a: 1\n"),
    ],
)
def test_insert_lines(text, line, lines, expected):
    source = Source("w.yml", text)
    assert apply(text, [insert_lines(source, line, lines)]) == expected


@pytest.mark.parametrize(
    ("text", "line", "insert", "expected"),
    [
        ("a: 1\nb: 2\n", 1, "# x\n", "a: 1\n# x\nb: 2\n"),
        ("a: 1\nb: 2\n", 0, "# a\r\n# b\n", "# a\r\n# b\na: 1\nb: 2\n"),  # exactly as given
        ("a: 1\nb: 2", 2, "\nc: 3", "a: 1\nb: 2\nc: 3"),
        ("a: 1\n", 1, "b: 2\n", "a: 1\nb: 2\n"),
    ],
)
def test_insert_text(text, line, insert, expected):
    source = Source("w.yml", text)
    assert apply(text, [insert_text(source, line, insert)]) == expected


@pytest.mark.parametrize(
    ("text", "first", "last", "expected"),
    [
        ("a: 1\nb: 2\nc: 3\n", 1, 1, "a: 1\nc: 3\n"),
        ("a: 1\nb: 2\nc: 3\n", 0, 1, "c: 3\n"),
        ("a: 1\nb: 2\nc: 3\n", 2, 2, "a: 1\nb: 2\n"),
        ("a: 1\r\nb: 2\r\nc: 3\r\n", 1, 2, "a: 1\r\n"),
        ("a: 1\nb: 2", 1, 1, "a: 1\n"),  # the last line has no break to take
    ],
)
def test_remove_lines(text, first, last, expected):
    source = Source("w.yml", text)
    assert apply(text, [remove_lines(source, first, last)]) == expected


@pytest.mark.parametrize(
    ("text", "first", "stop", "lines", "expected"),
    [
        ("a: 1\nb: 2\nc: 3\n", 1, 2, ["b: 20", "bb: 21"], "a: 1\nb: 20\nbb: 21\nc: 3\n"),
        ("a: 1\nb: 2\nc: 3\n", 0, 2, [], "c: 3\n"),
        ("a: 1\r\nb: 2\r\nc: 3\r\n", 0, 1, ["x: 0"], "x: 0\r\nb: 2\r\nc: 3\r\n"),
        ("a: 1\nb: 2\n", 1, 2, ["z: 9"], "a: 1\nz: 9\n"),
    ],
)
def test_replace_lines(text, first, stop, lines, expected):
    source = Source("w.yml", text)
    assert apply(text, [replace_lines(source, first, stop, lines)]) == expected


# -- scalars ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("v: actions/checkout@v4\n", "actions/checkout@v5", "v: actions/checkout@v5\n"),
        ("v: 'actions/checkout@v4'\n", "actions/checkout@v5", "v: 'actions/checkout@v5'\n"),
        ('v: "actions/checkout@v4"\n', "actions/checkout@v5", 'v: "actions/checkout@v5"\n'),
        ("v: node\n", "docker://node:20", "v: docker://node:20\n"),
        ("v: x\n", "-x", "v: -x\n"),
        # a number stays a number, a boolean a boolean
        ("v: 10\n", "20", "v: 20\n"),
        ("v: -1\n", "2.5", 'v: "2.5"\n'),
        ("v: 1.5\n", "2.25", "v: 2.25\n"),
        ("v: true\n", "false", "v: false\n"),
        ("v: 10\n", "1_000", 'v: "1_000"\n'),  # an integer in YAML 1.1 only
        ("v: 10\n", "ten", "v: ten\n"),
        ("v: '10'\n", "20", "v: '20'\n"),
        # plain would change the value: double quotes
        ("v: x\n", "true", 'v: "true"\n'),
        ("v: x\n", "30", 'v: "30"\n'),
        ("v: x\n", "a: b", 'v: "a: b"\n'),
        ("v: x\n", "", 'v: ""\n'),
        ("v: x\n", "#no", 'v: "#no"\n'),
        ("v: x\n", "${{ matrix.cmd }}", 'v: "${{ matrix.cmd }}"\n'),  # flow indicators, context unknown
        # single quotes stay unless the value needs escapes
        ("v: 'x'\n", "it's", "v: 'it''s'\n"),
        ("v: 'x'\n", "a\nb", 'v: "a\\nb"\n'),
        ('v: "x"\n', "plain", 'v: "plain"\n'),
        ('v: "x"\n', 'say "hi"', 'v: "say \\"hi\\""\n'),
    ],
)
def test_replace_scalar_keeps_quoting(text, value, expected):
    source, root = _doc(text)
    assert apply(text, [replace_scalar(root.get("v"), value)]) == expected


@pytest.mark.parametrize(
    ("text", "value", "expected"),
    [
        ("run: make\n", "${{ matrix.cmd }}", "run: ${{ matrix.cmd }}\n"),
        ("name: build\n", "build, test", "name: build, test\n"),
        ("name: build\n", "x]", "name: x]\n"),
    ],
)
def test_replace_scalar_in_block_context(text, value, expected):
    source, root = _doc(text)
    node = root.pairs[0][1]
    assert apply(text, [replace_scalar(node, value, flow=False)]) == expected


def test_replace_scalar_in_a_flow_list():
    source, root = _doc("v: [a, b]\n")
    assert apply(source.text, [replace_scalar(root.get("v").items[0], "c]")]) == 'v: ["c]", b]\n'


def test_replace_scalar_refuses_block_scalars():
    source, root = _doc("v: |\n  x\nw: 1\n")
    with pytest.raises(ValueError, match="relane.patch"):
        replace_scalar(root.get("v"), "y")


@pytest.mark.parametrize("value", ["actions/checkout@v5", "a: b", "it's", "x]", "- y", "true", "1.0", "~", "a #b", " lead", "tab\there", "ünï", "a\nb"])
@pytest.mark.parametrize("text", ["v: x\n", "v: 'x'\n", 'v: "x"\n', "v: [x]\n", "v: {k: x}\n"])
def test_replace_scalar_reads_back_as_the_value(text, value):
    def scalar(root):
        node = root.get("v")
        return node.items[0] if text.startswith("v: [") else node.get("k") if text.startswith("v: {") else node

    source, root = _doc(text)
    old = scalar(root)
    new = apply(text, [replace_scalar(old, value)])
    got = scalar(parse(Source("w.yml", new)).root)
    assert got.value == value, new
    # the style stays, or a plain or single-quoted one becomes double-quoted
    assert got.style == old.style or (old.style in (None, "'") and got.style == '"'), new


# -- runs-on values --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "labels", "expected", "data"),
    [
        ("runs-on: ubuntu-latest\n", ["self-hosted"], "runs-on: self-hosted\n", "self-hosted"),
        ("runs-on: 'ubuntu-latest'\n", ["a", "b"], "runs-on: ['a', 'b']\n", ["a", "b"]),
        ("runs-on: [a, b]\n", ["c"], "runs-on: c\n", "c"),
        ("runs-on: [a, b]\n", ["c", "d", "e"], "runs-on: [c, d, e]\n", ["c", "d", "e"]),
        ("runs-on:\n  - a\n  - b\n", ["c", "d"], "runs-on:\n  - c\n  - d\n", ["c", "d"]),
        ("runs-on:\n  - a\n  - b\n", ["c"], "runs-on: c\n", "c"),
        ("runs-on:\n  - a  # why\n  - b\n", ["c"], "runs-on:\n  - c  # why\n", ["c"]),
        ("runs-on:\n  - a\n", ["a", "x"], "runs-on:\n  - a\n  - x\n", ["a", "x"]),
        ("runs-on:\n  group: g\n", ["x"], "runs-on: x\n", "x"),
        ("runs-on: yes-label\n", ["on"], 'runs-on: "on"\n', "on"),
    ],
)
def test_replace_labels(text, labels, expected, data):
    source, root = _doc(text)
    edits, got = replace_labels(source, root.key_node("runs-on"), root.get("runs-on"), labels)
    assert apply(text, edits) == expected
    assert got == data


def test_replace_labels_needs_a_label():
    source, root = _doc("runs-on: x\n")
    with pytest.raises(ValueError):
        replace_labels(source, root.key_node("runs-on"), root.get("runs-on"), [])
