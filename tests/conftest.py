"""Shared fixtures: the real-workflow corpus, a repository builder, and a CLI runner."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from relane.cli import main

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("RELANE_CORPUS", ROOT.parent / "shared" / "corpus"))
EXAMPLES = ROOT / "examples"


def corpus_files(folder: str) -> list[Path]:
    """The workflow files of one corpus folder (missing corpus is an error, not a skip)."""
    path = CORPUS / folder
    if not path.is_dir():
        raise RuntimeError(f"corpus folder {path} is missing; set RELANE_CORPUS")
    return sorted(p for p in path.iterdir() if p.suffix in (".yml", ".yaml"))


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
