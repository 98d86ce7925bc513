"""Comments relane writes above a moved job's runs-on, and what it drops."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import EXAMPLES
from relane import Retarget, Selector, Source, load
from relane.comments import Comments, Template, clean, find_block, job_comments
from relane.errors import UsageError
from relane.codemods.rollback import Rollback
from relane.engine import plan_workflow


@pytest.fixture
def template(tmp_path):
    path = tmp_path / "short.txt"
    path.write_text("moved to {label} from {previous} ({ref})\n")
    return str(path)


def move(text: str, comments: Comments, to=("pub",), **options):
    """(new text, results) of moving every job of ``text`` to ``to``."""
    workflow = load(Source("w.yml", text))
    results, change = plan_workflow(workflow, Retarget(tuple(to), comments=comments, **options))
    return (change.new_text if change else text), results


def roll_back(text: str, to=("pub",)) -> str:
    workflow = load(Source("w.yml", text))
    _, change = plan_workflow(workflow, Rollback(tuple(to)))
    return change.new_text if change else text


HEAD = "on: push\njobs:\n"

# (id, job text before, job text after) with the short template, ref R#1.
FORMS = [
    (
        "plain",
        "  a:\n    runs-on: ubuntu-latest\n    steps: []\n",
        "  a:\n    # relane: was ubuntu-latest\n    # moved to pub from ubuntu-latest (R#1)\n"
        "    runs-on: pub\n    steps: []\n",
    ),
    (
        "double-quoted",
        '  a:\n    runs-on: "ubuntu-latest"\n',
        '  a:\n    # relane: was "ubuntu-latest"\n    # moved to pub from ubuntu-latest (R#1)\n'
        '    runs-on: "pub"\n',
    ),
    (
        "single-quoted",
        "  a:\n    runs-on: 'ubuntu-latest'\n",
        "  a:\n    # relane: was 'ubuntu-latest'\n    # moved to pub from ubuntu-latest (R#1)\n"
        "    runs-on: 'pub'\n",
    ),
    (
        "flow-list",
        "  a:\n    runs-on: [self-hosted, linux]\n",
        "  a:\n    # relane: was [self-hosted, linux]\n    # moved to pub from [self-hosted, linux] (R#1)\n"
        "    runs-on: pub\n",
    ),
    (
        "block-list",
        "  a:\n    runs-on:\n      - self-hosted\n      - linux\n    steps: []\n",
        '  a:\n    # relane: was-text "\\n      - self-hosted\\n      - linux"\n'
        "    # moved to pub from [self-hosted, linux] (R#1)\n    runs-on: pub\n    steps: []\n",
    ),
    (
        "block-list-after-comment",
        "  a:\n    runs-on: # the pool\n      - linux\n",
        '  a:\n    # relane: was-text " # the pool\\n      - linux"\n'
        "    # moved to pub from [linux] (R#1)\n    runs-on: # the pool\n      - pub\n",
    ),
    (
        "trailing-comment",
        "  a:\n    runs-on: ubuntu-latest   # same lane as the build\n",
        "  a:\n    # relane: was ubuntu-latest\n    # moved to pub from ubuntu-latest (R#1)\n"
        "    runs-on: pub   # same lane as the build\n",
    ),
    (
        "quoted-key",
        '  a:\n    "runs-on": ubuntu-latest\n',
        '  a:\n    # relane: was ubuntu-latest\n    # moved to pub from ubuntu-latest (R#1)\n'
        '    "runs-on": pub\n',
    ),
    (
        "two-space",
        "  a:\n    steps:\n    - run: x\n    runs-on: x\n",
        "  a:\n    steps:\n    - run: x\n    # relane: was x\n    # moved to pub from x (R#1)\n    runs-on: pub\n",
    ),
    (
        "eight-space",
        "        a:\n                runs-on: x\n",
        "        a:\n                # relane: was x\n                # moved to pub from x (R#1)\n"
        "                runs-on: pub\n",
    ),
    (
        "after-block-scalar",
        "  a:\n    steps:\n      - run: |\n          echo hi\n          # not a comment\n    runs-on: x\n",
        "  a:\n    steps:\n      - run: |\n          echo hi\n          # not a comment\n"
        "    # relane: was x\n    # moved to pub from x (R#1)\n    runs-on: pub\n",
    ),
    (
        "flow-job-one-line",
        "  a: {runs-on: x, steps: []}\n",
        "  # relane: was x\n  # moved to pub from x (R#1)\n  a: {runs-on: pub, steps: []}\n",
    ),
    (
        "flow-job-lines",
        "  a: {\n    runs-on: [x, y],\n    steps: []\n  }\n",
        "  a: {\n    # relane: was [x, y]\n    # moved to pub from [x, y] (R#1)\n    runs-on: pub,\n"
        "    steps: []\n  }\n",
    ),
]


@pytest.mark.parametrize("before, after", [f[1:] for f in FORMS], ids=[f[0] for f in FORMS])
def test_comment_goes_above_runs_on_at_its_indentation(template, before, after):
    comments = Comments.build(template, ref="R#1")
    new, results = move(HEAD + before, comments)
    assert new == HEAD + after
    assert [r.comment for r in results] == ["added"]
    # A second run changes nothing; the rollback gives back every byte.
    assert move(new, comments)[0] == new
    assert roll_back(new) == HEAD + before


def test_expression_and_group_values(template):
    comments = Comments.build(template, ref="R#1")
    text = HEAD + "  a:\n    runs-on: ${{ matrix.os }}\n  b:\n    runs-on:\n      group: big\n      labels: [linux]\n"
    new, _ = move(text, comments, move_expressions=True, move_groups=True)
    assert new == HEAD + (
        "  a:\n    # relane: was ${{ matrix.os }}\n    # moved to pub from ${{ matrix.os }} (R#1)\n"
        "    runs-on: pub\n"
        '  b:\n    # relane: was-text "\\n      group: big\\n      labels: [linux]"\n'
        "    # moved to pub from {group: big, labels: [linux]} (R#1)\n    runs-on: pub\n"
    )
    assert roll_back(new) == text


@pytest.mark.parametrize(
    "data",
    [
        b"on: push\r\njobs:\r\n  a:\r\n    runs-on: x\r\n    steps: []\r\n",
        b"\xef\xbb\xbfon: push\njobs:\n  a:\n    runs-on: [x]",
        b"on: push\njobs:\n  a:\n    runs-on:\n      - x",
    ],
    ids=["crlf", "bom-no-final-newline", "block-list-at-end-of-file"],
)
def test_line_endings_and_file_ends(template, data):
    source = Source.from_bytes(data, "w.yml")
    comments = Comments.build(template, ref="R#1")
    _, change = plan_workflow(load(source), Retarget(("pub",), comments=comments))
    new = change.new_bytes
    if b"\r\n" in data:
        assert new == (
            b"on: push\r\njobs:\r\n  a:\r\n    # relane: was x\r\n    # moved to pub from x (R#1)\r\n"
            b"    runs-on: pub\r\n    steps: []\r\n"
        )
    assert new.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
    again = Source.from_bytes(new, "w.yml")
    _, back = plan_workflow(load(again), Rollback(("pub",)))
    assert back.new_bytes == data


def test_hard_dependency_text_wraps_at_88_without_splitting_words():
    comments = Comments.build("hard-dependency", ref="internal#462")
    new, _ = move(HEAD + "  build:\n    runs-on: ubuntu-latest\n", comments, to=("publish",))
    assert new == HEAD + (
        "  build:\n"
        "    # relane: was ubuntu-latest\n"
        "    # HARD DEPENDENCY (internal#462): the label `publish` must be advertised by at least\n"
        "    # one registered, online runner before this merges; otherwise this job queues\n"
        "    # indefinitely with zero eligible runners. It ran on `ubuntu-latest` before.\n"
        "    runs-on: publish\n"
    )
    assert max(len(line) for line in new.splitlines()) <= 88


def test_width_and_long_words():
    url = "https://example.com/" + "x" * 60
    comments = Comments.build("hard-dependency", ref=url, width=40)
    new, _ = move(HEAD + "  b:\n    runs-on: x\n", comments)
    lines = new.splitlines()[4:-1]
    assert lines[0] == "    # HARD DEPENDENCY"
    assert lines[1] == f"    # ({url}):"  # longer than 40: never split
    assert all(len(line) <= 40 for line in lines if url not in line)
    assert " ".join(line[6:] for line in lines).startswith(f"HARD DEPENDENCY ({url}): the label `pub` must")


def test_note_paragraph_and_other_placeholders(tmp_path):
    path = tmp_path / "t.txt"
    path.write_text("{workflow}:{job} now on {label}\n\n{note}\n")
    new, _ = move(HEAD + "  b:\n    runs-on: x\n", Comments.build(str(path), note="ask #infra\u2028first"))
    assert new == HEAD + (
        "  b:\n    # relane: was x\n    # w.yml:b now on pub\n    #\n    # ask #infra first\n    runs-on: pub\n"
    )
    # {note} alone in a paragraph is left out when no note is given.
    new, _ = move(HEAD + "  b:\n    runs-on: x\n", Comments.build(str(path)))
    assert new == HEAD + "  b:\n    # relane: was x\n    # w.yml:b now on pub\n    runs-on: pub\n"


def test_rerun_with_a_new_ref_updates_in_place():
    text = HEAD + "  a:\n    runs-on: x\n  b:\n    runs-on: pub\n"
    first, _ = move(text, Comments.build("hard-dependency", ref="A#1"))
    second, results = move(first, Comments.build("hard-dependency", ref="B#2"))
    assert second == first.replace("(A#1)", "(B#2)")
    assert [(r.job, r.outcome.value, r.comment) for r in results] == [
        ("a", "already", "updated"),
        ("b", "already", "none"),  # on the target before relane: left alone
    ]
    third, results = move(second, Comments.build("hard-dependency", ref="B#2"))
    assert third == second
    assert [r.comment for r in results] == ["unchanged", "none"]
    assert second.count("# relane: was") == 1
    assert roll_back(second) == text


def test_move_again_to_another_label_records_its_own_step(template):
    text = HEAD + "  a:\n    runs-on:\n      - x\n"
    first, _ = move(text, Comments.build(template, ref="R"))
    assert first == HEAD + '  a:\n    # relane: was-text "\\n      - x"\n    # moved to pub from [x] (R)\n    runs-on: pub\n'
    second, results = move(first, Comments.build(template, ref="R"), to=("other", "more"))
    assert results[0].outcome.value == "moved"
    # The first move's block is kept as a comment this move removed.
    assert second == HEAD + (
        "  a:\n    # relane: was pub\n"
        '    # relane: dropped@0 "    # relane: was-text \\"\\\\n      - x\\"\\n"\n'
        '    # relane: + "    # moved to pub from [x] (R)\\n"\n'
        "    # moved to [other, more] from pub (R)\n"
        "    runs-on: [other, more]\n"
    )
    assert move(second, Comments.build(template, ref="R"), to=("other", "more"))[0] == second
    assert roll_back(second, to=("other", "more")) == first
    assert roll_back(first) == text


def test_record_without_template_is_one_line():
    text = HEAD + "  a:\n    runs-on: x\n"
    new, _ = move(text, Comments(record=True))
    assert new == HEAD + "  a:\n    # relane: was x\n    runs-on: pub\n"
    assert roll_back(new) == text


DROP = HEAD + (
    "  # stale: about the job, above its key: outside, kept\n"
    "  build:\n"
    "    # NOTE: moved back from the docker label; stale\n"
    "    # and its second line\n"
    "    runs-on: ubuntu-latest\n"
    "    steps:\n"
    "      # keep: about the steps\n"
    "      - run: |\n"
    "          # stale: inside a script, not a comment\n"
    "          make\n"
    "      # stale: after the steps\n"
    "\n"
    "  test:\n"
    "    # stale: in a job that does not move\n"
    "    runs-on: ubuntu-latest\n"
)


def test_drop_comment_removes_whole_blocks_inside_moved_jobs_only():
    comments = Comments(drop=(__import__("re").compile("stale"),))
    workflow = load(Source("w.yml", DROP))
    selector = Selector.build(jobs=["w:build"])
    results, change = plan_workflow(workflow, Retarget(("pub",), selector=selector, comments=comments))
    assert change.new_text == HEAD + (
        "  # stale: about the job, above its key: outside, kept\n"
        "  build:\n"
        "    runs-on: pub\n"
        "    steps:\n"
        "      # keep: about the steps\n"
        "      - run: |\n"
        "          # stale: inside a script, not a comment\n"
        "          make\n"
        "\n"
        "  test:\n"
        "    # stale: in a job that does not move\n"
        "    runs-on: ubuntu-latest\n"
    )
    assert [(r.job, r.dropped) for r in results] == [("build", 2), ("test", 0)]


def test_dropped_blocks_are_recorded_and_rolled_back(template):
    import re

    comments = Comments.build(template, ref="R", drop=["stale"])
    new, results = move(DROP, comments, selector=Selector.build(jobs=["w:build"]))
    assert new.splitlines()[3:8] == [
        "  build:",
        "    # relane: was ubuntu-latest",
        # Longer than the comment width (88): cut before the line that does not fit.
        '    # relane: dropped@0 "    # NOTE: moved back from the docker label; stale\\n"',
        '    # relane: + "    # and its second line\\n"',
        '    # relane: dropped@6 "      # stale: after the steps\\n"',
    ]
    assert results[0].dropped == 2
    # The record is relane's: a re-run does not drop it, and nothing doubles.
    assert move(new, comments, selector=Selector.build(jobs=["w:build"]))[0] == new
    assert re.findall("relane: was", new) == ["relane: was"]
    assert roll_back(new) == DROP


def test_job_comments_are_blocks_inside_the_job_outside_scripts():
    workflow = load(Source("w.yml", DROP))
    build = workflow.jobs[0]
    assert job_comments(workflow.source, build) == [
        (4, 5, "NOTE: moved back from the docker label; stale and its second line"),
        (8, 8, "keep: about the steps"),
        (12, 12, "stale: after the steps"),
    ]
    assert job_comments(workflow.source, build, skip=range(4, 6))[0][0] == 8


def test_find_block_needs_the_marker_at_the_key_indentation(template):
    new, _ = move(HEAD + "  a:\n    runs-on: x\n", Comments.build(template, ref="R"))
    source = Source("w.yml", new)
    block = find_block(source, 5, "    ")
    assert (block.first, block.stop, block.record.was, block.text) == (3, 5, "x", ("    # moved to pub from x (R)",))
    assert find_block(source, 5, "  ") is None


def test_comment_with_two_runs_on_on_one_line_is_skipped(template):
    new, results = move("on: push\njobs: {a: {runs-on: x}, b: {runs-on: y}}\n", Comments.build(template, ref="R"))
    assert [(r.job, r.outcome.value, r.code) for r in results] == [
        ("a", "moved", "moved"),
        ("b", "skipped", "same-line"),
    ]
    assert new.endswith("# relane: was x\n# moved to pub from x (R)\njobs: {a: {runs-on: pub}, b: {runs-on: y}}\n")


@pytest.mark.parametrize(
    "comment, options, message",
    [
        ("nope", {}, "unknown comment template 'nope': not built in (hard-dependency) and no such file"),
        (None, {"ref": "x"}, "ref and note fill in a comment template; set a comment (--comment) too"),
        (None, {"drop": ["("]}, "bad drop-comment pattern '(': missing ), unterminated subpattern at position 0"),
    ],
)
def test_bad_comment_options(comment, options, message):
    with pytest.raises(UsageError) as info:
        Comments.build(comment, **options)
    assert str(info.value) == message


def test_template_placeholders_are_checked(tmp_path):
    with pytest.raises(UsageError, match=r"unknown placeholder \{labels\} \(known: \{label\}"):
        Template.parse("t", "{labels}")
    with pytest.raises(UsageError, match="unknown placeholder"):
        Template.parse("t", "{label.upper}")
    with pytest.raises(UsageError, match="Single '}'"):
        Template.parse("t", "oops }")
    assert Template.parse("t", "{{literal}} {label}").render({"label": "x"}, "", 80) == ["# {literal} x"]


def test_clean_keeps_comments_on_one_line():
    assert clean("a\nb\r\nc\x85d\u2028e\u2029f\x00g\ufeffh\t i") == "a b c d e f g h i"


def test_retarget_comment_options_on_the_command_line(relane, repo):
    root = repo({"a.yml": "on: push\njobs:\n  a:\n    # old: stale\n    runs-on: x\n"})
    r = relane("retarget", str(root), "--to", "z", "--comment", "hard-dependency", "--ref", "R#9",
               "--comment-width", "50", "--drop-comment", "^old:", "--write")
    assert r.code == 0
    assert r.err.endswith("comments: 1 added, 1 block dropped\n")
    assert (root / ".github/workflows/a.yml").read_text() == (
        "on: push\njobs:\n  a:\n"
        "    # relane: was x\n"
        '    # relane: dropped@0 "    # old: stale\\n"\n'
        "    # HARD DEPENDENCY (R#9): the label `z` must be\n"
        "    # advertised by at least one registered,\n"
        "    # online runner before this merges; otherwise\n"
        "    # this job queues indefinitely with zero\n"
        "    # eligible runners. It ran on `x` before.\n"
        "    runs-on: z\n"
    )
    r = relane("retarget", str(root), "--to", "z", "--comment", "hard-dependency", "--ref", "R#9",
               "--comment-width", "50", "--drop-comment", "^old:", "--check")
    assert (r.code, r.out) == (0, "")


def test_library_api_is_lazy_but_complete(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys, relane\n"
        "assert 'relane.comments.annotate' not in sys.modules and 'relane.migrate' not in sys.modules\n"
        "assert relane.Comments.build('hard-dependency', ref='R').name == 'hard-dependency'\n"
        "assert relane.plan_migrations and relane.load_migrations and relane.Rollback\n"
        "assert relane.inventory.list_jobs and relane.markdown.plan_markdown and relane.guard.run_guard\n"
        "assert relane.guard.check.__module__ == 'relane.guard.matching'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize(
    "args, error",
    [
        (("--ref", "R"), "ref and note fill in a comment template; set a comment (--comment) too"),
        (("--comment", "nope"), "unknown comment template 'nope': not built in (hard-dependency) and no such file"),
        (("--comment-width", "0"), "Invalid value for '--comment-width': 0 is not in the range x>=1."),
    ],
)
def test_bad_comment_options_on_the_command_line(relane, repo, args, error):
    root = repo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: x\n"})
    r = relane("retarget", str(root), "--to", "y", *args)
    assert (r.code, r.out, r.err) == (2, "", f"relane: error: {error}\n")


def test_marker_lookalikes(tmp_path):
    # Not a marker: no space after "was".
    text = HEAD + "  a:\n    # relane: wasn't here\n    runs-on: x\n"
    new, results = move(text, Comments(record=True))
    assert new == HEAD + "  a:\n    # relane: wasn't here\n    # relane: was x\n    runs-on: pub\n"
    assert roll_back(new) == text
    # A template line that reads like a record is text: the block starts at
    # the topmost marker.
    path = tmp_path / "t.txt"
    path.write_text("relane: was {previous}, relane: dropped@1 nothing\n")
    comments = Comments.build(str(path), width=30)
    text = HEAD + "  a:\n    runs-on: x\n"
    new, _ = move(text, comments)
    assert new == HEAD + (
        "  a:\n    # relane: was x\n    # relane: was x, relane:\n    # dropped@1 nothing\n    runs-on: pub\n"
    )
    assert move(new, comments)[0] == new
    assert roll_back(new) == text


def test_an_unreadable_record_leaves_its_job_alone(relane, repo):
    """A record edited by hand cannot be trusted to roll back: that job is
    reported and left as it is; the other jobs go back."""
    text = (
        'on: push\njobs:\n  a:\n    # relane: was-text "oops\n    runs-on: pub\n'
        "  b:\n    # relane: was x\n    runs-on: pub\n"
    )
    root = repo({"a.yml": text})
    (root / "m.toml").write_text('[migration.m]\nto = "pub"\n')
    r = relane("migrate", str(root / "m.toml"), "--reverse", "--write", "--format", "json")
    assert r.code == 0, r.err
    jobs = {j["job"]: (j["outcome"], j["code"], j["reason"]) for j in json.loads(r.out)["migrations"][0]["jobs"]}
    assert jobs == {
        "a": ("skipped", "changed",
              "changed since relane moved it (line 4: unreadable relane record (# relane: ...)); left alone"),
        "b": ("moved", "moved-back", "moved back from pub to x"),
    }
    assert (root / ".github/workflows/a.yml").read_text() == text.replace("    # relane: was x\n    runs-on: pub\n", "    runs-on: x\n")


BLOCK_SCALARS = [
    (
        "folded-then-key",
        "  a:\n    runs-on: >-\n      ${{ x }}\n    steps: []\n",
        '  a:\n    # relane: was-text " >-\\n      ${{ x }}"\n    runs-on: pub\n    steps: []\n',
    ),
    (
        "folded-at-end-of-file",
        "  a:\n    runs-on: >-\n      ${{ x }}",
        '  a:\n    # relane: was-text " >-\\n      ${{ x }}"\n    runs-on: pub',
    ),
    (
        "comments-after-indicator-and-value",
        "  a:\n    runs-on: >- # why\n      ${{ x }}\n    # about steps\n    steps: []\n",
        '  a:\n    # relane: was-text " >- # why\\n      ${{ x }}"\n    runs-on: pub\n    # about steps\n'
        "    steps: []\n",
    ),
    (
        "literal-then-blank-lines",
        "  a:\n    runs-on: |\n      ${{ x }}\n\n  b:\n    runs-on: ${{ y }}\n",
        '  a:\n    # relane: was-text " |\\n      ${{ x }}"\n    runs-on: pub\n\n'
        "  b:\n    # relane: was ${{ y }}\n    runs-on: pub\n",
    ),
    (
        "kept-blank-lines",
        "  a:\n    runs-on: |+\n      ${{ x }}\n\n\n    steps: []\n",
        '  a:\n    # relane: was-text " |+\\n      ${{ x }}"\n    runs-on: pub\n\n\n    steps: []\n',
    ),
]


@pytest.mark.parametrize("before, after", [b[1:] for b in BLOCK_SCALARS], ids=[b[0] for b in BLOCK_SCALARS])
def test_a_block_scalar_record_ends_with_the_value(before, after):
    """A block scalar's span runs past its last line break: the record stops
    at the end of the value's last line, not at the end of the next one."""
    comments = Comments(record=True)
    new, _ = move(HEAD + before, comments, move_expressions=True)
    assert new == HEAD + after
    assert move(new, comments, move_expressions=True)[0] == new
    assert roll_back(new) == HEAD + before


