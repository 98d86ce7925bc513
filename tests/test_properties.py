"""Property tests: random workflows in many textual styles, random
selections and targets (generators in ``workflow_strategies.py``).

For every run: the jobs that move are exactly those the selection picks
(worked out without relane), the new files read as the old data with only
those runs-on values replaced, every byte outside those values stays, a
second run changes nothing, and the dry-run diff applied by git gives the
same bytes as ``--write``.

Migrations chained and rolled back step by step, and workflows reached
through symbolic and hard links, have properties of their own.

Profiles: ``ci`` (default, derandomized, a few thousand examples in all)
and ``big`` (``RELANE_HYPOTHESIS=big``) for long exploratory runs.
"""

from __future__ import annotations

import pytest
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import relane
from relane.codemods.rollback import Rollback
from relane.comments.annotate import Comments
from relane.deliver.write import WriteError
from relane.engine import plan_workflow
from relane.model import load
from relane.read.source import Source
from workflow_strategies import GenFile, expected_moves, selections, workflow_files

settings.register_profile(
    "ci", deadline=None, derandomize=True, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "big", deadline=None, max_examples=20_000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("RELANE_HYPOTHESIS", "ci"))
BIG = os.environ.get("RELANE_HYPOTHESIS") == "big"

WF = ".github/workflows"
# Files in memory where there is such a folder: the properties are about
# bytes, and fsync on a real disk would dominate the run time.
SCRATCH = "/dev/shm" if os.access("/dev/shm", os.W_OK) else None
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@st.composite
def runs(draw):
    names = draw(st.lists(st.sampled_from(["ci.yml", "ci-2.yaml", "wf1.yml", "other.yml"]), min_size=1, max_size=3, unique=True))
    files = [draw(workflow_files(name)) for name in names]
    return files, draw(selections(files))


def _write_repo(root: Path, files: list[GenFile]) -> None:
    (root / WF).mkdir(parents=True)
    for f in files:
        (root / WF / f.name).write_bytes(f.data)


def _plan(root: Path, sel: dict) -> relane.Plan:
    return relane.plan(
        [root], sel["to"],
        selector=relane.Selector.build(jobs=sel["jobs"], on=sel["on"], not_on=sel["not_on"], from_labels=sel["from_labels"]),
        move_expressions=sel["move_expressions"], move_groups=sel["move_groups"],
    )


def _load(data: bytes):
    return yaml.load(data.decode("utf-8-sig"), Loader=_Loader)


def _intended(f: GenFile, moved: dict[str, object]):
    """``f``'s data with each moved job's runs-on replaced."""
    data = _load(f.data)
    for job, value in moved.items():
        data["jobs"][job]["runs-on"] = value
    return data


def _target(result: relane.JobResult, to: tuple[str, ...]):
    """What a moved runs-on must read: the label, or the list of labels; one
    label stays a one-item list where a comment sits between the key and a
    block list (README)."""
    if len(to) > 1:
        assert result.after == list(to)
    else:
        assert result.after in (to[0], list(to))
    return result.after


def _outside_spans_kept(f: GenFile, moved: set[str], new: str) -> bool:
    """Whether ``new`` is ``f``'s text with only the moved jobs' runs-on values changed."""
    pattern = "".join(
        "(.*?)" if p[0] == "value" and p[1] in moved else re.escape(p[-1]) for p in f.pieces
    )
    return re.fullmatch(pattern, new, re.DOTALL) is not None


@pytest.mark.slow
@given(runs())
@settings(max_examples=20_000 if BIG else 1000)
def test_retarget_moves_exactly_the_selection_and_nothing_else(run):
    files, sel = run
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        root = Path(tmp)
        _write_repo(root, files)
        plan = _plan(root, sel)
        moved = {(r.workflow.rsplit("/", 1)[-1], r.job) for r in plan.outcomes(relane.Outcome.MOVED)}
        assert moved == expected_moves(files, sel)
        changed = {c.path.rsplit("/", 1)[-1] for c in plan.changes}
        assert changed == {name for name, _ in moved}
        plan.write()
        for f in files:
            jobs = {
                r.job: _target(r, sel["to"])
                for r in plan.outcomes(relane.Outcome.MOVED)
                if r.workflow == f"{WF}/{f.name}"
            }
            new = (root / WF / f.name).read_bytes()
            assert new.startswith(b"\xef\xbb\xbf") == f.bom
            assert _load(new) == _intended(f, jobs)
            assert _outside_spans_kept(f, set(jobs), new.decode("utf-8-sig"))
        again = _plan(root, sel)
        assert again.changes == ()
        assert again.outcomes(relane.Outcome.MOVED) == []


