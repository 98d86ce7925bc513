"""Diff headers name files the way git does, so that ``git apply`` takes them."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from relane.diff import quote_path

WORKFLOW = "on: push\njobs:\n  a:\n    runs-on: x\n"


@pytest.mark.parametrize(
    ("name", "quoted"),
    [
        ("a/ci.yml", "a/ci.yml"),
        ("a/my ci.yml", "a/my ci.yml"),
        ("a/t\tab.yml", '"a/t\\tab.yml"'),
        ("a/new\nline.yml", '"a/new\\nline.yml"'),
        ('a/q"uote.yml', '"a/q\\"uote.yml"'),
        ("a/b\\ack.yml", '"a/b\\\\ack.yml"'),
        ("a/\x01\x7f\r.yml", '"a/\\001\\177\\r.yml"'),
        ("a/étage.yml", '"a/\\303\\251tage.yml"'),
    ],
)
def test_names_are_quoted_as_git_quotes_them(name, quoted):
    assert quote_path(name) == quoted


def test_header_of_a_name_git_quotes(relane, repo):
    root = repo({'q"uote.yml': WORKFLOW})
    r = relane("retarget", str(root), "--to", "publish")
    assert r.code == 0, r.err
    assert r.out.startswith(
        'diff --git "a/.github/workflows/q\\"uote.yml" "b/.github/workflows/q\\"uote.yml"\n'
        '--- "a/.github/workflows/q\\"uote.yml"\n'
        '+++ "b/.github/workflows/q\\"uote.yml"\n'
        "@@ -1,4 +1,4 @@\n"
    )


def test_a_name_with_a_space_ends_its_file_lines_with_a_tab(relane, repo):
    root = repo({"my ci.yml": WORKFLOW})
    r = relane("retarget", str(root), "--to", "publish")
    assert r.out.startswith(
        "diff --git a/.github/workflows/my ci.yml b/.github/workflows/my ci.yml\n"
        "--- a/.github/workflows/my ci.yml\t\n"
        "+++ b/.github/workflows/my ci.yml\t\n"
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_git_apply_takes_the_diff_of_oddly_named_workflows(relane, repo, tmp_path):
    names = ["t\tab.yml", "new\nline.yml", 'q"uote.yml', "b\\ack.yml", "my ci.yml", "étage.yml", "plain.yml"]
    root = repo({name: WORKFLOW for name in names})
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    subprocess.run(["git", "init", "-q", str(copy)], check=True)

    r = relane("retarget", str(root), "--to", "publish")
    assert r.code == 0, r.err
    applied = subprocess.run(["git", "apply", "-"], cwd=copy, input=r.out.encode(), capture_output=True)
    assert applied.returncode == 0, applied.stderr.decode()
    assert relane("retarget", str(root), "--to", "publish", "--write").code == 0
    for name in names:
        path = ".github/workflows/" + name
        assert (copy / path).read_bytes() == (root / path).read_bytes() == WORKFLOW.replace("x", "publish").encode()


def _links(root, shape):
    """A repository whose workflow is reached through a symlink of ``shape``."""
    wf = root / ".github/workflows"
    if shape == "file":
        (root / "shared").mkdir()
        (root / "shared/ci.yml").write_text(WORKFLOW)
        wf.mkdir(parents=True)
        (wf / "ci.yml").symlink_to("../../shared/ci.yml")
        return "shared/ci.yml"
    if shape == "folder":
        (root / "ci/workflows").mkdir(parents=True)
        (root / "ci/workflows/ci.yml").write_text(WORKFLOW)
        (root / ".github").mkdir()
        wf.symlink_to("../ci/workflows")
        return "ci/workflows/ci.yml"
    (root / "dot/workflows").mkdir(parents=True)
    (root / "dot/workflows/ci.yml").write_text(WORKFLOW)
    (root / ".github").symlink_to("dot")
    return "dot/workflows/ci.yml"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
@pytest.mark.parametrize("shape", ["file", "folder", "dot-github"])
def test_the_diff_of_a_symlinked_workflow_names_the_file_itself(relane, tmp_path, shape):
    root = tmp_path / "repo"
    root.mkdir()
    real = _links(root, shape)
    copy = tmp_path / "copy"
    shutil.copytree(root, copy, symlinks=True)
    subprocess.run(["git", "init", "-q", str(copy)], check=True)

    r = relane("retarget", str(root), "--to", "publish")
    assert r.code == 0, r.err
    assert r.out.startswith(f"diff --git a/{real} b/{real}\n--- a/{real}\n+++ b/{real}\n")
    applied = subprocess.run(["git", "apply", "-"], cwd=copy, input=r.out.encode(), capture_output=True)
    assert applied.returncode == 0, applied.stderr.decode()
    assert relane("retarget", str(root), "--to", "publish", "--write").code == 0
    assert (copy / real).read_bytes() == (root / real).read_bytes() == WORKFLOW.replace("x", "publish").encode()


@pytest.mark.parametrize("link", ["a-link.yml", "z-link.yml"])
def test_a_link_beside_its_target_is_one_workflow_named_as_the_target(relane, repo, link):
    root = repo({"m.yml": WORKFLOW})
    (root / ".github/workflows" / link).symlink_to("m.yml")
    r = relane("retarget", str(root), "--to", "publish", "--format", "json")
    assert json.loads(r.out)["files"]["changed"] == [".github/workflows/m.yml"]
    assert r.out.count("diff --git") == 1
    assert "diff --git a/.github/workflows/m.yml b/.github/workflows/m.yml" in r.out


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_symlinked_workflows_of_several_roots_apply_from_the_current_folder(relane, tmp_path, monkeypatch):
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        _links(tmp_path / name, "file")
        shutil.copytree(tmp_path / name, copy / name, symlinks=True)
    subprocess.run(["git", "init", "-q", str(copy)], check=True)
    monkeypatch.chdir(tmp_path)
    r = relane("retarget", "one", "two", "--to", "publish")
    assert r.code == 0, r.err
    assert [line for line in r.out.splitlines() if line.startswith("diff --git")] == [
        f"diff --git a/{name}/shared/ci.yml b/{name}/shared/ci.yml" for name in ("one", "two")
    ]
    applied = subprocess.run(["git", "apply", "-"], cwd=copy, input=r.out.encode(), capture_output=True)
    assert applied.returncode == 0, applied.stderr.decode()
