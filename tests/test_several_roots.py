"""A run over several repository roots: paths relative to the current folder,
a diff that applies from there, and JSON rows that carry the root."""

from __future__ import annotations

import json
import subprocess

import pytest

CI = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"


@pytest.fixture
def roots(tmp_path, monkeypatch):
    for name in ("a", "b"):
        folder = tmp_path / name / ".github" / "workflows"
        folder.mkdir(parents=True)
        (folder / "ci.yml").write_text(CI)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_diff_names_each_roots_file_and_applies_from_here(relane, roots):
    r = relane("retarget", "a", "b", "--to", "publish")
    assert r.code == 0
    assert [line for line in r.out.splitlines() if line.startswith("diff --git")] == [
        "diff --git a/a/.github/workflows/ci.yml b/a/.github/workflows/ci.yml",
        "diff --git a/b/.github/workflows/ci.yml b/b/.github/workflows/ci.yml",
    ]
    assert r.err == "would change 2 files of 2; 2 jobs moved to publish\n"
    (roots / "change.diff").write_text(r.out)
    subprocess.run(["git", "apply", "change.diff"], cwd=roots, check=True, capture_output=True)
    for name in ("a", "b"):
        assert (roots / name / ".github/workflows/ci.yml").read_text() == CI.replace("ubuntu-latest", "publish")


def test_text_and_json_tell_the_roots_apart(relane, roots):
    r = relane("retarget", "a", "b", "--to", "publish", "--format", "text")
    assert r.out == (
        "moved  a/.github/workflows/ci.yml:3  build  ubuntu-latest -> publish\n"
        "moved  b/.github/workflows/ci.yml:3  build  ubuntu-latest -> publish\n"
    )
    doc = json.loads(relane("retarget", "a", "b", "--to", "publish", "--format", "json").out)
    assert [(j["workflow"], j["root"]) for j in doc["jobs"]] == [
        ("a/.github/workflows/ci.yml", "a"), ("b/.github/workflows/ci.yml", "b")]
    assert doc["files"] == {"considered": ["a/.github/workflows/ci.yml", "b/.github/workflows/ci.yml"],
                            "changed": ["a/.github/workflows/ci.yml", "b/.github/workflows/ci.yml"]}
    md = relane("retarget", "a", "b", "--to", "publish", "--format", "markdown").out
    assert "a/.github/workflows/ci.yml" in md and "b/.github/workflows/ci.yml" in md


def test_one_root_keeps_repository_relative_paths(relane, roots):
    doc = json.loads(relane("retarget", "a", "a/.github", "--to", "publish", "--format", "json").out)
    assert [(j["workflow"], "root" in j) for j in doc["jobs"]] == [(".github/workflows/ci.yml", False)]
    r = relane("ls", "a")
    assert r.out.splitlines()[1].startswith(".github/workflows/ci.yml ")


def test_writing_several_roots(relane, roots):
    r = relane("retarget", "a", "b", "--to", "publish", "--write")
    assert (r.code, r.out) == (0, "")
    assert all((roots / n / ".github/workflows/ci.yml").read_text().count("publish") == 1 for n in "ab")


def test_ls_over_several_roots(relane, roots):
    r = relane("ls", "a", "b")
    assert r.out == (
        "WORKFLOW                    JOB    TRIGGERS  CLASS  RUNS-ON\n"
        "a/.github/workflows/ci.yml  build  push      ship   ubuntu-latest\n"
        "b/.github/workflows/ci.yml  build  push      ship   ubuntu-latest\n"
    )
    rows = json.loads(relane("ls", "a", "b", "--format", "json").out)
    assert [(row["workflow"], row["root"]) for row in rows] == [
        ("a/.github/workflows/ci.yml", "a"), ("b/.github/workflows/ci.yml", "b")]


def test_an_error_names_the_file_under_its_root(relane, roots):
    (roots / "b/.github/workflows/bad.yml").write_text("on: push\njobs:\n  build: [\n")
    for command in (["retarget", "a", "b", "--to", "publish"], ["ls", "a", "b"]):
        r = relane(*command)
        assert (r.code, r.out) == (2, "")
        assert r.err.startswith("relane: error: b/.github/workflows/bad.yml:4:1: ")


def test_selectors_are_judged_over_every_root(relane, roots):
    (roots / "b/.github/workflows/ci.yml").write_text(CI.replace("build", "lint"))
    r = relane("retarget", "a", "b", "--job", "ci:lint", "--to", "publish", "--check")
    assert r.code == 1 and "warning" not in r.err
    r = relane("retarget", "a", "b", "--job", "ci:test", "--to", "publish", "--check")
    assert r.code == 2
    assert r.err.count("warning: --job 'ci:test' matches no job of the workflows it names\n") == 1


def test_branch_refuses_several_roots(relane, roots):
    r = relane("retarget", "a", "b", "--to", "publish", "--branch", "move")
    assert (r.code, r.out, r.err) == (
        2, "", "relane: error: --branch commits in one repository, and this run covers several (a, b); "
        "run once per repository\n")
