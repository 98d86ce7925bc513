"""Write planned files in place, atomically, only if they are still as read.

Each file is written to a temporary file in its own folder, flushed to
disk, given the original's mode (and owner, where allowed), then renamed over
the original: a reader sees the old bytes or the new, never a mix.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from .errors import InputError, RelaneError


class WriteError(RelaneError):
    """Writing stopped; ``written`` lists the files already replaced."""

    def __init__(self, message: str, path: str | None, written: Sequence[str]):
        if written:
            message += f" (already written: {', '.join(written)})"
        super().__init__(message, path)
        self.written = list(written)


def check_target(file: Path, root: Path, path: str) -> Path:
    """The real file to replace for ``file``; refuses one outside ``root``.

    A workflow that is a symlink is written at its target, but only when
    that target lies inside the repository root.
    """
    real = file.resolve()
    if file.is_symlink() and not real.is_relative_to(root.resolve()):
        raise InputError(f"symlink to {real} outside the repository; not written", path)
    return real


def atomic_write(target: Path, data: bytes, expected: bytes | None, path: str) -> None:
    """Replace ``target`` with ``data`` if it still holds ``expected``."""
    if expected is not None:
        try:
            current = target.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read before writing: {exc.strerror}", path) from None
        if current != expected:
            raise InputError("changed on disk since relane read it; not overwritten", path)
    import tempfile  # only runs that write pay for it

    try:
        st = target.stat()
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".relane", dir=target.parent)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, st.st_mode & 0o7777)
        if hasattr(os, "chown"):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)
            except OSError:
                pass  # only the owner or root may give a file away; keep ours
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise InputError(f"cannot write: {exc.strerror}", path) from None
    _fsync_dir(target.parent)


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