def test_a_block_scalar_moved_with_a_template_can_be_moved_again(relane, repo):
    text = (
        "on: push\njobs:\n  build:\n    runs-on: >-\n"
        "      ${{ github.repository_owner == 'acme' && 'big' || 'ubuntu-latest' }}\n"
        "    steps:\n      - run: make\n"
    )
    root = repo({"ci.yml": text})
    args = ("retarget", str(root), "--to", "publish", "--move-expressions", "--comment", "hard-dependency",
            "--ref", "#12", "--write")
    assert relane(*args).code == 0
    path = root / ".github/workflows/ci.yml"
    after = path.read_text()
    assert after.startswith(
        "on: push\njobs:\n  build:\n"
        "    # relane: was-text \" >-\\n\"\n"
        "    # relane: + \"      ${{ github.repository_owner == 'acme' && 'big' || \"\n"
        "    # relane: + \"'ubuntu-latest' }}\"\n"
    )
    assert after.endswith("    runs-on: publish\n    steps:\n      - run: make\n")
    r = relane(*args)
    assert r.code == 0, r.err
    assert path.read_text() == after
    (root / "m.toml").write_text('[migration.m]\nto = "publish"\n')
    r = relane("migrate", str(root / "m.toml"), "--reverse", "--write")
    assert r.code == 0, r.err
    assert path.read_text() == text


