"""How relane's time and memory grow with one large file and with many files.

    python benchmarks/scale.py [--quick]

Each case runs ``relane retarget`` in a fresh process over generated
workflows (a dry run, then ``--write``) and prints wall time and peak RSS.
Time and memory should grow linearly with the input; unchanged files
should cost little memory however many there are.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WF = ".github/workflows"
JOB = (
    "  job{i}:\n    name: Job {i}  # a comment\n    runs-on: ubuntu-latest\n    steps:\n"
    "      - uses: actions/checkout@v4\n      - run: |\n          make test-{i}\n"
)
# The child reports its own peak: VmHWM belongs to the process image after
# exec, while ru_maxrss can carry the RSS of the parent it was forked from.
PEAK = """
import json, resource, sys
from relane.cli.app import main
code = main(sys.argv[1:])
try:
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except OSError:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"code": code, "kb": kb}))
"""


def workflow(jobs: int) -> str:
    return "on: push\njobs:\n" + "".join(JOB.format(i=i) for i in range(jobs))


def peak_kb(*args: str) -> int:
    """Run ``relane ARGS`` in a fresh process; returns its peak RSS in KB.

    Raises ``RuntimeError`` (with its stderr) unless it exits 0.
    """
    proc = subprocess.run([sys.executable, "-c", PEAK, *args], capture_output=True, text=True, timeout=600)
    lines = proc.stdout.splitlines()
    result = json.loads(lines[-1]) if lines else {"code": None}
    if result["code"] != 0:
        raise RuntimeError(proc.stderr)
    return result["kb"]


def measure(root: Path, *args: str) -> tuple[float, int]:
    start = time.perf_counter()
    kb = peak_kb("retarget", str(root), *args, "-q")
    return time.perf_counter() - start, kb // 1024


def case(label: str, files: dict[str, str], scratch: Path) -> None:
    root = scratch / "repo"
    shutil.rmtree(root, ignore_errors=True)
    (root / WF).mkdir(parents=True)
    size = 0
    for name, text in files.items():
        (root / WF / name).write_text(text)
        size += len(text)
    same_t, same_mb = measure(root, "--to", "ubuntu-latest")
    dry_t, dry_mb = measure(root, "--to", "publish")
    write_t, write_mb = measure(root, "--to", "publish", "--write")
    print(f"{label:<22} {size / 1e6:7.1f} MB  unchanged {same_t:6.2f} s {same_mb:5d} MB  "
          f"dry run {dry_t:6.2f} s {dry_mb:5d} MB  --write {write_t:6.2f} s {write_mb:5d} MB", flush=True)


def main() -> None:
    quick = "--quick" in sys.argv
    scratch = Path(tempfile.mkdtemp(prefix="relane-scale-"))
    try:
        for jobs in ((6_000, 24_000) if quick else (6_000, 24_000, 96_000)):
            case(f"1 file, {jobs} jobs", {"big.yml": workflow(jobs)}, scratch)
        small = workflow(2)
        for count in ((1_000, 5_000) if quick else (1_000, 5_000, 20_000)):
            case(f"{count} files", {f"w{n:05}.yml": small for n in range(count)}, scratch)
    finally:
        shutil.rmtree(scratch)


if __name__ == "__main__":
    main()
