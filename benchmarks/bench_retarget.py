"""How fast is a whole ``relane retarget`` run, next to libyaml just parsing?

Builds one repository from every file of the wild corpus (in
``.github/workflows/``), then times, as whole processes and in the same run:

* ``relane retarget REPO --to bench-lane`` (a dry run: load, retarget,
  verify, diff; the diff goes to /dev/null);
* a process that only does ``yaml.compose(text, Loader=yaml.CSafeLoader)``
  on each of the same files (PyYAML's C loader: libyaml's parser and
  PyYAML's node composer, no construction).

It prints MB/s for both and their ratio (target: relane at most 3x), then
repeats with the corpus copied ten times to check that 10x the input takes
at most 11x the time. Each figure is the median (and min) of several runs,
in wall time and in CPU time (user + system); the targets are judged on CPU
time, which a busy machine disturbs less.

    python benchmarks/bench_retarget.py [--corpus PATH] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = Path(os.environ.get("RELANE_CORPUS", ROOT.parent / "shared" / "corpus")) / "wild"
WORKFLOWS = ".github/workflows"

COMPOSE = """
import sys, yaml
from pathlib import Path
for f in sorted((Path(sys.argv[1]) / ".github/workflows").iterdir()):
    yaml.compose(f.read_bytes().decode("utf-8-sig"), Loader=yaml.CSafeLoader)
"""

RELANE = "import sys; from relane.cli.app import main; sys.exit(main())"


def build_repo(corpus: Path, dest: Path, copies: int) -> int:
    """Fill ``dest`` with ``copies`` copies of the corpus; returns the bytes."""
    folder = dest / WORKFLOWS
    folder.mkdir(parents=True)
    total = 0
    files = sorted(p for p in corpus.iterdir() if p.suffix in (".yml", ".yaml"))
    for i in range(copies):
        for f in files:
            name = f.name if copies == 1 else f"{i:02d}-{f.name}"
            shutil.copyfile(f, folder / name)
            total += f.stat().st_size
    return total


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one run of ``argv``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def measure(commands: dict[str, list[str]], runs: int) -> dict[str, list[tuple[float, float]]]:
    """(wall, cpu) of ``runs`` runs of each command, after one warm-up run each.

    The commands take turns, so a busy machine slows each about alike.
    """
    for argv in commands.values():
        timed(argv)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, argv in commands.items():
            times[name].append(timed(argv))
    return times


def bench(repo: Path, size: int, runs: int) -> dict[str, float]:
    times = measure(
        {
            "relane": [sys.executable, "-c", RELANE, "retarget", str(repo), "--to", "bench-lane", "-q"],
            "compose": [sys.executable, "-c", COMPOSE, str(repo)],
        },
        runs,
    )
    mb = size / 1e6
    files = len(list((repo / WORKFLOWS).iterdir()))
    print(f"  input            {mb:8.2f} MB in {files} files")
    out: dict[str, float] = {}
    for kind, k in (("wall", 0), ("cpu", 1)):
        relane = [t[k] for t in times["relane"]]
        compose = [t[k] for t in times["compose"]]
        for name, label, values in (("relane", "relane retarget", relane), ("compose", "CSafeLoader", compose)):
            median = statistics.median(values)
            print(
                f"  {label:<16} {kind:>4} {median:7.3f} s median, {min(values):.3f} s min"
                f"  ({mb / median:6.2f} MB/s)"
            )
            out[f"{name}_{kind}"] = median
        ratio = statistics.median(r / c for r, c in zip(relane, compose))
        print(f"  ratio            {kind:>4} {ratio:7.2f}x  (median of {len(relane)} paired runs; target <= 3x)")
        out[f"ratio_{kind}"] = ratio
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import yaml

    if not hasattr(yaml, "CSafeLoader"):
        print("PyYAML has no C loader here (libyaml missing); the comparison would be meaningless")
        return 2
    with tempfile.TemporaryDirectory(prefix="relane-bench-") as tmp:
        one = Path(tmp) / "x1"
        ten = Path(tmp) / "x10"
        size1 = build_repo(args.corpus, one, 1)
        size10 = build_repo(args.corpus, ten, 10)
        print(f"wild corpus as one repository ({args.runs} runs each, whole processes):")
        first = bench(one, size1, args.runs)
        print("ten copies of it:")
        tenfold = bench(ten, size10, max(3, args.runs // 2))
    ok = True
    for kind in ("wall", "cpu"):
        scale = tenfold[f"relane_{kind}"] / first[f"relane_{kind}"]
        print(f"scaling ({kind}): 10x the input in {scale:.2f}x the time (target <= 11x)")
        if kind == "cpu":
            ok = first["ratio_cpu"] <= 3 and scale <= 11
    # CPU time decides: on a shared machine wall time also counts the waits.
    print("targets met (CPU time)" if ok else "TARGETS MISSED (CPU time)")
    return 0 if ok else 1

if __name__ == "__main__":
    sys.exit(main())