STRANDED = [
    (
        "one-comment-at-end-of-file",
        "  a:\n    runs-on:\n      - x\n      # c\n      - y\n",
        '  a:\n    # relane: was-text "\\n      - x\\n      # c\\n      - y"\n    runs-on:\n      - pub\n      # c\n',
    ),
    (
        "comments-and-blank-lines-then-a-key",
        "  a:\n    runs-on:\n      - x\n      # c\n\n      - y\n      # d\n      - z # e\n\n    # about steps\n"
        "    steps: []\n",
        '  a:\n    # relane: was-text "\\n      - x\\n      # c\\n\\n      - y\\n      # d\\n      - z # e"\n'
        "    runs-on:\n      - pub\n      # c\n\n      # d\n\n    # about steps\n    steps: []\n",
    ),
]


@pytest.mark.parametrize("before, after", [s[1:] for s in STRANDED], ids=[s[0] for s in STRANDED])
def test_comments_among_dropped_list_items_are_not_doubled_on_rollback(before, after):
    """The comment lines among the items a block list loses stay below the
    kept items; the record holds them too, and the rollback puts them back
    once."""
    comments = Comments(record=True)
    new, _ = move(HEAD + before, comments)
    assert new == HEAD + after
    assert move(new, comments)[0] == new
    assert roll_back(new) == HEAD + before


