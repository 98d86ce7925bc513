"""``--format markdown``: the pull-request description, as exact text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options

from conftest import EXAMPLES
from relane.render.markdown import code, diff_block, text

EXPECTED = Path(__file__).parent / "expected" / "publish-lane.md"
SEED = (
    "--on", "@ship", "--not-on", "@pr", "--from", "ubuntu-latest", "--to", "publish",
    "--comment", "hard-dependency", "--ref", "internal#462",
    "--drop-comment", "NOTE: moved back from the `docker` label",
)


def render(markdown: str) -> str:
    """HTML as GitHub renders it (cmark-gfm, GitHub's own Markdown library)."""
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def test_publish_lane_description_is_exact(relane):
    r = relane("retarget", str(EXAMPLES / "publish-lane"), *SEED, "--format", "markdown")
    assert r.code == 0
    assert r.out == EXPECTED.read_text()


def test_migrate_description_is_the_same_under_a_heading(relane):
    r = relane("migrate", str(EXAMPLES / "publish-lane" / "relane.toml"), "--format", "markdown")
    assert r.code == 0
    assert r.out == "## Migration `publish-lane`\n\n" + EXPECTED.read_text()


def test_publish_lane_description_renders():
    html = render(EXPECTED.read_text())
    assert re.findall(r"<h3>(.*?)</h3>", html) == ["Moved (7)", "Not moved (4)", "Merge precondition", "Verification"]
    tables = re.findall(r"<table>.*?</table>", html, re.S)
    assert [len(re.findall("<tr>", t)) for t in tables] == [8, 5, 8]
    for table in tables:
        rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
        assert len({len(re.findall("<t[hd]>", row)) for row in rows}) == 1
    assert "<td>pull_request-triggered: PR-CI, not a ship job</td>" in html
    assert '<details>\n<summary>Diff: 5 files, +39 −11</summary>\n<pre lang="diff"><code>diff --git' in html
    assert html.rstrip().endswith("</code></pre>\n</details>")


def test_cells_are_escaped():
    assert code("a|b") == "`a\\|b`"
    assert code("x`y") == "``x`y``"
    assert code("`x") == "`` `x ``"
    assert code("two\nlines") == "`two lines`"
    assert text("pull_request, merge_group-triggered") == "pull_request, merge_group-triggered"
    assert text("a|b *c* _d_ $x$ <b> [l](u) ~s~ `k` \\ & x_") == (
        "a\\|b \\*c\\* \\_d\\_ \\$x\\$ \\<b\\> \\[l\\](u) \\~s\\~ \\`k\\` \\\\ &amp; x\\_"
    )
    hostile = "| " + " | ".join([code("a|b`c"), text("x|*y* <script>"), code("|"), text("$a$ ~b~")]) + " |"
    html = render("| A | B | C | D |\n|---|---|---|---|\n" + hostile + "\n")
    assert re.findall(r"<td>(.*?)</td>", html) == [
        "<code>a|b`c</code>",
        "x|*y* &lt;script&gt;",
        "<code>|</code>",
        "$a$ ~b~",
    ]


def test_diff_fence_outgrows_fences_in_the_diff():
    diff = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n    ````\n"
    block = diff_block(diff)
    assert block[4] == "`````diff"
    assert block[6] == "`````"
    assert block[2] == "<summary>Diff: 1 file, +1 −1</summary>"


def test_pull_request_trigger_in_a_moved_workflow_is_flagged(relane, repo):
    root = repo({"both.yml": "on: [push, pull_request]\njobs:\n  a:\n    runs-on: x\n"})
    r = relane("retarget", str(root), "--to", "y", "--format", "markdown")
    assert (
        "### Verification\n\n"
        "- **Check:** moved workflows with a pull-request trigger: `.github/workflows/both.yml` (pull_request).\n"
    ) in r.out
    # y is not a GitHub-hosted label: the precondition is stated, with or without --comment.
    assert "### Merge precondition\n" in r.out


def test_several_labels_and_nothing_to_move(relane, repo):
    root = repo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: x\n  b:\n    runs-on: [self-hosted, big]\n"})
    r = relane(
        "retarget", str(root), "--from", "x", "--to", "self-hosted", "--to", "big",
        "--comment", "hard-dependency", "--ref", "R", "--format", "markdown",
    )
    assert "advertises all of the labels `self-hosted`, `big` (tracked in R)." in r.out
    assert "| `.github/workflows/a.yml` | `b` | `[self-hosted, big]` | already on \\[self-hosted, big\\] |" in r.out
    root2 = repo({"a.yml": "on: push\njobs:\n  a:\n    runs-on: y\n"}, folder="other/.github/workflows")
    r = relane("retarget", str(root2 / "other"), "--to", "y", "--format", "markdown")
    assert r.out.startswith("No jobs moved to `y`.\n")
    assert r.out.endswith("\nNo file changes.\n")


def test_rollback_description(relane, tmp_path):
    root = tmp_path / "lane"
    shutil.copytree(EXAMPLES / "publish-lane", root)
    spec = str(root / "relane.toml")
    relane("migrate", spec, "--write", "-q")
    r = relane("migrate", spec, "--reverse", "--format", "markdown")
    assert r.out.startswith(
        "## Migration `publish-lane`\n\n"
        "7 jobs in 5 workflows moved back to their previous runs-on.\n\n"
        "Comments: 7 removed, 1 dropped block put back.\n"
    )
    assert "Merge precondition" not in r.out
    assert "| `.gitea/workflows/publish-runtime.yml` | `cascade` | push, workflow_dispatch | `publish` → `[ubuntu-latest]` |" in r.out
    assert "- Every job moved back, with the runs-on it has again (7):" in r.out


def test_markdown_is_printed_with_write_too(relane, tmp_path):
    root = tmp_path / "lane"
    shutil.copytree(EXAMPLES / "publish-lane", root)
    r = relane("retarget", str(root), *SEED, "--format", "markdown", "--write")
    assert r.out == EXPECTED.read_text()
    assert relane("retarget", str(root), *SEED, "--check").code == 0


def test_every_job_on_the_target_is_listed_anchored_or_not(relane, repo):
    """The verification list reads changed and unchanged files alike: a job
    on the label through an anchor or alias counts in both."""
    shared = "  anchored:\n    runs-on: &r publish\n  other:\n    runs-on: *r\n"
    root = repo({
        "a.yml": "on: push\njobs:\n" + shared + "  move:\n    runs-on: x\n",
        "b.yml": "on: push\njobs:\n" + shared,
    })
    r = relane("retarget", str(root), "--to", "publish", "--format", "markdown")
    assert r.code == 0, r.err
    assert "- Every job on `publish` after this change (5), read back from the rewritten files:" in r.out
    for path, job in [("a", "anchored"), ("a", "other"), ("a", "move"), ("b", "anchored"), ("b", "other")]:
        assert f"| `.github/workflows/{path}.yml` | `{job}` |" in r.out


def test_code_outside_tables_shows_a_pipe_as_it_is(relane, repo, tmp_path):
    # Only a table cell undoes "\|" inside a code span: anywhere else the
    # backslash would show, and the guard command would not be the one to run.
    root = repo({"ci.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"})
    r = relane("retarget", str(root), "--to", "lane|a", "--format", "markdown")
    assert r.code == 0
    html = render(r.out)
    assert "1 job in 1 workflow moved to <code>lane|a</code>." in html
    assert "advertises the label <code>lane|a</code>." in html
    assert "<code>relane guard --label 'lane|a'</code>" in html
    assert "- Every job on `lane|a` after this change (1)" in r.out
    assert "<td><code>ubuntu-latest</code> → <code>lane|a</code></td>" in html  # in a table cell too
    spec = tmp_path / "relane.toml"
    spec.write_text(f'[migration."a|b"]\nto = "publish"\npaths = ["{root}"]\n')
    r = relane("migrate", str(spec), "--format", "markdown")
    assert r.code == 0
    assert "<h2>Migration <code>a|b</code></h2>" in render(r.out)


def test_one_moved_job_in_one_workflow_reads_in_the_singular(relane, tmp_path):
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / "ship.yml").write_text("on: push\njobs:\n  ship:\n    runs-on: ubuntu-latest\n    steps: []\n")
    r = relane("retarget", str(tmp_path), "--to", "publish", "--comment", "hard-dependency", "--format", "markdown")
    assert r.code == 0
    assert "Until then the moved job queues indefinitely with zero eligible runners." in r.out
    assert "- The moved workflow has no pull-request trigger (pull_request, pull_request_target, merge_group).\n" in r.out
    assert "the 1 moved job" not in r.out and "None of the 1" not in r.out
