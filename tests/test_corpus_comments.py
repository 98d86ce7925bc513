"""The corpus-wide retarget checks again, with the hard-dependency comment on.

Over every file of the wild corpus: the rewrite still reads as the intended
data (an independent YAML loader agrees), and the only lines it adds to
what a plain retarget writes are comment lines, in one block directly
above the runs-on line of each moved job.
"""

from __future__ import annotations

import pytest
import difflib
import re

import yaml

from conftest import corpus_files
from relane import Outcome, Retarget, Source, load
from relane.comments.annotate import Comments
from relane.engine import plan_workflow

TARGET = ("relane-test",)
_COMMENT = re.compile(r"[ \t]*#")


def _data(text: str):
    return yaml.load(text, Loader=yaml.CSafeLoader)


@pytest.mark.slow
def test_comments_add_only_comment_lines_above_moved_runs_on():
    plain = Retarget(TARGET, move_expressions=True, move_groups=True)
    commented = Retarget(
        TARGET, move_expressions=True, move_groups=True,
        comments=Comments.build("hard-dependency", ref="corpus#1", note="checked"),
    )
    files = moved_total = 0
    for path in corpus_files("wild"):
        source = Source.from_bytes(path.read_bytes(), path.name)
        _, plain_change = plan_workflow(load(source), plain)
        results, change = plan_workflow(load(source), commented)
        moved = [r for r in results if r.outcome is Outcome.MOVED]
        if not moved:
            assert change is None and plain_change is None, path.name
            continue
        files += 1
        moved_total += len(moved)
        before = plain_change.new_text
        after = change.new_text
        # The data is the original's with the moved runs-on values replaced.
        old = _data(source.text)
        jobs = old["jobs"]
        for r in moved:
            jobs[r.job]["runs-on"] = r.after
        assert _data(after) == old, path.name
        # The new lines: one block of comment lines above each moved runs-on.
        new_workflow = load(Source(path.name, after))
        runs_on_lines = {
            new_workflow.source.line_index(job.node.key_node("runs-on").start)
            for job in new_workflow.jobs
            if job.id in {r.job for r in moved}
        }
        a, b = before.splitlines(), after.splitlines()
        blocks = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            assert op == "insert", (path.name, op, a[i1:i2], b[j1:j2])
            assert all(_COMMENT.match(line) for line in b[j1:j2]), path.name
            blocks.append((j1, j2))
        assert sorted(end for _, end in blocks) == sorted(runs_on_lines), path.name
    assert files > 1500 and moved_total > 3000

