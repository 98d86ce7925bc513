"""How relane's time grows with many one-line flow-style jobs, with and without --comment.

    python benchmarks/flow_jobs.py [--quick]

Each case writes one workflow of N jobs (``  jN: {runs-on: x, steps: []}``
under a block ``jobs:``, one a line in a flow ``jobs:``, or all on one line)
and runs ``relane retarget`` on it in a fresh process, once plain and once
with ``--comment``, taking the best CPU time (user + system) of three runs.
Targets: ``--comment`` costs at most 3x the plain run at every size, and
eight times the jobs cost at most twelve times the time (linear growth
gives eight, quadratic sixty-four). Exits 1 when one is missed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

WF = ".github/workflows"
COMMENT = ("--comment", "hard-dependency", "--ref", "bench")
RUNS = 3


def workflow(jobs: int, shape: str = "block") -> str:
    """``jobs`` one-line flow jobs: under a block ``jobs:`` mapping
    (``block``), one a line in a flow ``jobs:`` mapping (``flow``), or all
    on one line (``one-line``)."""
    if shape == "one-line":
        return "on: push\njobs: {" + ", ".join(f"j{i}: {{runs-on: x}}" for i in range(jobs)) + "}\n"
    if shape == "flow":
        return "on: push\njobs: {\n" + "".join(f"  j{i}: {{runs-on: x, steps: []}},\n" for i in range(jobs)) + "}\n"
    return "on: push\njobs:\n" + "".join(f"  j{i}: {{runs-on: x, steps: []}}\n" for i in range(jobs))


def cpu_seconds(*args: str) -> float:
    """The best CPU time of ``RUNS`` runs of ``relane ARGS`` in fresh processes."""
    best = float("inf")
    for _ in range(RUNS):
        before = os.times()
        subprocess.run(
            [sys.executable, "-c", "import sys; from relane.cli.app import main; sys.exit(main())", *args],
            check=True, stdout=subprocess.DEVNULL, timeout=900,
        )
        after = os.times()
        best = min(best, after.children_user - before.children_user + after.children_system - before.children_system)
    return best


def main() -> int:
    sizes = (1_000, 8_000) if "--quick" in sys.argv else (2_000, 4_000, 8_000, 16_000)
    scratch = Path(tempfile.mkdtemp(prefix="relane-flow-"))
    missed = []
    try:
        for shape in ("block", "flow", "one-line"):
            times = {}
            for jobs in sizes:
                root = scratch / f"{shape}{jobs}"
                (root / WF).mkdir(parents=True)
                (root / WF / "w.yml").write_text(workflow(jobs, shape))
                plain = cpu_seconds("retarget", str(root), "--to", "y", "-q")
                comment = cpu_seconds("retarget", str(root), "--to", "y", "-q", *COMMENT)
                times[jobs] = comment
                print(f"{shape:>8} {jobs:>6} jobs  plain {plain:6.2f} s  --comment {comment:6.2f} s  "
                      f"ratio {comment / plain:4.1f}x", flush=True)
                if comment > 3 * plain:
                    missed.append(f"{shape}, {jobs} jobs: --comment took {comment / plain:.1f}x the plain run (target 3x)")
            small, large = sizes[0], sizes[-1]
            growth = times[large] / times[small]
            print(f"{shape:>8} {large // small}x the jobs: {growth:.1f}x the time with --comment")
            if growth > 1.5 * large / small:
                missed.append(f"{shape}: {large // small}x the jobs took {growth:.1f}x the time (target {1.5 * large / small:.0f}x)")
    finally:
        shutil.rmtree(scratch)
    for line in missed:
        print("MISSED:", line)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