def test_dropping_comments_left_among_dropped_list_items():
    import re

    text = HEAD + "  a:\n    runs-on:\n      - x\n      # c\n      - y\n      # d\n      - z\n    # about\n    steps: []\n"
    record = '    # relane: was-text "\\n      - x\\n      # c\\n      - y\\n      # d\\n      - z"\n'
    drop = Comments(record=True, drop=(re.compile("c"),))
    # At the first move, the record alone holds the dropped comments.
    new, results = move(text, drop)
    assert new == HEAD + "  a:\n" + record + "    runs-on:\n      - pub\n      # d\n    # about\n    steps: []\n"
    assert results[0].dropped == 1
    assert roll_back(new) == text
    # On a later run, a block running on below the list is recorded from
    # where the record's text ends.
    moved, _ = move(text, Comments(record=True))
    new, _ = move(moved, drop)
    assert new == HEAD + "  a:\n" + record + '    # relane: dropped@2 "    # about\\n"\n    runs-on:\n      - pub\n    steps: []\n'
    assert roll_back(new) == text


@pytest.mark.parametrize(
    "job",
    [
        '  a: {name: "long\n    name", runs-on: x}\n',
        "  a: {name: long\n    name, runs-on: x}\n",
        '  a: {steps: [{run: "echo\n hi"}], runs-on: x}\n',
    ],
    ids=["double-quoted", "plain", "nested"],
)
def test_no_comment_where_runs_on_shares_a_line_with_a_multi_line_value(template, job):
    """A line above that of runs-on would land inside the value: the job is
    skipped, the others move."""
    text = HEAD + job + "  b:\n    runs-on: y\n"
    comments = Comments.build(template, ref="R")
    new, results = move(text, comments)
    assert [(r.job, r.outcome.value, r.code, r.reason) for r in results] == [
        ("a", "skipped", "same-line",
         "runs-on is on the last line of a value written over several lines; there is no room for a comment"),
        ("b", "moved", "moved", "moved from y to pub"),
    ]
    assert new == HEAD + job + "  b:\n    # relane: was y\n    # moved to pub from y (R)\n    runs-on: pub\n"
    assert move(new, comments)[0] == new
    assert roll_back(new) == text
    # Without a comment there is no line to add: the job moves.
    assert move(text, None)[0] == HEAD + job.replace("runs-on: x", "runs-on: pub") + "  b:\n    runs-on: pub\n"


