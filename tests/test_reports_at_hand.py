"""Reports built from what a run already knows read as if built the slow way.

Markdown lists every job on the target after the change from the verified
replacements rather than by reading each rewritten file again; JSON is laid
out by relane's own writer rather than the standard library's pure-Python
encoder. Both must give the very same text.
"""

from __future__ import annotations

import json
import math
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import corpus_files, needs_corpus
from relane.codemods.retarget import Retarget
from relane.engine import run
from relane.read.files import discover
from relane.render.json_text import dumps
from relane.render.markdown import plan_markdown as markdown
from relane.select import Selector


def _both_ways(plan) -> tuple[str, str]:
    fast = markdown(plan)
    for change in plan.changes:
        object.__setattr__(change, "replaced_runs_on", None)  # read each rewritten file again
    return fast, markdown(plan)


@pytest.mark.slow  # the whole wild corpus, three times
@needs_corpus
@pytest.mark.parametrize("to", [("ubuntu-latest",), ("self-hosted", "linux"), ("bench-lane",)])
def test_markdown_from_results_equals_markdown_from_rewritten_files(tmp_path, to):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    for f in corpus_files("wild")[::3] + corpus_files("testdata"):
        shutil.copyfile(f, folder / f.name)
    codemod = Retarget(to=to, selector=Selector.build(on=["@ship"]) if len(to) > 1 else Selector())
    plan = run(codemod, discover([tmp_path]))
    assert plan.changes
    fast, slow = _both_ways(plan)
    assert fast == slow


def test_markdown_counts_aliased_and_merged_jobs_as_the_rewritten_file_reads(tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "a.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: &r ubuntu-latest\n  b:\n    runs-on: *r\n"
        "  c:\n    runs-on: macos-14\n  d:\n    runs-on: [publish]\n  e: &e\n    runs-on: publish\n"
        "  f:\n    <<: *e\n"
    )
    plan = run(Retarget(to=("publish",)), discover([tmp_path]))
    fast, slow = _both_ways(plan)
    assert fast == slow
    assert "| `.github/workflows/a.yml` | `c` |" in fast


def test_json_report_is_laid_out_as_the_standard_library_lays_it_out(tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "a.yml").write_text('on: push\njobs:\n  "é\\u2028":\n    runs-on: [x, "\\t"]\n')
    from relane.render.text import as_dict, as_json

    plan = run(Retarget(to=("publish",)), discover([tmp_path]))
    assert as_json(plan) == json.dumps(as_dict(plan), indent=2, ensure_ascii=False) + "\n"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4)
    | st.tuples(inner, inner)
    | st.dictionaries(
        st.text() | st.integers() | st.booleans() | st.none() | st.floats(allow_nan=False), inner, max_size=4
    ),
    max_leaves=20,
)


@pytest.mark.slow  # 2,000 generated documents
@settings(max_examples=2000)
@given(json_values, st.integers(0, 4))
def test_json_writer_equals_json_dumps_with_indent(value, indent):
    assert dumps(value, indent) == json.dumps(value, indent=indent, ensure_ascii=False)


def test_json_writer_special_floats_and_refusals():
    value = {1.5: [math.nan, math.inf, -math.inf], None: (), True: {}, 7: "x"}
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)
    with pytest.raises(TypeError):
        dumps({"a": object()})
    with pytest.raises(TypeError):
        dumps({(1, 2): "tuple key"})
