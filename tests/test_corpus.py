"""Every real workflow of the corpus, retargeted as a whole repository.

Each corpus folder becomes one repository (its files in
``.github/workflows/``) and every statically labelled job moves to a new
label, through the real command line, as a user would run it. Then, file by
file:

(a) the output reads, to ruamel.yaml's independent YAML 1.2 parser, as the
    original with exactly the moved jobs' runs-on replaced, and the moved
    jobs are exactly those whose runs-on that parser sees as fixed labels;
(b) no line outside the moved runs-on values changed;
(c) a second run changes nothing;
(d) ``git apply`` of the printed diff gives the bytes ``--write`` wrote, and
    the diff parsed back with ``unidiff`` rebuilds them too.

Files that are not valid YAML must each give one line of error and exit 2,
writing nothing. Failures name their files.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import unidiff

import yaml12
from conftest import corpus_files
from relane import InputError, Source, load
from relane.read.tree import content_end

TARGET = "relane-corpus-lane"
WORKFLOWS = ".github/workflows"
ERROR_LINE = re.compile(r"relane: error: (?P<path>[^:\n]+):\d+:\d+: \S[^\n]*\n\Z")


def relane_process(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``relane ARGS`` as a whole process."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from relane.cli.app import main; sys.exit(main())", *map(str, args)],
        capture_output=True,
        cwd=cwd,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def _chunks(items: list, n: int) -> list[list]:
    return [items[i::n] for i in range(n)]


class Independent:
    """ruamel.yaml readings of many files, spread over worker processes."""

    def __init__(self) -> None:
        self.workers = max(1, min(4, os.cpu_count() or 1))
        self.pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))

    def submit(self, items: list[tuple[str, bytes]]):
        # Biggest first, dealt round-robin, so the workers finish together.
        items = sorted(items, key=lambda item: -len(item[1]))
        return [self.pool.submit(yaml12.read_many, chunk) for chunk in _chunks(items, self.workers)]

    @staticmethod
    def gather(futures) -> dict[str, object]:
        return {name: result for future in futures for name, result in future.result()}

    def close(self) -> None:
        self.pool.shutdown()


@dataclass
class FolderRun:
    """One corpus folder retargeted as one repository, and what came out."""

    folder: str
    original: dict[str, bytes]  # repository path -> bytes, every file
    rejected: dict[str, str]  # path -> relane's message (files relane refuses)
    invalid: dict[str, str]  # path -> ruamel.yaml's message (files that are not YAML)
    errors: dict[str, tuple[int, str, str, bool]] = field(default_factory=dict)
    diff: str = ""
    report: dict = field(default_factory=dict)
    written: dict[str, bytes] = field(default_factory=dict)
    applied: dict[str, bytes] = field(default_factory=dict)
    second: dict = field(default_factory=dict)
    second_code: int = -1
    old: dict[str, object] = field(default_factory=dict)  # path -> (shape, static jobs) | message
    new: dict[str, object] = field(default_factory=dict)

    @property
    def accepted(self) -> list[str]:
        return [p for p in self.original if p not in self.rejected]

    def moved(self) -> dict[str, dict[str, object]]:
        """path -> {job id: runs-on after}, from the run's JSON report."""
        out: dict[str, dict[str, object]] = {}
        for job in self.report["jobs"]:
            if job["outcome"] == "moved":
                out.setdefault(job["workflow"], {})[job["job"]] = job["after"]
        return out


def _snapshot(root: Path) -> dict[str, bytes]:
    folder = root / WORKFLOWS
    return {f"{WORKFLOWS}/{f.name}": f.read_bytes() for f in sorted(folder.iterdir())}


def _make_repo(root: Path, files: dict[str, bytes]) -> Path:
    (root / WORKFLOWS).mkdir(parents=True)
    for path, data in files.items():
        (root / path).write_bytes(data)
    return root


def _rejected_by_relane(files: dict[str, bytes]) -> dict[str, str]:
    """Files relane refuses to read, found file by file with the library."""
    out = {}
    for path, data in files.items():
        try:
            load(Source.from_bytes(data, path), require_mapping=False)
        except InputError as exc:
            out[path] = str(exc)
    return out


