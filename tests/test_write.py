"""Writing in place: atomic per file, mode and owner kept, symlinks kept
inside the repository, and every failure one clear line with nothing
half-written."""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import relane
from relane.deliver.write import TEMP_SUFFIX, Replacement, WriteError, write_all

OLD = "on: push\njobs:\n  a:\n    runs-on: x\n"
NEW = OLD.replace("runs-on: x", "runs-on: p")
WF = ".github/workflows"


def temps(root: Path) -> list[str]:
    return sorted(p.name for p in root.rglob("*" + TEMP_SUFFIX))


def test_mode_and_owner_are_kept(relane, repo):
    root = repo({"a.yml": OLD})
    file = root / WF / "a.yml"
    os.chmod(file, 0o640)
    os.chown(file, 1234, 5678)
    r = relane("retarget", str(root), "--to", "p", "--write")
    assert r.code == 0, r.err
    st = os.stat(file)
    assert (oct(st.st_mode & 0o7777), st.st_uid, st.st_gid) == ("0o640", 1234, 5678)
    assert file.read_text() == NEW
    assert temps(root) == []


def test_symlink_inside_the_repository_is_edited_at_its_target(relane, repo):
    root = repo({})
    (root / "shared").mkdir()
    (root / "shared/a.yml").write_text(OLD)
    (root / WF).mkdir(parents=True)
    (root / WF / "a.yml").symlink_to("../../shared/a.yml")
    r = relane("retarget", str(root), "--to", "p", "--write")
    assert r.code == 0, r.err
    assert (root / WF / "a.yml").is_symlink()
    assert (root / "shared/a.yml").read_text() == NEW


def test_symlinked_workflow_folder_inside_the_repository_is_followed(relane, repo):
    root = repo({"a.yml": OLD}, folder="ci/workflows")
    (root / ".github").mkdir()
    (root / WF).symlink_to("../ci/workflows")
    r = relane("retarget", str(root), "--to", "p", "--write")
    assert r.code == 0, r.err
    assert (root / "ci/workflows/a.yml").read_text() == NEW


@pytest.mark.parametrize("link", ["file", "folder", "dot-github"])
def test_symlink_leading_outside_the_repository_is_reported_not_read(relane, tmp_path, link):
    outside = tmp_path / "outside"
    (outside / "workflows").mkdir(parents=True)
    (outside / "workflows/a.yml").write_text(OLD)
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    if link == "file":
        (root / WF).mkdir(parents=True)
        (root / WF / "a.yml").symlink_to(outside / "workflows/a.yml")
    elif link == "folder":
        (root / ".github").mkdir()
        (root / WF).symlink_to(outside / "workflows")
    else:
        (root / ".github").symlink_to(outside)
    (root / ".gitea/workflows").mkdir(parents=True)
    (root / ".gitea/workflows/b.yml").write_text(OLD)
    r = relane("retarget", str(root), "--to", "p", "--write", "--format", "json")
    assert r.code == 0, r.err
    real = (outside / "workflows/a.yml").resolve()
    warning = f"warning: .github/workflows/a.yml: leads to {real}, outside the repository; not read"
    assert r.err.splitlines()[-1] == warning
    doc = json.loads(r.out)
    assert doc["files"]["considered"] == [".gitea/workflows/b.yml"]
    assert doc["warnings"] == [
        {"code": "outside-root", "text": f"leads to {real}, outside the repository; not read",
         "workflow": ".github/workflows/a.yml", "job": None, "line": None}
    ]
    assert (outside / "workflows/a.yml").read_text() == OLD
    assert (root / ".gitea/workflows/b.yml").read_text() == NEW
    (root / ".gitea/workflows/b.yml").write_text(OLD)
    r = relane("retarget", str(root), "--to", "p", "--write", "--strict")
    assert r.code == 2
    assert r.err.endswith("relane: error: 1 warning and --strict; nothing written\n")
    assert (root / ".gitea/workflows/b.yml").read_text() == OLD
    # ls and guard do not read it either, and say so.
    r = relane("ls", str(root), "--format", "json")
    assert r.code == 0, r.err
    assert [e["workflow"] for e in json.loads(r.out)] == [".gitea/workflows/b.yml"]
    assert r.err == warning + "\n"
    listing = tmp_path / "runners.json"
    listing.write_text('{"runners": [{"name": "r", "status": "online", "labels": [{"name": "x"}]}]}')
    r = relane("guard", "--from-workflows", str(root), "--runners-json", str(listing), "--format", "json")
    assert r.code == 0, r.err
    assert [c["jobs"] for c in json.loads(r.out)["labels"]] == [[".gitea/workflows/b.yml:a"]]
    assert r.err.splitlines()[0] == warning


