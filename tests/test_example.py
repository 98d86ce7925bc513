"""The bundled example and the README's set-up commands.

``examples/publish-lane`` has the shapes of the real case: seven post-merge
ship jobs in five workflows (push to main or staging, tags,
workflow_dispatch, workflow_run), written in every runs-on style, and a
pull_request-triggered workflow that must not move. The README's first
command moves the ship jobs to ``publish``; this checks its exact diff, and
that the README still shows the commands the tests and CI run.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil

import pytest

from conftest import EXAMPLES, ROOT

EXPECTED_DIFF = (
    "diff --git a/.gitea/workflows/publish-canvas-image.yml b/.gitea/workflows/publish-canvas-image.yml\n"
    "--- a/.gitea/workflows/publish-canvas-image.yml\n"
    "+++ b/.gitea/workflows/publish-canvas-image.yml\n"
    "@@ -8,7 +8,7 @@\n"
    " \n"
    " jobs:\n"
    "   build-and-push:\n"
    "-    runs-on: \"ubuntu-latest\"\n"
    "+    runs-on: \"publish\"\n"
    "     steps:\n"
    "       - uses: actions/checkout@v4\n"
    "       - run: make -C canvas image push\n"
    "diff --git a/.gitea/workflows/publish-runtime.yml b/.gitea/workflows/publish-runtime.yml\n"
    "--- a/.gitea/workflows/publish-runtime.yml\n"
    "+++ b/.gitea/workflows/publish-runtime.yml\n"
    "@@ -12,7 +12,7 @@\n"
    " \n"
    " jobs:\n"
    "   publish:\n"
    "-    runs-on: [ubuntu-latest]\n"
    "+    runs-on: publish\n"
    "     outputs:\n"
    "       version: ${{ steps.meta.outputs.version }}\n"
    "     steps:\n"
    "@@ -23,7 +23,6 @@\n"
    " \n"
    "   cascade:\n"
    "     needs: publish\n"
    "-    runs-on:\n"
    "-      - ubuntu-latest\n"
    "+    runs-on: publish\n"
    "     steps:\n"
    "       - run: ./scripts/cascade.sh \"${{ needs.publish.outputs.version }}\"\n"
    "diff --git a/.gitea/workflows/publish-workspace-server-image.yml b/.gitea/workflows/publish-workspace-server-image.yml\n"
    "--- a/.gitea/workflows/publish-workspace-server-image.yml\n"
    "+++ b/.gitea/workflows/publish-workspace-server-image.yml\n"
    "@@ -19,7 +19,7 @@\n"
    "     # NOTE: moved back from the `docker` label after #599: that label had no\n"
    "     # registered runner and every build queued forever. Keep ubuntu-latest\n"
    "     # until a dedicated lane exists.\n"
    "-    runs-on: ubuntu-latest\n"
    "+    runs-on: publish\n"
    "     permissions:\n"
    "       contents: read\n"
    "       packages: write\n"
    "@@ -33,7 +33,7 @@\n"
    "   deploy-production:\n"
    "     needs: build-and-push\n"
    "     if: github.ref == 'refs/heads/main'\n"
    "-    runs-on: ubuntu-latest   # same lane as the build: no cross-lane wait\n"
    "+    runs-on: publish   # same lane as the build: no cross-lane wait\n"
    "     continue-on-error: true\n"
    "     steps:\n"
    "       - run: ./scripts/deploy.sh production \"${GITHUB_SHA}\"\n"
    "diff --git a/.gitea/workflows/redeploy-tenants-on-main.yml b/.gitea/workflows/redeploy-tenants-on-main.yml\n"
    "--- a/.gitea/workflows/redeploy-tenants-on-main.yml\n"
    "+++ b/.gitea/workflows/redeploy-tenants-on-main.yml\n"
    "@@ -8,7 +8,7 @@\n"
    " jobs:\n"
    "   redeploy:\n"
    "     if: ${{ github.event.workflow_run.conclusion == 'success' }}\n"
    "-    runs-on: ubuntu-latest\n"
    "+    runs-on: publish\n"
    "     steps:\n"
    "       - run: ./scripts/redeploy-tenants.sh main\n"
    " \n"
    "diff --git a/.gitea/workflows/redeploy-tenants-on-staging.yml b/.gitea/workflows/redeploy-tenants-on-staging.yml\n"
    "--- a/.gitea/workflows/redeploy-tenants-on-staging.yml\n"
    "+++ b/.gitea/workflows/redeploy-tenants-on-staging.yml\n"
    "@@ -5,6 +5,6 @@\n"
    " \n"
    " jobs:\n"
    "   redeploy:\n"
    "-    runs-on: 'ubuntu-latest'\n"
    "+    runs-on: 'publish'\n"
    "     steps:\n"
    "       - run: ./scripts/redeploy-tenants.sh staging\n"
)

EXPECTED_SUMMARY = (
    "would change 5 files of 8; 7 jobs moved to publish\n"
    "not moved: 3 excluded (3 trigger)\n"
    "not moved: 1 skipped (1 reusable)\n"
)

SHIP_JOBS = [
    ("publish-canvas-image.yml", "build-and-push"),
    ("publish-runtime.yml", "publish"),
    ("publish-runtime.yml", "cascade"),
    ("publish-workspace-server-image.yml", "build-and-push"),
    ("publish-workspace-server-image.yml", "deploy-production"),
    ("redeploy-tenants-on-main.yml", "redeploy"),
    ("redeploy-tenants-on-staging.yml", "redeploy"),
]


def readme_commands() -> list[str]:
    """The lines of the README's first code block."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```sh\n(.*?)```", text, re.S)
    assert block, "the README opens with a sh code block"
    assert text.index(block.group(0)) < text.index("\n## "), "the commands come before the first section"
    return block.group(1).splitlines()