def _run_folder(folder: str, base: Path, independent: Independent) -> FolderRun:
    original = {f"{WORKFLOWS}/{f.name}": f.read_bytes() for f in corpus_files(folder)}
    old_futures = independent.submit(list(original.items()))
    rejected = _rejected_by_relane(original)
    run = FolderRun(folder, original, rejected, {})

    # Each file relane refuses, alone, through the command line.
    for path in rejected:
        alone = _make_repo(base / "rejected" / Path(path).name, {path: original[path]})
        r = relane_process("retarget", alone, "--to", TARGET, "--write")
        unchanged = (alone / path).read_bytes() == original[path]
        run.errors[path] = (r.returncode, r.stdout.decode(), r.stderr.decode(), unchanged)

    accepted = {p: original[p] for p in run.accepted}
    dry = _make_repo(base / "dry", accepted)
    r = relane_process("retarget", dry, "--to", TARGET)
    assert r.returncode == 0, r.stderr.decode()
    run.diff = r.stdout.decode("utf-8")
    r = relane_process("retarget", dry, "--to", TARGET, "--format", "json")
    assert r.returncode == 0, r.stderr.decode()
    run.report = json.loads(r.stdout)
    assert _snapshot(dry) == accepted, "a dry run wrote files"

    wet = _make_repo(base / "write", accepted)
    r = relane_process("retarget", wet, "--to", TARGET, "--write", "-q")
    assert (r.returncode, r.stdout, r.stderr) == (0, b"", b"")
    run.written = _snapshot(wet)

    r = relane_process("retarget", wet, "--to", TARGET, "--format", "json", "--check")
    run.second_code = r.returncode
    run.second = json.loads(r.stdout)

    applied = _make_repo(base / "apply", accepted)
    (base / "printed.diff").write_text(run.diff, encoding="utf-8", newline="")
    r = subprocess.run(
        ["git", "apply", "--whitespace=nowarn", str(base / "printed.diff")],
        cwd=applied,
        capture_output=True,
    )
    assert r.returncode == 0, r.stderr.decode()
    run.applied = _snapshot(applied)

    changed = [p for p in run.written if run.written[p] != accepted[p]]
    new_futures = independent.submit([(p, run.written[p]) for p in changed])
    run.old = independent.gather(old_futures)
    run.new = independent.gather(new_futures)
    run.invalid = {p: v for p, v in run.old.items() if isinstance(v, str)}
    return run


@pytest.fixture(scope="module")
def independent():
    pool = Independent()
    yield pool
    pool.close()


@pytest.fixture(scope="module", params=["wild", "testdata"])
def corpus_run(request, tmp_path_factory, independent) -> FolderRun:
    base = tmp_path_factory.mktemp(request.param)
    return _run_folder(request.param, base, independent)


def _report(failures: dict[str, str], limit: int = 12) -> str:
    shown = "\n".join(f"{path}: {why}" for path, why in list(failures.items())[:limit])
    more = f"\n... and {len(failures) - limit} more" if len(failures) > limit else ""
    return f"{len(failures)} file(s):\n{shown}{more}"


@pytest.mark.slow
def test_every_job_is_considered_and_static_ones_move(corpus_run: FolderRun):
    """(a, first half) The moved jobs are exactly the statically labelled ones."""
    jobs = corpus_run.report["jobs"]
    assert {j["outcome"] for j in jobs} <= {"moved", "skipped"}, "nothing is excluded without a selector"
    assert corpus_run.report["files"]["considered"] == corpus_run.accepted
    moved = corpus_run.moved()
    failures = {}
    for path in corpus_run.accepted:
        reading = corpus_run.old[path]
        if isinstance(reading, str):
            continue
        static = {job for job, is_static in reading[1].items() if is_static}
        got = set(moved.get(path, {}))
        if static != got:
            failures[path] = f"static per ruamel.yaml {sorted(static - got)} not moved; moved but not static {sorted(got - static)}"
    assert not failures, _report(failures)
    assert sum(map(len, moved.values())) > 0


