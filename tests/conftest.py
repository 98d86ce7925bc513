"""Shared fixtures: the real-workflow corpus, a repository builder, and a CLI runner."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from relane.cli.app import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("RELANE_CORPUS", ROOT.parent / "shared" / "corpus"))
EXAMPLES = ROOT / "examples"


CORPUS_MISSING = f"the workflow corpus is not at {CORPUS}; set RELANE_CORPUS to its folder"
needs_corpus = pytest.mark.skipif(not (CORPUS / "wild").is_dir(), reason=CORPUS_MISSING)


def corpus_files(folder: str, *, missing_ok: bool = False) -> list[Path]:
    """The workflow files of one corpus folder.

    Without the corpus (a checkout on its own) the tests that read it are
    skipped, loudly: the end of the run names what was left out, and
    ``.ci/run`` refuses to run without it. ``missing_ok`` gives an empty
    list instead, for module-level data of tests marked ``needs_corpus``.
    """
    path = CORPUS / folder
    if not path.is_dir():
        if missing_ok:
            return []
        pytest.skip(CORPUS_MISSING, allow_module_level=True)
    return sorted(p for p in path.iterdir() if p.suffix in (".yml", ".yaml"))


def pytest_terminal_summary(terminalreporter):
    if not (CORPUS / "wild").is_dir():
        terminalreporter.write_line(f"NOTE: corpus tests skipped: {CORPUS_MISSING}", yellow=True, bold=True)


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def relane(capfd):
    """Run the ``relane`` command line in-process; returns code, stdout, stderr."""

    def run(*args: str) -> Result:
        code = main(list(args))
        captured = capfd.readouterr()
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def repo(tmp_path):
    """A repository root with the given workflow files: repo({"ci.yml": "..."})."""

    def make(files: dict[str, str | bytes], folder: str = ".github/workflows") -> Path:
        for name, content in files.items():
            path = tmp_path / folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, str):
                content = content.encode()
            path.write_bytes(content)
        return tmp_path

    return make
