"""Coverage-guided fuzzing of relane with atheris (libFuzzer for Python).

    pip install atheris
    python fuzz/atheris_relane.py -atheris_runs=1000000 [CORPUS_DIR...]

With no corpus folder it seeds itself from ``../shared/corpus`` (or
``$RELANE_CORPUS``). Each input's first byte picks the codemod, the rest is
the file. Anything but a clean run or a one-line input error is a crash:
libFuzzer stops and writes the input to ``crash-*``. The target is
``tests/fuzz_target.py``, which the test suite runs on a smaller scale.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

import atheris  # noqa: E402

with atheris.instrument_imports():
    import relane  # noqa: F401
    import yaml  # noqa: F401
    from fuzz_target import check  # noqa: E402


def one_input(data: bytes) -> None:
    if data:
        check(data[1:], data[0])


def seeds() -> str:
    """A folder of seed inputs (corpus files with a codemod byte in front)."""
    corpus = Path(os.environ.get("RELANE_CORPUS", HERE.parents[1] / "shared" / "corpus"))
    out = Path(tempfile.mkdtemp(prefix="relane-fuzz-"))
    n = 0
    for folder in ("wild", "testdata", "invalid"):
        for path in sorted((corpus / folder).glob("*.y*ml")):
            data = path.read_bytes()
            if len(data) <= 64_000:
                (out / f"{n:05}").write_bytes(bytes([n % 8]) + data)
                n += 1
    return str(out)


def main() -> None:
    args = list(sys.argv)
    if not any(not a.startswith("-") for a in args[1:]):
        args.append(seeds())
    atheris.Setup(args, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
