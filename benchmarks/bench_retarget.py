"""How fast is a whole ``relane retarget`` run, next to libyaml just parsing?

Builds one repository from every file of the wild corpus (in
``.github/workflows/``), then measures, as whole processes and in the same
run, every speed target:

* dry runs, each next to a process that only does
  ``yaml.compose(text, Loader=yaml.CSafeLoader)`` on each of the same files
  (PyYAML's C loader: libyaml's parser and PyYAML's node composer, no
  construction): ``relane retarget REPO --to bench-lane`` (load, retarget,
  verify, diff; target at most 2.0x the compose time), with
  ``--format markdown`` (at most 2.5x), with ``--comment hard-dependency``
  and with ``--format json`` (at most 2.2x each);
* start-up: ``relane --help`` and a retarget of an empty folder, over
  ``python -c pass`` (at most 60 ms each);
* memory: the peak of a dry run over one generated 15 MB workflow in which
  every job moves, per input byte (at most 10), next to two processes that
  only read the file: libyaml's events, none kept, and PyYAML's composer;
* linearity: the default dry run over ten copies of the corpus takes at
  most 11x the time of one.

Each time is the median of several runs taking turns (so a busy machine
slows each about alike), in wall time and in CPU time (user + system); the
targets are judged on CPU time, which a busy machine disturbs less. The
script exits 1 when a target is missed.

    python benchmarks/bench_retarget.py [--corpus PATH] [--runs N] [--quick]

``--quick`` leaves out the ten-copies run and the 15 MB file.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import peak_kb, workflow  # noqa: E402  (a sibling script)

DEFAULT_CORPUS = Path(os.environ.get("RELANE_CORPUS", ROOT.parent / "shared" / "corpus")) / "wild"
WORKFLOWS = ".github/workflows"

COMPOSE = """
import sys, yaml
from pathlib import Path
for f in sorted((Path(sys.argv[1]) / ".github/workflows").iterdir()):
    yaml.compose(f.read_bytes().decode("utf-8-sig"), Loader=yaml.CSafeLoader)
"""

RELANE = "import sys; from relane.cli.app import main; sys.exit(main())"

# name -> (extra options, target ratio to the compose time)
DRY_RUNS = {
    "default": ((), 2.0),
    "markdown": (("--format", "markdown"), 2.5),
    "hard-dependency": (("--comment", "hard-dependency", "--ref", "ops#1"), 2.2),
    "json": (("--format", "json"), 2.2),
}
STARTUP_TARGET = 0.060  # seconds over python -c pass
MEMORY_TARGET = 10.0  # bytes per input byte
BIG_FILE = 15_000_000  # bytes
SCALE_TARGET = 11.0


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


def relane(*args: str) -> list[str]:
    return [sys.executable, "-c", RELANE, *args]


class Report:
    """Prints each figure and remembers the targets missed."""

    def __init__(self) -> None:
        self.missed: list[str] = []

    def target(self, label: str, value: float, limit: float, shown: str) -> None:
        ok = value <= limit
        if not ok:
            self.missed.append(label)
        print(f"  {label:<34} {shown}  {'ok' if ok else 'MISSED'}")


def bench_dry_runs(repo: Path, size: int, runs: int, report: Report, names=tuple(DRY_RUNS)) -> dict:
    commands = {"compose": [sys.executable, "-c", COMPOSE, str(repo)]}
    for name in names:
        extra, _ = DRY_RUNS[name]
        commands[name] = relane("retarget", str(repo), "--to", "bench-lane", "-q", *extra)
    times = measure(commands, runs)
    mb = size / 1e6
    files = len(os.listdir(repo / WORKFLOWS))
    print(f"  input {mb:.2f} MB in {files} files; median of {runs} runs (min in brackets), wall | cpu")
    medians = {}
    for name, values in times.items():
        wall = [t[0] for t in values]
        cpu = [t[1] for t in values]
        medians[name] = statistics.median(cpu)
        label = "CSafeLoader compose" if name == "compose" else f"relane {name}"
        print(
            f"  {label:<26} {statistics.median(wall):7.3f} s ({min(wall):.3f}) | "
            f"{statistics.median(cpu):7.3f} s ({min(cpu):.3f})  {mb / statistics.median(cpu):6.2f} MB/s cpu"
        )
    for name in names:
        _, limit = DRY_RUNS[name]
        ratios = [r[1] / c[1] for r, c in zip(times[name], times["compose"], strict=True)]
        ratio = statistics.median(ratios)
        report.target(f"{name} / compose (cpu)", ratio, limit, f"{ratio:5.2f}x (target <= {limit}x)")
    return medians


def bench_startup(tmp: Path, runs: int, report: Report) -> None:
    empty = tmp / "empty"
    empty.mkdir()
    times = measure(
        {
            "pass": [sys.executable, "-c", "pass"],
            "help": relane("--help"),
            "empty": relane("retarget", str(empty), "--to", "bench-lane", "-q"),
        },
        runs,
    )
    base = statistics.median(t[1] for t in times["pass"])
    base_wall = statistics.median(t[0] for t in times["pass"])
    print(f"  python -c pass: {base_wall * 1000:.0f} ms wall, {base * 1000:.0f} ms cpu")
    for name, label in (("help", "relane --help"), ("empty", "retarget of an empty folder")):
        over = statistics.median(t[1] for t in times[name]) - base
        wall = statistics.median(t[0] for t in times[name]) - base_wall
        report.target(
            f"{label} over pass (cpu)",
            over,
            STARTUP_TARGET,
            f"{over * 1000:5.0f} ms ({wall * 1000:.0f} ms wall; target <= {STARTUP_TARGET * 1000:.0f} ms)",
        )


def bench_memory(tmp: Path, report: Report) -> None:
    root = tmp / "big"
    (root / WORKFLOWS).mkdir(parents=True)
    jobs = BIG_FILE // len(workflow(1000)) * 1000
    text = workflow(jobs)
    (root / WORKFLOWS / "big.yml").write_text(text)
    base_kb = int(
        subprocess.run(
            [sys.executable, "-c", "import yaml, relane.cli.app; print(open('/proc/self/status').read().split('VmHWM:')[1].split()[0])"],
            capture_output=True, text=True, check=True,
        ).stdout
    )
    # What reading the same file costs without relane, in the same kind of
    # process: libyaml's events read and dropped (the least any reader of
    # events can need), and PyYAML's composer (the reference of the time targets).
    for label, keep in (("read + libyaml events, nothing kept", "events"), ("read + CSafeLoader compose", "compose")):
        ref = _reference_kb(root / WORKFLOWS / "big.yml", keep) * 1024 / len(text)
        print(f"  {label:<38} peak {ref:5.1f} bytes per input byte")
    start = time.perf_counter()
    kb = peak_kb("retarget", str(root), "--to", "publish", "-q")
    took = time.perf_counter() - start
    per_byte = kb * 1024 / len(text)
    over = (kb - base_kb) * 1024 / len(text)
    print(f"  one file of {len(text) / 1e6:.1f} MB, {jobs} jobs, every job moves: {took:.2f} s, "
          f"peak {kb // 1024} MB ({base_kb // 1024} MB after imports alone)")
    report.target("peak memory per input byte", per_byte, MEMORY_TARGET,
                  f"{per_byte:5.1f} ({over:.1f} over the imports; target <= {MEMORY_TARGET:g})")


REFERENCE = """
import sys, yaml
from yaml.events import StreamEndEvent
text = open(sys.argv[1], encoding="utf-8").read()
if sys.argv[2] == "compose":
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
else:
    get = yaml.cyaml.CParser(text).get_event
    while type(get()) is not StreamEndEvent:
        pass