def example_arguments() -> list[str]:
    """The arguments the README's first command gives ``relane``."""
    steps = readme_commands()[0].split(" && ")
    assert steps[:2] == ["python3 -m venv .venv", ".venv/bin/pip install ."]
    command = shlex.split(steps[2])
    assert command[0] == ".venv/bin/relane"
    return command[1:]


def test_readme_opens_with_install_and_example_then_tests():
    first, second = readme_commands()[:2]
    assert first.startswith("python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/relane retarget examples/")
    assert second == "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest"
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip\" install --quiet --disable-pip-version-check '.[test]'" in ci
    assert re.search(r'"\$work/venv/bin/python" -m pytest .*"\$OLDPWD/tests"', ci)


def test_example_command_prints_the_expected_diff(relane, monkeypatch):
    monkeypatch.chdir(ROOT)
    args = example_arguments()
    assert args == ["retarget", "examples/publish-lane", "--on", "@ship", "--not-on", "@pr", "--from", "ubuntu-latest", "--to", "publish"]
    r = relane(*args)
    assert (r.code, r.out, r.err) == (0, EXPECTED_DIFF, EXPECTED_SUMMARY)


def test_example_moves_the_seed_cases_ship_jobs(relane, monkeypatch):
    monkeypatch.chdir(ROOT)

    r = relane(*example_arguments(), "--format", "json")
    jobs = json.loads(r.out)["jobs"]
    moved = [(j["workflow"].rsplit("/", 1)[-1], j["job"]) for j in jobs if j["outcome"] == "moved"]
    assert moved == SHIP_JOBS
    assert {j["workflow"] for j in jobs if j["outcome"] == "moved"} == {
        f".gitea/workflows/{name}" for name, _ in SHIP_JOBS
    }
    [autobump] = [j for j in jobs if j["workflow"].endswith("publish-runtime-autobump.yml")]
    assert (autobump["outcome"], autobump["reason"]) == ("excluded", "pull_request-triggered (--not-on)")


@pytest.fixture
def example_copy(tmp_path):
    return shutil.copytree(EXAMPLES / "publish-lane", tmp_path / "publish-lane")


def test_example_write_then_nothing_left(example_copy, relane):
    """--write gives what the diff shows; then only the seven ship jobs read
    publish, and a second run has nothing to do."""
    args = example_arguments()[2:]
    r = relane("retarget", str(example_copy), *args, "--write")
    assert r.code == 0
    on_publish = sorted(
        f.name
        for f in (example_copy / ".gitea/workflows").iterdir()
        for line in f.read_text().splitlines()
        if re.match(r"\s*runs-on: ['\"]?publish\b", line)
    )
    assert on_publish == sorted(name for name, _ in SHIP_JOBS)
    r = relane("retarget", str(example_copy), *args, "--check")
    assert (r.code, r.out) == (0, "")


def test_readme_comment_sample_is_what_the_command_writes(relane, monkeypatch):
    """The README's hard-dependency sample is cut from the real output of the
    command it shows, run in the example repository."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("## Comments in the moved jobs", 1)[1]
    command = re.search(r"```sh\n(.*?)```", section, re.S).group(1).replace("\\\n", " ")
    sample = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    args = shlex.split(command)
    assert args[:2] == ["relane", "retarget"]
    monkeypatch.chdir(EXAMPLES / "publish-lane")
    r = relane(*args[1:], "-q")
    assert r.code == 0, r.err
    lines = sample.splitlines()
    # The job key is context, the old runs-on line goes, the rest is added.
    added = "\n".join("+" + line for line in lines[1:])
    assert re.search(re.escape(" " + lines[0]) + r"\n-    runs-on: [^\n]*\n" + re.escape(added) + "\n", r.out)