def test_named_symlink_file_outside_its_repository_is_not_read(relane, tmp_path):
    (tmp_path / "elsewhere.yml").write_text(OLD)
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    (root / "link.yml").symlink_to(tmp_path / "elsewhere.yml")
    r = relane("retarget", str(root / "link.yml"), "--to", "p", "--write")
    assert r.code == 0
    assert "warning: link.yml: leads to" in r.err
    assert (tmp_path / "elsewhere.yml").read_text() == OLD


# -- a file changed between planning and writing -------------------------------


def test_file_changed_after_planning_is_not_overwritten(repo):
    root = repo({"a.yml": OLD, "b.yml": OLD, "c.yml": OLD})
    plan = relane.plan([root], "p")
    assert [c.path for c in plan.changes] == [f"{WF}/a.yml", f"{WF}/b.yml", f"{WF}/c.yml"]
    (root / WF / "b.yml").write_text(OLD + "# edited meanwhile\n")
    with pytest.raises(WriteError) as info:
        plan.write()
    assert str(info.value) == f"{WF}/b.yml: changed on disk since relane read it; not overwritten"
    assert info.value.written == []
    # Every file is staged before any is replaced: nothing was written.
    assert (root / WF / "a.yml").read_text() == OLD
    assert (root / WF / "b.yml").read_text() == OLD + "# edited meanwhile\n"
    assert temps(root) == []


def test_change_noticed_while_replacing_puts_back_the_files_already_written(tmp_path):
    # The same file planned twice: replacing it the first time is a change
    # the second replacement must notice.
    a, b = tmp_path / "a.yml", tmp_path / "b.yml"
    a.write_text(OLD)
    b.write_text(OLD)
    with pytest.raises(WriteError) as info:
        write_all([
            Replacement(a, NEW.encode(), OLD.encode(), "a.yml"),
            Replacement(b, NEW.encode(), OLD.encode(), "b.yml"),
            Replacement(b, b"other", OLD.encode(), "b.yml"),
        ])
    assert str(info.value) == (
        "b.yml: changed on disk since relane read it; not overwritten (put back as they were: a.yml, b.yml)"
    )
    assert (info.value.written, info.value.restored) == ([], ["a.yml", "b.yml"])
    assert (a.read_text(), b.read_text()) == (OLD, OLD)
    assert temps(tmp_path) == []


# -- refusals: one line, exit 2, nothing written --------------------------------


def _refused(relane, root, message):
    before = {p: p.read_bytes() for p in (root / WF).iterdir()}
    r = relane("retarget", str(root), "--to", "p", "--write")
    assert r.code == 2
    assert r.err == f"relane: error: {message}\n"
    assert {p: p.read_bytes() for p in (root / WF).iterdir()} == before
    assert temps(root) == []


def test_read_only_file_is_refused(relane, repo):
    root = repo({"a.yml": OLD, "b.yml": OLD})
    os.chmod(root / WF / "b.yml", 0o444)
    _refused(relane, root, f"{WF}/b.yml: file is read-only; not written")