def test_explicit_key_with_a_colon_in_its_comment():
    text = HEAD + "  a:\n    ? runs-on # a:b\n    # c:d\n    :\n      - x\n      - y\n    steps: []\n"
    comments = Comments(record=True)
    new, _ = move(text, comments)
    assert new == HEAD + (
        '  a:\n    # relane: was-text "\\n      - x\\n      - y"\n'
        "    ? runs-on # a:b\n    # c:d\n    : pub\n    steps: []\n"
    )
    assert move(new, comments)[0] == new
    assert roll_back(new) == text


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(st.sampled_from("ab \n\t#\"\\é\u2028x"), max_size=120), st.integers(1, 60))
def test_long_record_strings_go_on_over_plus_lines(text, room):
    """A record string cut to fit the width reads back as the very same string."""
    from relane.comments.record import _strung

    lines = _strung("relane: dropped@0 ", text, room)
    assert lines[0].startswith("relane: dropped@0 ") and all(x.startswith("relane: + ") for x in lines[1:])
    assert "".join(json.loads(x.split(" ", 2)[2]) for x in lines) == text
    for x in lines:
        piece = json.loads(x.split(" ", 2)[2])
        # Too long only when it holds one word (with the spaces after it).
        assert len(x) <= room or len(piece.split()) <= 1