print(open("/proc/self/status").read().split("VmHWM:")[1].split()[0])
"""


def _reference_kb(path: Path, keep: str) -> int:
    """Peak RSS (KB) of a process that reads ``path`` and parses it (``keep``:
    ``events`` reads libyaml's events and keeps none, ``compose`` builds PyYAML's node tree)."""
    proc = subprocess.run([sys.executable, "-c", REFERENCE, str(path), keep], capture_output=True, text=True, check=True)
    return int(proc.stdout)


def compile_bytecode() -> None:
    """Compile relane's modules, as installing a package does.

    An installed relane starts from compiled bytecode; an editable checkout
    run with ``PYTHONDONTWRITEBYTECODE`` set would compile every module on
    every start and measure the compiler instead.
    """
    import relane

    folder = Path(relane.__file__).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="no ten-copies run, no 15 MB file")
    args = parser.parse_args()
    import yaml

    if not hasattr(yaml, "CSafeLoader"):
        print("PyYAML has no C loader here (libyaml missing); the comparison would be meaningless")
        return 2
    compile_bytecode()
    report = Report()
    with tempfile.TemporaryDirectory(prefix="relane-bench-") as name:
        tmp = Path(name)
        one = tmp / "x1"
        size1 = build_repo(args.corpus, one, 1)
        print("wild corpus as one repository, dry runs (whole processes, cpu = user + system):")
        first = bench_dry_runs(one, size1, args.runs, report)
        print("start-up:")
        bench_startup(tmp, max(args.runs, 10), report)
        if not args.quick:
            print("memory:")
            bench_memory(tmp, report)
            ten = tmp / "x10"
            size10 = build_repo(args.corpus, ten, 10)
            print("ten copies of the corpus:")
            tenfold = bench_dry_runs(ten, size10, max(3, args.runs // 2), report, ("default",))
            scale = tenfold["default"] / first["default"]
            report.target("10x the input: time (cpu)", scale, SCALE_TARGET,
                          f"{scale:5.2f}x (target <= {SCALE_TARGET:g}x)")
    print("targets met (CPU time)" if not report.missed else f"TARGETS MISSED: {', '.join(report.missed)}")
    return 0 if not report.missed else 1


if __name__ == "__main__":
    sys.exit(main())