def test_read_only_folder_is_refused(relane, repo):
    root = repo({"a.yml": OLD})
    os.chmod(root / WF, 0o555)
    try:
        _refused(relane, root, f"{WF}/a.yml: its folder is read-only; not written")
    finally:
        os.chmod(root / WF, 0o755)


def _attribute(flag: str, name: str):
    """Set a file attribute (chattr +FLAG) on paths; undone after."""
    done = []
    if not shutil.which("chattr"):
        pytest.skip("chattr is not installed")

    def set_(path: Path) -> None:
        if subprocess.run(["chattr", f"+{flag}", str(path)], capture_output=True).returncode:
            pytest.skip(f"this file system or user cannot set the {name} attribute")
        done.append(path)

    yield set_
    for path in done:
        subprocess.run(["chattr", f"-{flag}", str(path)], check=True)


@pytest.fixture
def immutable():
    """Set the immutable attribute (refused even to root) on paths."""
    yield from _attribute("i", "immutable")


@pytest.fixture
def append_only():
    """Set the append-only attribute on paths: a rename over one fails,
    though every check before it passes."""
    yield from _attribute("a", "append-only")


def test_permission_denied_on_the_folder_writes_nothing(relane, repo, immutable):
    root = repo({"a.yml": OLD, "b.yml": OLD})
    immutable(root / WF)
    _refused(relane, root, f"{WF}/a.yml: no permission to write in its folder; not written")


def test_permission_denied_on_a_file_writes_nothing(relane, repo, immutable):
    root = repo({"a.yml": OLD, "b.yml": OLD, "c.yml": OLD})
    immutable(root / WF / "b.yml")
    _refused(relane, root, f"{WF}/b.yml: no permission to write the file; not written")


def test_a_rename_failing_late_puts_back_every_file_already_written(relane, repo, append_only):
    root = repo({"a.yml": OLD, "b.yml": OLD.replace("x", "y"), "c.yml": OLD})
    (root / WF / "b.yml").chmod(0o640)
    before = {p.name: (p.read_bytes(), p.stat().st_mode) for p in (root / WF).iterdir()}
    append_only(root / WF / "c.yml")
    r = relane("retarget", str(root), "--to", "p", "--write")
    assert r.code == 2
    assert r.err == (
        f"relane: error: {WF}/c.yml: cannot write: Operation not permitted "
        f"(put back as they were: {WF}/a.yml, {WF}/b.yml)\n"
    )
    assert {p.name: (p.read_bytes(), p.stat().st_mode) for p in (root / WF).iterdir()} == before
    assert temps(root) == []


def test_hard_links_in_the_folder_are_each_read_and_written(relane, repo):
    root = repo({"a.yml": OLD, "c.yml": OLD})
    os.link(root / WF / "a.yml", root / WF / "b.yml")
    r = relane("retarget", str(root), "--to", "p")
    # git keeps each name as a file of its own: the diff patches each.
    assert [line for line in r.out.splitlines() if line.startswith("diff --git")] == [
        f"diff --git a/{WF}/{n} b/{WF}/{n}" for n in ("a.yml", "b.yml", "c.yml")
    ]
    r = relane("retarget", str(root), "--to", "p", "--write")
    assert r.code == 0, r.err
    assert [(root / WF / n).read_text() for n in ("a.yml", "b.yml", "c.yml")] == [NEW] * 3
    assert relane("retarget", str(root), "--to", "p", "--check").code == 0
    assert temps(root) == []


def test_hard_links_are_put_back_with_their_file(tmp_path, append_only):
    a, b, c = tmp_path / "a.yml", tmp_path / "b.yml", tmp_path / "c.yml"
    a.write_text(OLD)
    c.write_text(OLD)
    os.link(a, b)
    append_only(c)
    with pytest.raises(WriteError) as info:
        write_all([Replacement(x, NEW.encode(), OLD.encode(), x.name) for x in (a, b, c)])
    assert info.value.restored == ["a.yml", "b.yml"]
    assert (a.read_text(), b.read_text()) == (OLD, OLD)


