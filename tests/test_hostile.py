"""Inputs that attack the parser or the verifier: alias bombs, deep nesting,
odd encodings, forbidden characters, several documents in one file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from relane.read.source import Source
from relane.read.plain import ALIAS_BUDGET, Unexpanded, to_data
from relane.read.tree import parse


def bomb(levels: int = 9, width: int = 9) -> str:
    """Anchors ``a0``..``aN``, each a list of ``width`` aliases to the one
    before: ``*aN`` expands to ``width ** levels`` copies of ``lol``."""
    lines = ["x:", "  a0: &a0 [lol]"]
    for i in range(1, levels + 1):
        lines.append(f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


BOMB = bomb()


def test_bomb_inside_a_moved_job_is_retargeted_exactly(relane, repo):
    text = (
        "on: push\n" + BOMB + "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    env: {B: *a9}\n"
        "    steps: *a9\n"
    )
    root = repo({"ci.yml": text})
    r = relane("retarget", str(root), "--to", "publish", "--write")
    assert r.code == 0, r.err
    assert (root / ".github/workflows/ci.yml").read_text() == text.replace(
        "runs-on: ubuntu-latest", "runs-on: publish"
    )
    assert relane("retarget", str(root), "--to", "publish", "--check").code == 0


def test_bomb_as_runs_on_is_skipped_and_shown_unexpanded(relane, repo):
    text = (
        "on: push\n" + BOMB + "jobs:\n"
        "  alias:\n    runs-on: *a9\n"
        "  list:\n    runs-on: [x, *a9]\n"
        "  group:\n    runs-on: {group: *a9}\n"
    )
    root = repo({"ci.yml": text})
    doc = json.loads(relane("retarget", str(root), "--to", "p", "--format", "json").out)
    unexpanded = {"alias": "a9", "expanded": False}
    assert [(j["job"], j["code"], j["before"]) for j in doc["jobs"]] == [
        ("alias", "alias", unexpanded),
        ("list", "alias", ["x", unexpanded]),
        ("group", "group", {"group": unexpanded}),
    ]
    assert doc["jobs"][1]["reason"] == (
        "runs-on holds the YAML alias *a9; changing it here would move other jobs"
    )
    # A group holding an alias is not moved even with --move-groups: relane's
    # record of it could not be read back on its own.
    doc = json.loads(relane("retarget", str(root), "--to", "p", "--format", "json", "--move-groups").out)
    assert (doc["jobs"][2]["outcome"], doc["jobs"][2]["code"]) == ("skipped", "alias")
    assert doc["jobs"][2]["before"] == {"group": unexpanded}
    r = relane("retarget", str(root), "--to", "p", "--format", "text", "--move-groups")
    assert r.code == 0
    assert "  group  runs-on group holds the YAML alias *a9, which relane's record could not give back\n" in r.out


def test_small_aliases_are_still_expanded(relane, repo):
    root = repo({"ci.yml": "on: push\nx: &r [self-hosted, linux]\njobs:\n  a:\n    runs-on: *r\n"})
    doc = json.loads(relane("retarget", str(root), "--to", "p", "--format", "json").out)
    assert doc["jobs"][0]["before"] == ["self-hosted", "linux"]


def test_to_data_stops_at_its_budget_and_keeps_what_fits():
    doc = parse(Source("x.yml", "a: &s [x, y]\nb: &b " + "[" + ", ".join(["*s"] * 200) + "]\nc: [*s, *b, *s]\n"))
    c = doc.root.get("c")
    data = to_data(c)
    # The first alias fits; the second runs out of budget on the way, and
    # every alias after that stays unexpanded.
    assert data == [["x", "y"], Unexpanded("b"), Unexpanded("s")]
    assert len(to_data(doc.root.get("b"), budget=10_000)) == 200
    assert ALIAS_BUDGET < 200 * 3


def test_recursive_alias_is_not_followed_forever():
    doc = parse(Source("x.yml", "a: &a [x, *a]\n"))
    assert to_data(doc.root.get("a")) == ["x", Unexpanded("a")]


@pytest.mark.slow
def test_many_jobs_each_pointing_at_a_bomb_take_linear_time(tmp_path):
    # 20,000 jobs each reaching a bomb: following 10,000 aliases per job
    # took about two minutes here; the budget keeps this to a few seconds.
    lines = ["on: push", BOMB.rstrip("\n"), "jobs:"]
    lines += [f"  j{i}: {{runs-on: [x, *a9], steps: *a9}}" for i in range(20_000)]
    lines += ["  last:", "    runs-on: ubuntu-latest", "    steps: *a9"]
    file = tmp_path / "big.yml"
    file.write_text("\n".join(lines) + "\n")
    proc = subprocess.run(
        [sys.executable, "-c", "import sys; from relane.cli.app import main; sys.exit(main())",
         "retarget", str(file), "--to", "p", "--format", "json"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["summary"] == {"moved": 1, "already": 0, "excluded": 0, "skipped": 20_000}


# -- deep nesting -------------------------------------------------------------


@pytest.mark.parametrize(
    "body, message",
    [
        ("jobs: " + "[" * 5000 + "]" * 5000, "2:1006: exceeded maximum nesting depth (while increasing flow level)"),
        ("jobs: " + "[" * 200_000, "2:1006: exceeded maximum nesting depth (while increasing flow level)"),
        ("jobs: " + "{a: " * 5000 + "x" + "}" * 5000, "2:1027: nesting deeper than 256 levels"),
        ("jobs:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(3000)), "258:513: nesting deeper than 256 levels"),
        ("jobs:\n" + "".join("  " * (i + 1) + "-\n" for i in range(3000)), "258:513: nesting deeper than 256 levels"),
    ],
    ids=["flow-lists", "unclosed-flow", "flow-maps", "block-maps", "block-lists"],
)
def test_deep_nesting_is_one_line_error(relane, tmp_path, body, message):
    file = tmp_path / "deep.yml"
    file.write_text("on: push\n" + body + "\n")
    r = relane("retarget", str(file), "--to", "p")
    assert r.code == 2
    assert r.err == f"relane: error: deep.yml:{message}\n"


def test_nesting_just_under_the_limit_is_reported_in_every_format(relane, tmp_path):
    # runs-on nested 250 deep: not a label, so skipped, but its value goes
    # through every renderer without exhausting the stack.
    deep = "[" * 250 + "x" + "]" * 250
    file = tmp_path / "deep.yml"
    file.write_text(f"on: push\njobs:\n  a:\n    runs-on: {deep}\n    steps: {deep}\n  b:\n    runs-on: y\n")
    doc = json.loads(relane("retarget", str(file), "--to", "p", "--format", "json").out)
    value = doc["jobs"][0]["before"]
    for _ in range(250):
        value = value[0]
    assert value == "x"
    assert doc["jobs"][0]["code"] == "unsupported"
    r = relane("retarget", str(file), "--to", "p", "--format", "text")
    assert r.code == 0
    assert r.out.startswith("moved    ")


# -- encodings and characters -------------------------------------------------

WORKFLOW = "on: push\njobs:\n  a:\n    runs-on: x\n"


def test_utf8_bom_is_accepted_and_kept(relane, repo):
    root = repo({"a.yml": b"\xef\xbb\xbf" + WORKFLOW.encode()})
    assert relane("retarget", str(root), "--to", "p", "--write").code == 0
    assert (root / ".github/workflows/a.yml").read_bytes() == b"\xef\xbb\xbf" + WORKFLOW.replace(": x", ": p").encode()


@pytest.mark.parametrize(
    "data, message",
    [
        (WORKFLOW.encode("utf-16"), "1:1: UTF-16-encoded file; workflows must be UTF-8"),
        (WORKFLOW.encode("utf-16-be").join([b"\xfe\xff", b""]), "1:1: UTF-16-encoded file; workflows must be UTF-8"),
        (WORKFLOW.encode("utf-32"), "1:1: UTF-32-encoded file; workflows must be UTF-8"),
        (b"\x00\x00\xfe\xff" + WORKFLOW.encode("utf-32-be"), "1:1: UTF-32-encoded file; workflows must be UTF-8"),
        (WORKFLOW.encode("utf-16-le"), "1:1: UTF-16-encoded file (no byte-order mark); workflows must be UTF-8"),
        (WORKFLOW.encode("utf-16-be"), "1:1: UTF-16-encoded file (no byte-order mark); workflows must be UTF-8"),
        (WORKFLOW.encode("utf-32-le"), "1:1: UTF-32-encoded file (no byte-order mark); workflows must be UTF-8"),
        (WORKFLOW.encode("utf-32-be"), "1:1: UTF-32-encoded file (no byte-order mark); workflows must be UTF-8"),
        (b"on: push\njobs:\n  a:\n    runs-on: \xff\n", "4:14: invalid UTF-8 (byte 0xff)"),
        ("on: push\n# é\njobs: [\xe9]\n".encode("latin-1"), "2:3: invalid UTF-8 (byte 0xe9)"),
        (b"on: push\njobs:\n  a:\n    runs-on: \"\xed\xa0\x80\"\n", "4:15: invalid UTF-8 (byte 0xed)"),
        (b"on: push\njobs:\n  a:\n    runs-on: x\x01\n", "4:15: control characters are not allowed (character U+0001)"),
        (b"on: push\njobs:\n  a:\n    runs-on: x\x00\n", "4:15: control characters are not allowed (character U+0000)"),
        (b"on: push\njobs:\n  a:\n    runs-on: \"x\x7f\"\n", "4:16: control characters are not allowed (character U+007F)"),
        (b"on: push\njobs:\n  a:\n    runs-on: \"x\xc2\x90\"\n", "4:16: control characters are not allowed (character U+0090)"),
        (b"on: push\n# \xef\xbf\xbe\njobs: {}\n", "2:3: control characters are not allowed (character U+FFFE)"),
        (b"on: push\x1b[2J\n", "1:9: control characters are not allowed (character U+001B)"),
        (b"on: push\rjobs:\r  a:\r    runs-on: x\r", "1:9: line break CR without LF; relane edits files with LF or CRLF line breaks only"),
        (b"on: push\r\njobs: {}\r\n#\r\r\n", "3:2: line break CR without LF; relane edits files with LF or CRLF line breaks only"),
        ("on: push\njobs: {a: \u2028}\n".encode(), "2:11: line break U+2028 (LINE SEPARATOR); relane edits files with LF or CRLF line breaks only"),
        ("on: push # \x85\n".encode(), "1:12: line break U+0085 (NEXT LINE); relane edits files with LF or CRLF line breaks only"),
        ("on: push\u2029\n".encode(), "1:9: line break U+2029 (PARAGRAPH SEPARATOR); relane edits files with LF or CRLF line breaks only"),
    ],
    ids=[
        "utf16-bom", "utf16be-bom", "utf32-bom", "utf32be-bom", "utf16le", "utf16be", "utf32le", "utf32be",
        "bad-byte", "latin1", "surrogate", "soh", "nul", "del", "c1", "fffe", "escape",
        "cr-only", "lone-cr", "line-separator", "next-line", "paragraph-separator",
    ],
)
def test_undecodable_and_forbidden_input_is_refused_with_position(relane, repo, data, message):
    root = repo({"a.yml": data, "b.yml": WORKFLOW})
    r = relane("retarget", str(root), "--to", "p", "--write")
    assert r.code == 2
    assert r.err == f"relane: error: .github/workflows/a.yml:{message}\n"
    assert r.out == ""
    assert (root / ".github/workflows/a.yml").read_bytes() == data
    assert (root / ".github/workflows/b.yml").read_text() == WORKFLOW


# -- several documents ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, where",
    [
        (WORKFLOW + "---\non: push\n", "5:1"),
        ("---\n" + WORKFLOW + "--- \njobs: {}\n", "6:1"),
        (WORKFLOW + "...\n---\non: push\n", "6:1"),
        (WORKFLOW + "...\n# trailer\n...\n--- !!map\n", "8:1"),
    ],
    ids=["dashes", "leading-dashes", "end-then-dashes", "comment-between"],
)
def test_second_document_is_refused_naming_the_file(relane, repo, text, where):
    root = repo({"a.yml": WORKFLOW, "multi.yml": text})
    r = relane("retarget", str(root), "--to", "p", "--write")
    assert r.code == 2
    assert r.err == (
        f"relane: error: .github/workflows/multi.yml:{where}: "
        "a second YAML document; a workflow file holds exactly one\n"
    )
    assert (root / ".github/workflows/a.yml").read_text() == WORKFLOW


@pytest.mark.parametrize(
    "text",
    ["---\n" + WORKFLOW, WORKFLOW + "...\n", "--- # start\n" + WORKFLOW + "...\n# end\n", "%YAML 1.1\n---\n" + WORKFLOW],
    ids=["leading-dashes", "end-marker", "both-with-comments", "directive"],
)
def test_one_document_with_markers_is_accepted(relane, repo, text):
    root = repo({"a.yml": text})
    r = relane("retarget", str(root), "--to", "p", "--write")
    assert r.code == 0, r.err
    assert (root / ".github/workflows/a.yml").read_text() == text.replace("runs-on: x", "runs-on: p")


@pytest.mark.parametrize("data", [b"\xef\xbb\xbf\xef\xbb\xbf", b"\xef\xbb\xbf\xef\xbb\xbf\xef\xbb\xbf"])
def test_a_second_byte_order_mark_is_refused_in_one_line(data, repo, relane):
    root = repo({"a.yml": data + b"on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"})
    for mode in ((), ("--write",)):
        r = relane("retarget", str(root), "--to", "publish", *mode)
        assert (r.code, r.out) == (2, "")
        assert r.err == "relane: error: .github/workflows/a.yml:1:1: a second byte-order mark at the start of the file\n"
    assert (root / ".github/workflows/a.yml").read_bytes().startswith(data + b"on: push")
