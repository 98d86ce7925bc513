"""The codemod protocol: a user's own codemod on relane's engine, frozen
results, reason codes, refused files and the verification gate on writes."""

from __future__ import annotations

import dataclasses
import json

import pytest

import relane
from relane.edit.ops import line_position


class PinTimeout(relane.Codemod):
    """Set ``timeout-minutes`` on jobs that have one: a codemod of one's own."""

    name = "pin-timeout"

    def __init__(self, minutes: str, lie: bool = False) -> None:
        self.minutes = minutes
        self.lie = lie

    def transform(self, workflow, context):
        results, edits, intended = [], [], []
        for job in workflow.jobs:
            node = job.node.get("timeout-minutes")
            if node is None:
                results.append(relane.JobResult.of(workflow, job, relane.Outcome.SKIPPED, "no-timeout",
                                                   "job has no timeout-minutes", None, None))
                continue
            edits.append(relane.replace_scalar(node, self.minutes))
            intended.append(relane.Intent(node, "99" if self.lie else self.minutes))
            results.append(relane.JobResult.of(workflow, job, relane.Outcome.MOVED, "set", "timeout set",
                                               node.value, self.minutes))
        return relane.Proposal(tuple(results), tuple(edits), tuple(intended))


WORKFLOW = """\
on: push
jobs:
  build:
    runs-on: ubuntu-latest  # keep
    timeout-minutes: 10
  lint:
    runs-on: ubuntu-latest
"""


def test_a_codemod_of_ones_own_runs_on_the_engine(repo):
    root = repo({"ci.yml": WORKFLOW})
    plan = relane.run(PinTimeout("30"), relane.discover([root]))
    assert plan.diff == (
        "diff --git a/.github/workflows/ci.yml b/.github/workflows/ci.yml\n"
        "--- a/.github/workflows/ci.yml\n+++ b/.github/workflows/ci.yml\n"
        "@@ -2,6 +2,6 @@\n jobs:\n   build:\n     runs-on: ubuntu-latest  # keep\n"
        "-    timeout-minutes: 10\n+    timeout-minutes: 30\n   lint:\n     runs-on: ubuntu-latest\n"
    )
    assert [(r.job, r.outcome, r.code) for r in plan.results] == [
        ("build", relane.Outcome.MOVED, "set"),
        ("lint", relane.Outcome.SKIPPED, "no-timeout"),
    ]
    assert [(f.path, f.status) for f in plan.file_results] == [(".github/workflows/ci.yml", relane.FileStatus.CHANGED)]
    assert plan.write() == [".github/workflows/ci.yml"]
    assert (root / ".github/workflows/ci.yml").read_text() == WORKFLOW.replace("10", "30")
    again = relane.run(PinTimeout("30"), relane.discover([root]))
    assert again.changes == () and again.file_results[0].status is relane.FileStatus.UNCHANGED


def test_an_edit_that_does_not_do_what_was_declared_is_refused(repo):
    root = repo({"ci.yml": WORKFLOW})
    plan = relane.run(PinTimeout("30", lie=True), relane.discover([root]))
    assert plan.changes == () and plan.results == ()
    (refused,) = plan.refused
    assert isinstance(refused.error, relane.VerificationError)
    assert str(refused.error) == ".github/workflows/ci.yml:5:22: rewritten value reads '30', meant '99'"
    with pytest.raises(relane.VerificationError):
        plan.check()


def test_one_bad_file_does_not_stop_a_library_run(repo):
    root = repo({"a.yml": "on: push\njobs: [\n", "b.yml": WORKFLOW})
    plan = relane.plan([root], "publish")
    assert [(f.path, str(f.status)) for f in plan.file_results] == [
        (".github/workflows/a.yml", "refused"),
        (".github/workflows/b.yml", "changed"),
    ]
    assert isinstance(plan.refused[0].error, relane.InputError)
    assert plan.refused[0].error.line == 3
    assert [r.job for r in plan.outcomes(relane.Outcome.MOVED)] == ["build", "lint"]


def test_cli_stops_on_a_bad_file_unless_skip_invalid(repo, relane):
    root = repo({"a.yml": "on: push\njobs: [\n", "b.yml": WORKFLOW})
    r = relane("retarget", str(root), "--to", "publish", "--write")
    assert r.code == 2 and r.out == ""
    assert r.err.startswith("relane: error: .github/workflows/a.yml:3:1: ") and r.err.count("\n") == 1
    assert "ubuntu-latest" in (root / ".github/workflows/b.yml").read_text()
    r = relane("retarget", str(root), "--to", "publish", "--write", "--skip-invalid")
    assert r.code == 0, r
    assert "relane: skipped .github/workflows/a.yml:3:1: " in r.err
    assert (root / ".github/workflows/b.yml").read_text() == WORKFLOW.replace("ubuntu-latest", "publish")