@pytest.mark.slow
def test_output_reads_as_intended(corpus_run: FolderRun):
    """(a) The rewrite's data is the original's with exactly the moved runs-on replaced."""
    failures = {}
    moved = corpus_run.moved()
    for path in corpus_run.accepted:
        before, after = corpus_run.original[path], corpus_run.written[path]
        jobs = moved.get(path, {})
        if not jobs:
            if before != after:
                failures[path] = "changed, but no job moved"
            continue
        if path in corpus_run.invalid:
            failures[path] = f"relane moved jobs in a file that is not valid YAML: {corpus_run.invalid[path]}"
            continue
        bad_after = {j: a for j, a in jobs.items() if a not in (TARGET, [TARGET])}
        if bad_after:
            failures[path] = f"runs-on after the move is not the target: {bad_after}"
            continue
        new = corpus_run.new.get(path)
        if new is None:
            failures[path] = "jobs moved but the file did not change"
        elif isinstance(new, str):
            failures[path] = f"rewrite is not valid YAML to ruamel.yaml: {new}"
        elif new[0] != yaml12.replace_runs_on(corpus_run.old[path][0], jobs):
            failures[path] = "rewrite does not read as the original with the moved runs-on replaced"
    assert not failures, _report(failures)


def _runs_on_lines(text: str, path: str, jobs) -> list[tuple[int, int]]:
    """0-based first and last line of each named job's runs-on (key to value end)."""
    source = Source(path, text)
    workflow = load(source, require_mapping=False)
    spans = []
    for job in workflow.jobs:
        if job.id in jobs:
            key = job.node.key_node("runs-on")
            spans.append((source.line_index(key.start), source.line_index(content_end(job.runs_on.node))))
    return sorted(spans)


@pytest.mark.slow
def test_nothing_changes_outside_moved_runs_on(corpus_run: FolderRun):
    """(b) Every line outside the moved runs-on values is byte-identical."""
    failures = {}
    for path, jobs in corpus_run.moved().items():
        before, after = corpus_run.original[path], corpus_run.written[path]
        if before.startswith(b"\xef\xbb\xbf") != after.startswith(b"\xef\xbb\xbf"):
            failures[path] = "byte-order mark added or lost"
            continue
        old_spans = _runs_on_lines(before.decode("utf-8-sig"), path, jobs)
        new_spans = _runs_on_lines(after.decode("utf-8-sig"), path, jobs)
        old_lines = re.split(b"(?<=\n)", before)
        new_lines = re.split(b"(?<=\n)", after)
        if len(old_spans) != len(jobs) or len(new_spans) != len(jobs):
            failures[path] = "moved jobs' runs-on not found before and after"
            continue
        o = n = 0
        for (o_first, o_last), (n_first, n_last) in zip(old_spans + [(len(old_lines), 0)], new_spans + [(len(new_lines), 0)]):
            if old_lines[o:o_first] != new_lines[n:n_first]:
                failures[path] = f"line(s) {o + 1}-{o_first} changed, outside every moved runs-on"
                break
            o, n = o_last + 1, n_last + 1
    assert not failures, _report(failures)


@pytest.mark.slow
def test_second_run_changes_nothing(corpus_run: FolderRun):
    """(c) Idempotence: on the written files the same command has nothing to do."""
    second = corpus_run.second
    assert corpus_run.second_code == 0
    assert second["diff"] == ""
    assert second["files"]["changed"] == []
    first = {(j["workflow"], j["job"]): j for j in corpus_run.report["jobs"]}
    failures = {}
    for job in second["jobs"]:
        before = first[(job["workflow"], job["job"])]
        want = "already" if before["outcome"] == "moved" else before["outcome"]
        if job["outcome"] != want:
            failures[f"{job['workflow']}:{job['job']}"] = f"second run: {job['outcome']} ({job['reason']}), want {want}"
    assert len(second["jobs"]) == len(first)
    assert not failures, _report(failures)


@pytest.mark.slow
def test_printed_diff_applies_to_the_written_bytes(corpus_run: FolderRun):
    """(d) ``git apply`` of the dry run's diff gives exactly what ``--write`` wrote."""
    assert corpus_run.report["diff"] == corpus_run.diff
    failures = {p: "git apply gives other bytes than --write" for p in corpus_run.written if corpus_run.applied[p] != corpus_run.written[p]}
    assert not failures, _report(failures)
    changed = [p for p in corpus_run.accepted if corpus_run.written[p] != corpus_run.original[p]]
    assert corpus_run.report["files"]["changed"] == changed


