"""Find workflow files: the forges' workflow folders under a repository root.

Each path a user gives is a repository root or a workflow file. Inside a
root, ``.github/workflows``, ``.gitea/workflows`` and ``.forgejo/workflows``
hold ``*.yml`` and ``*.yaml`` files (only at their top level, as the forges
read them). ``--include``/``--exclude`` take gitignore-style patterns,
matched against the repository-relative path.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from relane.errors import InputError, RelaneError, UsageError

WORKFLOW_DIRS = (".github/workflows", ".gitea/workflows", ".forgejo/workflows")
SUFFIXES = (".yml", ".yaml")
_FORGE_DIRS = tuple(d.split("/")[0] for d in WORKFLOW_DIRS)
NO_FILES = (
    "no workflow files found (relane reads the *.yml and *.yaml files directly in "
    + ", ".join(WORKFLOW_DIRS[:-1])
    + f" and {WORKFLOW_DIRS[-1]})"
)


@dataclass(frozen=True)
class WorkflowFile:
    """A workflow file on disk and its repository-relative path."""

    root: Path
    file: Path
    path: str  # forward slashes, relative to ``root``
    named: bool  # given by the user rather than found in a root


def _absolute(path: Path) -> Path:
    """``path`` made absolute with ``..`` folded away (symlinks kept as they
    are): ``../x/a.yml`` must not count as lying under the current folder."""
    return Path(os.path.abspath(path))


def several_roots(files: Sequence[WorkflowFile]) -> bool:
    """Whether ``files`` come from more than one repository root."""
    return len({wf.root for wf in files}) > 1


def shown_root(root: Path) -> str:
    """A root as reports of a run over several roots show it: relative to
    the current folder, forward slashes."""
    return Path(os.path.relpath(root)).as_posix()


def shown_path(wf: WorkflowFile, several: bool) -> str:
    """``wf``'s path as reports show it: repository-relative, or, in a run
    over several roots, relative to the current folder (so that a diff
    applies from there and the roots' files can be told apart)."""
    if not several:
        return wf.path
    root = shown_root(wf.root)
    return wf.path if root == "." else f"{root}/{wf.path}"


@contextmanager
def errors_under(root: str) -> Iterator[None]:
    """Errors about a workflow file, named by the path the reports of a run
    over several roots show: ``root`` (from :func:`shown_root`) before its
    repository-relative path."""
    try:
        yield
    except RelaneError as exc:
        if exc.path and root != "." and not Path(exc.path).is_absolute():
            exc.path = f"{root}/{exc.path}"
        raise


def find_root(file: Path) -> Path:
    """The repository root a workflow file belongs to.

    The nearest folder holding ``.git``; failing that, the folder above a
    forge's workflow folder; failing that, the file's own folder.
    """
    file = _absolute(file)
    for parent in file.parents:
        if (parent / ".git").exists():
            return parent
    parent = file.parent
    if parent.name == "workflows" and parent.parent.name in _FORGE_DIRS:
        return parent.parent.parent
    return parent


def _root_of_folder(folder: Path) -> tuple[Path, tuple[str, ...]]:
    """The repository root a folder stands for, and the workflow folders to read.

    A forge's workflow folder (``X/.github/workflows``) or its parent
    (``X/.github``) stands for that forge's folder in ``X``; any other
    folder is a root with all three.
    """
    if folder.name == "workflows" and folder.parent.name in _FORGE_DIRS:
        return folder.parent.parent, (f"{folder.parent.name}/workflows",)
    if folder.name in _FORGE_DIRS:
        return folder.parent, (f"{folder.name}/workflows",)
    return folder, WORKFLOW_DIRS


def _relative(root: Path, file: Path) -> str:
    return Path(os.path.relpath(_absolute(file), root)).as_posix()


def discover(
    paths: Sequence[str | os.PathLike] = (".",),
    include: Iterable[str] = (),
    exclude: Iterable[str] = (),
) -> Iterator[WorkflowFile]:
    """Workflow files under ``paths``, each once, in a stable order."""
    include = list(include)
    exclude = list(exclude)
    inc = _spec(include)
    exc = _spec(exclude)
    seen: dict[tuple[int, int], list[Path]] = {}
    for given in paths or (".",):
        path = Path(given)
        if path.is_dir():
            root, folders = _root_of_folder(_absolute(path))
            files: list[tuple[Path, str, os.DirEntry | None]] = [
                file for folder in folders for file in _listing(root, folder)
            ]
            named = False
        elif path.is_file():
            root = find_root(path)
            files = [(_absolute(path), _relative(root, path), None)]
            named = True
        elif path.exists():
            raise UsageError(f"{given}: not a file or folder")
        else:
            raise UsageError(f"{given}: {_missing(path)}")
        kept = []
        for file, rel, entry in files:
            if inc is not None and not inc.match_file(rel):
                continue
            if exc is not None and exc.match_file(rel):
                continue
            st = file.stat() if entry is None else _stat(entry)
            kept.append(((st.st_dev, st.st_ino), file, rel))
        # A file reached twice (through a symlinked file or folder) is read
        # once, under its own name when a link to it lies beside it. Hard
        # links are names of their own (git keeps each as a file): each is read.
        links = {key for key, file, _ in kept if file.is_symlink()}
        own = {key for key, file, _ in kept if key in links and not file.is_symlink()}
        for key, file, rel in kept:
            if key in own and file.is_symlink():
                continue
            if key in seen:
                real = os.path.realpath(file)
                if any(os.path.realpath(other) == real for other in seen[key]):
                    continue
            seen.setdefault(key, []).append(file)
            yield WorkflowFile(root, file, rel, named)


def _missing(path: Path) -> str:
    """Why ``path``, which is neither a file nor a folder, cannot be read:
    it is not there, or what ``stat`` says (a symlink loop)."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR, None):
            return f"cannot read: {os.strerror(exc.errno)}"
    except ValueError:  # a NUL in the name: no file has it
        pass
    return "no such file or folder"


def _listing(root: Path, folder: str) -> list[tuple[Path, str, os.DirEntry]]:
    """The workflow files directly in ``root/folder``, by name, with their
    relative paths; a folder that cannot be read is an :class:`InputError`
    naming it.

    One ``scandir`` pass: the entries tell files from the rest without a
    system call each, and keep the ``stat`` that deduplication asks for.
    """
    d = root / folder
    try:
        if not d.is_dir():
            for link in (d.parent, d):
                if os.path.islink(link):
                    os.stat(link)  # a link that leads nowhere (or round a loop) raises: named below
            return []
        with os.scandir(d) as entries:
            found = sorted((e for e in entries if e.name.endswith(SUFFIXES) and _is_file(e)), key=lambda e: e.name)
    except OSError as exc:
        where = next((p for p in (d.parent, d) if not os.access(p, os.R_OK | os.X_OK)), d)
        shown = os.path.relpath(where)
        reason = os.strerror(exc.errno) if exc.errno else type(exc).__name__
        raise InputError(f"cannot read the folder: {reason}", str(where) if shown.startswith("..") else shown) from None
    return [(d / e.name, f"{folder}/{e.name}", e) for e in found]


def _is_file(entry: os.DirEntry) -> bool:
    """Whether ``entry`` is a file; one that cannot be told (a symlink loop)
    or a symlink that leads nowhere is kept, so that reading it names it and
    ``--skip-invalid`` goes on."""
    try:
        return entry.is_file() or (entry.is_symlink() and not os.path.exists(entry.path))
    except OSError:
        return True


def _stat(entry: os.DirEntry) -> os.stat_result:
    """``entry``'s status for deduplication: its target's, or, when that
    cannot be had (a symlink loop), the link's own."""
    try:
        return entry.stat()
    except OSError:
        return entry.stat(follow_symlinks=False)


def _spec(patterns: list[str]):
    if not patterns:
        return None
    import pathspec  # only runs that filter pay for it

    try:
        return pathspec.GitIgnoreSpec.from_lines(patterns)
    except Exception as exc:  # pathspec raises plain ValueErrors and friends
        raise UsageError(f"bad pattern: {exc}") from None
