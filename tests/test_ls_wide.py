"""relane ls: runs-on from << merge keys, alias job keys, and the text
table's width (the terminal's, never cut when stdout is not a terminal)."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

MERGED = (
    "on: push\n"
    "x-defaults: &defaults\n  runs-on: ubuntu-latest\n"
    "jobs:\n"
    "  build:\n    <<: *defaults\n    steps: [{run: make}]\n"
    "  lint:\n    runs-on: ubuntu-latest\n"
    "  call:\n    uses: ./.github/workflows/x.yml\n"
)
LONG = "on: [push, pull_request, workflow_dispatch, schedule]\njobs:\n  " + "a-rather-long-job-identifier-" * 3 + "x:\n    runs-on: [self-hosted, linux, x64, gpu, a-long-custom-label]\n"


def test_a_runs_on_from_a_merge_key_is_shown_and_selected(relane, repo):
    root = repo({"ci.yml": MERGED})
    r = relane("ls", str(root), "--from", "ubuntu-latest")
    assert (r.code, r.err) == (0, "")
    assert r.out == (
        "WORKFLOW                  JOB    TRIGGERS  CLASS  RUNS-ON\n"
        ".github/workflows/ci.yml  build  push      ship   ubuntu-latest (via <<)\n"
        ".github/workflows/ci.yml  lint   push      ship   ubuntu-latest\n"
    )
    rows = json.loads(relane("ls", str(root), "--format", "json").out)
    assert [(row["job"], row["runs_on"], row.get("runs_on_via")) for row in rows] == [
        ("build", "ubuntu-latest", "merge-key"), ("lint", "ubuntu-latest", None), ("call", None, None)]
    assert "| `build` | push | ship | `ubuntu-latest` (via `<<`) |" in relane("ls", str(root), "--format", "markdown").out


def test_retarget_still_leaves_a_merged_runs_on_alone(relane, repo):
    root = repo({"ci.yml": MERGED})
    r = relane("retarget", str(root), "--from", "ubuntu-latest", "--to", "publish", "--format", "text")
    assert "skipped  .github/workflows/ci.yml:5   build  runs-on comes in through a << merge key\n" in r.out
    assert (root / ".github/workflows/ci.yml").read_text() == MERGED


def test_a_job_whose_key_is_an_alias_is_listed_and_moved(relane, repo):
    text = "on: push\nenv:\n  NAME: &k build\njobs:\n  *k :\n    runs-on: ubuntu-latest\n  lint:\n    runs-on: ubuntu-latest\n"
    root = repo({"ci.yml": text})
    rows = json.loads(relane("ls", str(root), "--format", "json").out)
    assert [row["job"] for row in rows] == ["build", "lint"]
    r = relane("retarget", str(root), "--job", "ci:build", "--to", "publish", "--write")
    assert r.code == 0, r.err
    assert (root / ".github/workflows/ci.yml").read_text() == text.replace(
        "  *k :\n    runs-on: ubuntu-latest", "  *k :\n    runs-on: publish")


def test_the_table_is_never_cut_when_stdout_is_not_a_terminal(relane, repo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    root = repo({"ci.yml": LONG})
    r = relane("ls", str(root))
    assert "…" not in r.out
    assert max(len(line) for line in r.out.splitlines()) > 100
    assert relane("ls", str(root), "--wide").out == r.out


def _on_a_terminal(root, columns: int, *extra: str) -> str:
    """relane ls run with its stdout on a pseudo-terminal COLUMNS wide."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns)}
    proc = subprocess.Popen(
        [sys.executable, "-c", "import sys; from relane.cli.app import main; sys.exit(main(sys.argv[1:]))",
         "ls", str(root), *extra],
        stdout=follower, stderr=subprocess.PIPE, env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the child closed its end
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(30)
    os.close(leader)
    return b"".join(chunks).decode().replace("\r\n", "\n")


@pytest.mark.parametrize("columns", [60, 100, 200])
def test_on_a_terminal_the_table_follows_its_width(repo, columns):
    root = repo({"ci.yml": LONG})
    shown = _on_a_terminal(root, columns)
    widest = max(len(line) for line in shown.splitlines())
    full = len(".github/workflows/ci.yml  " + "a-rather-long-job-identifier-" * 3 + "x  push, pull_request, "
               "workflow_dispatch, schedule  ship   [self-hosted, linux, x64, gpu, a-long-custom-label]")
    if columns >= full:
        assert widest == full and "…" not in shown
    else:
        assert widest <= columns and "…" in shown
    assert max(len(line) for line in _on_a_terminal(root, columns, "--wide").splitlines()) == full


WIDE = "on: push\njobs:\n  构建:\n    runs-on: ubuntu-latest\n  deploy:\n    runs-on: publish\n  🚀ship:\n    runs-on: [self-hosted, café]\n"


def test_wide_characters_take_two_columns_in_the_table(relane, repo):
    # Widths were counted in characters, so a row holding CJK or emoji
    # pushed the columns after it out of line on a terminal.
    root = repo({"ci.yml": WIDE})
    assert relane("ls", str(root)).out == (
        "WORKFLOW                  JOB     TRIGGERS  CLASS  RUNS-ON\n"
        ".github/workflows/ci.yml  构建    push      ship   ubuntu-latest\n"
        ".github/workflows/ci.yml  deploy  push      ship   publish\n"
        ".github/workflows/ci.yml  🚀ship  push      ship   [self-hosted, café]\n"
    )
    assert relane("retarget", str(root), "--to", "x", "--format", "text").out == (
        "moved  .github/workflows/ci.yml:3  构建    ubuntu-latest -> x\n"
        "moved  .github/workflows/ci.yml:5  deploy  publish -> x\n"
        "moved  .github/workflows/ci.yml:7  🚀ship  [self-hosted, café] -> x\n"
    )


def test_a_cut_cell_with_wide_characters_fits_the_terminal(repo):
    from relane.inventory import list_jobs
    from relane.read.files import discover
    from relane.render.text import inventory_text

    root = repo({"ci.yml": "on: push\njobs:\n  " + "构建" * 20 + ":\n    runs-on: " + "标签" * 20 + "\n"})
    table = inventory_text(list_jobs(discover([str(root)], (), ())), 60)
    # 60 columns: a wide character that does not fit before the … is left out.
    assert table == (
        "WORKFLOW  JOB       TRIGGERS  CLASS  RUNS-ON\n"
        "…/ci.yml  构建构…   push      ship   标签标签标签标签标签标…\n"
    )