def test_migrate_skip_invalid(repo, relane, tmp_path):
    root = repo({"a.yml": "on: push\njobs: [\n", "b.yml": WORKFLOW})
    spec = tmp_path / "relane.toml"
    spec.write_text('[migration.m]\nto = "publish"\n')
    assert relane("migrate", str(spec)).code == 2
    r = relane("migrate", str(spec), "--skip-invalid", "--format", "json")
    assert r.code == 0, r
    assert json.loads(r.out)["files"]["changed"] == [".github/workflows/b.yml"]
    assert "relane: skipped .github/workflows/a.yml:3:1:" in r.err


def test_results_and_plans_are_frozen(repo):
    plan = relane.plan([repo({"ci.yml": WORKFLOW})], "publish")
    for thing in (plan, plan.results[0], plan.changes[0], plan.file_results[0]):
        with pytest.raises(dataclasses.FrozenInstanceError):
            thing.__setattr__("path" if hasattr(thing, "path") else "target", "x")
    assert isinstance(plan.results, tuple) and isinstance(plan.changes, tuple)


def test_reason_codes_are_a_str_enum(repo):
    plan = relane.plan([repo({"ci.yml": WORKFLOW})], "ubuntu-latest", selector=relane.Selector.build(jobs=["ci:b*"]))
    codes = {r.job: r.code for r in plan.results}
    assert codes == {"build": relane.Reason.ON_TARGET, "lint": relane.Reason.NOT_SELECTED}
    assert codes["build"] == "on-target" and str(codes["lint"]) == "not-selected"
    assert json.loads(json.dumps(plan.results[1].to_dict()))["code"] == "not-selected"


def test_a_hand_built_change_is_checked_and_never_written_unverified(repo):
    root = repo({"ci.yml": WORKFLOW})
    workflow = relane.load(relane.Source.read(root / ".github/workflows/ci.yml", ".github/workflows/ci.yml"))
    # new text that the edits do not make: refused at once
    with pytest.raises(relane.VerificationError, match="edits do not produce the new text"):
        relane.FileChange(workflow.source, WORKFLOW.replace("10", "20"), [])
    # consistent but unverified: the diff is real, writing is refused
    edit = relane.replace_scalar(workflow.jobs[0].node.get("timeout-minutes"), "20")
    change = relane.FileChange(workflow.source, relane.apply(WORKFLOW, [edit]), [edit], root)
    assert "+    timeout-minutes: 20\n" in change.diff
    with pytest.raises(relane.VerificationError, match="not verified"):
        relane.Plan(changes=(change,)).write()
    assert (root / ".github/workflows/ci.yml").read_text() == WORKFLOW


def test_rewrite_catches_invalid_yaml_from_an_inserted_line(repo):
    text = "on: push\njobs: {build: {runs-on: x}}\n"
    root = repo({"ci.yml": text})
    workflow = relane.load(relane.Source.read(root / ".github/workflows/ci.yml", "ci.yml"))
    bad = relane.Edit(line_position(workflow.source, 1), line_position(workflow.source, 1), "  # hi\n  x: [\n")
    with pytest.raises(relane.VerificationError, match="ci.yml:"):
        relane.rewrite(workflow, [bad])
    ok = relane.Edit(line_position(workflow.source, 1), line_position(workflow.source, 1), "# a comment\n")
    change = relane.rewrite(workflow, [ok])
    assert change is not None and change.verified and change.new_text == "on: push\n# a comment\n" + text[9:]


def test_public_names_and_no_module_shadowing():
    import importlib

    for name in ("guard", "inventory", "markdown", "migrate", "Rollback", "Comments", "deliver"):
        assert name in dir(relane)
        assert getattr(relane, name) is not None
    assert callable(relane.plan) and callable(relane.discover)
    for module in ("relane.verify", "relane.engine", "relane.read.files"):
        assert importlib.import_module(module).__name__ == module
    assert not hasattr(importlib.import_module("relane.verify"), "verify")


def test_the_readme_codemod_example_runs_as_written(tmp_path):
    import re
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### A codemod of your own"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    script = tmp_path / "pin.py"
    script.write_text(code)
    done = subprocess.run([sys.executable, str(script)], cwd=root, capture_output=True, text=True, check=True)
    assert done.stdout.count("+      - uses: actions/checkout@v4.2.2\n") == 5
    assert done.stdout.count("-      - uses: actions/checkout@v4\n") == 5
    assert ".gitea/workflows/notify.yml unchanged" in done.stdout
