"""The timeout-minutes example codemod, run as a user would: a script on
relane's public API, over a copy of its sample workflows."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest

from conftest import EXAMPLES

EXAMPLE = EXAMPLES / "timeout-minutes"
SCRIPT = EXAMPLE / "timeout_minutes.py"
CI = ".github/workflows/ci.yml"
RELEASE = ".github/workflows/release.yml"

DIFF = (
    "diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml\n"
    "--- a/.github/workflows/ci.yml\n"
    "+++ b/.github/workflows/ci.yml\n"
    "@@ -11,6 +11,7 @@\n"
    "     steps:\n"
    "       - uses: actions/checkout@v4\n"
    "       - run: make lint\n"
    "+    timeout-minutes: 30\n"
    " \n"
    "   test:\n"
    "     runs-on: ${{ matrix.os }}\n"
    "@@ -27,6 +28,7 @@\n"
    "     steps:\n"
    "       - uses: actions/checkout@v4\n"
    "       - run: make docs\n"
    "+    timeout-minutes: 30\n"
    "     # the site is published by release.yml\n"
    " \n"
    "   release:\n"
    "diff --git a/.github/workflows/release.yml b/.github/workflows/release.yml\n"
    "--- a/.github/workflows/release.yml\n"
    "+++ b/.github/workflows/release.yml\n"
    "@@ -1,3 +1,3 @@\n"
    " on: {workflow_call: {}}\n"
    " jobs:\n"
    "-  publish: {runs-on: ubuntu-latest, steps: [{uses: actions/checkout@v4}, {run: make release}]}\n"
    "+  publish: {runs-on: ubuntu-latest, steps: [{uses: actions/checkout@v4}, {run: make release}], timeout-minutes: 30}\n"
)


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False)


@pytest.fixture
def sample(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(EXAMPLE / ".github", root / ".github")
    return root


def test_prints_the_diff_and_touches_nothing(sample):
    before = {p: (sample / p).read_bytes() for p in (CI, RELEASE)}
    r = run(str(sample))
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == DIFF
    assert {p: (sample / p).read_bytes() for p in (CI, RELEASE)} == before


def test_the_diff_applies_with_git(sample, tmp_path):
    r = run(str(sample))
    patch_file = tmp_path / "change.diff"
    patch_file.write_text(r.stdout)
    subprocess.run(["git", "apply", str(patch_file)], cwd=sample, check=True)
    assert run(str(sample)).stdout == ""


def test_write_then_a_second_run_changes_nothing(sample):
    ci = (sample / CI).read_text()
    r = run(str(sample), "--minutes", "15", "--write")
    assert (r.returncode, r.stderr) == (0, "")
    assert r.stdout == f"wrote {CI}\nwrote {RELEASE}\n"
    expected = ci.replace(
        "      - run: make lint\n", "      - run: make lint\n    timeout-minutes: 15\n"
    ).replace("      - run: make docs\n", "      - run: make docs\n    timeout-minutes: 15\n")
    assert (sample / CI).read_text() == expected
    assert (sample / RELEASE).read_text() == (
        "on: {workflow_call: {}}\n"
        "jobs:\n"
        "  publish: {runs-on: ubuntu-latest, steps: [{uses: actions/checkout@v4}, {run: make release}],"
        " timeout-minutes: 15}\n"
    )
    again = run(str(sample), "--minutes", "15", "--write")
    assert (again.returncode, again.stdout, again.stderr) == (0, "", "")
    assert run(str(sample)).stdout == ""


def test_keeps_crlf_and_a_byte_order_mark(sample):
    (sample / CI).unlink()
    (sample / RELEASE).write_bytes(b"\xef\xbb\xbfjobs:\r\n  a:\r\n    runs-on: x\r\n")
    r = run(str(sample), "--write")
    assert r.returncode == 0
    assert (sample / RELEASE).read_bytes() == b"\xef\xbb\xbfjobs:\r\n  a:\r\n    runs-on: x\r\n    timeout-minutes: 30\r\n"


def test_a_file_it_cannot_edit_is_named_and_the_rest_still_done(sample):
    (sample / ".github/workflows/bad.yml").write_text("jobs:\n  a: [\n")
    (sample / ".github/workflows/shared.yml").write_text(
        "x: &job {runs-on: x}\njobs:\n  a: *job\n"
    )
    r = run(str(sample), "--write")
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        "timeout_minutes: error: .github/workflows/bad.yml:3:1: did not find expected node content"
        " (while parsing a flow node)",
        "timeout_minutes: error: .github/workflows/shared.yml:3:6: ['jobs']['a'] is an alias (*job);"
        " an edit through it would change its anchor's node",
    ]
    assert r.stdout == f"wrote {CI}\nwrote {RELEASE}\n"


def test_bad_arguments():
    r = run("--minutes", "0")
    assert r.returncode == 2
    assert "--minutes must be at least 1" in r.stderr
    r = run("/no/such/folder")
    assert (r.returncode, r.stderr) == (2, "timeout_minutes: error: /no/such/folder: no such file or folder\n")


def test_the_readme_edit_example_runs_as_shown(tmp_path):
    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Library: editing any key") :]
    code, shown = re.findall(r"```(?:python|yaml)\n(.*?)```", section, re.S)[:2]
    script = tmp_path / "edit.py"
    script.write_text(code)
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert done.stdout.startswith(shown)
    assert done.stdout[len(shown) :].startswith("diff --git a/ci.yml b/ci.yml\n")
    assert "+    timeout-minutes: 30\n" in done.stdout
