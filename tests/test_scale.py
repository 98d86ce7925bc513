"""Memory over large inputs, with generous bounds (speed is measured by
``benchmarks/scale.py``, not here): one large file costs memory in
proportion to its size, and many files are not all held at once. One slow
test checks by ratio that a run's time grows linearly where it once grew
quadratically."""

from __future__ import annotations

import pytest
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from flow_jobs import COMMENT, workflow as flow_workflow  # noqa: E402
from scale import WF, peak_kb, workflow  # noqa: E402  (the benchmark's own generator)


def big_file(root: Path, jobs: int) -> int:
    (root / WF).mkdir(parents=True)
    text = workflow(jobs)
    (root / WF / "big.yml").write_text(text)
    return len(text)


def many_files(root: Path, count: int, jobs: int) -> int:
    (root / WF).mkdir(parents=True)
    text = workflow(jobs)
    for n in range(count):
        (root / WF / f"w{n:05}.yml").write_text(text)
    return count * len(text)


@pytest.mark.slow
def test_memory_grows_in_proportion_to_one_file(tmp_path):
    base = peak_kb("retarget", str(tmp_path), "--to", "publish", "-q")
    small = big_file(tmp_path / "s", 6_000)  # about 1 MB
    large = big_file(tmp_path / "l", 24_000)  # about 4 MB
    rss_small = peak_kb("retarget", str(tmp_path / "s"), "--to", "publish", "-q")
    rss_large = peak_kb("retarget", str(tmp_path / "l"), "--to", "publish", "-q")
    # Measured: about 40 bytes of memory per byte of file (the tree, the
    # plan, the diff), for the first megabyte and for the next three alike.
    assert rss_small - base < 100 * small / 1024, (base, rss_small)
    assert rss_large - rss_small < 100 * (large - small) / 1024, (rss_small, rss_large)


@pytest.mark.slow
def test_unchanged_files_are_not_held(tmp_path):
    # 2,000 files of 4 KB: holding every tree would take some 200 MB; only
    # the results of their jobs stay.
    base = peak_kb("retarget", str(tmp_path), "--to", "publish", "-q")
    size = many_files(tmp_path / "r", 2_000, 24)
    grow = peak_kb("retarget", str(tmp_path / "r"), "--to", "ubuntu-latest", "-q") - base
    assert size > 7_000_000
    assert grow < 60 * 1024


def _cpu(run, *args: str) -> float:
    """The best CPU time of two in-process runs of ``relane ARGS``."""
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        assert run(*args).code == 0
        best = min(best, time.process_time() - start)
    return best


@pytest.mark.slow
def test_comments_on_one_line_flow_jobs_grow_linearly(relane, tmp_path):
    # Each job's comment asked whether its line starts inside a scalar by
    # walking every job before it: 8,000 jobs took 15 s against 0.4 s plain.
    times = {}
    for jobs in (2_000, 8_000):
        root = tmp_path / str(jobs)
        (root / WF).mkdir(parents=True)
        (root / WF / "w.yml").write_text(flow_workflow(jobs))
        plain = _cpu(relane, "retarget", str(root), "--to", "y", "-q")
        times[jobs] = _cpu(relane, "retarget", str(root), "--to", "y", "-q", *COMMENT)
        assert times[jobs] < 3 * plain, (jobs, plain, times[jobs])
    # Four times the jobs: four times the time when linear, sixteen when quadratic.
    assert times[8_000] < 8 * times[2_000], times