def test_a_hard_link_outside_the_workflow_folders_is_refused(relane, repo):
    root = repo({"a.yml": OLD, "c.yml": OLD})
    os.link(root / WF / "a.yml", root / "elsewhere.yml")
    _refused(
        relane,
        root,
        f"{WF}/a.yml: has 1 more hard link(s) that this run does not change (not selected, or outside the "
        "workflow folders); replacing it would leave them with the old text; not written",
    )
    assert (root / "elsewhere.yml").read_text() == OLD


def _run_cli(args, **kwargs):
    return subprocess.run(
        [sys.executable, "-c", "import sys; from relane.cli.app import main; sys.exit(main())", *args],
        capture_output=True, text=True, timeout=120, **kwargs,
    )


def test_file_size_limit_writes_nothing(repo):
    # RLIMIT_FSIZE makes the kernel refuse the write (EFBIG) as a full disk
    # would (ENOSPC); SIGXFSZ is ignored so the write fails instead of
    # killing the process.
    big = OLD + "# " + "x" * 100_000 + "\n"
    root = repo({"a.yml": OLD, "big.yml": big})

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))

    proc = _run_cli(["retarget", str(root), "--to", "p", "--write"], preexec_fn=limit)
    assert proc.returncode == 2
    assert proc.stderr == f"relane: error: {WF}/big.yml: cannot write: File too large\n"
    assert (root / WF / "a.yml").read_text() == OLD
    assert (root / WF / "big.yml").read_text() == big
    assert temps(root) == []


@pytest.fixture
def tmpfs(tmp_path):
    """A small tmpfs mounted for the test (skipped where mounting is not allowed)."""
    mounted = []

    def mount(size: str, name: str = "fs") -> Path:
        where = tmp_path / name
        where.mkdir()
        proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
        if proc.returncode:
            pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.decode().strip()}")
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", str(where)], check=True)


def test_full_disk_writes_nothing(relane, tmpfs):
    root = tmpfs("64k")
    (root / WF).mkdir(parents=True)
    files = {f"w{i}.yml": OLD + "# " + "x" * 9_000 + "\n" for i in range(4)}
    for name, text in files.items():
        (root / WF / name).write_text(text)
    r = relane("retarget", str(root), "--to", "p", "--write")
    assert r.code == 2
    assert r.err.startswith("relane: error: .github/workflows/w")
    assert r.err.endswith(".yml: cannot write: No space left on device\n")
    assert {n: (root / WF / n).read_text() for n in files} == files
    assert temps(root) == []


def test_read_only_file_system_is_refused(relane, tmpfs):
    root = tmpfs("1m")
    (root / WF).mkdir(parents=True)
    (root / WF / "a.yml").write_text(OLD)
    subprocess.run(["mount", "-o", "remount,ro", str(root)], check=True)
    r = relane("retarget", str(root), "--to", "p", "--write")
    assert r.code == 2
    assert r.err == f"relane: error: {WF}/a.yml: on a read-only file system; not written\n"


# -- temporary files -------------------------------------------------------------


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_stale_temporary_files_are_removed_and_never_read_as_workflows(relane, repo):
    root = repo({"a.yml": OLD})
    stale = root / WF / f".a.yml.{_dead_pid()}.k2j4h5g6{TEMP_SUFFIX}"
    stale.write_text("half written: [")
    live = root / WF / f".a.yml.{os.getppid()}.abcdefgh{TEMP_SUFFIX}"
    live.write_text("another run's")
    r = relane("retarget", str(root), "--to", "p", "--format", "json")
    assert json.loads(r.out)["files"]["considered"] == [f"{WF}/a.yml"]
    assert not stale.name.endswith((".yml", ".yaml"))
    r = relane("retarget", str(root), "--to", "p", "--write")
    assert r.code == 0, r.err
    assert not stale.exists()
    assert live.exists()


