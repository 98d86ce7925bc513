"""Write planned files in place, atomically, only if they are still as read.

Writing happens in two phases. First every new file is written next to its
original as a temporary file, flushed to disk and given the original's mode
and owner; a failure there (a full disk, a permission) removes the
temporary files and leaves every original untouched. Then each temporary
file is renamed over its original, which a reader sees as the old bytes or
the new, never a mix: a run killed at any moment leaves each file whole.

Temporary names start with a dot and end in :data:`TEMP_SUFFIX`, so no
forge and no later run mistakes one for a workflow; a later run removes
those whose process is gone.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from relane.errors import InputError, RelaneError

TEMP_SUFFIX = ".relane-tmp"
_POSIX = os.name == "posix"
_TEMP_NAME = re.compile(r"\..+\.(\d+)\.[A-Za-z0-9_]+" + re.escape(TEMP_SUFFIX) + r"\Z")


class WriteError(RelaneError):
    """Writing stopped; ``written`` lists the files left replaced (a failed
    write puts back those it had replaced: ``restored`` lists them)."""

    def __init__(
        self, message: str, path: str | None, written: Sequence[str], restored: Sequence[str] = ()
    ):
        if restored:
            message += f" (put back as they were: {', '.join(restored)})"
        if written:
            message += f" (already written: {', '.join(written)})"
        super().__init__(message, path)
        self.written = list(written)
        self.restored = list(restored)


@dataclass(frozen=True)
class Replacement:
    """New bytes for ``target``, planned from ``expected``; ``path`` is what
    errors show."""

    target: Path
    data: bytes
    expected: bytes | None
    path: str


class RealPaths:
    """Where files really are, resolving each folder once (a run may read
    tens of thousands of files from a handful of folders)."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}
        self._roots: dict[Path, str] = {}
        # The last file asked about, and where it is (a run asks a few times in a row).
        self._last: tuple[str, str] = ("", "")

    def __call__(self, file: Path) -> Path:
        return Path(self.real(file))

    def real(self, file: Path | str) -> str:
        """``file``'s real, absolute path, as a string."""
        name = os.fspath(file)
        if self._last[0] == name:
            return self._last[1]
        real = self._real(name)
        self._last = (name, real)
        return real

    def _real(self, file: str) -> str:
        if os.path.islink(file):
            return os.path.realpath(file)
        folder, name = os.path.split(file)
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = os.path.realpath(folder)
        return os.path.join(real, name)

    def _root(self, root: Path) -> str:
        """``root``'s real path, ending in a separator."""
        real_root = self._roots.get(root)
        if real_root is None:  # the whole path: a root may be written "ops/.."
            real_root = os.path.realpath(root)
            self._roots[root] = real_root = real_root if real_root.endswith(os.sep) else real_root + os.sep
        return real_root

    def inside(self, file: Path, root: Path) -> bool:
        """Whether ``file`` really lies in ``root``, symlinks followed."""
        real_root, real = self._root(root), self.real(file)  # real, absolute, normalised
        return real.startswith(real_root) or real + os.sep == real_root

    def relative(self, file: Path, root: Path) -> str | None:
        """Where ``file`` really lies under ``root`` (forward slashes), or
        ``None`` outside it."""
        if not self.inside(file, root):
            return None
        real, real_root = self.real(file), self._root(root)
        if not real.startswith(real_root):
            return "."  # ``file`` is the root itself
        rest = real[len(real_root):]
        return rest if os.sep == "/" else rest.replace(os.sep, "/")


def outside_root(file: Path, root: Path, real: RealPaths) -> str | None:
    """Why ``file`` is not to be read as part of ``root`` (it leads outside
    it through a symlink), or ``None``."""
    if real.inside(file, root):
        return None
    return f"leads to {real(file)}, outside the repository; not read"


def inside_roots(files: Iterable, warnings: list[str] | None = None) -> Iterator:
    """The workflow files of ``files`` that stay inside their repository
    root; ``warnings`` (when given) gets a line for each one left out."""
    real = RealPaths()
    for wf in files:
        outside = outside_root(wf.file, wf.root, real)
        if outside:
            if warnings is not None:
                warnings.append(f"{wf.path}: {outside}")
            continue
        yield wf