def _apply_both_ways(root: Path, copy: Path, sel: dict) -> relane.Plan | None:
    """Write the plan for ``root`` there, and apply its dry-run diff to ``copy``
    with git. A file whose hard link the plan leaves alone is refused, and
    then nothing is written (``None``)."""
    plan = _plan(root, sel)
    diff = plan.diff
    try:
        plan.write()
    except WriteError as exc:
        assert "hard link" in exc.message
        return None
    if diff:
        subprocess.run(["git", "apply", "--whitespace=nowarn", "-"], input=diff.encode(), cwd=copy, check=True,
                       capture_output=True)
    return plan


@pytest.mark.slow
@given(runs())
@settings(max_examples=2000 if BIG else 300)
def test_dry_run_diff_applied_by_git_equals_write(run):
    files, sel = run
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        root, copy = Path(tmp) / "a", Path(tmp) / "b"
        _write_repo(root, files)
        shutil.copytree(root, copy)
        _apply_both_ways(root, copy, sel)
        for f in files:
            assert (copy / WF / f.name).read_bytes() == (root / WF / f.name).read_bytes()


@st.composite
def comment_options(draw):
    """What a migration writes besides its record: nothing, a template, dropped comments."""
    template = draw(st.sampled_from([None, "hard-dependency"]))
    drop = draw(st.sampled_from([(), (".",), ("c$",)]))
    return Comments.build(template, ref="R" if template else None, drop=drop, record=True)


def _step(text: str, codemod) -> str:
    """``text`` after one run of ``codemod`` (verified; unchanged when it changes nothing)."""
    change = plan_workflow(load(Source("w.yml", text), require_mapping=False), codemod)[1]
    return text if change is None else change.new_text


@pytest.mark.slow
@given(runs(), comment_options(), comment_options())
@settings(max_examples=5000 if BIG else 300)
def test_chained_migrations_roll_back_step_by_step(run, first_comments, second_comments):
    """Migration A moves the selection; B moves A's jobs on. Each run again
    changes nothing; rolling back B gives A's file, then rolling back A the
    original."""
    files, sel = run
    selector = relane.Selector.build(jobs=sel["jobs"], on=sel["on"], not_on=sel["not_on"], from_labels=sel["from_labels"])
    flags = {"move_expressions": sel["move_expressions"], "move_groups": sel["move_groups"]}
    a = relane.Retarget(sel["to"], selector=selector, comments=first_comments, **flags)
    b = relane.Retarget(("next",), selector=relane.Selector.build(from_labels=sel["to"]), comments=second_comments, **flags)
    for f in files:
        text = f.text
        after_a = _step(text, a)
        assert _step(after_a, a) == after_a
        after_b = _step(after_a, b)
        assert _step(after_b, b) == after_b
        assert _step(after_b, Rollback(b.to, b.selector)) == after_a
        assert _step(after_a, Rollback(a.to, selector)) == text


@pytest.mark.slow
@given(runs(), st.lists(st.sampled_from(["file", "beside", "hard", "folder"]), min_size=1, max_size=3))
@settings(max_examples=1000 if BIG else 100)
def test_linked_workflows_diff_applies_and_write_reaches_every_name(run, links):
    """Workflows reached through symlinks (to a file elsewhere in the
    repository, beside it, or through a linked folder) and hard links: the
    dry-run diff applies with git as --write writes, and a second run
    (every name read again) changes nothing."""
    files, sel = run
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        root, copy = Path(tmp) / "a", Path(tmp) / "b"
        folder = root / WF
        if "folder" in links:
            (root / "ci/workflows").mkdir(parents=True)
            (root / ".github").mkdir()
            folder.symlink_to("../ci/workflows")
        else:
            folder.mkdir(parents=True)
        (root / "shared").mkdir()
        for i, f in enumerate(files):
            how = links[i % len(links)]
            if how == "file":
                (root / "shared" / f.name).write_bytes(f.data)
                (folder / f.name).symlink_to(f"../../shared/{f.name}")
                continue
            (folder / f.name).write_bytes(f.data)
            if how == "beside":
                (folder / f"0-link-{f.name}").symlink_to(f.name)
            elif how == "hard":
                os.link(folder / f.name, folder / f"z-hard-{f.name}")
        shutil.copytree(root, copy, symlinks=True)
        written = _apply_both_ways(root, copy, sel) is not None
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            relative = path.relative_to(root)
            assert (copy / relative).read_bytes() == path.read_bytes(), relative
        assert not written or _plan(root, sel).changes == ()