def _patch(old: bytes, patched: unidiff.PatchedFile) -> bytes:
    """``old`` with the hunks of one file of a parsed diff applied."""
    lines = re.split(b"(?<=\n)", old)
    if lines[-1] == b"":
        lines.pop()
    out: list[bytes] = []
    pos = 0
    for hunk in patched:
        start = hunk.source_start - 1 if hunk.source_length else hunk.source_start
        out.extend(lines[pos:start])
        pos = start
        for line in hunk:
            text = line.value.encode("utf-8")
            if line.is_context or line.is_removed:
                assert lines[pos].rstrip(b"\n") == text.rstrip(b"\n"), f"hunk does not match line {pos + 1}"
                if line.is_context:
                    out.append(lines[pos])
                pos += 1
            if line.is_added:
                out.append(text)
    out.extend(lines[pos:])
    data = b"".join(out)
    return data


@pytest.mark.slow
def test_printed_diff_parses_back(corpus_run: FolderRun):
    """(d) The diff is a well-formed git diff that rebuilds every written file."""
    patch = unidiff.PatchSet(corpus_run.diff)
    changed = [p for p in corpus_run.accepted if corpus_run.written[p] != corpus_run.original[p]]
    assert [f.path for f in patch] == changed
    failures = {}
    for patched in patch:
        path = patched.path
        if (patched.source_file, patched.target_file) != (f"a/{path}", f"b/{path}"):
            failures[path] = f"header names {patched.source_file}, {patched.target_file}"
            continue
        try:
            rebuilt = _patch(corpus_run.original[path], patched)
        except AssertionError as exc:
            failures[path] = str(exc)
            continue
        written = corpus_run.written[path]
        # unidiff keeps "\ No newline at end of file" as a marker, not a line
        # break: the last added line then carries no break of its own.
        if rebuilt != written and not (rebuilt.endswith(b"\n") and rebuilt[:-1] == written):
            failures[path] = "the parsed diff rebuilds other bytes than --write wrote"
    assert not failures, _report(failures)


@pytest.mark.slow
def test_files_that_are_not_yaml_give_one_line_and_exit_2(corpus_run: FolderRun):
    """Every file relane refuses is one that is not valid YAML, and back; each
    gives one error line naming it, exit 2, and nothing written."""
    assert set(corpus_run.rejected) == set(corpus_run.invalid), (
        f"relane refuses {sorted(set(corpus_run.rejected) - set(corpus_run.invalid))} that ruamel.yaml reads; "
        f"ruamel.yaml refuses {sorted(set(corpus_run.invalid) - set(corpus_run.rejected))} that relane reads"
    )
    failures = {}
    for path, (code, out, err, unchanged) in corpus_run.errors.items():
        m = ERROR_LINE.match(err)
        if code != 2 or out or not m or m["path"] != path or not unchanged:
            failures[path] = f"exit {code}, stdout {out!r}, stderr {err!r}, unchanged {unchanged}"
    assert not failures, _report(failures)


INVALID = corpus_files("invalid")


@pytest.mark.parametrize("file", INVALID, ids=[f.name for f in INVALID])
@pytest.mark.parametrize("how", ["in-repository", "named"])
def test_invalid_files_error_in_one_line(file: Path, how: str, relane, repo):
    data = file.read_bytes()
    root = repo({file.name: data})
    path = root / WORKFLOWS / file.name
    target = root if how == "in-repository" else path
    for mode in ((), ("--write",), ("--check",), ("--format", "json")):
        r = relane("retarget", str(target), "--to", TARGET, *mode)
        assert r.code == 2, r
        assert r.out == ""
        m = ERROR_LINE.match(r.err)
        assert m, r.err
        assert m["path"] == f"{WORKFLOWS}/{file.name}"
        assert path.read_bytes() == data
        assert list(path.parent.iterdir()) == [path]


def test_invalid_folder_is_what_ruamel_refuses_too():
    """The invalid corpus is invalid to an independent parser as well."""
    readings = yaml12.read_many([(f.name, f.read_bytes()) for f in INVALID])
    assert all(isinstance(result, str) for _, result in readings), readings