def check_target(file: Path, root: Path, path: str, real: RealPaths | None = None) -> Path:
    """The real file to replace for ``file``; refuses one outside ``root``.

    Symlinks anywhere on the way (the file, its folder, ``.github``) are
    followed, but only to a file inside the repository root.
    """
    real = real or RealPaths()
    target = real(file)
    if not real.inside(file, root):
        raise InputError(f"resolves to {target}, outside the repository; not written", path)
    return target


def write_all(replacements: Iterable[Replacement]) -> list[str]:
    """Replace each target with its data, all or (short of a crash) nothing.

    Every target must still hold its ``expected`` bytes. A file with hard
    links must have each of its names among the targets (a rename replaces
    one name only); one with a name elsewhere is refused. Returns the paths
    written. Raises :class:`WriteError` naming the file that failed; should
    a rename fail after others succeeded, the files already replaced are put
    back from their planned originals, and the error names them.
    """
    replacements = list(replacements)
    stats = [_check_writable(r) for r in replacements]
    _check_hard_links(replacements, stats)
    for folder in {r.target.parent for r in replacements}:
        remove_stale_temps(folder)
    staged = _stage_all(replacements)
    done: list[int] = []
    try:
        for i, (r, tmp, before) in enumerate(staged):
            if _moved(r.target, before):
                raise WriteError("changed on disk since relane read it; not overwritten", r.path, [])
            try:
                os.replace(tmp, r.target)
            except OSError as exc:
                raise WriteError(f"cannot write: {_reason(exc)}", r.path, []) from None
            done.append(i)
    except BaseException as exc:
        _discard(tmp for _, tmp, _ in staged[len(done) :])
        put_back, left = _restore([(staged[i][0], staged[i][2]) for i in reversed(done)])
        if isinstance(exc, WriteError):
            raise WriteError(str(exc.message), exc.path, left, put_back) from None
        raise
    for folder in {r.target.parent for r in replacements}:
        _fsync_dir(folder)
    return [r.path for r in replacements]


def _check_hard_links(replacements: list[Replacement], stats: list[os.stat_result]) -> None:
    """Refuse a file with a hard link outside ``replacements``: replacing the
    file by a rename gives its name a new file and leaves the other names
    with the old text."""
    names = Counter((st.st_dev, st.st_ino) for st in stats)
    for r, st in zip(replacements, stats, strict=True):
        others = st.st_nlink - names[st.st_dev, st.st_ino]
        if others > 0:
            raise WriteError(
                f"has {others} more hard link(s) that this run does not change (not selected, or outside the "
                "workflow folders); replacing it would leave them with the old text; not written",
                r.path,
                [],
            )


def _restore(done: list[tuple[Replacement, os.stat_result]]) -> tuple[list[str], list[str]]:
    """Put each replaced target back from the bytes it was planned from;
    returns the paths put back and those that could not be."""
    put_back: list[str] = []
    left: list[str] = []
    for r, before in done:
        if r.expected is None:
            left.append(r.path)
            continue
        created: list[str] = []
        try:
            os.replace(_stage(replace(r, data=r.expected), before, created), r.target)
        except (OSError, WriteError):
            _discard(created)
            left.append(r.path)
        else:
            put_back.append(r.path)
    return put_back[::-1], left[::-1]


_THREADS = 16


def _stage_all(replacements: list[Replacement]) -> list[tuple[Replacement, str, os.stat_result]]:
    """Check and stage every replacement; on any failure (or an interrupt),
    remove every temporary file and raise the first failure in order.

    Threads overlap the waits for the disk (``fsync`` releases the GIL):
    over thousands of files that is several times faster.
    """
    created: list[str] = []  # list.append is atomic: threads share it

    def one(r: Replacement):
        try:
            current = _unchanged(r)
            tmp = _stage(r, current, created)
            return r, tmp, current
        except BaseException as exc:  # handed back, raised below in order
            return exc

    try:
        if len(replacements) < 2 * _THREADS:
            outcomes = [one(r) for r in replacements]
        else:
            from concurrent.futures import ThreadPoolExecutor

            pool = ThreadPoolExecutor(_THREADS)
            try:
                outcomes = list(pool.map(one, replacements))
            finally:
                pool.shutdown(wait=True, cancel_futures=True)
        for outcome in outcomes:
            if isinstance(outcome, BaseException):
                raise outcome
    except BaseException:
        _discard(created)
        raise
    return outcomes