# -- killed at any moment ----------------------------------------------------------


def _workflow(i: int) -> str:
    style = i % 4
    if style == 0:
        return f"on: push\njobs:\n  j{i}:\n    runs-on: ubuntu-latest\n    steps: [{{run: echo {i}}}]\n"
    if style == 1:
        return f"on: push\r\njobs:\r\n  j{i}:\r\n    runs-on: [self-hosted, linux]  # {i}\r\n"
    if style == 2:
        return f"on: pull_request\njobs:\n  j{i}:\n    runs-on: ubuntu-latest\n"  # excluded
    return f"on: push\njobs:\n  j{i}:\n    runs-on:\n      - 'old'\n      - x{i}\n"


def _expected(i: int) -> str:
    old = _workflow(i)
    style = i % 4
    if style == 0:
        return old.replace("ubuntu-latest", "publish")
    if style == 1:
        return old.replace("[self-hosted, linux]", "publish")
    if style == 2:
        return old
    return old.replace(f"\n      - 'old'\n      - x{i}\n", " 'publish'\n")


@pytest.fixture
def fast_folder(tmp_path):
    """A folder in memory (/dev/shm) where there is one, else ``tmp_path``.

    A killed process leaves the same files on any file system; memory just
    spares the test a disk's fsync times over thousands of files.
    """
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="relane-test-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


@pytest.mark.slow
def test_killed_at_random_moments_every_file_is_old_or_new(fast_folder):
    n = 2000
    root = fast_folder / "repo"
    (root / WF).mkdir(parents=True)
    args = ["retarget", str(root), "--to", "publish", "--not-on", "pull_request", "--write", "-q"]
    cmd = [sys.executable, "-c", "import sys; from relane.cli.app import main; sys.exit(main())", *args]

    def reset():
        for i in range(n):
            (root / WF / f"w{i:05}.yml").write_bytes(_workflow(i).encode())

    def states() -> tuple[int, int]:
        old = new = 0
        for i in range(n):
            data = (root / WF / f"w{i:05}.yml").read_bytes().decode()
            if data == _workflow(i) == _expected(i):
                continue  # a pull_request workflow, never changed
            if data == _expected(i):
                new += 1
            elif data == _workflow(i):
                old += 1
            else:
                raise AssertionError(f"w{i:05}.yml is neither its old nor its new text: {data!r}")
        return old, new

    reset()
    start = time.monotonic()
    subprocess.run(cmd, check=True, timeout=300)
    whole = time.monotonic() - start
    assert states() == (0, 3 * n // 4)

    rng = random.Random(5)
    first = root / WF / "w00000.yml"

    def staging() -> bool:
        return bool(temps(root))

    def replacing() -> bool:
        return first.read_bytes() != _workflow(0).encode()

    seen = []
    for when in ("planning", "staging", "replacing", "replacing"):
        reset()
        proc = subprocess.Popen(cmd)
        if when == "planning":
            time.sleep(rng.uniform(0.05, 0.3) * whole)
        else:
            # Kill at a random moment of the phase: poll for its first sign.
            until = time.monotonic() + 60
            while not (staging() if when == "staging" else replacing()) and time.monotonic() < until:
                pass
            time.sleep(rng.uniform(0, 0.01))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        old, new = states()
        seen.append((when, new, len(temps(root))))
        # The next run finishes the job and clears what the killed one left.
        subprocess.run(cmd, check=True, timeout=300)
        assert states() == (0, 3 * n // 4)
        assert temps(root) == []
    print("killed runs (phase, files already new, temporary files left):", seen)
    # Some kill landed while files were being replaced, some while staged.
    assert any(0 < new < 3 * n // 4 for _, new, _ in seen)
    assert any(left for _, _, left in seen)