def test_record_lines_keep_to_the_comment_width_and_roll_back(relane, tmp_path):
    root = shutil.copytree(EXAMPLES / "publish-lane", tmp_path / "lane")
    before = {p: p.read_bytes() for p in root.rglob("*.yml")}
    spec = root / "relane.toml"
    spec.write_text(spec.read_text() + "comment-width = 44\n")
    assert relane("migrate", str(spec), "--write", "-q").code == 0
    records = [line for p in root.rglob("*.yml") for line in p.read_text().splitlines() if "# relane: " in line]
    assert any("# relane: + " in line for line in records)
    for line in records:
        body = line.split("# relane: ", 1)[1]
        if body.startswith("was "):
            continue  # a value written on one line is kept as written
        assert len(line) <= 44 or len(json.loads(body.split(" ", 1)[1]).split()) <= 1, line
    assert relane("migrate", str(spec), "--check", "-q").code == 0
    assert relane("migrate", str(spec), "--reverse", "--write", "-q").code == 0
    assert {p: p.read_bytes() for p in root.rglob("*.yml")} == before


@pytest.mark.parametrize(
    "text, to",
    [
        # A dropped block among the lost items, and a comment after the list
        # equal to the block's first line: only the block was dropped.
        ("    runs-on: # c\n      - a\n      - b\n    #\n      # NOTE:\n      - c\n    #\n", '["publish", "x64"]'),
        ("    runs-on:\n      - big\n    # NOTE: old\n    #\n      - 'single'\n    #\n", '"publish"'),
    ],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_a_dropped_block_among_lost_items_rolls_back_exactly(relane, repo, text, to, newline):
    original = ("on: push\njobs:\n  j0:\n" + text).replace("\n", newline)
    root = repo({"w.yml": original})
    spec = root / "r.toml"
    spec.write_text(f'[migration.m]\nto = {to}\ndrop-comment = ["NOTE"]\n')
    assert relane("migrate", str(spec), "--write", "-q").code == 0
    assert "NOTE" not in (root / ".github/workflows/w.yml").read_text().split("runs-on:", 1)[1]
    assert relane("migrate", str(spec), "--check", "-q").code == 0
    assert relane("migrate", str(spec), "--reverse", "--write", "-q").code == 0
    assert (root / ".github/workflows/w.yml").read_bytes() == original.encode()


def test_a_word_longer_than_the_width_makes_no_empty_record_line(relane, repo):
    url = "https://example.com/" + "long/" * 20
    root = repo({"a.yml": f"on: push\njobs:\n  a:\n    # see {url}\n    runs-on: x\n"})
    r = relane("retarget", str(root), "--to", "p", "--comment", "hard-dependency", "--ref", "1",
               "--drop-comment", "see", "-q")
    records = [line[1:] for line in r.out.splitlines() if "# relane: " in line]
    assert records == [
        "    # relane: was x",
        '    # relane: dropped@0 "    # see "',
        f'    # relane: + "{url}\\n"',
    ]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("blank", ["\n", "\n      \n"])
def test_blank_lines_between_the_block_and_runs_on(template, newline, blank):
    """Blank lines a user put between relane's block and runs-on leave the
    block relane's: a re-run rewrites it in place and the rollback takes it
    (and puts dropped comments back) while the blank lines stay."""
    nl = lambda text: text.replace("\n", newline)  # noqa: E731
    text = nl(HEAD + "  a:\n    # stale: old\n    runs-on: x\n    steps: []\n    # stale: after\n")
    comments = Comments.build(template, ref="A", drop=["stale"])
    first, _ = move(text, comments)
    edited = first.replace(nl("    runs-on: pub"), nl(blank + "    runs-on: pub"))
    assert edited != first
    second, results = move(edited, Comments.build(template, ref="B", drop=["stale"]))
    assert [(r.outcome.value, r.comment) for r in results] == [("already", "updated")]
    assert second == edited.replace("(A)", "(B)")
    assert move(second, Comments.build(template, ref="B", drop=["stale"]))[0] == second
    assert second.count("# relane: was") == 1
    # The comment that was directly above runs-on goes back where the block
    # was: the blank lines stay next to runs-on.
    assert roll_back(second) == text.replace(nl("    runs-on: x\n"), nl(blank + "    runs-on: x\n"))


def test_a_block_across_blank_lines_moved_again_records_its_step(template):
    text = HEAD + "  a:\n    runs-on: x\n"
    first, _ = move(text, Comments.build(template, ref="R"))
    edited = first.replace("    runs-on: pub", "\n    runs-on: pub")
    second, results = move(edited, Comments.build(template, ref="R"), to=("other",))
    assert results[0].outcome.value == "moved"
    # The first move's block goes into this one's record, above the blank line.
    assert second == HEAD + (
        "  a:\n\n    # relane: was pub\n"
        '    # relane: dropped@-1 "    # relane: was x\\n    # moved to pub from x (R)\\n"\n'
        "    # moved to other from pub (R)\n    runs-on: other\n"
    )
    assert move(second, Comments.build(template, ref="R"), to=("other",))[0] == second
    assert roll_back(second, to=("other",)) == edited
    assert roll_back(edited) == HEAD + "  a:\n\n    runs-on: x\n"


def test_a_comment_of_the_users_below_the_blank_lines_is_never_swallowed(template):
    """Only blank lines may stand between relane's block and runs-on: with a
    comment of the user's there, relane's block is not taken for that job's
    (nothing touches the user's comment)."""
    text = HEAD + "  a:\n    runs-on: x\n"
    first, _ = move(text, Comments.build(template, ref="A"))
    edited = first.replace("    runs-on: pub", "\n    # mine\n    runs-on: pub")
    assert move(edited, Comments.build(template, ref="B"))[0] == edited
    assert roll_back(edited) == edited


def test_migrate_reverse_takes_a_block_across_a_blank_line(relane, repo):
    text = "on: push\njobs:\n  a:\n    # keep\n    runs-on: ubuntu-latest\n"
    root = repo({"w.yml": text})
    spec = root / "m.toml"
    spec.write_text('[migration.m]\nto = "publish"\ncomment = "hard-dependency"\nref = "X"\n')
    assert relane("migrate", str(spec), "--write").code == 0
    path = root / ".github/workflows/w.yml"
    path.write_text(path.read_text().replace("    runs-on: publish\n", "\n    runs-on: publish\n"))
    spec.write_text(spec.read_text().replace('"X"', '"Z"'))
    r = relane("migrate", str(spec), "--write", "--format", "text")
    assert r.code == 0, r.err
    assert "(Z)" in path.read_text() and "(X)" not in path.read_text()
    r = relane("migrate", str(spec), "--reverse", "--write", "--format", "text")
    assert r.code == 0, r.err
    assert "moved  .github/workflows/w.yml:3  a  publish -> ubuntu-latest (comment removed)" in r.out
    assert path.read_text() == "on: push\njobs:\n  a:\n    # keep\n\n    runs-on: ubuntu-latest\n"


def test_a_comment_dropped_above_other_keys_goes_back_above_them_across_blank_lines(template):
    """A dropped comment recorded some lines above runs-on goes back above
    the same key once blank lines were put between the block and runs-on,
    and a re-run keeps its recorded offset (the record does not creep)."""
    text = HEAD + "  a:\n    # NOTE: old\n    timeout-minutes: 5\n    env: {A: 1}\n    runs-on: x\n"
    first, _ = move(text, Comments.build(template, ref="A", drop=["NOTE"]))
    assert '# relane: dropped@-2 "    # NOTE: old\\n"' in first
    edited = first.replace("    runs-on: pub", "\n\n    runs-on: pub")
    second, _ = move(edited, Comments.build(template, ref="B", drop=["NOTE"]))
    assert second == edited.replace("(A)", "(B)")
    assert roll_back(second) == text.replace("    runs-on: x", "\n\n    runs-on: x")
