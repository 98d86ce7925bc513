"""Property tests: random workflows in many textual styles, random
selections and targets (generators in ``workflow_strategies.py``).

For every run: the jobs that move are exactly those the selection picks
(worked out without relane), the new files read as the old data with only
those runs-on values replaced, every byte outside those values stays, a
second run changes nothing, and the dry-run diff applied by git gives the
same bytes as ``--write``.

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


@pytest.mark.slow
@given(runs())
@settings(max_examples=2000 if BIG else 300)
def test_dry_run_diff_applied_by_git_equals_write(run):
    files, sel = run
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        root, copy = Path(tmp) / "a", Path(tmp) / "b"
        _write_repo(root, files)
        shutil.copytree(root, copy)
        plan = _plan(root, sel)
        diff = plan.diff
        plan.write()
        if diff:
            subprocess.run(["git", "apply", "--whitespace=nowarn", "-"], input=diff.encode(), cwd=copy, check=True,
                           capture_output=True)
        for f in files:
            assert (copy / WF / f.name).read_bytes() == (root / WF / f.name).read_bytes()