def _check_writable(r: Replacement) -> os.stat_result:
    """Refuse, before anything is written, what the write would trip on;
    returns the target's status."""
    try:
        st = os.stat(r.target)
        folder = os.stat(r.target.parent)
        read_only_fs = _POSIX and bool(os.statvfs(r.target.parent).f_flag & os.ST_RDONLY)
    except OSError as exc:
        raise WriteError(f"cannot write: {_reason(exc)}", r.path, []) from None
    if not stat.S_ISREG(st.st_mode):
        raise WriteError("not a regular file; not written", r.path, [])
    if read_only_fs:
        raise WriteError("on a read-only file system; not written", r.path, [])
    # Write bits say "read-only" to root as well: respect them.
    if not st.st_mode & 0o222:
        raise WriteError("file is read-only; not written", r.path, [])
    if not folder.st_mode & 0o222:
        raise WriteError("its folder is read-only; not written", r.path, [])
    if not os.access(r.target, os.W_OK):
        raise WriteError("no permission to write the file; not written", r.path, [])
    if not os.access(r.target.parent, os.W_OK | os.X_OK):
        raise WriteError("no permission to write in its folder; not written", r.path, [])
    return st


def _unchanged(r: Replacement) -> os.stat_result:
    """The target's status, after checking it still holds the planned bytes."""
    try:
        with open(r.target, "rb") as handle:
            st = os.fstat(handle.fileno())
            current = handle.read() if r.expected is not None else None
    except OSError as exc:
        raise WriteError(f"cannot read before writing: {_reason(exc)}", r.path, []) from None
    if current is not None and current != r.expected:
        raise WriteError("changed on disk since relane read it; not overwritten", r.path, [])
    return st


def _stage(r: Replacement, st: os.stat_result, created: list[str]) -> str:
    """Write ``r.data`` to a synced temporary file beside the target with the
    target's mode and owner; returns its path (also added to ``created``)."""
    import tempfile  # only runs that write pay for it

    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{r.target.name}.{os.getpid()}.", suffix=TEMP_SUFFIX, dir=r.target.parent
        )
    except OSError as exc:
        raise WriteError(f"cannot write: {_reason(exc)}", r.path, []) from None
    created.append(tmp)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(r.data)
            handle.flush()
            if _POSIX and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
                os.fchown(handle.fileno(), st.st_uid, st.st_gid)
            os.fchmod(handle.fileno(), stat.S_IMODE(st.st_mode))
            os.fsync(handle.fileno())
    except OSError as exc:
        if exc.errno == errno.EPERM and _POSIX and os.geteuid() != 0:
            raise WriteError(
                f"owned by uid {st.st_uid} gid {st.st_gid}; relane could not keep that owner, so it "
                "wrote nothing",
                r.path,
                [],
            ) from None
        raise WriteError(f"cannot write: {_reason(exc)}", r.path, []) from None
    return tmp


def _moved(target: Path, before: os.stat_result) -> bool:
    """Whether ``target`` was replaced or modified since ``before``."""
    try:
        now = os.stat(target)
    except OSError:
        return True
    return (now.st_ino, now.st_size, now.st_mtime_ns) != (before.st_ino, before.st_size, before.st_mtime_ns)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove temporary files a killed relane left in ``folder``.

    Only names relane makes, and only when the process that made them is
    gone. Returns the files removed.
    """
    removed: list[Path] = []
    if not _POSIX:
        return removed  # no way to ask whether a process lives (os.kill would end it)
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        m = _TEMP_NAME.match(name)
        if m and not _alive(int(m.group(1))):
            try:
                os.unlink(folder / name)
                removed.append(folder / name)
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or nonsense): leave it be
    return True


def _discard(paths: Iterable[str]) -> None:
    for tmp in paths:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _reason(exc: OSError) -> str:
    return exc.strerror or (os.strerror(exc.errno) if exc.errno else str(exc))


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
